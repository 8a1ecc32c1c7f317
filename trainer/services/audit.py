"""Writing the audit log. Entries join the caller's transaction, so an action and its record land together."""
from __future__ import annotations

from sqlalchemy.orm import Session

from trainer.models import AuditEntry


def record(
    session: Session,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int | None,
    details: dict | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
        ip_address=ip_address,
    )
    session.add(entry)
    return entry
