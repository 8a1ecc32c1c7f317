"""Signing in and changing one's own password."""
from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer import passwords
from trainer.errors import N_, AuthenticationFailed, InvalidInput
from trainer.models import User
from trainer.models.base import utcnow
from trainer.models.users import new_session_token
from trainer.services import activation
from trainer.services.tx import transaction

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
# Passwords seen first in breach lists; enough to stop the obvious ones without a network lookup.
COMMON_PASSWORDS = frozenset(
    {"1234567890", "12345678910", "0123456789", "qwertyuiop", "password12", "password123", "passw0rd12",
     "1q2w3e4r5t", "qwerty1234", "1111111111", "abcdefghij", "iloveyou12", "administrator", "mongolia123"}
)
# Unambiguous characters for passwords that are read off paper (no 0/O, 1/I/L).
TEMP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def find_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == normalise_username(username)))


def find_by_session_token(session: Session, token: str) -> User | None:
    if not token:
        return None
    return session.scalar(select(User).where(User.session_token == token))


def check_password_policy(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(N_("The password must be at least %(n)d characters long."), field="password",
                           n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(N_("The password must be at most %(n)d characters long."), field="password",
                           n=MAX_PASSWORD_LENGTH)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4 or lowered == normalise_username(username):
        raise InvalidInput(N_("This password is too easy to guess. Choose a longer phrase."), field="password")


def temporary_password() -> str:
    groups = ("".join(secrets.choice(TEMP_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def _password_or_code(session: Session, user: User, password: str, activation_secret: str | bytes | None) -> bool:
    if passwords.verify_password(user.password_hash, password):
        return True
    return activation_secret is not None and activation.matches(session, activation_secret, user, password)


def authenticate(session: Session, username: str, password: str,
                 activation_secret: str | bytes | None = None) -> User:
    """The active user with these credentials (or, for an account made from a roster, its one-time code), or
    AuthenticationFailed (same message for any reason)."""
    user = find_by_username(session, username)
    if user is None:
        passwords.verify_password(passwords.dummy_hash(), password)
        raise AuthenticationFailed()
    if not _password_or_code(session, user, password, activation_secret):
        raise AuthenticationFailed()
    if not user.active:
        raise AuthenticationFailed(N_("This account has been deactivated. Ask your administrator."))
    with transaction(session):
        user.last_login_at = utcnow()
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
    return user


def change_password(session: Session, user: User, current: str, new: str,
                    activation_secret: str | bytes | None = None) -> None:
    """Change one's own password; every other session of this user is signed out. A one-time code from a
    roster counts as the current password, once."""
    if not _password_or_code(session, user, current, activation_secret):
        raise InvalidInput(N_("The current password is not correct."), field="current_password")
    if secrets.compare_digest(current.encode(), new.encode()):
        raise InvalidInput(N_("The new password must differ from the current one."), field="new_password")
    check_password_policy(new, user.username)
    with transaction(session):
        user.password_hash = passwords.hash_password(new)
        user.must_change_password = False
        user.session_token = new_session_token()
        activation.complete(session, user)


def set_language(session: Session, user: User, language: str | None) -> None:
    with transaction(session):
        user.preferred_language = language
