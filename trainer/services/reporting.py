"""The coordinators' completion dashboard: who was trained, where, how well, and when.

Completion figures come from the enrolments' completion dates that ``trainer.services.completion`` keeps (so they
agree with every cohort page); pass rates from the attempt totals (``AttemptStat``). People are sliced by where
they work: their agency, duty station and its province. A trainer sees the same figures for the cohorts in their
own part of the cascade only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import Select, String, and_, func, select
from sqlalchemy.orm import Session

from trainer.errors import N_, InvalidInput
from trainer.models import (
    Agency,
    AttemptStat,
    Certificate,
    Cohort,
    CohortKind,
    CohortTrainer,
    DutyStation,
    EnrolmentStat,
    ModuleStat,
    Province,
    User,
)


class Dimension(StrEnum):
    PROVINCE = "province"
    AGENCY = "agency"
    STATION = "station"
    COHORT = "cohort"
    KIND = "kind"
    MODULE = "module"
    MONTH = "month"


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    agency_id: int | None = None
    province_id: int | None = None
    kind: CohortKind | None = None
    cohort_ids: frozenset[int] | None = None  # a trainer's subtree; None: everything

    def check(self, session: Session) -> Filters:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise InvalidInput(N_("The end date is before the start date."), field="date_to")
        if self.agency_id is not None and session.get(Agency, self.agency_id) is None:
            raise InvalidInput(N_("There is no such agency."), field="agency")
        if self.province_id is not None and session.get(Province, self.province_id) is None:
            raise InvalidInput(N_("There is no such province."), field="province")
        return self


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    enrolled: int
    completed: int
    attempts: int | None = None
    passed: int | None = None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.attempts if self.attempts else None


@dataclass
class Dashboard:
    by: Dimension
    rows: list[Row]
    total: Row
    months: list[str] = field(default_factory=list)
    enrolled_by_month: dict[str, int] = field(default_factory=dict)
    completed_by_month: dict[str, int] = field(default_factory=dict)
    certificates_by_month: dict[str, int] = field(default_factory=dict)
    certificates_issued: int = 0
    certificates_expiring: int = 0


def month_of(session: Session, column):
    """'YYYY-MM' of a date or timestamp column, in SQL, on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _scoped(query: Select, filters: Filters, stat=EnrolmentStat) -> Select:
    """``query`` over a totals table (EnrolmentStat or ModuleStat) joined to its cohort and duty station, within
    the filters: the cohort started (or, undated, its trainees enrolled) in the date range."""
    query = query.join(Cohort, Cohort.id == stat.cohort_id).outerjoin(
        DutyStation, DutyStation.id == stat.duty_station_id)
    conditions = []
    if filters.date_from or filters.date_to:
        if stat is EnrolmentStat:
            started = func.coalesce(func.substr(func.cast(Cohort.start_on, String), 1, 7), EnrolmentStat.enrolled_month)
        else:
            started = func.substr(func.cast(Cohort.start_on, String), 1, 7)
        if filters.date_from:
            conditions.append(started >= filters.date_from.strftime("%Y-%m"))
        if filters.date_to:
            conditions.append(started <= filters.date_to.strftime("%Y-%m"))
    conditions += _who_and_where(filters, stat.agency_id, stat.cohort_id)
    return query.where(and_(*conditions)) if conditions else query


def _who_and_where(filters: Filters, agency_column, cohort_column) -> list:
    """The agency, province, kind and cohort-scope conditions (with Cohort and DutyStation joined)."""
    conditions = []
    if filters.agency_id is not None:
        conditions.append(agency_column == filters.agency_id)
    if filters.province_id is not None:
        conditions.append(DutyStation.province_id == filters.province_id)
    if filters.kind is not None:
        conditions.append(Cohort.kind == filters.kind)
    if filters.cohort_ids is not None:
        conditions.append(cohort_column.in_(filters.cohort_ids or [-1]))
    return conditions


ENROLLED = func.sum(EnrolmentStat.count)
COMPLETED = func.sum(EnrolmentStat.count).filter(EnrolmentStat.completed_month != "")


def _group(by: Dimension):
    """(key column, label column) for a dimension, and the joins it needs beyond _scoped's."""
    if by == Dimension.PROVINCE:
        return DutyStation.province_id, DutyStation.province_id, []
    if by == Dimension.AGENCY:
        return EnrolmentStat.agency_id, EnrolmentStat.agency_id, []
    if by == Dimension.STATION:
        return EnrolmentStat.duty_station_id, EnrolmentStat.duty_station_id, []
    if by == Dimension.COHORT:
        return Cohort.id, Cohort.name, []
    return Cohort.kind, Cohort.kind, []  # Dimension.KIND


def dashboard(session: Session, filters: Filters, by: Dimension, lang: str, today: date,
              module_titles: dict[str, str] | None = None) -> Dashboard:
    """The dashboard in a fixed number of queries over the totals, whatever the number of trainees."""
    filters = filters.check(session)
    if by == Dimension.MODULE:
        rows = _by_module(session, filters, module_titles or {})
    elif by == Dimension.MONTH:
        rows = []
    else:
        rows = _by_group(session, filters, by, lang)
    result = Dashboard(by, rows, _total(session, filters))
    _trends(session, filters, result, today)
    if by == Dimension.MONTH:
        attempts = _attempts_by(session, filters, by)
        result.rows = [Row(m, m, result.enrolled_by_month.get(m, 0), result.completed_by_month.get(m, 0),
                           *attempts.get(m, (None, None))) for m in result.months]
    return result


def _by_group(session: Session, filters: Filters, by: Dimension, lang: str) -> list[Row]:
    key, label, joins = _group(by)
    query = _scoped(select(key, label, ENROLLED, COMPLETED).select_from(EnrolmentStat), filters)
    for model, condition in joins:
        query = query.outerjoin(model, condition)
    names = _names(session, by, lang)
    rows = [Row(k, names.get(k, "—") if names is not None else str(name or ""), int(enrolled or 0),
                int(completed or 0))
            for k, name, enrolled, completed in session.execute(query.group_by(key, label))]
    attempts = _attempts_by(session, filters, by)
    rows = [Row(r.key, r.label, r.enrolled, r.completed, *attempts.get(r.key, (None, None))) if attempts else r
            for r in rows]
    # Places with attempts in the period but no cohort starting in it still get a row, so the rows add up to
    # the "All" row.
    listed = {r.key for r in rows}
    rows += [Row(key, names.get(key, "—") if names is not None else str(key), 0, 0, n, p)
             for key, (n, p) in attempts.items() if key not in listed]
    return sorted(rows, key=lambda r: (-(r.completion_rate or 0), str(r.label)))


def _names(session: Session, by: Dimension, lang: str) -> dict | None:
    """Names in the reader's language for places and agencies, in one query (None: the label column will do)."""
    model = {Dimension.PROVINCE: Province, Dimension.STATION: DutyStation, Dimension.AGENCY: Agency}.get(by)
    if model is None:
        return None
    return {row.id: row.display_name(lang) for row in session.scalars(select(model))}


def _stat_filters(filters: Filters) -> list:
    conditions = []
    if filters.date_from:
        conditions.append(AttemptStat.month >= filters.date_from.strftime("%Y-%m"))
    if filters.date_to:
        conditions.append(AttemptStat.month <= filters.date_to.strftime("%Y-%m"))
    if filters.agency_id is not None:
        conditions.append(AttemptStat.agency_id == filters.agency_id)
    if filters.province_id is not None:
        conditions.append(AttemptStat.duty_station_id.in_(
            select(DutyStation.id).where(DutyStation.province_id == filters.province_id)))
    return conditions


def _attempts_by(session: Session, filters: Filters, by: Dimension) -> dict:
    """Attempts and passes by agency, station, province or module (the totals have no cohort or kind)."""
    if filters.kind is not None or filters.cohort_ids is not None:
        return {}
    column = {Dimension.AGENCY: AttemptStat.agency_id, Dimension.STATION: AttemptStat.duty_station_id,
              Dimension.MODULE: AttemptStat.module_id, Dimension.PROVINCE: DutyStation.province_id,
              Dimension.MONTH: AttemptStat.month}.get(by)
    if column is None:
        return {}
    query = select(column, func.sum(AttemptStat.attempts), func.sum(AttemptStat.passed))
    if by == Dimension.PROVINCE:
        query = query.outerjoin(DutyStation, DutyStation.id == AttemptStat.duty_station_id)  # 0: no station
    query = query.where(*_stat_filters(filters)).group_by(column)
    return {key: (int(n or 0), int(p or 0)) for key, n, p in session.execute(query)}


def _by_module(session: Session, filters: Filters, titles: dict[str, str]) -> list[Row]:
    """Per assigned module: enrolled trainees it is assigned to, and those who completed it."""
    query = _scoped(select(ModuleStat.module_id, func.sum(ModuleStat.assigned), func.sum(ModuleStat.completed))
                    .select_from(ModuleStat), filters, ModuleStat).group_by(ModuleStat.module_id)
    attempts = _attempts_by(session, filters, Dimension.MODULE)
    rows = [Row(m, titles.get(m, m), int(n or 0), int(c or 0), *attempts.get(m, (None, None)))
            for m, n, c in session.execute(query) if n]
    listed = {r.key for r in rows}
    rows += [Row(m, titles.get(m, m), 0, 0, n, p) for m, (n, p) in attempts.items() if m not in listed]
    order = list(titles)
    return sorted(rows, key=lambda r: order.index(r.key) if r.key in order else len(order))


def _total(session: Session, filters: Filters) -> Row:
    enrolled, completed = session.execute(_scoped(select(ENROLLED, COMPLETED).select_from(EnrolmentStat),
                                                  filters)).one()
    attempts, passed = (None, None)
    if filters.kind is None and filters.cohort_ids is None:
        n, p = session.execute(select(func.sum(AttemptStat.attempts), func.sum(AttemptStat.passed))
                               .where(*_stat_filters(filters))).one()
        attempts, passed = int(n or 0), int(p or 0)
    return Row(None, "", int(enrolled or 0), int(completed or 0), attempts, passed)


def _trends(session: Session, filters: Filters, result: Dashboard, today: date) -> None:
    for enrolled, completed, count in session.execute(_scoped(
            select(EnrolmentStat.enrolled_month, EnrolmentStat.completed_month, func.sum(EnrolmentStat.count))
            .select_from(EnrolmentStat), filters)
            .group_by(EnrolmentStat.enrolled_month, EnrolmentStat.completed_month)):
        count = int(count or 0)
        result.enrolled_by_month[enrolled] = result.enrolled_by_month.get(enrolled, 0) + count
        if completed:
            result.completed_by_month[completed] = result.completed_by_month.get(completed, 0) + count
    result.enrolled_by_month = {m: n for m, n in result.enrolled_by_month.items() if n}
    result.completed_by_month = {m: n for m, n in result.completed_by_month.items() if n}
    issued_month = month_of(session, Certificate.issued_on)
    expiring = and_(Certificate.revoked_at.is_(None), Certificate.expires_on >= today,
                    Certificate.expires_on <= today + timedelta(days=90))
    query = select(issued_month, func.count(), func.count().filter(expiring)).select_from(Certificate)
    query = query.join(Cohort, Cohort.id == Certificate.cohort_id).join(User, User.id == Certificate.user_id)
    query = query.outerjoin(DutyStation, DutyStation.id == User.duty_station_id)
    query = query.where(*_certificate_filters(filters)).group_by(issued_month)
    for month, count, soon in session.execute(query):
        result.certificates_by_month[month] = count
        result.certificates_expiring += soon
    result.certificates_issued = sum(result.certificates_by_month.values())
    result.months = sorted(set(result.enrolled_by_month) | set(result.completed_by_month)
                           | set(result.certificates_by_month))


def _certificate_filters(filters: Filters) -> list:
    conditions = []
    if filters.date_from:
        conditions.append(Certificate.completed_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Certificate.completed_on <= filters.date_to)
    return conditions + _who_and_where(filters, User.agency_id, Certificate.cohort_id)


def subtree_cohorts(session: Session, trainer: User) -> frozenset[int]:
    """The cohorts a trainer runs and every cohort below them in the cascade."""
    children: dict[int | None, list[int]] = {}
    for cohort_id, parent_id in session.execute(select(Cohort.id, Cohort.parent_id)):
        children.setdefault(parent_id, []).append(cohort_id)
    found: set[int] = set()
    stack = list(session.scalars(select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == trainer.id)))
    while stack:
        cohort_id = stack.pop()
        if cohort_id not in found:
            found.add(cohort_id)
            stack.extend(children.get(cohort_id, ()))
    return frozenset(found)

