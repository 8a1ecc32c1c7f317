"""The cascade tree (coordinators: all of it; trainers: their own subtree) and promoting ToT graduates."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.services import cascade
from trainer.web.access import coordinator_required
from trainer.web.cohorts.common import bp
from trainer.web.cohorts.forms import ConfirmForm
from trainer.web.cohorts.routes import staff_required
from trainer.web.helpers import show_error


@bp.route("/cascade")
@staff_required
def cascade_tree():
    tree = cascade.build(db.session, current_user)
    return render_template("cohorts/cascade.html", tree=tree)


@bp.route("/graduates")
@coordinator_required
def graduates():
    return render_template("cohorts/graduates.html", graduates=cascade.graduates(db.session), confirm=ConfirmForm())


@bp.route("/graduates/<int:user_id>/promote", methods=["POST"])
@coordinator_required
def promote(user_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            cohort_id = int(request.form.get("cohort_id", ""))
            cascade.promote(db.session, current_user, user_id, cohort_id)
        except ValueError:
            flash(_("Choose the cohort the person completed."), "error")
        except DomainError as error:
            show_error(error)
        else:
            flash(_("Promoted to trainer. The cohorts this person runs will appear under their ToT cohort."),
                  "success")
    return redirect(url_for("cohorts.graduates"))
