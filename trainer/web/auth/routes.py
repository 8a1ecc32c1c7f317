"""Signing in and out, and changing one's own password."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from trainer.errors import DomainError
from trainer.extensions import db, limiter
from trainer.services import accounts
from trainer.web.access import login_required, public
from trainer.web.auth.forms import ChangePasswordForm, LoginForm
from trainer.web.helpers import safe_next, show_error

bp = Blueprint("auth", __name__)


def _username_key() -> str:
    return "login-user:" + accounts.normalise_username(request.form.get("username", ""))[:64]


def _failed(response) -> bool:
    # Only failed sign-ins count towards the limits; a success redirects.
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"], key_func=_username_key, methods=["POST"],
               deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(db.session, form.username.data, form.password.data,
                                         current_app.config["SECRET_KEY"])
        except DomainError as error:
            show_error(error)
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()  # CSRFProtect has already checked the form's token
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(db.session, current_user, form.current_password.data, form.new_password.data,
                                     current_app.config["SECRET_KEY"])
        except DomainError as error:
            show_error(error, form)
        else:
            login_user(current_user._get_current_object())  # the session token changed; keep this device signed in
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)
