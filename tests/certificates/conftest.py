from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trainer.certificates.signing import Keyring


@pytest.fixture(autouse=True)
def _rolled_back():
    """Overrides the suite-wide transaction fixture: these tests need no app and no database."""
    yield


@pytest.fixture(scope="session")
def keyring() -> Keyring:
    return Keyring(Ed25519PrivateKey.generate())


@pytest.fixture(scope="session")
def other_keyring() -> Keyring:
    """A stranger's key: its signatures must never pass as ours."""
    return Keyring(Ed25519PrivateKey.generate())
