"""Small helpers the blueprints share: where to go next, who is asking, and showing domain errors."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, request, url_for
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from trainer.errors import DomainError
from trainer.web.i18n import error_message


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    """``target`` if it stays on this site (a path, no scheme or host), else the default page."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for(default_endpoint)


def client_ip() -> str | None:
    return request.remote_addr


def show_error(error: DomainError, form: FlaskForm | None = None) -> None:
    """Attach the error to its form field when there is one, else flash it."""
    message = error_message(error)
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs; a None value becomes the empty option."""
    return [SelectChoice("" if value is None else str(value), label) for value, label in pairs]
