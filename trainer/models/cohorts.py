"""Cohorts and the trainer cascade: who trains whom, on which modules, when, and who attended.

A cohort's ``parent`` is the ToT cohort that trained its lead trainer, so cohorts form a tree from the master
trainers' cohorts down to front-line courses. Completion lives on the enrolment; it is computed by
``trainer.services.completion`` only.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, Timestamps, utcnow
from trainer.models.learning import CONTENT_ID
from trainer.models.org import Agency, DutyStation
from trainer.models.users import User


def _enum(kind: type[enum.StrEnum], name: str, length: int = 16) -> Enum:
    return Enum(kind, name=name, native_enum=False, length=length, values_callable=lambda vs: [v.value for v in vs])


class CohortKind(enum.StrEnum):
    TOT = "tot"
    COURSE = "course"


class CohortStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class CertificateMode(enum.StrEnum):
    AUTOMATIC = "automatic"
    APPROVAL = "approval"


class EnrolmentSource(enum.StrEnum):
    ROSTER = "roster"
    JOIN_CODE = "join_code"
    MANUAL = "manual"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Cohort(Timestamps, Base):
    __tablename__ = "cohort"
    __table_args__ = (
        CheckConstraint("min_attendance >= 0 AND min_attendance <= 100", name="min_attendance_percent"),
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CohortKind] = mapped_column(_enum(CohortKind, "cohort_kind"))
    name: Mapped[str] = mapped_column(String(160))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    duty_station_id: Mapped[Optional[int]] = mapped_column(ForeignKey("duty_station.id"), index=True)
    start_on: Mapped[Optional[date]] = mapped_column(Date)
    end_on: Mapped[Optional[date]] = mapped_column(Date)
    status: Mapped[CohortStatus] = mapped_column(_enum(CohortStatus, "cohort_status"), default=CohortStatus.PLANNED)
    min_attendance: Mapped[int] = mapped_column(Integer, default=0)  # percent of sessions, 0 = none required
    certificate_mode: Mapped[CertificateMode] = mapped_column(
        _enum(CertificateMode, "certificate_mode"), default=CertificateMode.AUTOMATIC)
    # How long its certificates stay valid; None: they do not expire.
    validity_months: Mapped[Optional[int]] = mapped_column(Integer)
    # The ToT cohort that trained the lead trainer; None for the master trainers' own cohorts.
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cohort.id"), index=True)
    join_code: Mapped[Optional[str]] = mapped_column(String(16), unique=True)
    join_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    agency: Mapped[Agency] = relationship()
    duty_station: Mapped[Optional[DutyStation]] = relationship()
    parent: Mapped[Optional["Cohort"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Cohort"]] = relationship(back_populates="parent")
    trainer_links: Mapped[list["CohortTrainer"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortTrainer.position")
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="Assignment.position")
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="cohort", cascade="all, delete-orphan")
    sessions: Mapped[list["TrainingSession"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="TrainingSession.held_on")

    @property
    def trainers(self) -> list[User]:
        return [link.user for link in self.trainer_links]


class CohortTrainer(Base):
    __tablename__ = "cohort_trainer"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0 = the lead trainer

    cohort: Mapped[Cohort] = relationship(back_populates="trainer_links")
    user: Mapped[User] = relationship(lazy="joined")


class Assignment(Base):
    __tablename__ = "cohort_assignment"
    __table_args__ = (UniqueConstraint("cohort_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(CONTENT_ID))
    due_on: Mapped[Optional[date]] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)

    cohort: Mapped[Cohort] = relationship(back_populates="assignments")


class Enrolment(Base):
    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    source: Mapped[EnrolmentSource] = mapped_column(_enum(EnrolmentSource, "enrolment_source"))
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Where the person worked when enrolled: reports count the training where it was delivered.
    agency_id: Mapped[Optional[int]] = mapped_column(Integer)
    duty_station_id: Mapped[Optional[int]] = mapped_column(Integer)
    # Set by a trainer when the cohort's certificate mode asks for approval.
    approved_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class TrainingSession(Base):
    """A planned in-person session of a cohort (not a login session)."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200), default="")

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")
    attendance: Mapped[list["Attendance"]] = relationship(back_populates="session", cascade="all, delete-orphan")


class Attendance(Base):
    __tablename__ = "attendance"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus, "attendance_status"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session: Mapped[TrainingSession] = relationship(back_populates="attendance")


class TrainerQualification(Base):
    """A coordinator's promotion of a ToT graduate to trainer: the link from a trainer to the cohort that
    trained them, which places the cohorts they run in the cascade."""

    __tablename__ = "trainer_qualification"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    promoted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    promoted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PendingActivation(Base):
    """An account created from a roster whose owner has not yet signed in. The one-time code is derived from
    the nonce with the app's secret (so the trainer can print the slips again) and dies with this row."""

    __tablename__ = "pending_activation"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cohort_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"), index=True)

    user: Mapped[User] = relationship()
