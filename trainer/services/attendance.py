"""In-person sessions of a cohort and their attendance sheets."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.errors import N_, InvalidInput, NotFound
from trainer.models import Attendance, AttendanceStatus, Cohort, Enrolment, TrainingSession, User
from trainer.models.base import utcnow
from trainer.services import audit, completion
from trainer.services.cohorts import get_cohort
from trainer.services.tx import transaction

MAX_TEXT = 200


def _clean(text: str, field: str, required: bool) -> str:
    text = " ".join((text or "").split())
    if required and not text:
        raise InvalidInput(N_("This field is required."), field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(N_("At most %(n)d characters."), field=field, n=MAX_TEXT)
    return text


def plan_session(session: Session, trainer: User, cohort_id: int, held_on: date, topic: str,
                 place: str) -> TrainingSession:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    topic, place = _clean(topic, "topic", True), _clean(place, "place", False)
    with transaction(session):
        planned = TrainingSession(held_on=held_on, topic=topic, place=place)
        cohort.sessions.append(planned)
        session.flush()
        audit.record(session, trainer.id, "cohort.plan_session", "cohort", cohort.id,
                     {"session": planned.id, "date": held_on.isoformat()})
    return planned


def get_session(session: Session, user: User, cohort_id: int, session_id: int, *, write: bool = False
                ) -> tuple[Cohort, TrainingSession]:
    cohort = get_cohort(session, user, cohort_id, write=write)
    planned = session.get(TrainingSession, session_id)
    if planned is None or planned.cohort_id != cohort.id:
        raise NotFound(N_("No such session."))
    return cohort, planned


def delete_session(session: Session, trainer: User, cohort_id: int, session_id: int, today: date) -> None:
    cohort, planned = get_session(session, trainer, cohort_id, session_id, write=True)
    with transaction(session):
        session.delete(planned)
        session.flush()
        completion.refresh(session, cohort, today)
        audit.record(session, trainer.id, "cohort.delete_session", "cohort", cohort.id, {"session": session_id})


def sheet(session: Session, cohort: Cohort, planned: TrainingSession) -> list[tuple[User, AttendanceStatus | None]]:
    """Every enrolled trainee, by name, with their recorded status (None: not yet taken)."""
    recorded = {a.user_id: a.status for a in planned.attendance}
    users = session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id)
                            .where(Enrolment.cohort_id == cohort.id).order_by(User.full_name, User.id))
    return [(user, recorded.get(user.id)) for user in users]


def record(session: Session, trainer: User, cohort_id: int, session_id: int,
           marks: Mapping[int, AttendanceStatus], today: date) -> int:
    """Save the sheet in one go: every enrolled trainee must be marked; then re-check completions."""
    cohort, planned = get_session(session, trainer, cohort_id, session_id, write=True)
    enrolled = set(session.scalars(select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)))
    if set(marks) - enrolled:
        raise InvalidInput(N_("The sheet names someone who is not in this cohort. Reload the page."))
    if enrolled - set(marks):
        raise InvalidInput(N_("Mark every trainee: present, absent or excused."))
    if planned.held_on > today:
        raise InvalidInput(N_("Attendance can be taken on the day of the session or later."))
    with transaction(session):
        existing = {a.user_id: a for a in planned.attendance}
        for user_id, status in marks.items():
            if user_id in existing:
                existing[user_id].status = status
                existing[user_id].recorded_at = utcnow()
            else:
                planned.attendance.append(Attendance(user_id=user_id, status=status))
        session.flush()
        completion.refresh(session, cohort, today)
        audit.record(session, trainer.id, "cohort.attendance", "cohort", cohort.id,
                     {"session": planned.id, "present": sum(1 for s in marks.values()
                                                            if s == AttendanceStatus.PRESENT)})
    return len(marks)
