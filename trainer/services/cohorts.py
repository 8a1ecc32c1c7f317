"""Running cohorts: who may see and change one, its settings, assigned modules, trainers and join code.

Object-level access lives here: coordinators and admins see every cohort; a trainer sees and changes only the
cohorts they train. Another trainer's cohort is reported as not found, so its existence is not revealed.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.models import (
    Agency,
    Assignment,
    CertificateMode,
    Cohort,
    CohortKind,
    CohortStatus,
    CohortTrainer,
    DutyStation,
    Enrolment,
    Role,
    TrainerQualification,
    User,
)
from trainer.services import audit
from trainer.services.tx import transaction

# Unambiguous when read aloud or off a whiteboard: no 0/O, 1/I/L.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_LENGTH = 8
MAX_NAME = 160


def sees_all(user: User) -> bool:
    return user.has_role(Role.COORDINATOR, Role.ADMIN)


def trains(cohort: Cohort, user: User) -> bool:
    return any(link.user_id == user.id for link in cohort.trainer_links)


def get_cohort(session: Session, user: User, cohort_id: int, *, write: bool = False) -> Cohort:
    """The cohort if ``user`` may see it (or change it, with ``write``); else NotFound or PermissionDenied."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not (trains(cohort, user) or sees_all(user)):
        raise NotFound(N_("No such cohort."))
    if write and not trains(cohort, user):
        raise PermissionDenied(N_("Only the cohort's trainers can change it."))
    return cohort


def visible_cohorts(session: Session, user: User, status: CohortStatus | None = None) -> list[Cohort]:
    query = select(Cohort).order_by(Cohort.start_on.desc().nulls_last(), Cohort.id.desc())
    if not sees_all(user):
        query = query.where(Cohort.id.in_(select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)))
    if status is not None:
        query = query.where(Cohort.status == status)
    return list(session.scalars(query))


def enrolment_counts(session: Session, cohort_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(enrolled, completed) per cohort."""
    if not cohort_ids:
        return {}
    rows = session.execute(select(Enrolment.cohort_id, func.count(), func.count(Enrolment.completed_at))
                           .where(Enrolment.cohort_id.in_(cohort_ids)).group_by(Enrolment.cohort_id))
    return {cohort_id: (enrolled, completed) for cohort_id, enrolled, completed in rows}


@dataclass
class CohortData:
    kind: CohortKind
    name: str
    agency_id: int
    duty_station_id: int | None = None
    start_on: date | None = None
    end_on: date | None = None
    status: CohortStatus = CohortStatus.PLANNED
    min_attendance: int = 0
    certificate_mode: CertificateMode = CertificateMode.AUTOMATIC


def _check(session: Session, data: CohortData) -> None:
    data.name = " ".join((data.name or "").split())
    if not data.name:
        raise InvalidInput(N_("The cohort needs a name."), field="name")
    if len(data.name) > MAX_NAME:
        raise InvalidInput(N_("The name must be at most %(n)d characters long."), field="name", n=MAX_NAME)
    if session.get(Agency, data.agency_id) is None:
        raise InvalidInput(N_("Choose an agency from the list."), field="agency_id")
    if data.duty_station_id is not None and session.get(DutyStation, data.duty_station_id) is None:
        raise InvalidInput(N_("Choose a duty station from the list."), field="duty_station_id")
    if data.start_on and data.end_on and data.end_on < data.start_on:
        raise InvalidInput(N_("The end date cannot be before the start date."), field="end_on")
    if not 0 <= data.min_attendance <= 100:
        raise InvalidInput(N_("Minimum attendance is a percentage from 0 to 100."), field="min_attendance")


def lineage_parent(session: Session, trainer: User) -> int | None:
    """The ToT cohort that trained ``trainer``: their cohorts hang below it in the cascade."""
    return session.scalar(select(TrainerQualification.cohort_id).where(TrainerQualification.user_id == trainer.id))


def ancestors(session: Session, cohort_id: int | None) -> list[int]:
    chain: list[int] = []
    while cohort_id is not None and cohort_id not in chain:
        chain.append(cohort_id)
        cohort_id = session.scalar(select(Cohort.parent_id).where(Cohort.id == cohort_id))
    return chain


def set_parent(session: Session, cohort: Cohort, parent_id: int | None) -> None:
    """Hang ``cohort`` below ``parent_id``; a ToT cohort only, and never below itself or its descendants."""
    if parent_id is not None:
        parent = session.get(Cohort, parent_id)
        if parent is None or parent.kind != CohortKind.TOT:
            raise InvalidInput(N_("A cohort can only hang below a trainer-of-trainers cohort."))
        if cohort.id is not None and cohort.id in ancestors(session, parent_id):
            raise Conflict(N_("That would make the cascade a loop: a cohort cannot be trained by its own "
                              "descendants."))
    cohort.parent_id = parent_id


def create_cohort(session: Session, trainer: User, data: CohortData) -> Cohort:
    if not trainer.has_role(Role.TRAINER):
        raise PermissionDenied(N_("Only trainers can create cohorts."))
    _check(session, data)
    with transaction(session):
        cohort = Cohort(created_by_id=trainer.id, **vars(data))
        set_parent(session, cohort, lineage_parent(session, trainer))
        cohort.trainer_links.append(CohortTrainer(user_id=trainer.id, position=0))
        session.add(cohort)
        session.flush()
        audit.record(session, trainer.id, "cohort.create", "cohort", cohort.id, {"name": cohort.name,
                                                                                  "kind": cohort.kind.value})
    return cohort


def update_cohort(session: Session, trainer: User, cohort_id: int, data: CohortData) -> Cohort:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    _check(session, data)
    with transaction(session):
        changed = {key: str(value) for key, value in vars(data).items() if getattr(cohort, key) != value}
        for key, value in vars(data).items():
            setattr(cohort, key, value)
        audit.record(session, trainer.id, "cohort.update", "cohort", cohort.id, changed)
    return cohort


# --- assigned modules -------------------------------------------------------------------------------------------


def assign_module(session: Session, trainer: User, cohort_id: int, module_id: str, due_on: date | None,
                  known_modules: set[str]) -> Assignment:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    if module_id not in known_modules:
        raise InvalidInput(N_("Choose a module from the list."), field="module_id")
    if cohort.start_on and due_on and due_on < cohort.start_on:
        raise InvalidInput(N_("The due date cannot be before the cohort starts."), field="due_on")
    with transaction(session):
        existing = next((a for a in cohort.assignments if a.module_id == module_id), None)
        if existing is None:
            existing = Assignment(module_id=module_id, due_on=due_on, position=len(cohort.assignments))
            cohort.assignments.append(existing)
        else:
            existing.due_on = due_on
        audit.record(session, trainer.id, "cohort.assign", "cohort", cohort.id,
                     {"module": module_id, "due_on": due_on.isoformat() if due_on else None})
    return existing


def unassign_module(session: Session, trainer: User, cohort_id: int, assignment_id: int) -> None:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    assignment = next((a for a in cohort.assignments if a.id == assignment_id), None)
    if assignment is None:
        raise NotFound(N_("No such assignment."))
    with transaction(session):
        cohort.assignments.remove(assignment)
        audit.record(session, trainer.id, "cohort.unassign", "cohort", cohort.id, {"module": assignment.module_id})


# --- trainers -----------------------------------------------------------------------------------------------------


def add_trainer(session: Session, trainer: User, cohort_id: int, username: str) -> User:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    other = session.scalar(select(User).where(func.lower(User.username) == (username or "").strip().lower()))
    if other is None or not other.active or not other.has_role(Role.TRAINER):
        raise InvalidInput(N_("There is no active trainer with that username."), field="username")
    if trains(cohort, other):
        raise Conflict(N_("%(name)s already trains this cohort."), field="username", name=other.full_name)
    with transaction(session):
        cohort.trainer_links.append(CohortTrainer(user_id=other.id, position=len(cohort.trainer_links)))
        audit.record(session, trainer.id, "cohort.add_trainer", "cohort", cohort.id, {"user": other.username})
    return other


def remove_trainer(session: Session, trainer: User, cohort_id: int, user_id: int) -> None:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    link = next((lnk for lnk in cohort.trainer_links if lnk.user_id == user_id), None)
    if link is None:
        raise NotFound(N_("That person does not train this cohort."))
    if link.position == 0:
        raise Conflict(N_("The lead trainer cannot be removed: the cohort's place in the cascade follows them."))
    with transaction(session):
        cohort.trainer_links.remove(link)
        audit.record(session, trainer.id, "cohort.remove_trainer", "cohort", cohort.id, {"user_id": user_id})


# --- join codes ---------------------------------------------------------------------------------------------------


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def normalise_join_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def rotate_join_code(session: Session, trainer: User, cohort_id: int) -> str:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    with transaction(session):
        cohort.join_code = new_join_code()
        cohort.join_enabled = True
        audit.record(session, trainer.id, "cohort.join_code", "cohort", cohort.id, {"enabled": True})
    return cohort.join_code


def disable_join_code(session: Session, trainer: User, cohort_id: int) -> None:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    with transaction(session):
        cohort.join_enabled = False
        audit.record(session, trainer.id, "cohort.join_code", "cohort", cohort.id, {"enabled": False})
