"""Domain errors raised by services and mapped to translated messages by the web layer.

Messages are English msgids marked with ``N_`` so ``flask translate extract`` picks them up; the web layer
translates them with the parameters at render time (services have no request and no locale).
"""
from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


class DomainError(Exception):
    message = N_("The request could not be completed.")
    status = 400

    def __init__(self, message: str | None = None, field: str | None = None, **params: object) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.field = field
        self.params = params


class NotFound(DomainError):
    message = N_("Not found.")
    status = 404


class PermissionDenied(DomainError):
    message = N_("You do not have permission to do that.")
    status = 403


class Conflict(DomainError):
    message = N_("That conflicts with existing data.")
    status = 409


class InvalidInput(DomainError):
    message = N_("The input is not valid.")
    status = 400


class AuthenticationFailed(DomainError):
    message = N_("Wrong username or password.")
    status = 401
