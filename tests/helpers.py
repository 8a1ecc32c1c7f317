"""Helpers for tests that act like a browser: signing in, and posting forms with their CSRF token."""
from __future__ import annotations

import re

from sqlalchemy import select

from trainer.extensions import db
from trainer.models import User

CSRF_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def sign_in(client, username: str) -> None:
    """Mark the test client as signed in, the way Flask-Login's session would."""
    token = db.session.scalar(select(User.session_token).where(User.username == username))
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


def csrf_token(client, path: str = "/auth/login") -> str:
    match = CSRF_RE.search(client.get(path, follow_redirects=True).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
    """POST a form the way a browser does: with the CSRF token of a page the client has loaded."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, token_from or path)
    return client.post(path, data=data, **kwargs)


def text_of(response) -> str:
    return response.get_data(as_text=True)
