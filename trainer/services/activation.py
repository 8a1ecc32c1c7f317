"""One-time sign-in codes for accounts created from a roster (many officers have no email).

The code is an HMAC of the account's pending-activation nonce under the app's secret, so nothing secret is
stored and the trainer can print the slips again until the person signs in; the first password change deletes
the pending row, which kills the code. Checking a code is cheap, so importing thousands of accounts does not
run thousands of password hashes.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.models import Enrolment, PendingActivation, User
from trainer.models.base import as_utc, utcnow

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # read off paper: no 0/O, 1/I/L
CODE_LENGTH = 12
VALID_FOR = timedelta(days=60)
# An unusable password hash (argon2 rejects it): until activation, only the code signs the person in.
NO_PASSWORD = "!activation-pending"


def new_nonce() -> str:
    return secrets.token_hex(16)


def code_for(secret: str | bytes, user_id: int, nonce: str) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"activation:{user_id}:{nonce}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    symbols = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    code = "".join(symbols)
    return "-".join(code[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def pending(session: Session, user_id: int) -> PendingActivation | None:
    return session.get(PendingActivation, user_id)


def matches(session: Session, secret: str | bytes, user: User, code: str) -> bool:
    """Whether ``code`` is the person's valid one-time code."""
    row = pending(session, user.id)
    if row is None or as_utc(row.issued_at) + VALID_FOR < utcnow():
        return False
    expected = _normalise(code_for(secret, user.id, row.nonce))
    return hmac.compare_digest(expected.encode(), _normalise(code).encode())


def issue(session: Session, user: User, cohort_id: int | None) -> PendingActivation:
    """Within the caller's transaction: a fresh code for ``user`` (any earlier one stops working)."""
    row = pending(session, user.id)
    if row is None:
        row = PendingActivation(user_id=user.id, nonce=new_nonce(), cohort_id=cohort_id)
        session.add(row)
    else:
        row.nonce, row.issued_at = new_nonce(), utcnow()
    user.must_change_password = True
    return row


def complete(session: Session, user: User) -> None:
    """Within the caller's transaction: the person has chosen a password; the code dies."""
    row = pending(session, user.id)
    if row is not None:
        session.delete(row)


def slips(session: Session, secret: str | bytes, cohort_id: int) -> list[tuple[User, str]]:
    """Every enrolled trainee of the cohort who has not signed in yet, with their code, by name."""
    rows = session.execute(
        select(User, PendingActivation.nonce)
        .join(PendingActivation, PendingActivation.user_id == User.id)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.cohort_id == cohort_id)
        .order_by(User.full_name, User.id))
    return [(user, code_for(secret, user.id, nonce)) for user, nonce in rows]
