"""Fixtures of the white-box tests: one library per test session (built once, cached)."""

from __future__ import annotations

import pytest
from wb_helpers import SEED

from kmslab.whitebox import Library, build_library


@pytest.fixture(scope="session")
def lib() -> Library:
    """The white-box library of the fixed test seed."""
    return build_library(SEED)


@pytest.fixture
def no_env_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run without a ``KMSLAB_WB_FINGERPRINT`` override."""
    monkeypatch.delenv("KMSLAB_WB_FINGERPRINT", raising=False)
