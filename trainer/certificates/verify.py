"""Judging a certificate: is this signed bundle genuine, and does it still stand?

The same function serves the public page (bundle from the database), the offline CLI (bundle from a PDF, keys
and revocation list from files) and the tests. The checks run in a fixed order, and the first failure decides:
malformed, unknown_key, bad_signature, unknown (not in our registry), revoked, expired, valid.
"""
from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from trainer.certificates.data import CertificateData, parse_iso_date
from trainer.certificates.serial import normalise
from trainer.certificates.signing import Keyring

REVOCATION_LIST_VERSION = 1
BUNDLE_KEYS = frozenset({"payload", "kid", "signature"})


class Verdict(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Result:
    """A verdict with what could be read.

    ``payload``/``data`` are set whenever the payload parses, even when the signature fails, so a forgery can be
    investigated; only when ``signature_ok`` is the content ours. Show nothing of it to the public otherwise."""

    verdict: Verdict
    payload: dict[str, Any] | None = None
    data: CertificateData | None = None
    signature_ok: bool = False
    revoked_on: date | None = None

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID

    @property
    def serial(self) -> str | None:
        return self.data.serial if self.data else None


def judge(bundle: Mapping[str, Any] | None, keyring: Keyring, revoked: Mapping[str, date], today: date,
          known_serials: Container[str] | None = None) -> Result:
    """The verdict on a signed bundle (``CertificateData.signed_bundle``) as of ``today``. Never raises on bad input.

    ``None`` means there is nothing to judge (no certificate was found for the serial): unknown. ``revoked`` maps
    compact serials to revocation dates; ``known_serials``, when given, is the registry of serials we issued."""
    if bundle is None:
        return Result(Verdict.UNKNOWN)
    try:
        if not isinstance(bundle, Mapping) or set(bundle) != BUNDLE_KEYS:
            return Result(Verdict.MALFORMED)
        payload, kid, signature = bundle["payload"], bundle["kid"], bundle["signature"]
        if not isinstance(kid, str) or not isinstance(signature, str):
            return Result(Verdict.MALFORMED)
        data = CertificateData.from_payload(payload)
    except (ValueError, TypeError, RecursionError):
        return Result(Verdict.MALFORMED)
    payload = dict(payload)
    if keyring.public_key(kid) is None:
        return Result(Verdict.UNKNOWN_KEY, payload, data)
    if not keyring.verify(payload, kid, signature):
        return Result(Verdict.BAD_SIGNATURE, payload, data)
    if known_serials is not None and data.serial not in known_serials:
        return Result(Verdict.UNKNOWN, payload, data, signature_ok=True)
    if data.serial in revoked:
        return Result(Verdict.REVOKED, payload, data, signature_ok=True, revoked_on=revoked[data.serial])
    if data.is_expired(today):
        return Result(Verdict.EXPIRED, payload, data, signature_ok=True)
    return Result(Verdict.VALID, payload, data, signature_ok=True)


# --- Revocation list -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RevocationList:
    revoked: Mapping[str, date]
    as_of: date | None = None
    kid: str | None = None  # the key that signed the list, when it was signed


def revocation_list_document(revoked: Mapping[str, date], keyring: Keyring | None = None,
                             as_of: date | None = None) -> dict[str, Any]:
    """The revocation list as JSON for offline checks: serials and dates only (the reason is not public).

    With a keyring the list is signed, so a copy passed around cannot have entries quietly removed; ``as_of`` says
    how fresh it is."""
    body: dict[str, Any] = {
        "v": REVOCATION_LIST_VERSION,
        "as_of": as_of.isoformat() if as_of else None,
        "revoked": [{"serial": serial, "revoked_on": revoked[serial].isoformat()} for serial in sorted(revoked)],
    }
    if keyring is not None:
        body["kid"], body["signature"] = keyring.sign(body)
    return body


def read_revocation_list(doc: object, keyring: Keyring | None = None) -> RevocationList:
    """Read ``revocation_list_document`` output back. With a keyring the signature is required and checked.

    Raises ValueError on a malformed document or a missing or bad signature."""
    if not isinstance(doc, Mapping) or doc.get("v") != REVOCATION_LIST_VERSION:
        raise ValueError("not a revocation list (version 1)")
    signed = {"kid", "signature"} <= set(doc)
    if set(doc) != {"v", "as_of", "revoked"} | ({"kid", "signature"} if signed else set()):
        raise ValueError("unexpected or missing keys in the revocation list")
    body = {key: doc[key] for key in ("v", "as_of", "revoked")}
    if keyring is not None and not (signed and keyring.verify(body, doc["kid"], doc["signature"])):
        raise ValueError("the revocation list is not signed by a known key")
    entries = doc["revoked"]
    if not isinstance(entries, list):
        raise ValueError('"revoked" must be a list')
    revoked: dict[str, date] = {}
    for entry in entries:
        if not isinstance(entry, Mapping) or set(entry) != {"serial", "revoked_on"}:
            raise ValueError('each entry has exactly "serial" and "revoked_on"')
        serial = normalise(entry["serial"])
        if serial is None or serial != entry["serial"]:
            raise ValueError(f"bad serial {entry['serial']!r} in the revocation list")
        revoked[serial] = parse_iso_date("revoked_on", entry["revoked_on"])
    as_of = None if doc["as_of"] is None else parse_iso_date("as_of", doc["as_of"])
    return RevocationList(MappingProxyType(revoked), as_of, doc["kid"] if signed else None)
