"""Open Badges 3.0: a certificate as a W3C Verifiable Credential, signed with the certificate key.

The credential is an ``OpenBadgeCredential`` (1EdTech Open Badges 3.0, on the VC Data Model 2.0) secured with a
Data Integrity proof using the ``eddsa-jcs-2022`` cryptosuite (W3C "Data Integrity EdDSA Cryptosuites v1.0",
§3.3): the proof options (with the document's ``@context``) and the document without its proof are each
canonicalised with JCS (RFC 8785) and hashed with SHA-256; the Ed25519 signature of
``sha256(proof options) || sha256(document)`` is the ``proofValue``, multibase base58-btc (``z...``).

The verification method is ``<issuer id>#<kid>``; ``issuer_profile`` is the document to publish at the issuer
id so that wallets and verifiers can resolve it (Multikey, Controlled Identifiers v1.0).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timezone
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from trainer.certificates.data import CertificateData, hours_text
from trainer.certificates.signing import Keyring, canonical, raw_public

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CRYPTOSUITE = "eddsa-jcs-2022"
ED25519_MULTICODEC = b"\xed\x01"  # multicodec prefix of an Ed25519 public key in a Multikey
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")

KIND_NAMES = {"course": "Course completion", "tot": "Trainer certification (training of trainers)"}


# --- Building ------------------------------------------------------------------------------------------------------

def credential(data: CertificateData, keyring: Keyring, issuer_id_url: str, achievement_url: str, verify_url: str,
               *, created: datetime | None = None) -> dict[str, Any]:
    """The signed Open Badges 3.0 credential for a certificate, as a JSON-able dict.

    ``issuer_id_url`` is where ``issuer_profile`` is served; ``achievement_url`` identifies the course's
    achievement (the same for every certificate of that course); ``verify_url`` is this certificate's public
    verification page and serves as the credential id. ``created`` defaults to the issue date at 00:00 UTC, so
    the same certificate always gives the same credential (this package reads no clock)."""
    title = data.title("en")
    hours = hours_text(data.minutes)
    document: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "description": f"{KIND_NAMES[data.kind]}: {title}, awarded by {data.agency('en')}.",
        "issuer": {"id": issuer_id_url, "type": ["Profile"], "name": data.issuer_name, "url": data.issuer_url},
        "validFrom": _datetime(data.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": data.recipient_name,
            # OB 3.0 identifies a recipient by an IdentityObject; a plain name is the identity we hold.
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": data.recipient_name}],
            "activityEndDate": _datetime(data.completed_on),
            "achievement": {
                "id": achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": title,
                "description": f"{KIND_NAMES[data.kind]}: {title} ({hours} hours of study).",
                "criteria": {"narrative": _narrative(data, hours)},
                "inLanguage": "en",
            },
        },
    }
    if data.cohort_name:
        document["credentialSubject"]["term"] = data.cohort_name
    if data.expires_on is not None:
        # The certificate is valid through its expiry day, so the credential ends at that day's last second.
        document["validUntil"] = _datetime(data.expires_on, time(23, 59, 59))
    kid = keyring.current_kid
    if kid is None:
        raise RuntimeError("this keyring holds no private key; it can only verify")
    when = created or datetime.combine(data.issued_on, time(0, 0), tzinfo=timezone.utc)
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": f"{issuer_id_url}#{kid}",
        "proofPurpose": "assertionMethod",
        "@context": document["@context"],  # §3.3.1 step 2: the proof config carries the document's context
    }
    _, signature = keyring.sign_bytes(_hash_data(document, options))  # signed by the current key, named above
    return {**document, "proof": {**options, "proofValue": "z" + base58_encode(signature)}}


def _narrative(data: CertificateData, hours: str) -> str:
    modules = "; ".join(f"{title} ({module_id}, version {version})" for module_id, version, title in data.modules)
    text = f"Completed every module of the course and its assessments ({hours} hours of study)."
    return f"{text} Modules: {modules}." if modules else text


def _datetime(day: date, at: time = time(0, 0)) -> str:
    return datetime.combine(day, at).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile(keyring: Keyring, issuer_id_url: str, issuer_name: str, issuer_url: str) -> dict[str, Any]:
    """The issuer's Profile with every public key as a Multikey verification method, to serve at
    ``issuer_id_url`` so that ``<issuer_id_url>#<kid>`` resolves."""
    methods = [
        {"id": f"{issuer_id_url}#{kid}", "type": "Multikey", "controller": issuer_id_url,
         "publicKeyMultibase": multikey(keyring.public_key(kid))}  # type: ignore[arg-type]
        for kid in keyring.kids
    ]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id_url,
        "type": ["Profile"],
        "name": issuer_name,
        "url": issuer_url,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


# --- Verifying -----------------------------------------------------------------------------------------------------

def verify_credential(doc: object, keyring: Keyring) -> bool:
    """True only for a credential whose eddsa-jcs-2022 proof was made by one of the keyring's keys, named as a
    verification method of the credential's own issuer. Never raises."""
    def resolve(method: str) -> Ed25519PublicKey | None:
        controller, _, kid = method.partition("#")
        issuer = doc.get("issuer") if isinstance(doc, Mapping) else None
        issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
        # A proof by a key of ours under somebody else's issuer id would let them borrow our signature.
        return keyring.public_key(kid) if controller and controller == issuer_id else None

    return _verify(doc, resolve)


def verify_data_integrity(doc: object, public_key: Ed25519PublicKey) -> bool:
    """Check an eddsa-jcs-2022 proof against a given public key, whatever its verification method says."""
    return _verify(doc, lambda _method: public_key)


def _verify(doc: object, resolve: Callable[[str], Ed25519PublicKey | None]) -> bool:
    try:
        return _verify_proof(doc, resolve)
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
        return False


def _verify_proof(doc: object, resolve: Callable[[str], Ed25519PublicKey | None]) -> bool:
    # W3C vc-di-eddsa §3.3.2 (Verify Proof, eddsa-jcs-2022).
    if not isinstance(doc, Mapping) or not isinstance(doc.get("proof"), Mapping):
        return False  # a proof set (a list) is not something we issue
    proof = doc["proof"]
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    if (options.get("type") != "DataIntegrityProof" or options.get("cryptosuite") != CRYPTOSUITE
            or options.get("proofPurpose") != "assertionMethod"):
        return False
    created = options.get("created")
    if created is not None and not (isinstance(created, str) and _DATETIME.fullmatch(created)):
        return False
    method, proof_value = options.get("verificationMethod"), proof.get("proofValue")
    if not isinstance(method, str) or not isinstance(proof_value, str) or not proof_value.startswith("z"):
        return False
    signature = base58_decode(proof_value[1:])
    unsecured = {key: value for key, value in doc.items() if key != "proof"}
    if "@context" in options:
        # Step 4: the document's context must start with the proof's, and the proof's is what was signed.
        proof_context, doc_context = _as_list(options["@context"]), _as_list(unsecured.get("@context"))
        if doc_context[:len(proof_context)] != proof_context:
            return False
        unsecured["@context"] = options["@context"]
    key = resolve(method)
    if key is None or len(signature) != 64:
        return False
    verifier = Keyring(None, [key])
    return verifier.verify_bytes(_hash_data(unsecured, options), verifier.kids[0], signature)


def _as_list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _hash_data(document: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    # §3.3.4: proof configuration hash first, then the document hash.
    return hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(document)).digest()


# --- Encodings -----------------------------------------------------------------------------------------------------

def base58_encode(data: bytes) -> str:
    """Base58 with the Bitcoin alphabet (multibase ``z``), leading zero bytes as leading ``1``s."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_BASE58[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def base58_decode(text: str) -> bytes:
    if not isinstance(text, str) or len(text) > 200:  # no signature or key is that long; bounds the big integer
        raise ValueError("not a base58 string of a key or signature")
    number = 0
    for char in text:
        index = _BASE58.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not a base58 character")
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multikey(public_key: Ed25519PublicKey) -> str:
    """An Ed25519 public key as a Multikey ``publicKeyMultibase`` (``z6Mk...``)."""
    return "z" + base58_encode(ED25519_MULTICODEC + raw_public(public_key))


def public_key_from_multikey(text: str) -> Ed25519PublicKey:
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("a Multikey is base58-btc multibase (starts with 'z')")
    raw = base58_decode(text[1:])
    if len(raw) != 34 or not raw.startswith(ED25519_MULTICODEC):
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])
