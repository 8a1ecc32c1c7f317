"""Item analysis per quiz, scenario analytics per node, and indicator mastery by place and cohort, all read from the
report totals (``trainer.models.stats``): a few hundred rows, whatever the number of responses."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.analytics import items as stats
from trainer.content.loader import ContentSet
from trainer.errors import N_, InvalidInput, NotFound
from trainer.models import (
    Agency,
    ChoiceStat,
    Cohort,
    CompetencyStat,
    DutyStation,
    IndicatorCohortStat,
    IndicatorStat,
    ItemStat,
    OptionStat,
)


@dataclass(frozen=True)
class OptionRate:
    option_id: str
    text: str
    correct: bool
    rate: float | None


@dataclass(frozen=True)
class Item:
    question_id: str
    pool: str
    stem: str
    sums: stats.ItemSums
    by_language: dict[str, stats.ItemSums]
    options: list[OptionRate]
    gap: tuple[str, float] | None  # a language where it is much harder or easier: check the translation

    @property
    def n(self) -> int:
        return self.sums.n

    @property
    def facility(self) -> float | None:
        return stats.facility(self.sums)

    @property
    def discrimination(self) -> float | None:
        return stats.discrimination(self.sums)

    @property
    def flags(self) -> tuple:
        return stats.flags(self.sums)

    def facility_in(self, lang: str) -> float | None:
        found = self.by_language.get(lang)
        return stats.facility(found) if found else None


def item_analysis(session: Session, content: ContentSet, quiz_id: str, localize) -> list[Item]:
    """Every question of the quiz with its statistics, worst discrimination first (no data last).
    ``localize(question)`` gives the question in the reader's language."""
    quiz = content.quizzes.get(quiz_id)
    if quiz is None:
        raise NotFound(N_("No such quiz."))
    sums: dict[str, dict[str, stats.ItemSums]] = defaultdict(dict)
    for row in session.scalars(select(ItemStat).where(ItemStat.quiz_id == quiz_id)):
        sums[row.question_id][row.language] = stats.ItemSums(row.n, row.sum_x, row.sum_x2, row.sum_rest,
                                                             row.sum_rest2, row.sum_xrest)
    picks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in session.scalars(select(OptionStat).where(OptionStat.quiz_id == quiz_id)):
        picks[row.question_id][row.option_id] += row.count
    found = []
    for pool in quiz.pools:
        for question in pool.questions:
            by_language = sums.get(question.id, {})
            total = sum(by_language.values(), stats.ItemSums(0, 0, 0, 0, 0, 0))
            shown = localize(question)
            rates = stats.choice_rates(picks.get(question.id, {}), total.n) if total.n else {}
            options = [OptionRate(o.id, str(o.text), bool(getattr(o, "correct", False)), rates.get(o.id))
                       for o in getattr(shown, "options", ())]
            if question.type == "true_false":
                options = [OptionRate(v, v, (v == "true") == question.correct, rates.get(v))
                           for v in ("true", "false")]
            found.append(Item(question.id, pool.id, str(shown.stem), total, dict(by_language), options,
                              stats.language_gap(by_language)))
    return sorted(found, key=lambda i: (i.discrimination is None, i.discrimination if i.discrimination is not None
                                        else 0.0, i.question_id))


# --- scenarios ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceShare:
    choice_id: str
    text: str
    count: int
    share: float | None
    critical: bool


@dataclass(frozen=True)
class NodeReport:
    node_id: str
    situation: str
    reached: int
    choices: list[ChoiceShare]


@dataclass
class ScenarioReport:
    nodes: list[NodeReport]
    criticals: list[tuple[str, str, int]]  # (node, choice text, count), most common first
    competencies: list[tuple[str, str, dict[str, float]]] = field(default_factory=list)  # (by, place, averages)


def scenario_report(session: Session, content: ContentSet, scenario_id: str, localized, lang: str,
                    by: str = "agency") -> ScenarioReport:
    """Per node: runs that reached it and the share taking each choice; the commonest critical errors;
    competency averages by agency or duty station. ``localized`` is the scenario in the reader's language."""
    if scenario_id not in content.scenarios:
        raise NotFound(N_("No such scenario."))
    if by not in ("agency", "station"):
        raise InvalidInput(N_("Choose agency or duty station."), field="by")
    counts = {(r.node_id, r.choice_id): r.count for r in session.scalars(
        select(ChoiceStat).where(ChoiceStat.scenario_id == scenario_id))}
    nodes, criticals = [], []
    for node in localized.nodes:
        if not node.choices:
            continue
        reached = sum(counts.get((node.id, c.id), 0) for c in node.choices)
        shares = [ChoiceShare(c.id, str(c.text), counts.get((node.id, c.id), 0),
                              counts.get((node.id, c.id), 0) / reached if reached else None, bool(c.critical))
                  for c in node.choices]
        nodes.append(NodeReport(node.id, str(node.situation), reached, shares))
        criticals += [(node.id, s.text, s.count) for s in shares if s.critical and s.count]
    criticals.sort(key=lambda item: -item[2])
    return ScenarioReport(nodes, criticals[:10], _competencies(session, scenario_id, lang, by))


def _competencies(session: Session, scenario_id: str, lang: str, by: str) -> list[tuple[str, str, dict[str, float]]]:
    column = CompetencyStat.agency_id if by == "agency" else CompetencyStat.duty_station_id
    model = Agency if by == "agency" else DutyStation
    rows: dict[int, dict[str, float]] = defaultdict(dict)
    runs: dict[int, int] = {}
    for key, competency, n, total in session.execute(
            select(column, CompetencyStat.competency, func.sum(CompetencyStat.runs),
                   func.sum(CompetencyStat.sum_percent))
            .where(CompetencyStat.scenario_id == scenario_id).group_by(column, CompetencyStat.competency)):
        if n:
            rows[key][competency] = total / n
            runs[key] = max(runs.get(key, 0), int(n))
    names = {m.id: m.display_name(lang) for m in session.scalars(select(model).where(model.id.in_(list(rows))))}
    return sorted(((names.get(k, "—"), str(runs[k]), v) for k, v in rows.items()), key=lambda r: r[0])


# --- indicator mastery -------------------------------------------------------------------------------------------


class MasteryBy(StrEnum):
    AGENCY = "agency"
    STATION = "station"
    COHORT = "cohort"


@dataclass(frozen=True)
class Mastery:
    indicator: str
    group: str
    answers: int
    share: float | None


def mastery(session: Session, by: MasteryBy, lang: str, indicator: str | None = None,
            cohort_ids: frozenset[int] | None = None, known: set[str] | None = None,
            limit: int | None = None, offset: int = 0) -> tuple[list[Mastery], int]:
    """Share of right answers per indicator and place (or cohort), weakest first, sorted and cut in SQL; and
    how many rows there are in all."""
    if indicator is not None and known is not None and indicator not in known:
        raise InvalidInput(N_("There is no such indicator."), field="indicator")
    if by == MasteryBy.COHORT:
        # (indicator, cohort) is the table's key: no grouping, so SQL can sort and cut straight away
        n, correct = IndicatorCohortStat.n, IndicatorCohortStat.correct
        query = (select(IndicatorCohortStat.indicator, Cohort.name, n, correct)
                 .join(Cohort, Cohort.id == IndicatorCohortStat.cohort_id).where(n > 0))
        if cohort_ids is not None:
            query = query.where(IndicatorCohortStat.cohort_id.in_(cohort_ids or [-1]))
        if indicator:
            query = query.where(IndicatorCohortStat.indicator == indicator)
        names = None
    else:
        column = IndicatorStat.agency_id if by == MasteryBy.AGENCY else IndicatorStat.duty_station_id
        model = Agency if by == MasteryBy.AGENCY else DutyStation
        n, correct = func.sum(IndicatorStat.n), func.sum(IndicatorStat.correct)
        query = select(IndicatorStat.indicator, column, n, correct).group_by(IndicatorStat.indicator, column)
        if indicator:
            query = query.where(IndicatorStat.indicator == indicator)
        names = {m.id: m.display_name(lang) for m in session.scalars(select(model))}
        query = query.having(n > 0)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(correct * 1.0 / n, query.selected_columns[0], query.selected_columns[1])
    if limit is not None:
        ordered = ordered.limit(limit).offset(offset)
    rows = [Mastery(ind, names.get(group, "—") if names is not None else group, int(count), (right or 0) / count)
            for ind, group, count, right in session.execute(ordered)]
    return rows, total
