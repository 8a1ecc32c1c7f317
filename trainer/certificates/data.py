"""The data a certificate attests, and its signed JSON form.

``payload()`` is what gets signed and embedded in the PDF: plain JSON (strings, integers, lists, objects), ISO
dates, a schema version ``"v"``. ``from_payload`` is strict, because a verifier must reject anything it does not
fully understand rather than show a half-read certificate.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

from trainer.certificates.serial import normalise
from trainer.certificates.signing import Keyring

SCHEMA_VERSION = 1
KINDS = ("course", "tot")
LANGUAGES = ("en", "mn", "ru")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Module = tuple[str, int, str]  # (module id, version, English title)

_FIELDS = (
    "v", "serial", "kind", "recipient_name", "course_title", "cohort_name", "modules", "minutes", "completed_on",
    "issued_on", "expires_on", "trainer_name", "agency_name", "language", "issuer_name", "issuer_url",
)


def _frozen_texts(name: str, value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(f"{name} must be a mapping of language to text")
    for lang, text in value.items():
        if lang not in LANGUAGES:
            raise ValueError(f"{name} has an unknown language {lang!r}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name}[{lang!r}] must be a non-empty string")
    if "en" not in value:
        raise ValueError(f"{name} must include English ('en')")
    return MappingProxyType(dict(value))


def _text(name: str, value: object, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise ValueError(f"{name} must be a {'' if empty else 'non-empty '}string")
    return value


def _date(name: str, value: object) -> date:
    # exact type: a datetime is a date too, but would carry a time the payload cannot represent
    if type(value) is not date:
        raise ValueError(f"{name} must be a date")
    return value


@dataclass(frozen=True)
class CertificateData:
    """What one certificate says. Text mappings are read-only copies; ``minutes`` are whole minutes of study.

    ``agency_name`` is the issuing agency printed on the certificate; ``issuer_name``/``issuer_url`` name the
    platform operator that signs (the Open Badges issuer and the verification site)."""

    serial: str
    kind: Literal["course", "tot"]
    recipient_name: str
    course_title: Mapping[str, str]
    cohort_name: str
    modules: tuple[Module, ...]
    minutes: int
    completed_on: date
    issued_on: date
    expires_on: date | None
    trainer_name: str
    agency_name: Mapping[str, str]
    language: Literal["en", "mn", "ru"]
    issuer_name: str
    issuer_url: str

    def __post_init__(self) -> None:
        if normalise(self.serial) != self.serial:
            raise ValueError(f"serial {self.serial!r} is not a valid compact serial")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}")
        for name in ("recipient_name", "issuer_name", "issuer_url"):
            _text(name, getattr(self, name))
        for name in ("cohort_name", "trainer_name"):
            _text(name, getattr(self, name), empty=True)
        object.__setattr__(self, "course_title", _frozen_texts("course_title", self.course_title))
        object.__setattr__(self, "agency_name", _frozen_texts("agency_name", self.agency_name))
        object.__setattr__(self, "modules", tuple(_module(item) for item in self.modules))
        if type(self.minutes) is not int or self.minutes < 0:
            raise ValueError("minutes must be a non-negative integer")
        _date("completed_on", self.completed_on)
        _date("issued_on", self.issued_on)
        if self.expires_on is not None:
            _date("expires_on", self.expires_on)
            if self.expires_on < self.issued_on:
                raise ValueError("expires_on is before issued_on")

    def title(self, lang: str) -> str:
        """The course title in ``lang``, or in English when there is no translation."""
        return self.course_title.get(lang) or self.course_title["en"]

    def agency(self, lang: str) -> str:
        return self.agency_name.get(lang) or self.agency_name["en"]

    def is_expired(self, today: date) -> bool:
        """Valid through the expiry date itself."""
        return self.expires_on is not None and today > self.expires_on

    def payload(self) -> dict[str, Any]:
        """The JSON-able dict that is signed; ``from_payload(data.payload()) == data``."""
        return {
            "v": SCHEMA_VERSION,
            "serial": self.serial,
            "kind": self.kind,
            "recipient_name": self.recipient_name,
            "course_title": dict(self.course_title),
            "cohort_name": self.cohort_name,
            "modules": [{"id": mid, "version": version, "title": title} for mid, version, title in self.modules],
            "minutes": self.minutes,
            "completed_on": self.completed_on.isoformat(),
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "trainer_name": self.trainer_name,
            "agency_name": dict(self.agency_name),
            "language": self.language,
            "issuer_name": self.issuer_name,
            "issuer_url": self.issuer_url,
        }

    @classmethod
    def from_payload(cls, payload: object) -> CertificateData:
        """Parse a payload strictly: exactly the known keys, exact types, schema version 1. Raises ValueError."""
        if not isinstance(payload, Mapping):
            raise ValueError("the payload must be an object")
        keys = set(payload)
        if keys != set(_FIELDS):
            unknown, missing = sorted(map(str, keys - set(_FIELDS))), sorted(set(_FIELDS) - keys)
            raise ValueError(f"payload keys differ: unknown {unknown}, missing {missing}")
        if type(payload["v"]) is not int or payload["v"] != SCHEMA_VERSION:
            raise ValueError(f"unsupported payload version {payload['v']!r}")
        modules = payload["modules"]
        if not isinstance(modules, list):
            raise ValueError("modules must be a list")
        expires = payload["expires_on"]
        try:
            return cls(
                serial=_text("serial", payload["serial"]),
                kind=payload["kind"],
                recipient_name=payload["recipient_name"],
                course_title=payload["course_title"],
                cohort_name=payload["cohort_name"],
                modules=tuple(_module_from_json(item) for item in modules),
                minutes=payload["minutes"],
                completed_on=parse_iso_date("completed_on", payload["completed_on"]),
                issued_on=parse_iso_date("issued_on", payload["issued_on"]),
                expires_on=None if expires is None else parse_iso_date("expires_on", expires),
                trainer_name=payload["trainer_name"],
                agency_name=payload["agency_name"],
                language=payload["language"],
                issuer_name=payload["issuer_name"],
                issuer_url=payload["issuer_url"],
            )
        except TypeError as exc:  # e.g. an unhashable value where a language code belongs
            raise ValueError(str(exc)) from exc

    def signed_bundle(self, keyring: Keyring) -> dict[str, Any]:
        """{"payload", "kid", "signature"}: what the PDF embeds and ``verify.judge`` checks."""
        payload = self.payload()
        kid, signature = keyring.sign(payload)
        return {"payload": payload, "kid": kid, "signature": signature}


def _module(item: object) -> Module:
    if not isinstance(item, tuple) or len(item) != 3:
        raise ValueError("a module is a tuple (module_id, version, title_en)")
    module_id, version, title = item
    if type(version) is not int or version < 1:
        raise ValueError("a module version is a positive integer")
    return _text("module id", module_id), version, _text("module title", title)


def _module_from_json(item: object) -> Module:
    if not isinstance(item, Mapping) or set(item) != {"id", "version", "title"}:
        raise ValueError('a module is an object with exactly "id", "version" and "title"')
    return _module((item["id"], item["version"], item["title"]))


def parse_iso_date(name: str, value: object) -> date:
    """An ISO calendar date (YYYY-MM-DD) from JSON; raises ValueError naming the field."""
    # date.fromisoformat also accepts "20240501" and week dates; only the extended calendar form is ours.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{name} must be an ISO date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from exc


def hours_text(minutes: int, decimal_separator: str = ".") -> str:
    """Minutes as hours for print: whole hours plain ("12"), otherwise one decimal ("1.5", "0.8")."""
    tenths = (minutes * 10 + 30) // 60  # round half up to a tenth of an hour
    whole, tenth = divmod(tenths, 10)
    return str(whole) if tenth == 0 else f"{whole}{decimal_separator}{tenth}"
