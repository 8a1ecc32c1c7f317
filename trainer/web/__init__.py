"""The web layer: blueprints grouped by who uses them, plus the hooks every page shares."""
from __future__ import annotations

from flask import Flask, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from trainer.content import markdown
from trainer.extensions import db, login_manager
from trainer.models import Role
from trainer.services import accounts
from trainer.web.admin import translations as _admin_translations  # noqa: F401  (registers its view)
from trainer.web.admin.routes import bp as admin_bp
from trainer.web.auth.routes import bp as auth_bp
from trainer.web.certificates import bp as certificates_bp
from trainer.web.cohorts import bp as cohorts_bp
from trainer.web.coordinate import bp as coordinate_bp
from trainer.web.errors.handlers import register_error_handlers
from trainer.web.i18n import language_choices
from trainer.web.labels import TEMPLATE_HELPERS
from trainer.web.learn import bp as learn_bp
from trainer.web.main.routes import bp as main_bp
from trainer.web.tools.routes import bp as tools_bp
from trainer.web.verify import bp as verify_bp

# Pages a person who must replace a temporary password may still reach.
OPEN_DURING_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "main.set_language", "static", "verify.check",
                               "verify.keys", "verify.revocations", "verify.issuer_profile",
                               "main.healthz"}


def register_web(app: Flask) -> None:
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(learn_bp, url_prefix="/learn")
    app.register_blueprint(cohorts_bp, url_prefix="/cohorts")
    app.register_blueprint(certificates_bp, url_prefix="/certificates")
    app.register_blueprint(verify_bp, url_prefix="/verify")
    app.register_blueprint(coordinate_bp, url_prefix="/coordinate")
    app.register_blueprint(tools_bp, url_prefix="/tools")
    register_error_handlers(app)
    configure_login(app)
    app.before_request(require_password_change)
    app.context_processor(template_globals)
    app.add_template_filter(render_markdown, "markdown")


def configure_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(lambda token: accounts.find_by_session_token(db.session, token))


def require_password_change():
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in OPEN_DURING_PASSWORD_CHANGE):
        flash(_l("Choose a new password before you continue."), "info")
        return redirect(url_for("auth.change_password"))
    return None


def render_markdown(text: str | None) -> Markup:
    """Short content Markdown (question stems, feedback), rendered and sanitised."""
    return Markup(markdown.render(text or ""))


def template_globals() -> dict:
    return {"language_choices": language_choices(), "Role": Role, "get_locale": get_locale,
            "asset_version": current_app.config["ASSET_VERSION"], **TEMPLATE_HELPERS}

