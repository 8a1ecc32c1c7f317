"""Pages every signed-in person shares: home, profile, language; plus the health check."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.extensions import db
from trainer.models import Role
from trainer.services import accounts, overview
from trainer.web.access import login_required, public
from trainer.web.helpers import choices, safe_next
from trainer.web.i18n import language_choices, offered_languages
from trainer.web.main.forms import LanguageSwitchForm, ProfileForm

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    admin = overview.admin_overview(db.session) if current_user.has_role(Role.ADMIN) else None
    return render_template("main/home.html", admin=admin)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageSwitchForm()
    target = safe_next(form.next.data)
    lang = form.lang.data or ""
    if not form.validate() or lang not in offered_languages():
        flash(_("That language is not available. Choose one of the languages listed."), "error")
        return redirect(target)
    response = redirect(target)
    response.set_cookie(current_app.config["LANGUAGE_COOKIE"], lang, max_age=365 * 24 * 3600, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    if current_user.is_authenticated:
        accounts.set_language(db.session, current_user, lang)
    return response


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(preferred_language=current_user.preferred_language or "")
    form.preferred_language.choices = choices([("", _("As my browser asks"))] + language_choices())
    if form.validate_on_submit():
        accounts.set_language(db.session, current_user, form.preferred_language.data or None)
        flash(_("Your settings have been saved."), "success")
        return redirect(url_for("main.profile"))
    return render_template("main/profile.html", form=form)


@bp.route("/healthz")
@public
def healthz():
    """For the reverse proxy and monitoring: is the app up and can it reach its database?"""
    if not overview.database_reachable(db.session):
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
