"""What the home page summarises for an administrator."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from trainer.models import Agency, AuditEntry, DutyStation, User


@dataclass(frozen=True)
class AdminOverview:
    active_users: int
    inactive_users: int
    agencies: int
    stations: int
    recent: list[AuditEntry]


def admin_overview(session: Session, recent: int = 8) -> AdminOverview:
    counts = dict(session.execute(select(User.active, func.count()).group_by(User.active)).all())
    return AdminOverview(
        active_users=counts.get(True, 0),
        inactive_users=counts.get(False, 0),
        agencies=session.scalar(select(func.count(Agency.id))) or 0,
        stations=session.scalar(select(func.count(DutyStation.id))) or 0,
        recent=list(session.scalars(select(AuditEntry).options(selectinload(AuditEntry.actor))
                                    .order_by(AuditEntry.id.desc()).limit(recent))),
    )


def database_reachable(session: Session) -> bool:
    """For the health check: can the app run a query right now?"""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
