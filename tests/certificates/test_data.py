"""Certificate data: its payload is plain JSON, and reading one back is strict."""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime

import pytest

from tests.certificates.samples import BASE, SERIAL, make_data
from trainer.certificates.data import CertificateData, hours_text
from trainer.certificates.signing import canonical


def test_payload_is_plain_json_with_a_version():
    payload = BASE.payload()
    assert payload["v"] == 1
    assert payload["completed_on"] == "2025-05-01" and payload["expires_on"] == "2028-05-02"
    assert payload["modules"][0] == {"id": "security-features", "version": 2, "title": "Security features"}
    assert json.loads(json.dumps(payload)) == payload
    canonical(payload)  # no floats, nothing unsignable


def test_payload_round_trip():
    assert CertificateData.from_payload(BASE.payload()) == BASE
    no_expiry = make_data(expires_on=None, cohort_name="", trainer_name="", kind="tot", language="ru")
    assert no_expiry.payload()["expires_on"] is None
    assert CertificateData.from_payload(json.loads(json.dumps(no_expiry.payload()))) == no_expiry


def test_data_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASE.recipient_name = "Someone else"  # type: ignore[misc]
    with pytest.raises(TypeError):
        BASE.course_title["en"] = "Changed"  # type: ignore[index]


def test_text_lookups_fall_back_to_english():
    assert BASE.title("mn").startswith("Хуурамч") and BASE.title("ru").startswith("Выявление")
    assert BASE.agency("ru") == "General Authority for Border Protection"


def test_expiry_is_inclusive():
    assert not BASE.is_expired(date(2028, 5, 2))
    assert BASE.is_expired(date(2028, 5, 3))
    assert not make_data(expires_on=None).is_expired(date(2999, 1, 1))


def _changed(**changes):
    return {**BASE.payload(), **changes}


@pytest.mark.parametrize("payload", [
    None, [], "text",
    _changed(extra="x"),
    {key: value for key, value in BASE.payload().items() if key != "trainer_name"},
    _changed(v=2), _changed(v="1"), _changed(v=True),
    _changed(serial=SERIAL.lower()), _changed(serial=SERIAL[:-1] + "0"), _changed(serial=None),
    _changed(kind="diploma"), _changed(kind=["course"]),
    _changed(recipient_name=""), _changed(recipient_name=7),
    _changed(course_title={"mn": "Гарчиг"}), _changed(course_title={"en": "T", "de": "T"}),
    _changed(course_title={"en": ""}), _changed(course_title=["en"]), _changed(course_title={"en": 5}),
    _changed(course_title={("en",): "x"}),
    _changed(modules={}), _changed(modules=[["m", 1, "M"]]), _changed(modules=[{"id": "m", "version": 1}]),
    _changed(modules=[{"id": "m", "version": "1", "title": "M"}]),
    _changed(modules=[{"id": "m", "version": 0, "title": "M"}]),
    _changed(modules=[{"id": "m", "version": 1, "title": "M", "x": 1}]),
    _changed(minutes="750"), _changed(minutes=12.5), _changed(minutes=True), _changed(minutes=-1),
    _changed(completed_on="2025-5-1"), _changed(completed_on="20250501"), _changed(completed_on="2025-02-30"),
    _changed(completed_on="2025-05-01T00:00:00"), _changed(issued_on=None), _changed(expires_on=20280502),
    _changed(expires_on="2025-05-01"),  # before issue
    _changed(language="de"), _changed(agency_name={"mn": "Газар"}), _changed(issuer_url=""),
    _changed(cohort_name=None), _changed(trainer_name=1),
])
def test_from_payload_is_strict(payload):
    with pytest.raises(ValueError):
        CertificateData.from_payload(payload)


@pytest.mark.parametrize("changes", [
    {"serial": "K7QM-4X2P-9D-U"}, {"completed_on": datetime(2025, 5, 1, 12, 0)}, {"modules": (("m", 1),)},
    {"minutes": 1.5}, {"expires_on": date(2020, 1, 1)},
])
def test_constructor_validates_too(changes):
    with pytest.raises(ValueError):
        make_data(**changes)


@pytest.mark.parametrize(("minutes", "text"), [
    (0, "0"), (60, "1"), (720, "12"), (750, "12.5"), (45, "0.8"), (89, "1.5"), (1, "0"), (3, "0.1"), (6000, "100"),
])
def test_hours_text(minutes, text):
    assert hours_text(minutes) == text


def test_hours_text_uses_the_callers_decimal_separator():
    assert hours_text(750, ",") == "12,5"
