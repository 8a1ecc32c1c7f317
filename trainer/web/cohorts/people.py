"""Trainees of a cohort: add by username, remove, move to another cohort, and one trainee's progress."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.models import Role
from trainer.services import certificates, cohort_reports, cohorts, completion, enrolment
from trainer.web.access import roles_required
from trainer.web.cohorts.common import bp, indicator_labels, module_titles, today
from trainer.web.cohorts.forms import ConfirmForm, MoveForm, UsernameForm
from trainer.web.cohorts.routes import staff_required
from trainer.web.helpers import choices, show_error


@bp.route("/<int:cohort_id>/trainees", methods=["POST"])
@roles_required(Role.TRAINER)
def add_trainee(cohort_id: int):
    cohorts.get_cohort(db.session, current_user, cohort_id, write=True)  # 404 before reading the form
    form = UsernameForm()
    if form.validate_on_submit():
        try:
            user = enrolment.add_by_username(db.session, current_user, cohort_id, form.username.data)
            flash(_("%(name)s is now in this cohort.", name=user.full_name), "success")
        except DomainError as error:
            show_error(error)
    return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="enrolment"))


@bp.route("/<int:cohort_id>/trainees/<int:user_id>")
@staff_required
def trainee(cohort_id: int, user_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id)
    enrolled = enrolment.get_enrolment(db.session, cohort, user_id)
    grid = completion.matrix(db.session, cohort, today(), [user_id])
    detail = cohort_reports.trainee_detail(db.session, user_id, grid.modules)
    move = MoveForm()
    move.target.choices = choices((c.id, c.name) for c in cohorts.visible_cohorts(db.session, current_user)
                                  if c.id != cohort.id and cohorts.trains(c, current_user))
    return render_template("cohorts/trainee.html", cohort=cohort, row=grid.rows[0], grid=grid, detail=detail,
                           titles=module_titles(), move=move, indicator_labels=indicator_labels(),
                           confirm=ConfirmForm(),
                           can_edit=cohorts.trains(cohort, current_user),
                           certificate=certificates.for_enrolment(db.session, enrolled.id))


@bp.route("/<int:cohort_id>/trainees/<int:user_id>/remove", methods=["POST"])
@roles_required(Role.TRAINER)
def remove_trainee(cohort_id: int, user_id: int):
    if ConfirmForm().validate_on_submit():
        enrolment.remove(db.session, current_user, cohort_id, user_id)
        flash(_("Trainee removed from the cohort. Their work is kept."), "success")
    return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="progress"))


@bp.route("/<int:cohort_id>/trainees/<int:user_id>/move", methods=["POST"])
@roles_required(Role.TRAINER)
def move_trainee(cohort_id: int, user_id: int):
    cohorts.get_cohort(db.session, current_user, cohort_id, write=True)  # 404 before reading the form
    form = MoveForm()
    form.target.choices = choices((c.id, c.name) for c in cohorts.visible_cohorts(db.session, current_user)
                                  if cohorts.trains(c, current_user))
    if form.validate_on_submit():
        try:
            target = enrolment.move(db.session, current_user, cohort_id, user_id, form.target.data, today())
        except DomainError as error:
            show_error(error)
        else:
            flash(_("Moved to %(name)s. Their attempts and progress moved with them.", name=target.name), "success")
            return redirect(url_for("cohorts.cohort_detail", cohort_id=target.id, _anchor="progress"))
    return redirect(url_for("cohorts.trainee", cohort_id=cohort_id, user_id=user_id))
