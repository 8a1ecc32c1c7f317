"""In-person sessions and the attendance sheet (radio buttons per trainee; fits a phone, needs no script)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.models import AttendanceStatus, Role
from trainer.services import attendance, cohorts
from trainer.web.access import roles_required
from trainer.web.cohorts.common import bp, today
from trainer.web.cohorts.forms import ConfirmForm, SessionForm
from trainer.web.cohorts.routes import staff_required
from trainer.web.helpers import show_error


@bp.route("/<int:cohort_id>/sessions", methods=["GET", "POST"])
@staff_required
def session_list(cohort_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            attendance.plan_session(db.session, current_user, cohort_id, form.held_on.data, form.topic.data,
                                    form.place.data)
        except DomainError as error:
            show_error(error, form)
        else:
            flash(_("Session added."), "success")
            return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))
    return render_template("cohorts/sessions.html", cohort=cohort, form=form, confirm=ConfirmForm(),
                           can_edit=cohorts.trains(cohort, current_user), today=today())


@bp.route("/<int:cohort_id>/sessions/<int:session_id>/delete", methods=["POST"])
@roles_required(Role.TRAINER)
def session_delete(cohort_id: int, session_id: int):
    if ConfirmForm().validate_on_submit():
        attendance.delete_session(db.session, current_user, cohort_id, session_id, today())
        flash(_("Session deleted."), "success")
    return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))


@bp.route("/<int:cohort_id>/sessions/<int:session_id>", methods=["GET", "POST"])
@staff_required
def attendance_sheet(cohort_id: int, session_id: int):
    cohort, planned = attendance.get_session(db.session, current_user, cohort_id, session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        marks, unreadable = _marks()
        try:
            if unreadable:
                flash(_("Mark every trainee: present, absent or excused."), "error")
            else:
                attendance.record(db.session, current_user, cohort_id, session_id, marks, today())
                flash(_("Attendance saved."), "success")
                return redirect(url_for("cohorts.session_list", cohort_id=cohort_id))
        except DomainError as error:
            show_error(error)
    sheet = attendance.sheet(db.session, cohort, planned)
    posted = {user.id: request.form.get(f"mark-{user.id}") for user, _status in sheet} if form.is_submitted() else {}
    return render_template("cohorts/attendance.html", cohort=cohort, planned=planned, sheet=sheet, form=form,
                           posted=posted, can_edit=cohorts.trains(cohort, current_user),
                           statuses=list(AttendanceStatus), open=planned.held_on <= today())


def _marks() -> tuple[dict[int, AttendanceStatus], bool]:
    marks, unreadable = {}, False
    for key, value in request.form.items():
        if not key.startswith("mark-"):
            continue
        try:
            marks[int(key[5:])] = AttendanceStatus(value)
        except ValueError:
            unreadable = True
    return marks, unreadable
