from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _rolled_back():
    """Overrides the suite-wide transaction fixture: these tests need no app and no database."""
    yield
