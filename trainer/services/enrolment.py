"""Putting trainees into cohorts: roster import (preview, then all-or-nothing), join codes, and by hand.

A trainee's attempts and runs belong to the person, not the cohort, so moving them between cohorts or removing
them keeps their work; their progress simply shows in the new cohort.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.errors import N_, Conflict, InvalidInput, NotFound
from trainer.imports.roster import Reference, RosterProblem, RosterResult, RosterRow, parse_roster
from trainer.models import (
    Agency,
    Cohort,
    CohortStatus,
    DutyStation,
    Enrolment,
    EnrolmentSource,
    Role,
    User,
    UserRole,
)
from trainer.models.base import utcnow
from trainer.services import activation, audit, completion
from trainer.services.cohorts import get_cohort, normalise_join_code
from trainer.services.tx import transaction


def reference(session: Session, languages: tuple[str, ...]) -> Reference:
    """Every spelling of every agency (code first) and duty station a roster may use."""
    agencies: dict[str, int] = {}
    for agency in session.scalars(select(Agency).order_by(Agency.id)):
        for spelling in (agency.code, agency.name, *(agency.local_names or {}).values()):
            agencies.setdefault(spelling, agency.id)
    stations: dict[str, int] = {}
    for station in session.scalars(select(DutyStation).order_by(DutyStation.id)):
        for spelling in (station.name, *(station.local_names or {}).values()):
            stations.setdefault(spelling, station.id)
    return Reference(agencies, stations, languages)


class Action(StrEnum):
    CREATE = "create"
    ENROL = "enrol"
    ALREADY = "already"


@dataclass(frozen=True)
class PlannedRow:
    row: RosterRow
    action: Action
    username: str
    user_id: int | None


@dataclass(frozen=True)
class RosterPlan:
    result: RosterResult
    rows: tuple[PlannedRow, ...]
    problems: tuple[RosterProblem, ...]
    digest: str  # of the file, so the confirmation applies exactly what was previewed

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.problems

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _derived_username(email: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0].lower())[:56] or "trainee"
    if not base[0].isalnum():
        base = "u" + base
    candidate, number = base, 1
    while candidate in taken or len(candidate) < 2:
        number += 1
        candidate = f"{base}{number}"
    return candidate


def plan_roster(session: Session, cohort: Cohort, data: bytes, languages: tuple[str, ...]) -> RosterPlan:
    """What importing ``data`` into ``cohort`` would do, row by row, with every problem. Writes nothing."""
    result = parse_roster(data, reference(session, languages))
    if not result.ok:
        return RosterPlan(result, (), (), digest(data))
    usernames = {r.username for r in result.rows if r.username}
    emails = {r.email for r in result.rows if r.email}
    existing = list(session.scalars(select(User).where(or_(func.lower(User.username).in_(usernames),
                                                             func.lower(User.email).in_(emails)))))
    by_username = {u.username.lower(): u for u in existing}
    by_email = {u.email.lower(): u for u in existing if u.email}
    enrolled = set(session.scalars(select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)))
    taken = set(by_username)
    planned, problems = [], []
    for row in result.rows:
        user = by_username.get(row.username) if row.username else by_email.get(row.email)
        if user is not None and row.email and user.email and user.email.lower() != row.email:
            problems.append(RosterProblem(row.line, "email", f"the account {user.username} has a different email "
                                          f"({user.email}); correct the row or leave the email empty", row.email))
            continue
        if user is None and row.email and row.email in by_email:
            other = by_email[row.email]
            problems.append(RosterProblem(row.line, "email", f"this email belongs to the account {other.username}; "
                                          f"put {other.username} in the username column", row.email))
            continue
        if user is not None:
            action = Action.ALREADY if user.id in enrolled else Action.ENROL
            planned.append(PlannedRow(row, action, user.username, user.id))
            continue
        username = row.username or _derived_username(row.email or "", taken)
        taken.add(username)
        planned.append(PlannedRow(row, Action.CREATE, username, None))
    return RosterPlan(result, tuple(planned), tuple(problems), digest(data))


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    enrolled: int
    already: int


def import_roster(session: Session, trainer: User, cohort_id: int, data: bytes, languages: tuple[str, ...],
                  expected_digest: str | None = None) -> ImportOutcome:
    """Create missing accounts (with one-time codes) and enrol everyone, in one transaction; or nothing."""
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    plan = plan_roster(session, cohort, data, languages)
    if expected_digest is not None and expected_digest != plan.digest:
        raise Conflict(N_("The file changed since the preview. Upload it again."))
    if not plan.ok:
        raise InvalidInput(N_("The roster has problems; nothing was imported."))
    with transaction(session):
        for item in plan.rows:
            if item.action == Action.ALREADY:
                continue
            user = session.get(User, item.user_id) if item.user_id else _new_account(session, item)
            if item.action == Action.CREATE:
                session.flush()
                activation.issue(session, user, cohort.id)
            session.add(Enrolment(cohort_id=cohort.id, user_id=user.id, source=EnrolmentSource.ROSTER))
        session.flush()
        completion.refresh(session, cohort, utcnow().date(),
                           [item.user_id for item in plan.rows if item.action == Action.ENROL])
        outcome = ImportOutcome(plan.count(Action.CREATE), plan.count(Action.ENROL), plan.count(Action.ALREADY))
        audit.record(session, trainer.id, "cohort.import_roster", "cohort", cohort.id, vars(outcome))
    return outcome


def _new_account(session: Session, item: PlannedRow) -> User:
    row = item.row
    user = User(username=item.username, full_name=row.full_name, email=row.email,
                password_hash=activation.NO_PASSWORD, must_change_password=True, agency_id=row.agency_id,
                duty_station_id=row.duty_station_id, preferred_language=row.language)
    user.role_links = [UserRole(role=Role.TRAINEE)]
    session.add(user)
    return user


# --- join codes and by hand ------------------------------------------------------------------------------------


def join_by_code(session: Session, user: User, code: str) -> Cohort:
    """Enrol ``user`` in the cohort whose enabled join code is ``code``."""
    normalised = normalise_join_code(code)
    cohort = session.scalar(select(Cohort).where(Cohort.join_code == normalised)) if normalised else None
    if cohort is None or not cohort.join_enabled or cohort.status == CohortStatus.CLOSED:
        raise InvalidInput(N_("That code does not open any cohort. Check it with your trainer."), field="code")
    if session.scalar(select(Enrolment.id).where(Enrolment.cohort_id == cohort.id,
                                                 Enrolment.user_id == user.id)) is not None:
        raise Conflict(N_("You are already in %(name)s."), field="code", name=cohort.name)
    try:
        with transaction(session):
            if not user.has_role(Role.TRAINEE):
                user.role_links.append(UserRole(role=Role.TRAINEE))
            session.add(Enrolment(cohort_id=cohort.id, user_id=user.id, source=EnrolmentSource.JOIN_CODE))
            session.flush()
            completion.refresh(session, cohort, utcnow().date(), [user.id])
            audit.record(session, user.id, "cohort.join", "cohort", cohort.id, {})
    except IntegrityError as error:  # the same person submitting twice at once: the other request enrolled them
        raise Conflict(N_("You are already in %(name)s."), field="code", name=cohort.name) from error
    return cohort


def add_by_username(session: Session, trainer: User, cohort_id: int, username: str) -> User:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    user = session.scalar(select(User).where(func.lower(User.username) == (username or "").strip().lower()))
    if user is None or not user.active:
        raise InvalidInput(N_("There is no active account with that username."), field="username")
    if session.scalar(select(Enrolment.id).where(Enrolment.cohort_id == cohort.id,
                                                 Enrolment.user_id == user.id)) is not None:
        raise Conflict(N_("%(name)s is already in this cohort."), field="username", name=user.full_name)
    with transaction(session):
        if not user.has_role(Role.TRAINEE):
            user.role_links.append(UserRole(role=Role.TRAINEE))
        session.add(Enrolment(cohort_id=cohort.id, user_id=user.id, source=EnrolmentSource.MANUAL))
        session.flush()
        completion.refresh(session, cohort, utcnow().date(), [user.id])
        audit.record(session, trainer.id, "cohort.enrol", "cohort", cohort.id, {"user": user.username})
    return user


def get_enrolment(session: Session, cohort: Cohort, user_id: int) -> Enrolment:
    enrolment = session.scalar(select(Enrolment).where(Enrolment.cohort_id == cohort.id,
                                                       Enrolment.user_id == user_id))
    if enrolment is None:
        raise NotFound(N_("That person is not in this cohort."))
    return enrolment


def remove(session: Session, trainer: User, cohort_id: int, user_id: int) -> None:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    enrolment = get_enrolment(session, cohort, user_id)
    with transaction(session):
        session.delete(enrolment)
        audit.record(session, trainer.id, "cohort.unenrol", "cohort", cohort.id, {"user_id": user_id})


def move(session: Session, trainer: User, cohort_id: int, user_id: int, target_id: int, today: date) -> Cohort:
    """Move a trainee to another cohort the same trainer runs; their attempts and runs stay theirs."""
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    target = get_cohort(session, trainer, target_id, write=True)
    if target.id == cohort.id:
        raise InvalidInput(N_("Choose a different cohort."), field="target")
    enrolment = get_enrolment(session, cohort, user_id)
    if session.scalar(select(Enrolment.id).where(Enrolment.cohort_id == target.id,
                                                 Enrolment.user_id == user_id)) is not None:
        raise Conflict(N_("That person is already in %(name)s."), field="target", name=target.name)
    with transaction(session):
        enrolment.cohort_id, enrolment.completed_at = target.id, None
        session.flush()
        session.expire(target, ["enrolments"])
        completion.refresh(session, target, today, [user_id])
        audit.record(session, trainer.id, "cohort.move", "cohort", cohort.id, {"user_id": user_id,
                                                                                "to": target.id})
    return target


@dataclass(frozen=True)
class MyCohort:
    cohort: Cohort
    enrolment: Enrolment
    trainers: list[User]
    assignments: list  # the cohort's Assignment rows, in order


def my_cohorts(session: Session, user_id: int) -> list[MyCohort]:
    """The cohorts a trainee is in, newest first, with what is assigned and by when."""
    rows = session.execute(select(Cohort, Enrolment).join(Enrolment, Enrolment.cohort_id == Cohort.id)
                           .where(Enrolment.user_id == user_id)
                           .order_by(Cohort.start_on.desc().nulls_last(), Cohort.id.desc()))
    return [MyCohort(cohort, enrolment, cohort.trainers, list(cohort.assignments)) for cohort, enrolment in rows]
