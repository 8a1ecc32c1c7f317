"""Coordinator pages. Each report is built once as a Table (tables.py) by a function below; the page renders it,
``/export/<report>.<csv|xlsx>`` downloads it with the same query string, and ``/charts/<chart>.svg`` draws it."""
from __future__ import annotations

import io
import os
import tempfile

from flask import Response, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.analytics import charts
from trainer.errors import DomainError
from trainer.exports import Table, csv_stream, file_name, xlsx_file
from trainer.extensions import db, talisman
from trainer.models import Agency, CohortKind, Province, Role
from trainer.models.base import utcnow
from trainer.services import audit_log, item_analysis, reporting
from trainer.services.tx import Page
from trainer.web.access import coordinator_required, roles_required
from trainer.web.coordinate import tables
from trainer.web.coordinate.common import (
    bp,
    date_arg,
    dimension,
    dimension_labels,
    filters,
    lang,
    module_titles,
    national,
    store,
)
from trainer.web.i18n import error_message
from trainer.web.labels import COHORT_KIND_LABELS, audit_label, competency_label

staff_required = roles_required(Role.TRAINER, Role.COORDINATOR, Role.ADMIN)
PER_PAGE = 50


# --- the reports, as tables --------------------------------------------------------------------------------------


def _dashboard() -> reporting.Dashboard:
    return reporting.dashboard(db.session, filters(), dimension(), lang(), utcnow().date(), module_titles())


def completion_table() -> Table:
    return tables.completion(_dashboard(), dimension_labels()[dimension()])


def trend_table() -> Table:
    return tables.trend(_dashboard())


def _quiz_id() -> str:
    quiz_id = request.args.get("quiz", "")
    if quiz_id not in store().get().quizzes:
        abort(404)
    return quiz_id


def items_table() -> Table:
    quiz_id = _quiz_id()
    found = item_analysis.item_analysis(db.session, store().get(), quiz_id,
                                        lambda q: store().localize_question(quiz_id, q, lang()))
    return tables.items(quiz_id, found, ("en", "mn", "ru"))


def _scenario() -> tuple[str, item_analysis.ScenarioReport]:
    scenario_id = request.args.get("scenario", "")
    if scenario_id not in store().get().scenarios:
        abort(404)
    report = item_analysis.scenario_report(db.session, store().get(), scenario_id,
                                           store().scenario(scenario_id, lang()), lang(),
                                           request.args.get("place", "agency"))
    return scenario_id, report


def scenario_table() -> Table:
    return tables.scenario_nodes(*_scenario())


def competencies_table() -> Table:
    scenario_id, report = _scenario()
    return tables.competencies(scenario_id, report, {c: competency_label(c) for c in
                                                     ("safety", "rapport", "indicators", "referral")})


def _mastery_by() -> item_analysis.MasteryBy:
    value = request.args.get("by", "station")
    if value not in item_analysis.MasteryBy._value2member_map_:
        abort(404)
    return item_analysis.MasteryBy(value)


def mastery_table(page_number: int | None = None):
    """The whole table for a download; one page of it (and the page) for the screen."""
    labels = store().indicator_labels(lang())
    indicator = request.args.get("indicator") or None
    by = _mastery_by()
    limit = PER_PAGE if page_number is not None else None
    found, total = item_analysis.mastery(db.session, by, lang(), indicator, known=set(labels), limit=limit,
                                         offset=((page_number or 1) - 1) * PER_PAGE)
    by_label = {"agency": _("Agency"), "station": _("Duty station"), "cohort": _("Cohort")}[by.value]
    page = Page(found, total, page_number or 1, PER_PAGE)
    return tables.mastery(found, labels, by_label), page


def _audit_filter() -> audit_log.AuditFilter:
    return audit_log.AuditFilter(actor=request.args.get("actor", "")[:64], action=request.args.get("action", "")[:64],
                                 date_from=date_arg("from"), date_to=date_arg("to"))


def audit_table(page_number: int | None = None):
    page = audit_log.entries(db.session, _audit_filter(), page_number or request.args.get("page", 1, type=int),
                             PER_PAGE if page_number is not None else 10_000)
    return tables.audit(page, audit_label), page


REPORTS = {  # name -> (table builder, who may download it)
    "completion": (completion_table, "staff"), "trend": (trend_table, "staff"),
    "items": (items_table, "national"), "scenario": (scenario_table, "national"),
    "competencies": (competencies_table, "national"), "mastery": (lambda: mastery_table()[0], "national"),
    "audit": (lambda: audit_table()[0], "national"),
}


# --- pages ---------------------------------------------------------------------------------------------------------


def _filter_choices() -> dict:
    return {"agencies": [(a.id, a.display_name(lang())) for a in db.session.query(Agency).order_by(Agency.code)],
            "provinces": [(p.id, p.display_name(lang())) for p in db.session.query(Province).order_by(Province.name)],
            "kinds": [(k.value, label) for k, label in COHORT_KIND_LABELS.items()],
            "dimensions": dimension_labels()}


def _invalid(error: DomainError, template: str, **context):
    return render_template(template, error=error_message(error), **context), 400


@bp.route("/")
@staff_required
def dashboard():
    try:
        report = _dashboard()
    except DomainError as error:
        return _invalid(error, "coordinate/dashboard.html", choices=_filter_choices(), args=request.args,
                        national=national())
    by = dimension()
    return render_template("coordinate/dashboard.html", report=report,
                           table=tables.completion(report, dimension_labels()[by]), trend=tables.trend(report),
                           choices=_filter_choices(), args=request.args, national=national())


@bp.route("/items")
@coordinator_required
def items():
    if not request.args.get("quiz"):
        content = store().get()
        quizzes = [(q, str(store().quiz(q, lang()).title)) for m in content.ordered_modules() for q in m.assessments]
        return render_template("coordinate/items_index.html", quizzes=quizzes)
    return render_template("coordinate/items.html", table=items_table(), quiz=store().quiz(_quiz_id(), lang()),
                           args=request.args)


@bp.route("/scenarios")
@coordinator_required
def scenarios():
    if not request.args.get("scenario"):
        content = store().get()
        listed = [(s, str(store().scenario(s, lang()).title)) for m in content.ordered_modules() for s in m.scenarios]
        return render_template("coordinate/scenarios_index.html", scenarios=listed)
    try:
        scenario_id, report = _scenario()
    except DomainError as error:
        return _invalid(error, "coordinate/scenarios_index.html", scenarios=[])
    return render_template("coordinate/scenario.html", nodes=tables.scenario_nodes(scenario_id, report),
                           competencies=competencies_table(), report=report,
                           scenario=store().scenario(scenario_id, lang()), args=request.args)


@bp.route("/indicators")
@coordinator_required
def indicators():
    labels = store().indicator_labels(lang())
    try:
        table, page = mastery_table(max(1, request.args.get("page", 1, type=int)))
    except DomainError as error:
        return _invalid(error, "coordinate/indicators.html", labels=labels, args=request.args)
    return render_template("coordinate/indicators.html", table=table, page=page, labels=labels, args=request.args)


@bp.route("/audit")
@coordinator_required
def audit():
    try:
        table, page = audit_table(request.args.get("page", 1, type=int))
    except DomainError as error:
        return _invalid(error, "coordinate/audit.html", actions=audit_log.actions(db.session), args=request.args)
    return render_template("coordinate/audit.html", table=table, page=page, actions=audit_log.actions(db.session),
                           args=request.args, audit_label=audit_label)


# --- downloads and charts ------------------------------------------------------------------------------------------


@bp.route("/export/<report>.<any(csv,xlsx):fmt>")
@staff_required
def export(report: str, fmt: str):
    builder, who = REPORTS.get(report, (None, None))
    if builder is None:
        abort(404)
    if who == "national" and not national():
        abort(403)
    try:
        table = builder()
    except DomainError as error:
        return render_template("errors/error.html", status=400, title=_("Bad request"),
                               message=error_message(error)), 400
    name = file_name(table.name, utcnow(), fmt)
    if fmt == "csv":
        return Response(csv_stream(table), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    # A workbook is a zip, written whole (rows go to disk as they come, in openpyxl's write-only mode).
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        xlsx_file(table, path)
        with open(path, "rb") as workbook:
            data = workbook.read()
    finally:
        os.unlink(path)
    return send_file(io.BytesIO(data), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=name)


@bp.route("/charts/<any(completion,trend):chart>.svg")
@staff_required
# Shown with <img>, where scripts never run; the SVG's own styles are inline, so this response alone allows them.
@talisman(content_security_policy={"default-src": "'none'", "style-src": "'unsafe-inline'"})
def chart(chart: str):
    try:
        report = _dashboard()
    except DomainError:
        abort(400)
    if chart == "completion":
        rows = report.rows[:20]
        svg = charts.bar_chart(_("Completion rate by %(dimension)s", dimension=dimension_labels()[report.by].lower()),
                               [str(r.label) for r in rows], [r.completion_rate for r in rows], percent=True,
                               no_data_text=_("No data"))
    else:
        svg = charts.line_chart(_("Enrolled and completed by month"), report.months,
                                {_("Enrolled"): [report.enrolled_by_month.get(m, 0) for m in report.months],
                                 _("Completed"): [report.completed_by_month.get(m, 0) for m in report.months]},
                                no_data_text=_("No data"))
    return Response(svg, mimetype="image/svg+xml")


def export_links(report: str) -> dict[str, str]:
    args = request.args.to_dict()
    return {fmt: url_for("coordinate.export", report=report, fmt=fmt, **args) for fmt in ("csv", "xlsx")}


@bp.app_context_processor
def _helpers() -> dict:
    return {"export_links": export_links, "current_user_national": lambda: current_user.is_authenticated
            and current_user.has_role(Role.COORDINATOR, Role.ADMIN), "CohortKind": CohortKind}
