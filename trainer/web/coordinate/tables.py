"""Each report as a Table (trainer.exports): the page shows it and the CSV/XLSX downloads write it, so the screen
and the files always have the same rows and columns. Labels are translated here, for the reader."""
from __future__ import annotations

from flask_babel import gettext as _

from trainer.exports import Column, Table
from trainer.services import reporting
from trainer.services.item_analysis import Item, Mastery, ScenarioReport
from trainer.web.labels import cohort_kind_label


def completion(report: reporting.Dashboard, by_label: str) -> Table:
    columns = (Column("group", by_label), Column("enrolled", _("Enrolled"), "int"),
               Column("completed", _("Completed"), "int"),
               Column("completion_rate", _("Completion rate"), "percent"),
               Column("attempts", _("Quiz attempts"), "int"), Column("passed", _("Attempts passed"), "int"),
               Column("pass_rate", _("Pass rate"), "percent"))
    rows = []
    for row in [*report.rows, report.total]:
        label = _("All") if row is report.total else (
            cohort_kind_label(row.label) if report.by == reporting.Dimension.KIND else row.label)
        rows.append((label, row.enrolled, row.completed, row.completion_rate, row.attempts, row.passed,
                     row.pass_rate))
    return Table(f"completion-by-{report.by.value}", columns, tuple(rows))


def trend(report: reporting.Dashboard) -> Table:
    columns = (Column("month", _("Month")), Column("enrolled", _("Enrolled"), "int"),
               Column("completed", _("Completed"), "int"), Column("certificates", _("Certificates issued"), "int"))
    rows = tuple((m, report.enrolled_by_month.get(m, 0), report.completed_by_month.get(m, 0),
                  report.certificates_by_month.get(m, 0)) for m in report.months)
    return Table("completion-by-month", columns, rows)


def flag_label(flag) -> str:
    return {"too_easy": _("Too easy"), "too_hard": _("Too hard"), "negative": _("Negative discrimination"),
            "weak": _("Weak discrimination")}.get(str(flag), str(flag))


def items(quiz_id: str, found: list[Item], languages: tuple[str, ...]) -> Table:
    columns = [Column("question", _("Question")), Column("pool", _("Pool")),
               Column("responses", _("Responses"), "int"), Column("facility", _("Facility"), "percent"),
               Column("discrimination", _("Discrimination"), "float")]
    columns += [Column(f"facility_{lang}", _("Facility (%(language)s)", language=lang), "percent")
                for lang in languages]
    columns += [Column("flags", _("Flags")), Column("options", _("Choice rates"))]
    rows = []
    for item in found:
        flags = [flag_label(f) for f in item.flags]
        if item.gap:
            flags.append(_("Much harder or easier in %(language)s: check the translation", language=item.gap[0]))
        options = "; ".join(f"{'✓ ' if o.correct else ''}{o.text}: {round(100 * o.rate)}%" for o in item.options
                            if o.rate is not None)
        rows.append((f"{item.question_id}: {item.stem}", item.pool, item.n, item.facility,
                     None if item.discrimination is None else round(item.discrimination, 2),
                     *(item.facility_in(lang) for lang in languages), "; ".join(flags), options))
    return Table(f"item-analysis-{quiz_id}", tuple(columns), tuple(rows))


def scenario_nodes(scenario_id: str, report: ScenarioReport) -> Table:
    columns = (Column("node", _("Node")), Column("reached", _("Reached"), "int"), Column("choice", _("Choice")),
               Column("count", _("Chosen"), "int"), Column("share", _("Share"), "percent"),
               Column("critical", _("Critical error")))
    rows = tuple((f"{node.node_id}: {node.situation[:160]}", node.reached, choice.text, choice.count, choice.share,
                  _("yes") if choice.critical else "") for node in report.nodes for choice in node.choices)
    return Table(f"scenario-{scenario_id}", columns, rows)


def competencies(scenario_id: str, report: ScenarioReport, labels: dict[str, str]) -> Table:
    names = sorted({c for _place, _runs, values in report.competencies for c in values})
    columns = (Column("place", _("Place")), Column("runs", _("Runs"), "int"),
               *(Column(c, labels.get(c, c), "percent") for c in names))
    rows = tuple((place, int(runs), *(values.get(c, 0) / 100 if c in values else None for c in names))
                 for place, runs, values in report.competencies)
    return Table(f"scenario-{scenario_id}-competencies", columns, rows)


def mastery(found: list[Mastery], labels: dict[str, str], by_label: str) -> Table:
    columns = (Column("indicator", _("Indicator")), Column("group", by_label),
               Column("answers", _("Answers"), "int"), Column("share", _("Answered correctly"), "percent"))
    rows = tuple((str(labels.get(m.indicator, m.indicator)), m.group, m.answers, m.share) for m in found)
    return Table("indicator-mastery", columns, rows)


def audit(page, describe) -> Table:
    columns = (Column("when", _("When")), Column("who", _("Who")), Column("action", _("Action")),
               Column("target", _("Target")), Column("details", _("Details")))
    rows = tuple((entry.created_at.strftime("%Y-%m-%d %H:%M"), entry.actor.full_name if entry.actor else
                  _("Command line"), describe(entry.action), f"{entry.target_type} {entry.target_id or ''}".strip(),
                  ", ".join(f"{k}: {v}" for k, v in sorted((entry.details or {}).items())))
                 for entry in page.items)
    return Table("audit-log", columns, rows)
