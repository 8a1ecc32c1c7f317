"""Issued certificates. The signed payload is stored as issued, so the PDF and the credential can be rebuilt
byte-for-byte later and editing a cohort or a name never rewrites a certificate."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Date, DateTime, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, utcnow
from trainer.models.cohorts import Cohort
from trainer.models.users import User


class CertificateKind(enum.StrEnum):
    COURSE = "course"
    TOT = "tot"


class Certificate(Base):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(16), unique=True)  # compact form, no hyphens
    kind: Mapped[CertificateKind] = mapped_column(
        Enum(CertificateKind, name="certificate_kind", native_enum=False, length=16,
             values_callable=lambda ks: [k.value for k in ks]))
    # One certificate per enrolment, whatever happens concurrently: the unique key makes issuing idempotent.
    enrolment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("enrolment.id", ondelete="SET NULL"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(160))
    language: Mapped[str] = mapped_column(String(16))
    completed_on: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    expires_on: Mapped[Optional[date]] = mapped_column(Date, index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    kid: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[Optional[str]] = mapped_column(Text)
    revoked_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    cohort: Mapped[Optional[Cohort]] = relationship()

    @property
    def bundle(self) -> dict:
        return {"payload": self.payload, "kid": self.kid, "signature": self.signature}
