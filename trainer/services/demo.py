"""Demo data: Mongolia's border and immigration bodies, their main crossings, and one account per role.

Safe to run twice: existing rows are kept, missing ones are added.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.models import Agency, DutyStation, Province, Role, StationKind
from trainer.services import users as user_service
from trainer.services.accounts import find_by_username
from trainer.services.tx import transaction

AGENCIES = [
    ("GABP", "General Authority for Border Protection",
     {"mn": "Хил хамгаалах ерөнхий газар", "ru": "Главное управление пограничной охраны"}),
    ("IAM", "Immigration Agency of Mongolia",
     {"mn": "Гадаадын иргэн, харьяатын газар", "ru": "Иммиграционное агентство Монголии"}),
]
PROVINCES = [
    ("Dornogovi", {"mn": "Дорноговь", "ru": "Дорноговь"}),
    ("Selenge", {"mn": "Сэлэнгэ", "ru": "Селенге"}),
    ("Töv", {"mn": "Төв", "ru": "Туве"}),
    ("Ulaanbaatar", {"mn": "Улаанбаатар", "ru": "Улан-Батор"}),
]
STATIONS = [
    ("Zamiin-Uud road crossing", StationKind.LAND_CROSSING, "Dornogovi",
     {"mn": "Замын-Үүд авто боомт", "ru": "Автомобильный пункт пропуска Замын-Удэ"}),
    ("Zamiin-Uud railway crossing", StationKind.RAIL, "Dornogovi",
     {"mn": "Замын-Үүд төмөр замын боомт", "ru": "Железнодорожный пункт пропуска Замын-Удэ"}),
    ("Altanbulag crossing", StationKind.LAND_CROSSING, "Selenge",
     {"mn": "Алтанбулаг боомт", "ru": "Пункт пропуска Алтанбулак"}),
    ("Sükhbaatar railway crossing", StationKind.RAIL, "Selenge",
     {"mn": "Сүхбаатар төмөр замын боомт", "ru": "Железнодорожный пункт пропуска Сухэ-Батор"}),
    ("Chinggis Khaan International Airport", StationKind.AIRPORT, "Töv",
     {"mn": "Чингис хаан олон улсын нисэх буудал", "ru": "Международный аэропорт Чингисхаан"}),
    ("Headquarters, Ulaanbaatar", StationKind.HEADQUARTERS, "Ulaanbaatar",
     {"mn": "Төв байр, Улаанбаатар", "ru": "Центральный аппарат, Улан-Батор"}),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    full_name: str
    roles: frozenset[Role]
    agency: str
    station: str
    language: str | None


DEMO_ACCOUNTS = [
    DemoAccount("trainee", "demo-trainee-2026", "Bat-Erdene Dorj", frozenset({Role.TRAINEE}), "GABP",
                "Zamiin-Uud railway crossing", None),
    DemoAccount("trainer", "demo-trainer-2026", "Oyunchimeg Gantulga", frozenset({Role.TRAINER, Role.TRAINEE}),
                "IAM", "Chinggis Khaan International Airport", None),
    DemoAccount("coordinator", "demo-coordinator-2026", "Enkhjargal Sukhbaatar",
                frozenset({Role.COORDINATOR}), "IAM", "Headquarters, Ulaanbaatar", None),
    DemoAccount("admin", "demo-admin-2026", "Tömörbaatar Ganbold", frozenset({Role.ADMIN}), "GABP",
                "Headquarters, Ulaanbaatar", None),
]


def _get_or_add(session: Session, model, name: str, **values):
    item = session.scalar(select(model).where(model.name == name))
    if item is None:
        item = model(name=name, **values)
        session.add(item)
        session.flush()
    return item


def seed_reference_data(session: Session) -> None:
    with transaction(session):
        for code, name, local in AGENCIES:
            _get_or_add(session, Agency, name, code=code, local_names=local)
        provinces = {name: _get_or_add(session, Province, name, local_names=local) for name, local in PROVINCES}
        for name, kind, province, local in STATIONS:
            _get_or_add(session, DutyStation, name, kind=kind, province_id=provinces[province].id, local_names=local)


def seed_demo(session: Session) -> list[DemoAccount]:
    """Load reference data and the demo accounts; return the accounts (with their passwords) to print."""
    seed_reference_data(session)
    agencies = {a.code: a.id for a in session.scalars(select(Agency))}
    stations = {s.name: s.id for s in session.scalars(select(DutyStation))}
    for account in DEMO_ACCOUNTS:
        if find_by_username(session, account.username) is not None:
            continue
        data = user_service.UserData(
            username=account.username, full_name=account.full_name, roles=set(account.roles),
            agency_id=agencies[account.agency], duty_station_id=stations[account.station],
            preferred_language=account.language,
        )
        user_service.create_user(session, None, data, password=account.password)
    return DEMO_ACCOUNTS

