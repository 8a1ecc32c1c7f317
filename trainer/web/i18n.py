"""Choosing the reader's language and naming languages, both from CLDR via Babel."""
from __future__ import annotations

from babel import Locale
from flask import current_app, request
from flask_babel import gettext
from flask_login import current_user

from trainer.errors import DomainError


def offered_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """The user's setting, then the language cookie, then Accept-Language, then the default."""
    offered = offered_languages()
    if current_user and current_user.is_authenticated and current_user.preferred_language in offered:
        return current_user.preferred_language
    cookie = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if cookie in offered:
        return cookie
    return request.accept_languages.best_match(offered) or current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code: str) -> str:
    """A language's own name for itself (an endonym), as people look for their language that way."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in offered_languages()]


def error_message(error: DomainError) -> str:
    """A domain error's message in the reader's language."""
    return gettext(error.message, **error.params)
