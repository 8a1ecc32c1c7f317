"""People and their roles. A person may hold several roles (a trainer is also a trainee of a ToT cohort)."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, Timestamps
from trainer.models.org import Agency, DutyStation


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(Timestamps, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[Optional[str]] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_language: Mapped[Optional[str]] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The login session carries this token, not the id: rotating it (password change, deactivation)
    # signs the person out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"), index=True)
    duty_station_id: Mapped[Optional[int]] = mapped_column(ForeignKey("duty_station.id"), index=True)

    agency: Mapped[Optional[Agency]] = relationship(back_populates="users")
    duty_station: Mapped[Optional[DutyStation]] = relationship(back_populates="users")
    role_links: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        return {link.role for link in self.role_links}

    def set_roles(self, roles: set[Role]) -> None:
        keep = [link for link in self.role_links if link.role in roles]
        have = {link.role for link in keep}
        self.role_links = keep + [UserRole(role=role) for role in sorted(roles - have)]

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    # Flask-Login protocol, written out so models need no Flask import.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="role", native_enum=False, length=16, values_callable=lambda rs: [r.value for r in rs]),
        primary_key=True,
    )
    user: Mapped[User] = relationship(back_populates="role_links")
