"""Route guards. Every view declares who may reach it; the access-matrix test reads the declaration.

Anonymous visitors to a guarded page are sent to the login page; signed-in people without the role get 403.
Object-level rules (a trainer sees only their own cohorts) live in the services.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from flask_login import login_required as _login_required

from trainer.extensions import login_manager
from trainer.models import Role

PUBLIC = "public"
SIGNED_IN = "signed-in"


def public(view: Callable) -> Callable:
    view.access = PUBLIC
    return view


def login_required(view: Callable) -> Callable:
    guarded = _login_required(view)
    guarded.access = SIGNED_IN
    return guarded


def roles_required(*roles: Role) -> Callable[[Callable], Callable]:
    """Allow people holding any of ``roles``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        guarded.access = frozenset(roles)
        return guarded

    return decorate


admin_required = roles_required(Role.ADMIN)
coordinator_required = roles_required(Role.COORDINATOR, Role.ADMIN)
trainer_required = roles_required(Role.TRAINER)
trainee_required = roles_required(Role.TRAINEE)
