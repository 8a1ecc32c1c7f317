"""trainer: training for border and immigration officers. ``create_app`` builds the Flask application."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from trainer import config as config_module
from trainer import passwords
from trainer.cli import register_cli
from trainer.content.store import ContentStore
from trainer.extensions import babel, csrf, db, limiter, login_manager, migrate, talisman
from trainer.web import register_web
from trainer.web.i18n import select_locale

MIGRATIONS = str(Path(__file__).parent / "migrations")

# No inline script or style anywhere: every asset is a file under /static.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(config: type | dict | None = None) -> Flask:
    """Build the app. Only configures and registers: no database work, no network, no prompts."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(config_module.ROOT / "templates"))
    app.config.from_mapping(config_module.load(app.instance_path, config))
    os.makedirs(app.instance_path, exist_ok=True)
    register_extensions(app)
    register_web(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the reverse proxy
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        x_content_type_options=True,
    )
    passwords.configure(app.config["PASSWORD_HASH_TIME_COST"], app.config["PASSWORD_HASH_MEMORY_COST"],
                        app.config["PASSWORD_HASH_PARALLELISM"])
    # The content cache is created empty; the first request that needs content loads it.
    app.extensions["content"] = ContentStore(Path(app.config["CONTENT_FOLDER"]),
                                             Path(app.config["CONTENT_TRANSLATIONS"]),
                                             auto_reload=app.config["CONTENT_AUTO_RELOAD"],
                                             language_overrides=app.config["MODULE_LANGUAGES"])
    if app.config["TRUSTED_PROXY_HOPS"]:
        hops = app.config["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
