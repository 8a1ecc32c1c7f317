"""Administering accounts: list, create, edit, deactivate, reset a password. Every change is audited."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from trainer import passwords
from trainer.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.models import Agency, DutyStation, Role, User, UserRole
from trainer.models.users import new_session_token
from trainer.services import audit
from trainer.services.accounts import check_password_policy, normalise_username, temporary_password
from trainer.services.tx import Page, paginate, transaction

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass
class UserData:
    username: str
    full_name: str
    email: str | None = None
    roles: set[Role] = field(default_factory=lambda: {Role.TRAINEE})
    agency_id: int | None = None
    duty_station_id: int | None = None
    preferred_language: str | None = None
    active: bool = True


@dataclass(frozen=True)
class UserFilter:
    text: str = ""
    role: Role | None = None
    agency_id: int | None = None
    active: bool | None = None


def list_users(session: Session, flt: UserFilter, page: int, per_page: int) -> Page[User]:
    query = select(User).order_by(func.lower(User.full_name), User.id)
    if flt.text:
        like = f"%{flt.text.strip().lower()}%"
        query = query.where(or_(func.lower(User.username).like(like), func.lower(User.full_name).like(like),
                                func.lower(User.email).like(like)))
    if flt.role is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == flt.role)))
    if flt.agency_id is not None:
        query = query.where(User.agency_id == flt.agency_id)
    if flt.active is not None:
        query = query.where(User.active.is_(flt.active))
    return paginate(session, query, page, per_page)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such user."))
    return user


def _clean(session: Session, data: UserData, user_id: int | None) -> UserData:
    data.username = normalise_username(data.username)
    data.full_name = " ".join((data.full_name or "").split())
    data.email = (data.email or "").strip().lower() or None
    if not USERNAME_RE.match(data.username):
        raise InvalidInput(N_("A username is 2 to 64 lowercase letters, digits, dots, dashes or underscores."),
                           field="username")
    if not data.full_name:
        raise InvalidInput(N_("The full name is required."), field="full_name")
    if not data.roles:
        raise InvalidInput(N_("Choose at least one role."), field="roles")
    clash = select(User.id).where(func.lower(User.username) == data.username)
    if user_id is not None:
        clash = clash.where(User.id != user_id)
    if session.scalar(clash) is not None:
        raise Conflict(N_("The username %(username)s is already taken."), field="username", username=data.username)
    if data.email:
        clash = select(User.id).where(func.lower(User.email) == data.email)
        if user_id is not None:
            clash = clash.where(User.id != user_id)
        if session.scalar(clash) is not None:
            raise Conflict(N_("Another account already uses this email address."), field="email")
    if data.agency_id is not None and session.get(Agency, data.agency_id) is None:
        raise InvalidInput(N_("No such agency."), field="agency_id")
    if data.duty_station_id is not None and session.get(DutyStation, data.duty_station_id) is None:
        raise InvalidInput(N_("No such duty station."), field="duty_station_id")
    return data


def _apply(user: User, data: UserData) -> dict:
    """Copy data onto the user; return the changed fields as {field: [old, new]} for the audit log."""
    changes: dict = {}
    for name in ("username", "full_name", "email", "agency_id", "duty_station_id", "preferred_language",
                 "active"):
        old, new = getattr(user, name), getattr(data, name)
        if old != new:
            changes[name] = [old, new]
            setattr(user, name, new)
    if user.roles != data.roles:
        changes["roles"] = [sorted(user.roles), sorted(data.roles)]
        user.set_roles(data.roles)
    return changes


def create_user(
    session: Session,
    actor_id: int | None,
    data: UserData,
    password: str | None = None,
    ip_address: str | None = None,
) -> tuple[User, str]:
    """Create an account. Without a password, a temporary one is made and must be changed at first login.

    Returns the user and the password to hand over (shown once, never stored in clear)."""
    data = _clean(session, data, None)
    if password is None:
        password, must_change = temporary_password(), True
    else:
        check_password_policy(password, data.username)
        must_change = actor_id is not None  # someone else chose it: the owner replaces it
    with transaction(session):
        user = User(username=data.username, full_name=data.full_name, password_hash=passwords.hash_password(password),
                    must_change_password=must_change)
        _apply(user, data)
        session.add(user)
        session.flush()
        audit.record(session, actor_id, "user.create", "user", user.id,
                     {"username": user.username, "roles": sorted(data.roles)}, ip_address)
    return user, password


def update_user(session: Session, actor_id: int, user_id: int, data: UserData,
                ip_address: str | None = None) -> User:
    user = get_user(session, user_id)
    data = _clean(session, data, user_id)
    if user_id == actor_id:
        if Role.ADMIN not in data.roles:
            raise PermissionDenied(N_("You cannot remove your own administrator role."), field="roles")
        if not data.active:
            raise PermissionDenied(N_("You cannot deactivate your own account."), field="active")
    with transaction(session):
        changes = _apply(user, data)
        if "active" in changes and not user.active:
            user.session_token = new_session_token()
        if changes:
            audit.record(session, actor_id, "user.update", "user", user.id, changes, ip_address)
    return user


def set_active(session: Session, actor_id: int, user_id: int, active: bool, ip_address: str | None = None) -> User:
    user = get_user(session, user_id)
    if user_id == actor_id and not active:
        raise PermissionDenied(N_("You cannot deactivate your own account."))
    if user.active == active:
        return user
    with transaction(session):
        user.active = active
        if not active:
            user.session_token = new_session_token()  # signs them out at once
        audit.record(session, actor_id, "user.activate" if active else "user.deactivate", "user", user.id,
                     {"username": user.username}, ip_address)
    return user


def reset_password(session: Session, actor_id: int, user_id: int, ip_address: str | None = None) -> tuple[User, str]:
    user = get_user(session, user_id)
    password = temporary_password()
    with transaction(session):
        user.password_hash = passwords.hash_password(password)
        user.must_change_password = True
        user.session_token = new_session_token()
        audit.record(session, actor_id, "user.reset_password", "user", user.id, {"username": user.username},
                     ip_address)
    return user, password
