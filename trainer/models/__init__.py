"""Typed SQLAlchemy 2.0 models, one module per domain."""
from trainer.models.audit import AuditEntry
from trainer.models.base import Base
from trainer.models.org import Agency, DutyStation, Province, StationKind
from trainer.models.users import Role, User, UserRole

__all__ = ["AuditEntry", "Agency", "Base", "DutyStation", "Province", "Role", "StationKind", "User", "UserRole"]
