"""Open Badges 3.0 credentials with an eddsa-jcs-2022 Data Integrity proof, checked against the W3C test vector."""
from __future__ import annotations

import base64
import copy
import json
from datetime import datetime, timezone

import pytest

from tests.certificates.samples import BASE, SERIAL, TITLE_EN, make_data, verify_url
from trainer.certificates import openbadges
from trainer.certificates.openbadges import (
    credential,
    issuer_profile,
    public_key_from_multikey,
    verify_credential,
    verify_data_integrity,
)
from trainer.certificates.signing import Keyring, rotate

ISSUER = "https://trainer.example.mn/certificates/issuer"
ACHIEVEMENT = "https://trainer.example.mn/certificates/achievements/fraudulent-documents"

# W3C "Data Integrity EdDSA Cryptosuites v1.0", test vectors for eddsa-jcs-2022 (w3c/vc-di-eddsa, TestVectors/).
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_PRIVATE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
W3C_SIGNED = {
    "@context": W3C_CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": f"https://vc.example/issuers/5678#{W3C_PUBLIC}",
        "proofPurpose": "assertionMethod",
        "@context": W3C_CONTEXT,
        "proofValue": "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4",
    },
}


@pytest.fixture(scope="module")
def badge(keyring):
    return credential(BASE, keyring, ISSUER, ACHIEVEMENT, verify_url(SERIAL))


def test_w3c_test_vector_verifies():
    assert verify_data_integrity(W3C_SIGNED, public_key_from_multikey(W3C_PUBLIC))
    tampered = {**W3C_SIGNED, "name": "Alumni Credential!"}
    assert not verify_data_integrity(tampered, public_key_from_multikey(W3C_PUBLIC))


def test_w3c_test_vector_is_reproduced_byte_for_byte():
    # Ed25519 is deterministic, so the same key, document and proof options must give the vector's proofValue.
    raw = openbadges.base58_decode(W3C_PRIVATE[1:])
    assert raw[:2] == b"\x80\x26"  # multicodec ed25519-priv
    keyring = Keyring.from_config(base64.b64encode(raw[2:]).decode())
    unsecured = {key: value for key, value in W3C_SIGNED.items() if key != "proof"}
    options = {key: value for key, value in W3C_SIGNED["proof"].items() if key != "proofValue"}
    _, signature = keyring.sign_bytes(openbadges._hash_data(unsecured, options))
    assert "z" + openbadges.base58_encode(signature) == W3C_SIGNED["proof"]["proofValue"]
    assert openbadges.multikey(keyring.public_key(keyring.current_kid)) == W3C_PUBLIC


def test_credential_shape(badge, keyring):
    assert badge["@context"] == [openbadges.VC_CONTEXT, openbadges.OB_CONTEXT]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == verify_url(SERIAL)
    assert badge["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": BASE.issuer_name, "url": BASE.issuer_url}
    assert badge["validFrom"] == "2025-05-02T00:00:00Z" and badge["validUntil"] == "2028-05-02T23:59:59Z"
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["name"] == BASE.recipient_name
    achievement = subject["achievement"]
    assert achievement["id"] == ACHIEVEMENT and achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate" and achievement["name"] == TITLE_EN
    assert achievement["description"] and "Security features" in achievement["criteria"]["narrative"]
    proof = badge["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["verificationMethod"] == f"{ISSUER}#{keyring.current_kid}"
    assert proof["proofPurpose"] == "assertionMethod" and proof["created"] == "2025-05-02T00:00:00Z"
    assert proof["proofValue"].startswith("z") and len(openbadges.base58_decode(proof["proofValue"][1:])) == 64


def test_credential_verifies_after_json(badge, keyring):
    assert verify_credential(badge, keyring)
    assert verify_credential(json.loads(json.dumps(badge, ensure_ascii=False)), keyring)


def test_no_expiry_no_valid_until(keyring):
    badge = credential(make_data(expires_on=None, cohort_name=""), keyring, ISSUER, ACHIEVEMENT, verify_url(SERIAL))
    assert "validUntil" not in badge and "term" not in badge["credentialSubject"]
    assert verify_credential(badge, keyring)


def test_created_can_be_given(keyring):
    when = datetime(2025, 6, 1, 8, 30, tzinfo=timezone.utc)
    badge = credential(BASE, keyring, ISSUER, ACHIEVEMENT, verify_url(SERIAL), created=when)
    assert badge["proof"]["created"] == "2025-06-01T08:30:00Z" and verify_credential(badge, keyring)


def _tamper(badge, edit):
    forged = copy.deepcopy(badge)
    edit(forged)
    return forged


@pytest.mark.parametrize("edit", [
    lambda b: b["credentialSubject"].__setitem__("name", "Someone Else"),
    lambda b: b.__setitem__("validUntil", "2099-12-31T23:59:59Z"),
    lambda b: b.pop("validUntil"),
    lambda b: b["credentialSubject"]["achievement"].__setitem__("name", "Another course"),
    lambda b: b["proof"].__setitem__("created", "2025-05-03T00:00:00Z"),
    lambda b: b["proof"].__setitem__("proofPurpose", "authentication"),
    lambda b: b["proof"].pop("@context"),
    lambda b: b.__setitem__("@context", [openbadges.VC_CONTEXT]),
    lambda b: b["proof"].__setitem__("proofValue", b["proof"]["proofValue"][:-2] + "11"),
    lambda b: b["proof"].__setitem__("proofValue", "u" + b["proof"]["proofValue"][1:]),
    lambda b: b["proof"].__setitem__("cryptosuite", "eddsa-rdfc-2022"),
    lambda b: b.__setitem__("issuer", {**b["issuer"], "id": "https://evil.example/issuer"}),
    lambda b: b["proof"].__setitem__("verificationMethod", "https://evil.example/issuer#" +
                                     b["proof"]["verificationMethod"].split("#")[1]),
    lambda b: b["proof"].__setitem__("verificationMethod", ISSUER + "#0000000000000000"),
    lambda b: b.__setitem__("proof", [b["proof"]]),
    lambda b: b.pop("proof"),
])
def test_tampered_credentials_fail(badge, keyring, edit):
    assert not verify_credential(_tamper(badge, edit), keyring)


def test_a_strangers_key_fails(keyring, other_keyring):
    stranger = credential(BASE, other_keyring, ISSUER, ACHIEVEMENT, verify_url(SERIAL))
    assert verify_credential(stranger, other_keyring)
    assert not verify_credential(stranger, keyring)


@pytest.mark.parametrize("doc", [
    None, [], "text", {}, {"proof": None}, {"proof": {}}, {"proof": {"proofValue": 5}},
    {"issuer": ISSUER, "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
                                 "proofPurpose": "assertionMethod", "verificationMethod": ISSUER + "#x",
                                 "proofValue": "z0OIl"}},
    {"issuer": ISSUER, "x": 1.5, "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
                                           "proofPurpose": "assertionMethod", "verificationMethod": ISSUER + "#x",
                                           "proofValue": "z" + "2" * 500}},
])
def test_garbage_never_raises(keyring, doc):
    assert verify_credential(doc, keyring) is False


def test_rotation_keeps_old_credentials_verifiable(tmp_path):
    old = Keyring.from_folder(tmp_path)
    badge = credential(BASE, old, ISSUER, ACHIEVEMENT, verify_url(SERIAL))
    rotate(tmp_path)
    assert verify_credential(badge, Keyring.from_folder(tmp_path))


def test_issuer_profile_resolves_the_verification_method(badge, keyring):
    profile = json.loads(json.dumps(issuer_profile(keyring, ISSUER, BASE.issuer_name, BASE.issuer_url)))
    methods = {method["id"]: method for method in profile["verificationMethod"]}
    method = methods[badge["proof"]["verificationMethod"]]
    assert method["type"] == "Multikey" and method["controller"] == ISSUER == profile["id"]
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert verify_data_integrity(badge, public_key_from_multikey(method["publicKeyMultibase"]))
    assert profile["assertionMethod"] == list(methods)


@pytest.mark.parametrize("text", ["", "6Mk", "z", "z0", "z" + "1" * 34, W3C_PRIVATE, 5])
def test_public_key_from_multikey_refuses_other_things(text):
    with pytest.raises(ValueError):
        public_key_from_multikey(text)


@pytest.mark.parametrize("data", [b"", b"\0", b"\0\0\x01", bytes(range(100)), b"\xff" * 64])
def test_base58_round_trip(data):
    assert openbadges.base58_decode(openbadges.base58_encode(data)) == data


def test_base58_decode_refuses_overlong_input():
    # Nothing we decode (a 64-byte signature, a 34-byte key) is that long; the cap bounds the big-integer work.
    with pytest.raises(ValueError):
        openbadges.base58_decode("2" * 201)
