"""Where people work: agencies, provinces and duty stations (how coordinators slice the figures)."""
from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, Timestamps

if TYPE_CHECKING:
    from trainer.models.users import User


class LocalNames:
    """An English name plus official names in other languages (``{"mn": ..., "ru": ...}``)."""

    name: Mapped[str] = mapped_column(String(160), unique=True)
    local_names: Mapped[dict] = mapped_column(JSON, default=dict)

    def display_name(self, language: str) -> str:
        return (self.local_names or {}).get(language) or self.name


class Agency(LocalNames, Timestamps, Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    users: Mapped[list["User"]] = relationship(back_populates="agency")


class Province(LocalNames, Timestamps, Base):
    __tablename__ = "province"

    id: Mapped[int] = mapped_column(primary_key=True)
    stations: Mapped[list["DutyStation"]] = relationship(back_populates="province")


class StationKind(enum.StrEnum):
    LAND_CROSSING = "land_crossing"
    RAIL = "rail"
    AIRPORT = "airport"
    HEADQUARTERS = "headquarters"


class DutyStation(LocalNames, Timestamps, Base):
    __tablename__ = "duty_station"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[StationKind] = mapped_column(
        Enum(StationKind, name="station_kind", native_enum=False, length=20,
             values_callable=lambda kinds: [k.value for k in kinds])
    )
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    province: Mapped[Province] = relationship(back_populates="stations")
    users: Mapped[list["User"]] = relationship(back_populates="duty_station")
