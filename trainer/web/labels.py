"""Translated names for stored codes (roles, station kinds, audit actions), shared by forms and templates."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainer.models import AttendanceStatus, CertificateMode, CohortKind, CohortStatus, Role, StationKind

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.TRAINER: _l("Trainer"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Administrator"),
}
KIND_LABELS = {
    StationKind.LAND_CROSSING: _l("Land crossing"),
    StationKind.RAIL: _l("Rail crossing"),
    StationKind.AIRPORT: _l("Airport"),
    StationKind.HEADQUARTERS: _l("Headquarters"),
}
COHORT_KIND_LABELS = {
    CohortKind.COURSE: _l("Course for officers"),
    CohortKind.TOT: _l("Trainer-of-trainers (ToT)"),
}
COHORT_STATUS_LABELS = {
    CohortStatus.PLANNED: _l("Planned"),
    CohortStatus.ACTIVE: _l("Active"),
    CohortStatus.CLOSED: _l("Closed"),
}
CERTIFICATE_MODE_LABELS = {
    CertificateMode.AUTOMATIC: _l("Issued automatically on completion"),
    CertificateMode.APPROVAL: _l("Issued when a trainer approves"),
}
ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.ABSENT: _l("Absent"),
    AttendanceStatus.EXCUSED: _l("Excused"),
}
AUDIT_LABELS = {
    "user.create": _l("Created an account"),
    "user.update": _l("Edited an account"),
    "user.activate": _l("Reactivated an account"),
    "user.deactivate": _l("Deactivated an account"),
    "user.reset_password": _l("Issued a one-time password"),
    "agency.create": _l("Added an agency"),
    "agency.update": _l("Edited an agency"),
    "agency.delete": _l("Deleted an agency"),
    "province.create": _l("Added a province"),
    "province.update": _l("Edited a province"),
    "province.delete": _l("Deleted a province"),
    "station.create": _l("Added a duty station"),
    "station.update": _l("Edited a duty station"),
    "station.delete": _l("Deleted a duty station"),
    "cohort.create": _l("Created a cohort"),
    "cohort.update": _l("Edited a cohort"),
    "cohort.assign": _l("Assigned a module"),
    "cohort.unassign": _l("Removed a module from a cohort"),
    "cohort.add_trainer": _l("Added a trainer to a cohort"),
    "cohort.remove_trainer": _l("Removed a trainer from a cohort"),
    "cohort.join_code": _l("Changed a cohort's join code"),
    "cohort.import_roster": _l("Imported a roster"),
    "cohort.join": _l("Joined a cohort by code"),
    "cohort.enrol": _l("Enrolled a trainee"),
    "cohort.unenrol": _l("Removed a trainee from a cohort"),
    "cohort.move": _l("Moved a trainee to another cohort"),
    "cohort.plan_session": _l("Planned a session"),
    "cohort.delete_session": _l("Deleted a session"),
    "cohort.attendance": _l("Recorded attendance"),
    "trainer.promote": _l("Promoted a trainer"),
}
COMPETENCY_LABELS = {
    "safety": _l("Safety"),
    "rapport": _l("Rapport"),
    "indicators": _l("Indicator recognition"),
    "referral": _l("Procedure and referral"),
}
OUTCOME_LABELS = {
    "referred": _l("Referred for protection and support"),
    "released": _l("Released"),
    "detained": _l("Detained"),
    "other": _l("Other ending"),
}
MRZ_FIELD_LABELS = {
    "document_code": _l("Document code"),
    "issuing_state": _l("Issuing state"),
    "surname": _l("Surname"),
    "given_names": _l("Given names"),
    "document_number": _l("Document number"),
    "nationality": _l("Nationality"),
    "birth_date": _l("Date of birth"),
    "sex": _l("Sex"),
    "expiry_date": _l("Date of expiry"),
    "personal_number": _l("Personal number"),
    "optional_data": _l("Optional data"),
    "optional_data_2": _l("Optional data (line 2)"),
    "composite": _l("Composite (several fields together)"),
    "expired": _l("Not expired on the chosen date"),
    "birth_date_format": _l("Date of birth is a real date"),
    "expiry_date_format": _l("Date of expiry is a real date"),
}
MRZ_FORMAT_LABELS = {
    "td1": _l("TD1 (identity card, 3 lines of 30)"),
    "td2": _l("TD2 (2 lines of 36)"),
    "td3": _l("TD3 (passport, 2 lines of 44)"),
    "mrva": _l("MRV-A (visa, 2 lines of 44)"),
    "mrvb": _l("MRV-B (visa, 2 lines of 36)"),
}
KIND_TITLES = {
    "agency": (_l("Agencies"), _l("Add an agency"), _l("Edit agency")),
    "province": (_l("Provinces"), _l("Add a province"), _l("Edit province")),
    "station": (_l("Duty stations"), _l("Add a duty station"), _l("Edit duty station")),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(Role(role), role))


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(StationKind(kind), kind))


def audit_label(action: str) -> str:
    return str(AUDIT_LABELS.get(action, action))


def competency_label(competency: str) -> str:
    return str(COMPETENCY_LABELS.get(str(competency), competency))


def outcome_label(outcome: str | None) -> str:
    return str(OUTCOME_LABELS.get(outcome or "other", outcome))


def mrz_label(name: str) -> str:
    return str(MRZ_FIELD_LABELS.get(name, MRZ_FORMAT_LABELS.get(name, name)))


def cohort_kind_label(kind) -> str:
    return str(COHORT_KIND_LABELS.get(kind, kind))


def cohort_status_label(status) -> str:
    return str(COHORT_STATUS_LABELS.get(status, status))


def attendance_label(status) -> str:
    return str(ATTENDANCE_LABELS.get(status, status))


TEMPLATE_HELPERS = {
    "cohort_kind_label": cohort_kind_label, "cohort_status_label": cohort_status_label,
    "attendance_label": attendance_label, "certificate_mode_labels": CERTIFICATE_MODE_LABELS,
    "mrz_label": mrz_label, "role_label": role_label, "kind_label": kind_label, "audit_label": audit_label,
    "kind_titles": KIND_TITLES, "competency_label": competency_label, "outcome_label": outcome_label,
}
