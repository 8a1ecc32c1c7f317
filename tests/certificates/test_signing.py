"""Canonical JSON (RFC 8785), Ed25519 signatures, key ids, and loading, rotating and publishing keys."""
from __future__ import annotations

import base64
import hashlib
import json
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trainer.certificates.signing import (
    Keyring,
    canonical,
    generate_private_pem,
    key_id,
    private_pem,
    public_pem,
    raw_public,
    rotate,
)

OBJ = {"serial": "K7QM4X2P9DU", "minutes": 750, "names": ["Батбаярын Энхтуяа", "Ann"], "ok": True, "none": None}


# --- canonical -----------------------------------------------------------------------------------------------------

def test_canonical_sorts_keys_and_drops_whitespace():
    assert canonical({"b": 1, "a": [True, None, "x"], "c": {"z": -2, "y": "é"}}) == \
        '{"a":[true,null,"x"],"b":1,"c":{"y":"é","z":-2}}'.encode()


def test_canonical_escapes_like_rfc_8785():
    assert canonical("\"\\\b\t\n\f\r\u0001\u001f/\u007fé€😀\u2028") == \
        '"\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001f/\u007fé€😀\u2028"'.encode()


def test_canonical_sorts_by_utf16_code_units():
    # RFC 8785 §3.2.3's example: the emoji (a surrogate pair, D83D) sorts before U+FB33.
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    text = canonical({key: 0 for key in keys}).decode()
    order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert text == "{" + ",".join(json.dumps(key, ensure_ascii=False) + ":0" for key in order) + "}"


def test_canonical_is_stable():
    shuffled = {key: OBJ[key] for key in reversed(list(OBJ))}
    assert canonical(OBJ) == canonical(shuffled) == canonical(json.loads(json.dumps(OBJ)))
    assert canonical((1, 2)) == canonical([1, 2]) == b"[1,2]"
    assert hashlib.sha256(canonical(OBJ)).hexdigest() == hashlib.sha256(canonical(dict(OBJ))).hexdigest()


@pytest.mark.parametrize("value", [1.0, 0.5, {"hours": 12.5}, [1, [2.0]], float("nan")])
def test_canonical_refuses_floats(value):
    with pytest.raises(TypeError, match="float"):
        canonical(value)


@pytest.mark.parametrize(("value", "error"), [
    (2**53, ValueError), (-(2**53), ValueError), ({1: "a"}, TypeError), ({"a": {1, 2}}, TypeError),
    ("\ud800", ValueError), (b"bytes", TypeError),
])
def test_canonical_refuses_what_json_cannot_carry_exactly(value, error):
    with pytest.raises(error):
        canonical(value)


def test_canonical_accepts_the_largest_exact_integers():
    assert canonical([2**53 - 1, -(2**53 - 1)]) == b"[9007199254740991,-9007199254740991]"


# --- sign and verify -----------------------------------------------------------------------------------------------

def test_kid_is_the_start_of_the_public_key_hash(keyring):
    public = keyring.public_key(keyring.current_kid)
    assert keyring.current_kid == hashlib.sha256(raw_public(public)).hexdigest()[:16] == key_id(public)


def test_sign_then_verify(keyring):
    kid, signature = keyring.sign(OBJ)
    assert kid == keyring.current_kid
    assert base64.urlsafe_b64decode(signature + "==") and "=" not in signature
    assert keyring.verify(OBJ, kid, signature)
    assert keyring.verify(json.loads(json.dumps(OBJ)), kid, signature)  # survives a trip through JSON


def test_tampered_data_fails(keyring):
    kid, signature = keyring.sign(OBJ)
    assert not keyring.verify({**OBJ, "minutes": 751}, kid, signature)
    assert not keyring.verify({**OBJ, "extra": None}, kid, signature)


def test_another_keys_signature_fails(keyring, other_keyring):
    _, signature = other_keyring.sign(OBJ)
    assert not keyring.verify(OBJ, keyring.current_kid, signature)


def test_unknown_kid_fails(keyring, other_keyring):
    kid, signature = other_keyring.sign(OBJ)
    assert not keyring.verify(OBJ, kid, signature)


@pytest.mark.parametrize(("obj", "kid", "signature"), [
    (OBJ, None, None), (OBJ, "kid", "sig"), (OBJ, 5, b"x"), (OBJ, "CURRENT", "!!!not base64!!!"),
    (OBJ, "CURRENT", ""), (OBJ, "CURRENT", "AAAA"), (OBJ, "CURRENT", "A" * 87), (OBJ, "CURRENT", 123),
    ({"x": 1.5}, "CURRENT", "A" * 86), ({1: 2}, "CURRENT", "A" * 86), (object(), "CURRENT", "A" * 86),
    (OBJ, ["CURRENT"], "A" * 86), (OBJ, "CURRENT", None),
])
def test_verify_never_raises_on_garbage(keyring, obj, kid, signature):
    kid = keyring.current_kid if kid == "CURRENT" else kid
    assert keyring.verify(obj, kid, signature) is False


def test_verify_only_keyring_cannot_sign(keyring):
    verifier = Keyring.from_public_document(keyring.public_keys_document())
    assert not verifier.can_sign and verifier.current_kid is None
    with pytest.raises(RuntimeError):
        verifier.sign(OBJ)


def test_repr_shows_no_key_material(keyring):
    assert "PRIVATE" not in repr(keyring) and keyring.current_kid in repr(keyring)


# --- folder keys (development) and rotation ----------------------------------------------------------------------

def test_from_folder_creates_one_key_and_reuses_it(tmp_path):
    folder = tmp_path / "keys"
    first = Keyring.from_folder(folder)
    pems = list(folder.glob("*.pem"))
    assert [pem.stem for pem in pems] == [first.current_kid]
    assert stat.S_IMODE(pems[0].stat().st_mode) == 0o600
    assert (folder / "current").read_text().strip() == first.current_kid
    again = Keyring.from_folder(folder)
    assert again.current_kid == first.current_kid and again.kids == first.kids


def test_from_folder_without_create_needs_keys(tmp_path):
    with pytest.raises(FileNotFoundError):
        Keyring.from_folder(tmp_path, create=False)


def test_rotation_keeps_old_signatures_valid(tmp_path):
    old = Keyring.from_folder(tmp_path)
    kid, signature = old.sign(OBJ)
    new_kid = rotate(tmp_path)
    rotated = Keyring.from_folder(tmp_path, create=False)
    assert rotated.current_kid == new_kid != kid
    assert set(rotated.kids) == {kid, new_kid}
    assert rotated.verify(OBJ, kid, signature)
    assert rotated.sign(OBJ)[0] == new_kid
    assert not old.verify(OBJ, *rotated.sign(OBJ))  # the old keyring never heard of the new key


def test_from_folder_accepts_public_only_keys_and_refuses_a_current_without_private(tmp_path, other_keyring):
    Keyring.from_folder(tmp_path)
    retired = Ed25519PrivateKey.generate()
    (tmp_path / "retired.pem").write_text(public_pem(retired.public_key()))
    keyring = Keyring.from_folder(tmp_path)
    assert key_id(retired.public_key()) in keyring.kids
    (tmp_path / "current").write_text(key_id(retired.public_key()))
    with pytest.raises(ValueError, match="no private key"):
        Keyring.from_folder(tmp_path)


# --- configuration keys (production) -----------------------------------------------------------------------------

def test_from_config_with_pem_and_retired_public_keys(keyring):
    current = Ed25519PrivateKey.generate()
    retired_pem = public_pem(keyring.public_key(keyring.current_kid))
    retired_raw = base64.b64encode(raw_public(Ed25519PrivateKey.generate().public_key())).decode()
    configured = Keyring.from_config(private_pem(current), [retired_pem, retired_raw])
    assert configured.current_kid == key_id(current.public_key())
    assert len(configured.kids) == 3
    assert configured.verify(OBJ, *keyring.sign(OBJ))


def test_from_config_reads_base64_raw_and_one_line_pem():
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    kid = key_id(key.public_key())
    assert Keyring.from_config(base64.b64encode(raw).decode()).current_kid == kid
    assert Keyring.from_config(base64.urlsafe_b64encode(raw).decode().rstrip("=")).current_kid == kid
    assert Keyring.from_config(private_pem(key).replace("\n", "\\n")).current_kid == kid


def test_generated_pem_loads():
    assert Keyring.from_config(generate_private_pem()).can_sign


@pytest.mark.parametrize("private", ["", "   ", "not a key", base64.b64encode(b"short").decode(),
                                     "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"])
def test_from_config_refuses_bad_private_keys(private):
    with pytest.raises(ValueError):
        Keyring.from_config(private)


def test_from_config_refuses_other_algorithms():
    p256 = ec.generate_private_key(ec.SECP256R1())
    pem = p256.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()
    with pytest.raises(ValueError, match="Ed25519"):
        Keyring.from_config(pem)
    public = p256.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    with pytest.raises(ValueError, match="Ed25519"):
        Keyring.from_config(generate_private_pem(), [public])


# --- publication ---------------------------------------------------------------------------------------------------

def test_public_keys_document_is_a_jwk_set(tmp_path):
    Keyring.from_folder(tmp_path)
    rotate(tmp_path)
    keyring = Keyring.from_folder(tmp_path)
    doc = json.loads(json.dumps(keyring.public_keys_document()))
    assert [jwk["kid"] for jwk in doc["keys"]][0] == keyring.current_kid
    assert {jwk["kid"] for jwk in doc["keys"]} == set(keyring.kids)
    for jwk in doc["keys"]:
        assert {"kty": "OKP", "crv": "Ed25519"}.items() <= jwk.items()
        assert len(base64.urlsafe_b64decode(jwk["x"] + "=")) == 32
        assert "d" not in jwk  # never the private part


def test_public_document_round_trip_verifies(keyring):
    verifier = Keyring.from_public_document(keyring.public_keys_document())
    assert verifier.kids == keyring.kids
    assert verifier.verify(OBJ, *keyring.sign(OBJ))


@pytest.mark.parametrize("doc", [
    None, [], {}, {"keys": {}}, {"keys": [None]}, {"keys": [{"kty": "RSA"}]},
    {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]},
    {"keys": [{"kty": "OKP", "crv": "X25519", "x": "A" * 43}]},
])
def test_from_public_document_refuses_bad_documents(doc):
    with pytest.raises(ValueError):
        Keyring.from_public_document(doc)


def test_from_public_document_refuses_a_kid_that_is_not_its_keys(keyring):
    doc = keyring.public_keys_document()
    doc["keys"][0]["kid"] = "0123456789abcdef"
    with pytest.raises(ValueError, match="does not belong"):
        Keyring.from_public_document(doc)
