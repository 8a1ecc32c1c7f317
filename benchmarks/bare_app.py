"""Baseline for the HTTP benchmark: Flask rendering one template, nothing else.

No database, no extensions, no session: whatever the real app costs above this page is the price of
its own machinery. Served by gunicorn with the same settings as the app (``bare_app:create_app()``
with ``--chdir benchmarks``).
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, request

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGES = (("en", "English"), ("mn", "Монгол"), ("ru", "Русский"))


def create_app() -> Flask:
    app = Flask(__name__, template_folder=str(TEMPLATES))

    @app.get("/")
    def page() -> str:
        # A few variables and a loop, like the login page, so Jinja does comparable work.
        return render_template("bare.html", lang="en", title="Sign in", site_name="Border Officer Training",
                               asset_version="0.1.0", path=request.path, languages=LANGUAGES)

    return app
