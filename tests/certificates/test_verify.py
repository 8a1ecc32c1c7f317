"""Verdicts, in their order: malformed, unknown_key, bad_signature, unknown, revoked, expired, valid."""
from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.certificates.samples import BASE, SERIAL, make_data
from trainer.certificates.serial import check_symbol
from trainer.certificates.signing import Keyring, rotate
from trainer.certificates.verify import (
    Verdict,
    judge,
    read_revocation_list,
    revocation_list_document,
)

TODAY = date(2026, 1, 15)
NOBODY: dict[str, date] = {}


@pytest.fixture(scope="module")
def bundle(keyring):
    return BASE.signed_bundle(keyring)


def test_a_genuine_certificate_is_valid(keyring, bundle):
    result = judge(bundle, keyring, NOBODY, TODAY)
    assert result.verdict is Verdict.VALID and result.valid and result.signature_ok
    assert result.data == BASE and result.payload == BASE.payload() and result.serial == SERIAL
    assert result.revoked_on is None


def test_the_bundle_survives_json(keyring, bundle):
    assert judge(json.loads(json.dumps(bundle)), keyring, NOBODY, TODAY).valid


def test_tampered_payload_is_a_bad_signature(keyring, bundle):
    forged = copy.deepcopy(bundle)
    forged["payload"]["recipient_name"] = "Someone Else"
    result = judge(forged, keyring, NOBODY, TODAY)
    assert result.verdict is Verdict.BAD_SIGNATURE and not result.signature_ok
    assert result.data is not None and result.data.recipient_name == "Someone Else"  # readable, for investigation


@pytest.mark.parametrize("field", ["expires_on", "minutes", "course_title"])
def test_any_tampered_field_is_a_bad_signature(keyring, bundle, field):
    forged = copy.deepcopy(bundle)
    forged["payload"][field] = {"expires_on": "2099-01-01", "minutes": 7500, "course_title": {"en": "Other"}}[field]
    assert judge(forged, keyring, NOBODY, TODAY).verdict is Verdict.BAD_SIGNATURE


def test_wrong_signature_is_a_bad_signature(keyring, other_keyring, bundle):
    _, signature = other_keyring.sign(bundle["payload"])
    assert judge({**bundle, "signature": signature}, keyring, NOBODY, TODAY).verdict is Verdict.BAD_SIGNATURE
    assert judge({**bundle, "signature": "garbage"}, keyring, NOBODY, TODAY).verdict is Verdict.BAD_SIGNATURE


def test_unknown_kid(keyring, other_keyring):
    stranger = BASE.signed_bundle(other_keyring)
    result = judge(stranger, keyring, NOBODY, TODAY)
    assert result.verdict is Verdict.UNKNOWN_KEY and not result.signature_ok


def test_not_in_the_registry_is_unknown(keyring, bundle):
    assert judge(bundle, keyring, NOBODY, TODAY, known_serials=set()).verdict is Verdict.UNKNOWN
    assert judge(bundle, keyring, NOBODY, TODAY, known_serials={SERIAL}).valid


def test_nothing_found_is_unknown(keyring):
    assert judge(None, keyring, NOBODY, TODAY).verdict is Verdict.UNKNOWN


def test_revoked_with_its_date(keyring, bundle):
    result = judge(bundle, keyring, {SERIAL: date(2025, 9, 1)}, TODAY)
    assert result.verdict is Verdict.REVOKED and result.revoked_on == date(2025, 9, 1) and result.signature_ok


def test_expired_after_the_expiry_date_only(keyring, bundle):
    assert judge(bundle, keyring, NOBODY, date(2028, 5, 2)).valid
    assert judge(bundle, keyring, NOBODY, date(2028, 5, 3)).verdict is Verdict.EXPIRED
    forever = make_data(expires_on=None).signed_bundle(keyring)
    assert judge(forever, keyring, NOBODY, date(2099, 1, 1)).valid


def test_order_of_checks(keyring, other_keyring, bundle):
    revoked = {SERIAL: date(2025, 9, 1)}
    late = date(2030, 1, 1)
    assert judge(bundle, keyring, revoked, late).verdict is Verdict.REVOKED  # revoked beats expired
    assert judge(bundle, keyring, revoked, late, known_serials=()).verdict is Verdict.UNKNOWN
    forged = copy.deepcopy(bundle)
    forged["payload"]["minutes"] = 1
    assert judge(forged, keyring, revoked, late, known_serials=()).verdict is Verdict.BAD_SIGNATURE
    stranger = BASE.signed_bundle(other_keyring)
    assert judge(stranger, keyring, revoked, late, known_serials=()).verdict is Verdict.UNKNOWN_KEY
    broken = {**stranger, "payload": {**stranger["payload"], "v": 9}}
    assert judge(broken, keyring, revoked, late, known_serials=()).verdict is Verdict.MALFORMED


@pytest.mark.parametrize("mangle", [
    lambda b: "not a bundle",
    lambda b: [],
    lambda b: {},
    lambda b: {**b, "extra": 1},
    lambda b: {key: value for key, value in b.items() if key != "kid"},
    lambda b: {**b, "kid": 7},
    lambda b: {**b, "signature": None},
    lambda b: {**b, "payload": "{}"},
    lambda b: {**b, "payload": {**b["payload"], "minutes": 12.5}},
    lambda b: {**b, "payload": {**b["payload"], "serial": "K7QM4X2P9D0"}},  # wrong check symbol
    lambda b: {**b, "payload": {**b["payload"], "nested": {"deep": [[[[]]]]}}},
])
def test_malformed(keyring, bundle, mangle):
    result = judge(mangle(copy.deepcopy(bundle)), keyring, NOBODY, TODAY)
    assert result.verdict is Verdict.MALFORMED and result.payload is None and result.data is None


def test_deeply_nested_garbage_is_malformed(keyring, bundle):
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert judge({**bundle, "payload": deep}, keyring, NOBODY, TODAY).verdict is Verdict.MALFORMED


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(payload=JSON, kid=JSON, signature=JSON)
def test_judge_never_raises(keyring, payload, kid, signature):
    verdict = judge({"payload": payload, "kid": kid, "signature": signature}, keyring, NOBODY, TODAY).verdict
    assert verdict is Verdict.MALFORMED


def test_rotation_keeps_issued_certificates_valid(tmp_path):
    before = Keyring.from_folder(tmp_path)
    old_bundle = BASE.signed_bundle(before)
    rotate(tmp_path)
    after = Keyring.from_folder(tmp_path)
    new_bundle = make_data(serial="0000000001" + check_symbol("0000000001")).signed_bundle(after)
    assert old_bundle["kid"] != new_bundle["kid"]
    assert judge(old_bundle, after, NOBODY, TODAY).valid
    assert judge(new_bundle, after, NOBODY, TODAY).valid


def test_offline_with_published_keys(keyring, bundle):
    offline = Keyring.from_public_document(json.loads(json.dumps(keyring.public_keys_document())))
    assert judge(bundle, offline, NOBODY, TODAY).valid


# --- revocation list -----------------------------------------------------------------------------------------------

REVOKED = {SERIAL: date(2025, 9, 1), "0000000001" + check_symbol("0000000001"): date(2025, 10, 2)}


def test_revocation_list_round_trip():
    doc = json.loads(json.dumps(revocation_list_document(REVOKED, as_of=TODAY)))
    assert doc["revoked"][0] == {"serial": "0000000001" + check_symbol("0000000001"), "revoked_on": "2025-10-02"}
    read = read_revocation_list(doc)
    assert dict(read.revoked) == REVOKED and read.as_of == TODAY and read.kid is None


def test_signed_revocation_list(keyring, other_keyring, bundle):
    doc = json.loads(json.dumps(revocation_list_document(REVOKED, keyring)))
    read = read_revocation_list(doc, keyring)
    assert read.kid == keyring.current_kid and read.as_of is None
    assert judge(bundle, keyring, read.revoked, TODAY).verdict is Verdict.REVOKED
    trimmed = {**doc, "revoked": doc["revoked"][:1]}  # someone quietly un-revokes a certificate
    with pytest.raises(ValueError, match="not signed"):
        read_revocation_list(trimmed, keyring)
    with pytest.raises(ValueError, match="not signed"):
        read_revocation_list(doc, other_keyring)
    with pytest.raises(ValueError, match="not signed"):
        read_revocation_list(revocation_list_document(REVOKED), keyring)


@pytest.mark.parametrize("doc", [
    None, [], {"v": 2, "as_of": None, "revoked": []}, {"v": 1, "revoked": []},
    {"v": 1, "as_of": None, "revoked": {}}, {"v": 1, "as_of": None, "revoked": [], "kid": "x"},
    {"v": 1, "as_of": None, "revoked": [{"serial": "nope", "revoked_on": "2025-01-01"}]},
    {"v": 1, "as_of": None, "revoked": [{"serial": SERIAL.lower(), "revoked_on": "2025-01-01"}]},
    {"v": 1, "as_of": None, "revoked": [{"serial": SERIAL, "revoked_on": "yesterday"}]},
    {"v": 1, "as_of": "today", "revoked": []},
])
def test_read_revocation_list_refuses_malformed_documents(doc):
    with pytest.raises(ValueError):
        read_revocation_list(doc)
