"""Password hashing with argon2id (the OWASP-recommended KDF), with cost set once from configuration."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_dummy: str | None = None


def configure(time_cost: int, memory_cost: int, parallelism: int) -> None:
    global _hasher, _dummy
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    _dummy = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


# Verified against when the username is unknown, so a wrong username costs the same time as a wrong
# password and does not reveal which accounts exist.
def dummy_hash() -> str:
    global _dummy
    if _dummy is None:
        _dummy = hash_password("not-a-real-password")
    return _dummy
