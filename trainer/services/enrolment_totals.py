"""Enrolment and module totals for the completion dashboard (EnrolmentStat, ModuleStat), kept by ORM events.

Enrolments change in many use-cases (rosters, join codes, moves, completion, removal), assignments and module
completions in others; hooking each would be fragile, so the totals follow the rows themselves: every insert,
delete, or change of cohort or completion date of an Enrolment, every Assignment added or removed, and every
ModuleCompletion adds or subtracts its share inside the same flush. Bulk loads that bypass the ORM
(``flask seed-scale``) call ``rebuild``.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Connection, delete, event, func, insert, select
from sqlalchemy.orm import Session

from trainer.models import Assignment, Enrolment, EnrolmentStat, ModuleCompletion, ModuleStat, User
from trainer.models.base import as_utc
from trainer.services.upsert import add_to


def _month(moment: datetime | None) -> str:
    return as_utc(moment).strftime("%Y-%m") if moment else ""


def _upsert(connection: Connection, model, rows: list[dict], amounts: tuple[str, ...]) -> None:
    add_to(connection, model, rows, amounts)


def _place(enrolment: Enrolment) -> tuple[int, int]:
    return enrolment.agency_id or 0, enrolment.duty_station_id or 0


def _count(connection: Connection, cohort_id: int, agency: int, station: int, enrolled: str, completed: str,
           sign: int) -> None:
    _upsert(connection, EnrolmentStat, [{"cohort_id": cohort_id, "agency_id": agency, "duty_station_id": station,
                                         "enrolled_month": enrolled, "completed_month": completed, "count": sign}],
            ("count",))


def _modules(connection: Connection, cohort_id: int, user_id: int, agency: int, station: int, sign: int) -> None:
    """The person's share of each module assigned to the cohort."""
    done = select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user_id)
    rows = [{"cohort_id": cohort_id, "module_id": module_id, "agency_id": agency, "duty_station_id": station,
             "assigned": sign, "completed": sign if completed else 0}
            for module_id, completed in connection.execute(
                select(Assignment.module_id, Assignment.module_id.in_(done)).where(Assignment.cohort_id == cohort_id))]
    _upsert(connection, ModuleStat, rows, ("assigned", "completed"))


@event.listens_for(Enrolment, "before_insert")
def _where_they_work(mapper, connection: Connection, target: Enrolment) -> None:
    if target.agency_id is None and target.duty_station_id is None:
        target.agency_id, target.duty_station_id = connection.execute(
            select(User.agency_id, User.duty_station_id).where(User.id == target.user_id)).one()


@event.listens_for(Enrolment, "after_insert")
def _enrolled(mapper, connection: Connection, target: Enrolment) -> None:
    agency, station = _place(target)
    _count(connection, target.cohort_id, agency, station, _month(target.enrolled_at), _month(target.completed_at), 1)
    _modules(connection, target.cohort_id, target.user_id, agency, station, 1)


@event.listens_for(Enrolment, "after_delete")
def _unenrolled(mapper, connection: Connection, target: Enrolment) -> None:
    agency, station = _place(target)
    _count(connection, target.cohort_id, agency, station, _month(target.enrolled_at), _month(target.completed_at), -1)
    _modules(connection, target.cohort_id, target.user_id, agency, station, -1)


@event.listens_for(Enrolment, "before_update")
def _remember(mapper, connection: Connection, target: Enrolment) -> None:
    # The stored values, read before the UPDATE: the attribute history lacks them when the instance had been
    # expired (after a commit) before the change.
    target._totals_before = connection.execute(
        select(Enrolment.cohort_id, Enrolment.completed_at).where(Enrolment.id == target.id)).one()


@event.listens_for(Enrolment, "after_update")
def _changed(mapper, connection: Connection, target: Enrolment) -> None:
    old_cohort, old_done = target.__dict__.pop("_totals_before", (target.cohort_id, target.completed_at))
    if old_cohort == target.cohort_id and _month(old_done) == _month(target.completed_at):
        return
    agency, station = _place(target)
    enrolled = _month(target.enrolled_at)
    _count(connection, old_cohort, agency, station, enrolled, _month(old_done), -1)
    _count(connection, target.cohort_id, agency, station, enrolled, _month(target.completed_at), 1)
    if old_cohort != target.cohort_id:
        _modules(connection, old_cohort, target.user_id, agency, station, -1)
        _modules(connection, target.cohort_id, target.user_id, agency, station, 1)


def _assignment(connection: Connection, target: Assignment, sign: int) -> None:
    completed = (select(ModuleCompletion.id).where(ModuleCompletion.user_id == Enrolment.user_id,
                                                   ModuleCompletion.module_id == target.module_id).exists())
    rows = [{"cohort_id": target.cohort_id, "module_id": target.module_id, "agency_id": agency or 0,
             "duty_station_id": station or 0, "assigned": sign * n, "completed": sign * done}
            for agency, station, n, done in connection.execute(
                select(Enrolment.agency_id, Enrolment.duty_station_id, func.count(), func.count().filter(completed))
                .where(Enrolment.cohort_id == target.cohort_id)
                .group_by(Enrolment.agency_id, Enrolment.duty_station_id))]
    _upsert(connection, ModuleStat, rows, ("assigned", "completed"))


@event.listens_for(Assignment, "after_insert")
def _assigned(mapper, connection: Connection, target: Assignment) -> None:
    _assignment(connection, target, 1)


@event.listens_for(Assignment, "after_delete")
def _unassigned(mapper, connection: Connection, target: Assignment) -> None:
    _assignment(connection, target, -1)


@event.listens_for(ModuleCompletion, "after_insert")
def _module_done(mapper, connection: Connection, target: ModuleCompletion) -> None:
    rows = [{"cohort_id": cohort_id, "module_id": target.module_id, "agency_id": agency or 0,
             "duty_station_id": station or 0, "assigned": 0, "completed": 1}
            for cohort_id, agency, station in connection.execute(
                select(Enrolment.cohort_id, Enrolment.agency_id, Enrolment.duty_station_id)
                .join(Assignment, Assignment.cohort_id == Enrolment.cohort_id)
                .where(Enrolment.user_id == target.user_id, Assignment.module_id == target.module_id))]
    _upsert(connection, ModuleStat, rows, ("completed",))


def rebuild(session: Session) -> None:
    """Recompute both tables from the raw rows, in bulk (within the caller's transaction)."""
    session.flush()
    session.execute(delete(EnrolmentStat))
    session.execute(delete(ModuleStat))
    counts: dict[tuple, int] = defaultdict(int)
    people = {uid: (a, s) for uid, a, s in session.execute(select(User.id, User.agency_id, User.duty_station_id))}
    for cohort_id, user_id, agency, station, enrolled_at, completed_at in session.execute(
            select(Enrolment.cohort_id, Enrolment.user_id, Enrolment.agency_id, Enrolment.duty_station_id,
                   Enrolment.enrolled_at, Enrolment.completed_at)):
        if agency is None and station is None:
            agency, station = people.get(user_id, (None, None))
        counts[(cohort_id, agency or 0, station or 0, _month(enrolled_at), _month(completed_at))] += 1
    rows = [{"cohort_id": c, "agency_id": a, "duty_station_id": s, "enrolled_month": e, "completed_month": d,
             "count": n} for (c, a, s, e, d), n in counts.items()]
    for start in range(0, len(rows), 2000):
        session.execute(insert(EnrolmentStat), rows[start:start + 2000])
    agency_of = func.coalesce(Enrolment.agency_id, User.agency_id, 0)
    station_of = func.coalesce(Enrolment.duty_station_id, User.duty_station_id, 0)
    done = (select(ModuleCompletion.id).where(ModuleCompletion.user_id == Enrolment.user_id,
                                              ModuleCompletion.module_id == Assignment.module_id).exists())
    modules = [{"cohort_id": c, "module_id": m, "agency_id": a, "duty_station_id": s, "assigned": n, "completed": d}
               for c, m, a, s, n, d in session.execute(
                   select(Enrolment.cohort_id, Assignment.module_id, agency_of, station_of, func.count(),
                          func.count().filter(done))
                   .join(Assignment, Assignment.cohort_id == Enrolment.cohort_id)
                   .join(User, User.id == Enrolment.user_id)
                   .group_by(Enrolment.cohort_id, Assignment.module_id, agency_of, station_of))]
    for start in range(0, len(modules), 2000):
        session.execute(insert(ModuleStat), modules[start:start + 2000])
