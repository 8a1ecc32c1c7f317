"""Reading the audit log: who did what, when, filtered by actor, action and date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.errors import N_, InvalidInput
from trainer.models import AuditEntry, User
from trainer.services.tx import Page, paginate


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of a username or full name
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def entries(session: Session, flt: AuditFilter, page: int, per_page: int) -> Page[AuditEntry]:
    if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
        raise InvalidInput(N_("The end date is before the start date."), field="date_to")
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if flt.actor.strip():
        like = f"%{flt.actor.strip().lower()}%"
        query = query.where(AuditEntry.actor_id.in_(select(User.id).where(
            (func.lower(User.username).like(like)) | (func.lower(User.full_name).like(like)))))
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.date_from:
        query = query.where(AuditEntry.created_at >= datetime.combine(flt.date_from, time(), tzinfo=timezone.utc))
    if flt.date_to:
        end = datetime.combine(flt.date_to + timedelta(days=1), time(), tzinfo=timezone.utc)
        query = query.where(AuditEntry.created_at < end)
    return paginate(session, query, page, per_page)
