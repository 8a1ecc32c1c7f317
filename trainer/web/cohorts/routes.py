"""Cohort list, creation and settings, the progress matrix and its CSV export, assignments, trainers, join code."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.models import Agency, CertificateMode, CohortKind, CohortStatus, DutyStation, Role
from trainer.services import cohort_reports, cohorts, completion
from trainer.services.cohorts import CohortData
from trainer.web.access import roles_required
from trainer.web.cohorts.common import bp, indicator_labels, lang, module_titles, today
from trainer.web.cohorts.forms import AssignmentForm, CohortForm, ConfirmForm, UsernameForm
from trainer.web.helpers import choices, show_error

staff_required = roles_required(Role.TRAINER, Role.COORDINATOR, Role.ADMIN)


def _fill_places(form: CohortForm) -> None:
    form.agency_id.choices = choices((a.id, a.display_name(lang())) for a in db.session.scalars(
        select(Agency).order_by(Agency.code)))
    form.duty_station_id.choices = choices([(None, _("Not set"))] + [
        (s.id, s.display_name(lang())) for s in db.session.scalars(select(DutyStation).order_by(DutyStation.name))])


def _data(form: CohortForm) -> CohortData:
    return CohortData(kind=CohortKind(form.kind.data), name=form.name.data, agency_id=form.agency_id.data,
                      duty_station_id=form.duty_station_id.data, start_on=form.start_on.data,
                      end_on=form.end_on.data, status=CohortStatus(form.status.data),
                      min_attendance=form.min_attendance.data or 0,
                      certificate_mode=CertificateMode(form.certificate_mode.data))


@bp.route("/")
@staff_required
def cohort_list():
    status = request.args.get("status")
    status = CohortStatus(status) if status in CohortStatus._value2member_map_ else None
    found = cohorts.visible_cohorts(db.session, current_user, status)
    counts = cohorts.enrolment_counts(db.session, [c.id for c in found])
    return render_template("cohorts/list.html", cohorts=found, counts=counts, status=status,
                           all_view=cohorts.sees_all(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def cohort_new():
    form = CohortForm()
    _fill_places(form)
    if not form.is_submitted() and current_user.agency_id:
        form.agency_id.data, form.duty_station_id.data = current_user.agency_id, current_user.duty_station_id
    if form.validate_on_submit():
        try:
            cohort = cohorts.create_cohort(db.session, current_user, _data(form))
        except DomainError as error:
            show_error(error, form)
        else:
            flash(_("Cohort created. Now assign modules and enrol trainees."), "success")
            return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None)


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def cohort_edit(cohort_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id, write=True)
    form = CohortForm(obj=cohort)
    _fill_places(form)
    if form.validate_on_submit():
        try:
            cohorts.update_cohort(db.session, current_user, cohort_id, _data(form))
        except DomainError as error:
            show_error(error, form)
        else:
            flash(_("Cohort saved."), "success")
            return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id))
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.route("/<int:cohort_id>")
@staff_required
def cohort_detail(cohort_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id)
    grid = completion.matrix(db.session, cohort, today())
    titles = module_titles()
    assign = AssignmentForm()
    assign.module_id.choices = choices(titles.items())
    weak = cohort_reports.weak_indicators(db.session, [row.user.id for row in grid.rows],
                                          set(grid.modules))
    return render_template("cohorts/detail.html", cohort=cohort, grid=grid, titles=titles, assign=assign,
                           confirm=ConfirmForm(), add_trainer=UsernameForm(prefix="trainer"),
                           can_edit=cohorts.trains(cohort, current_user), weak=weak[:8],
                           indicator_labels=indicator_labels())


@bp.route("/<int:cohort_id>/progress.csv")
@staff_required
def progress_csv(cohort_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id)
    grid = completion.matrix(db.session, cohort, today())
    data = cohort_reports.matrix_csv(grid)
    name = f"cohort-{cohort.id}-progress-{today().isoformat()}.csv"
    return Response(data, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:cohort_id>/assignments", methods=["POST"])
@roles_required(Role.TRAINER)
def assign(cohort_id: int):
    cohorts.get_cohort(db.session, current_user, cohort_id, write=True)  # 404 before reading the form
    form = AssignmentForm()
    form.module_id.choices = choices(module_titles().items())
    if form.validate_on_submit():
        try:
            cohorts.assign_module(db.session, current_user, cohort_id, form.module_id.data, form.due_on.data,
                                  set(module_titles()))
            flash(_("Module assigned."), "success")
        except DomainError as error:
            show_error(error)
    else:
        _flash_form_errors(form)
    return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="assignments"))


@bp.route("/<int:cohort_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles_required(Role.TRAINER)
def unassign(cohort_id: int, assignment_id: int):
    if ConfirmForm().validate_on_submit():
        cohorts.unassign_module(db.session, current_user, cohort_id, assignment_id)
        flash(_("Module removed from the cohort."), "success")
    return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="assignments"))


@bp.route("/<int:cohort_id>/trainers", methods=["POST"])
@roles_required(Role.TRAINER)
def add_trainer(cohort_id: int):
    cohorts.get_cohort(db.session, current_user, cohort_id, write=True)  # 404 before reading the form
    form = UsernameForm(prefix="trainer")
    if form.validate_on_submit():
        try:
            other = cohorts.add_trainer(db.session, current_user, cohort_id, form.username.data)
            flash(_("%(name)s now trains this cohort.", name=other.full_name), "success")
        except DomainError as error:
            show_error(error)
    else:
        _flash_form_errors(form)
    return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="trainers"))


@bp.route("/<int:cohort_id>/trainers/<int:user_id>/remove", methods=["POST"])
@roles_required(Role.TRAINER)
def remove_trainer(cohort_id: int, user_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            cohorts.remove_trainer(db.session, current_user, cohort_id, user_id)
            flash(_("Trainer removed from the cohort."), "success")
        except DomainError as error:
            show_error(error)
    return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="trainers"))


@bp.route("/<int:cohort_id>/join-code", methods=["POST"])
@roles_required(Role.TRAINER)
def join_code(cohort_id: int):
    if ConfirmForm().validate_on_submit():
        if request.form.get("action") == "disable":
            cohorts.disable_join_code(db.session, current_user, cohort_id)
            flash(_("The join code is disabled."), "success")
        else:
            code = cohorts.rotate_join_code(db.session, current_user, cohort_id)
            flash(_("New join code: %(code)s. The old code no longer works.", code=code), "success")
    return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="enrolment"))


def _flash_form_errors(form) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "error")
