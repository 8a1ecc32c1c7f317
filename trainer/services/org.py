"""Agencies, provinces and duty stations: the reference lists that users and reports point at."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.errors import N_, Conflict, InvalidInput, NotFound
from trainer.models import Agency, DutyStation, Province, StationKind, User
from trainer.models.org import LocalNames
from trainer.services import audit
from trainer.services.tx import transaction


@dataclass
class NamedData:
    name: str
    local_names: dict[str, str] = field(default_factory=dict)
    code: str | None = None  # agencies
    kind: StationKind | None = None  # stations
    province_id: int | None = None  # stations


KINDS: dict[str, type[LocalNames]] = {"agency": Agency, "province": Province, "station": DutyStation}


def list_all(session: Session, kind: str) -> list:
    model = KINDS[kind]
    return list(session.scalars(select(model).order_by(func.lower(model.name))))


def get(session: Session, kind: str, item_id: int):
    item = session.get(KINDS[kind], item_id)
    if item is None:
        raise NotFound()
    return item


def _clean(session: Session, kind: str, data: NamedData, item_id: int | None) -> NamedData:
    model = KINDS[kind]
    data.name = " ".join((data.name or "").split())
    data.local_names = {lang: " ".join(v.split()) for lang, v in data.local_names.items() if v and v.strip()}
    if not data.name:
        raise InvalidInput(N_("The name is required."), field="name")
    clash = select(model.id).where(func.lower(model.name) == data.name.lower())
    if item_id is not None:
        clash = clash.where(model.id != item_id)
    if session.scalar(clash) is not None:
        raise Conflict(N_("%(name)s already exists."), field="name", name=data.name)
    if kind == "agency":
        data.code = (data.code or "").strip().upper()
        if not data.code:
            raise InvalidInput(N_("The short code is required."), field="code")
        clash = select(Agency.id).where(Agency.code == data.code)
        if item_id is not None:
            clash = clash.where(Agency.id != item_id)
        if session.scalar(clash) is not None:
            raise Conflict(N_("Another agency already uses the code %(code)s."), field="code", code=data.code)
    if kind == "station":
        if data.kind is None:
            raise InvalidInput(N_("Choose the kind of duty station."), field="kind")
        if data.province_id is None or session.get(Province, data.province_id) is None:
            raise InvalidInput(N_("Choose a province."), field="province_id")
    return data


def _fields(kind: str, data: NamedData) -> dict:
    values = {"name": data.name, "local_names": data.local_names}
    if kind == "agency":
        values["code"] = data.code
    if kind == "station":
        values.update(kind=data.kind, province_id=data.province_id)
    return values


def save(session: Session, actor_id: int | None, kind: str, data: NamedData, item_id: int | None = None,
         ip_address: str | None = None):
    """Create (no item_id) or update one agency, province or station."""
    data = _clean(session, kind, data, item_id)
    with transaction(session):
        if item_id is None:
            item = KINDS[kind](**_fields(kind, data))
            session.add(item)
            session.flush()
            audit.record(session, actor_id, f"{kind}.create", kind, item.id, {"name": item.name}, ip_address)
            return item
        item = get(session, kind, item_id)
        changes = {}
        for name, new in _fields(kind, data).items():
            old = getattr(item, name)
            if old != new:
                changes[name] = [str(old) if isinstance(old, StationKind) else old,
                                 str(new) if isinstance(new, StationKind) else new]
                setattr(item, name, new)
        if changes:
            audit.record(session, actor_id, f"{kind}.update", kind, item.id, changes, ip_address)
        return item


def delete(session: Session, actor_id: int, kind: str, item_id: int, ip_address: str | None = None) -> None:
    """Delete an entry nobody refers to; entries in use must stay so history keeps its meaning."""
    item = get(session, kind, item_id)
    in_use = {
        "agency": select(User.id).where(User.agency_id == item_id),
        "station": select(User.id).where(User.duty_station_id == item_id),
        "province": select(DutyStation.id).where(DutyStation.province_id == item_id),
    }[kind]
    if session.scalar(in_use.limit(1)) is not None:
        raise Conflict(N_("%(name)s is still in use and cannot be deleted."), name=item.name)
    with transaction(session):
        audit.record(session, actor_id, f"{kind}.delete", kind, item.id, {"name": item.name}, ip_address)
        session.delete(item)
