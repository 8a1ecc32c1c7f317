"""Roster import: upload, a preview of what will happen (or every problem), then one all-or-nothing import;
and the one-time sign-in slips for accounts the import created."""
from __future__ import annotations

import base64
import binascii

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.exports import csv_bytes
from trainer.extensions import db
from trainer.imports.roster import template_csv_bytes
from trainer.models import Role
from trainer.services import activation, cohorts, enrolment
from trainer.web.access import roles_required
from trainer.web.cohorts.common import bp, today
from trainer.web.cohorts.forms import RosterConfirmForm, RosterForm
from trainer.web.helpers import show_error

PREVIEW_ROWS = 200


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


@bp.route("/roster-template.csv")
@roles_required(Role.TRAINER)
def roster_template():
    reference = enrolment.reference(db.session, _languages())
    return Response(template_csv_bytes(reference), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="roster-template.csv"'})


@bp.route("/<int:cohort_id>/roster", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def roster(cohort_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id, write=True)
    form, plan, confirm = RosterForm(), None, None
    if form.validate_on_submit():
        data = form.file.data.read()
        plan = enrolment.plan_roster(db.session, cohort, data, _languages())
        if plan.ok:
            confirm = RosterConfirmForm(roster=base64.b64encode(data).decode("ascii"), digest=plan.digest)
    return render_template("cohorts/roster.html", cohort=cohort, form=form, plan=plan, confirm=confirm,
                           preview_rows=PREVIEW_ROWS)


@bp.route("/<int:cohort_id>/roster/confirm", methods=["POST"])
@roles_required(Role.TRAINER)
def roster_confirm(cohort_id: int):
    cohorts.get_cohort(db.session, current_user, cohort_id, write=True)  # 404 before reading the form
    form = RosterConfirmForm()
    if form.validate_on_submit():
        try:
            data = base64.b64decode(form.roster.data or "", validate=True)
            outcome = enrolment.import_roster(db.session, current_user, cohort_id, data, _languages(),
                                              form.digest.data)
        except (binascii.Error, ValueError):
            flash(_("The preview could not be read back. Upload the file again."), "error")
        except DomainError as error:
            show_error(error)
        else:
            flash(_("Roster imported: %(created)d accounts created, %(enrolled)d existing accounts enrolled, "
                    "%(already)d already in the cohort.", **vars(outcome)), "success")
            if outcome.created:
                return redirect(url_for("cohorts.slips", cohort_id=cohort_id))
            return redirect(url_for("cohorts.cohort_detail", cohort_id=cohort_id, _anchor="progress"))
    return redirect(url_for("cohorts.roster", cohort_id=cohort_id))


@bp.route("/<int:cohort_id>/slips")
@roles_required(Role.TRAINER)
def slips(cohort_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id, write=True)
    issued = activation.slips(db.session, current_app.config["SECRET_KEY"], cohort.id)
    return render_template("cohorts/slips.html", cohort=cohort, slips=issued, valid_days=activation.VALID_FOR.days)


@bp.route("/<int:cohort_id>/slips.csv")
@roles_required(Role.TRAINER)
def slips_csv(cohort_id: int):
    cohort = cohorts.get_cohort(db.session, current_user, cohort_id, write=True)
    issued = activation.slips(db.session, current_app.config["SECRET_KEY"], cohort.id)
    data = csv_bytes(["full name", "username", "one-time code"],
                     [(user.full_name, user.username, code) for user, code in issued])
    name = f"cohort-{cohort.id}-sign-in-codes-{today().isoformat()}.csv"
    return Response(data, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
