"""Joining a cohort with the code a trainer gives out."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db, limiter
from trainer.services import enrolment
from trainer.web.access import login_required
from trainer.web.cohorts.forms import JoinForm
from trainer.web.helpers import show_error
from trainer.web.learn.common import bp


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/join", methods=["GET", "POST"])
@login_required
# Codes are short enough to guess by brute force without a limit.
@limiter.limit(lambda: current_app.config["JOIN_LIMIT"], methods=["POST"], deduct_when=_failed)
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            cohort = enrolment.join_by_code(db.session, current_user, form.code.data)
        except DomainError as error:
            show_error(error, form)
        else:
            flash(_("Welcome to %(name)s. Your assigned modules are listed below.", name=cohort.name), "success")
            return redirect(url_for("learn.my_training"))
    return render_template("learn/join.html", form=form)
