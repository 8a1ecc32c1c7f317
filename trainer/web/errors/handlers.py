"""Friendly, translated error pages. Nothing here touches the database beyond rolling back.

Unexpected exceptions reach the HTTPException handler as a 500 through Flask's own handler, which logs them
first (and, under TESTING, re-raises so tests see the real error)."""
from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from trainer.content.errors import ContentError
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.web.i18n import error_message

PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Check what you entered and try again.")),
    403: (_l("Access denied"), _l("Your account does not have permission to see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address. It may have moved.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too large"), _l("What you sent is larger than the limit. Send a smaller file.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a few minutes and try again.")),
    503: (_l("Course content unavailable"), _l("The course content has errors and cannot be shown until an "
                                                "administrator fixes them. Other pages still work.")),
    500: (_l("Something went wrong"), _l("An error on our side stopped this page. It has been logged; try "
                                         "again in a moment.")),
}
CSRF_MESSAGE = _l("This form has expired or was sent without its security token. Go back, reload the page and "
                  "send it again.")


def render_error(status: int, message=None):
    title, default_message = PAGES.get(status, PAGES[500] if status >= 500 else PAGES[400])
    return render_template("errors/error.html", status=status, title=title,
                           message=message or default_message), status


def handle_http_error(error: HTTPException):
    status = error.code or 500
    if status not in PAGES:
        return error
    if status >= 500:
        db.session.rollback()  # Flask has logged the original exception; leave the session usable
    return render_error(status)


def handle_csrf_error(error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def handle_content_error(error: ContentError):
    # Half a course is worse than none: refuse to serve it, and say why in the log for the operator.
    current_app.logger.error("content cannot be served:\n%s", error)
    return render_error(503)


def handle_domain_error(error: DomainError):
    # A service refused (not found, not allowed...) where the view did not handle it itself: say why.
    db.session.rollback()
    return render_error(error.status, error_message(error))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(ContentError, handle_content_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
