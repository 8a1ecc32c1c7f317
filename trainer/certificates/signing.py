"""Ed25519 signatures over a canonical JSON serialisation, and the keys that make and check them.

``canonical`` follows RFC 8785 (JSON Canonicalization Scheme) for the JSON we produce: object keys sorted by
their UTF-16 code units, no insignificant whitespace, strings escaped as ECMAScript's ``JSON.stringify`` does,
UTF-8. Floats are refused rather than serialised, because RFC 8785's number formatting is the part most
implementations get wrong and certificates need none (hours are whole minutes); integers must be exact in an
IEEE double (I-JSON, RFC 7493).

A key's id (``kid``) is the first 16 hex characters of the SHA-256 of its raw 32-byte public key, so anyone
holding the public key can recompute it. A ``Keyring`` has at most one private key (the current one, which
signs) and every public key still trusted for verification, so certificates signed before a rotation stay valid.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MAX_SAFE_INTEGER = 2**53 - 1
CURRENT_FILE = "current"
KEY_SUFFIX = ".pem"


# --- Canonical JSON (RFC 8785) -------------------------------------------------------------------------------------

def canonical(obj: object) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``obj`` (dicts with str keys, lists/tuples, str, int, bool, None).

    Raises TypeError for floats and other types, ValueError for integers beyond 2**53 - 1 and unpaired
    surrogates."""
    try:
        return _encode(obj).encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate cannot be UTF-8, so it cannot be signed reproducibly
        raise ValueError("string contains an unpaired surrogate") from exc


def _encode(obj: object) -> str:
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, int):
        if abs(obj) > MAX_SAFE_INTEGER:
            raise ValueError(f"integer {obj} is not exact in an IEEE double (RFC 8785 §3.2.2.3)")
        return str(int(obj))
    if isinstance(obj, float):
        raise TypeError("floats are not allowed in signed data; use integers (e.g. minutes, not hours)")
    if isinstance(obj, str):
        # json.dumps with ensure_ascii=False escapes exactly what RFC 8785 §3.2.2.2 asks: '"', '\\', and the
        # controls below U+0020, using \b \t \n \f \r where they exist and lower-case \u00xx otherwise.
        return json.dumps(obj, ensure_ascii=False)
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(_encode(item) for item in obj) + "]"
    if isinstance(obj, Mapping):
        if not all(isinstance(key, str) for key in obj):
            raise TypeError("object keys must be strings")
        # RFC 8785 §3.2.3: sort by UTF-16 code units; big-endian UTF-16 bytes compare the same way.
        keys = sorted(obj, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(_encode(key) + ":" + _encode(obj[key]) for key in keys) + "}"
    raise TypeError(f"{type(obj).__name__} cannot be serialised canonically")


# --- Encodings -----------------------------------------------------------------------------------------------------

def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64_decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not; raises ValueError on anything else."""
    if not isinstance(text, str):
        raise ValueError("base64 text expected")
    compact = "".join(text.split()).rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not valid base64") from exc


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex characters of SHA-256 of the raw public key: short, and recomputable by anyone."""
    return hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def private_pem(private_key: Ed25519PrivateKey) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def generate_private_pem() -> str:
    """A new private key as PEM, e.g. for an operator to put into production configuration."""
    return private_pem(Ed25519PrivateKey.generate())


def _unescape_pem(text: str) -> str:
    # PEMs pasted into one-line environment variables often arrive with literal "\n".
    return text.replace("\\n", "\n").strip() if "-----BEGIN" in text else text.strip()


def load_private_key(text: str) -> Ed25519PrivateKey:
    """A PKCS#8 PEM (unencrypted) or the base64 of the raw 32-byte private key."""
    text = _unescape_pem(text)
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnicodeEncodeError) as exc:
            raise ValueError(f"unreadable private key PEM: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the private key is not an Ed25519 key")
        return key
    raw = b64_decode(text)
    if len(raw) != 32:
        raise ValueError("a raw Ed25519 private key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_public_key(text: str) -> Ed25519PublicKey:
    """A SubjectPublicKeyInfo PEM or the base64 of the raw 32-byte public key."""
    text = _unescape_pem(text)
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except (ValueError, TypeError, UnicodeEncodeError) as exc:
            raise ValueError(f"unreadable public key PEM: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("the public key is not an Ed25519 key")
        return key
    raw = b64_decode(text)
    if len(raw) != 32:
        raise ValueError("a raw Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


# --- Keyring -------------------------------------------------------------------------------------------------------

class Keyring:
    """The current signing key (if any) and every public key trusted for verification, by key id."""

    def __init__(self, private_key: Ed25519PrivateKey | None = None,
                 public_keys: Iterable[Ed25519PublicKey] = ()) -> None:
        self._private = private_key
        self._public: dict[str, Ed25519PublicKey] = {key_id(key): key for key in public_keys}
        self._current: str | None = None
        if private_key is not None:
            self._current = key_id(private_key.public_key())
            self._public[self._current] = private_key.public_key()

    def __repr__(self) -> str:  # never show key material
        return f"<Keyring current={self._current} kids={list(self.kids)}>"

    @property
    def current_kid(self) -> str | None:
        return self._current

    @property
    def can_sign(self) -> bool:
        return self._private is not None

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(sorted(self._public))

    def public_key(self, kid: str) -> Ed25519PublicKey | None:
        return self._public.get(kid) if isinstance(kid, str) else None

    # Signing ---------------------------------------------------------------------------------------------------

    def sign_bytes(self, data: bytes) -> tuple[str, bytes]:
        if self._private is None or self._current is None:
            raise RuntimeError("this keyring holds no private key; it can only verify")
        return self._current, self._private.sign(data)

    def sign(self, obj: object) -> tuple[str, str]:
        """(kid, base64url signature without padding) over ``canonical(obj)``."""
        kid, signature = self.sign_bytes(canonical(obj))
        return kid, b64url_encode(signature)

    def verify_bytes(self, data: bytes, kid: object, signature: object) -> bool:
        key = self.public_key(kid) if isinstance(kid, str) else None
        if key is None or not isinstance(signature, bytes) or len(signature) != 64 or not isinstance(data, bytes):
            return False
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def verify(self, obj: object, kid: object, signature: object) -> bool:
        """True only if ``signature`` (base64url) is ``kid``'s signature of ``canonical(obj)``; never raises."""
        try:
            data = canonical(obj)
            raw = b64_decode(signature)  # type: ignore[arg-type]
        except (TypeError, ValueError, RecursionError):
            return False
        return self.verify_bytes(data, kid, raw)

    # Publication -----------------------------------------------------------------------------------------------

    def public_keys_document(self) -> dict:
        """Every public key as a JWK Set (RFC 7517, with RFC 8037 OKP keys), the current key first."""
        order = sorted(self._public, key=lambda kid: (kid != self._current, kid))
        return {"keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw_public(self._public[kid])),
             "kid": kid, "alg": "EdDSA", "use": "sig"}
            for kid in order
        ]}

    # Loading ---------------------------------------------------------------------------------------------------

    @classmethod
    def from_public_document(cls, doc: object) -> Keyring:
        """A verify-only keyring from ``public_keys_document()`` output (e.g. fetched once, kept for offline use).

        Raises ValueError when the document is not such a JWK Set or a kid does not match its key."""
        if not isinstance(doc, Mapping) or not isinstance(doc.get("keys"), list):
            raise ValueError('a JWK Set is an object with a "keys" list')
        keys = []
        for jwk in doc["keys"]:
            if not isinstance(jwk, Mapping) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
                raise ValueError("only Ed25519 OKP keys are expected")
            raw = b64_decode(jwk.get("x"))
            if len(raw) != 32:
                raise ValueError("an Ed25519 public key is 32 bytes")
            key = Ed25519PublicKey.from_public_bytes(raw)
            if "kid" in jwk and jwk["kid"] != key_id(key):
                raise ValueError(f"kid {jwk['kid']!r} does not belong to its key")
            keys.append(key)
        return cls(None, keys)

    @classmethod
    def from_config(cls, private_pem: str, extra_public: Sequence[str] = ()) -> Keyring:
        """Production: the current private key and the public keys of retired ones, each as PEM or base64 raw."""
        if not isinstance(private_pem, str) or not private_pem.strip():
            raise ValueError("a signing key is required")
        return cls(load_private_key(private_pem), [load_public_key(text) for text in extra_public])

    @classmethod
    def from_folder(cls, path: str | os.PathLike[str], create: bool = True) -> Keyring:
        """Development: a folder of ``<kid>.pem`` files and a ``current`` file naming the signing key.

        With ``create``, an empty or missing folder gets a first key. Public-only PEMs are accepted too, for keys
        kept for verification only."""
        folder = Path(path)
        pems = sorted(folder.glob("*" + KEY_SUFFIX)) if folder.is_dir() else []
        if not pems:
            if not create:
                raise FileNotFoundError(f"no signing keys in {folder}")
            rotate(folder)
            pems = sorted(folder.glob("*" + KEY_SUFFIX))
        privates: dict[str, Ed25519PrivateKey] = {}
        publics: list[Ed25519PublicKey] = []
        for pem in pems:
            text = pem.read_text("ascii")
            if "PRIVATE KEY" in text:
                key = load_private_key(text)
                privates[key_id(key.public_key())] = key
                publics.append(key.public_key())
            else:
                publics.append(load_public_key(text))
        current_file = folder / CURRENT_FILE
        if current_file.exists():
            current = current_file.read_text("ascii").strip()
        elif len(privates) == 1:
            current = next(iter(privates))
        else:
            raise ValueError(f"{current_file} is missing, so which key signs is unclear")
        if current not in privates:
            raise ValueError(f"the current key {current!r} has no private key in {folder}")
        return cls(privates[current], publics)


def rotate(path: str | os.PathLike[str]) -> str:
    """Add a new private key to the folder and make it current; older keys stay for verification. Returns its kid."""
    folder = Path(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    kid = key_id(key.public_key())
    # 0600 from the start: the key must never be readable by other users, not even briefly.
    fd = os.open(folder / (kid + KEY_SUFFIX), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(private_pem(key))
    # Replace, not rewrite, so a reader never sees a half-written "current".
    tmp = folder / (CURRENT_FILE + ".tmp")
    tmp.write_text(kid + "\n", "ascii")
    os.replace(tmp, folder / CURRENT_FILE)
    return kid
