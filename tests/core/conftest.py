"""Fixtures shared by the key-service core tests: a fresh deterministic service per test,
a key factory and a helper that returns the error code a call is refused with."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kmslab import KMS
from kmslab.actions.errors import KMSError


@pytest.fixture
def kms() -> KMS:
    """A fresh, seeded service (virtual clock at the deterministic epoch)."""
    return KMS(seed=7)


@pytest.fixture
def new_key(kms: KMS) -> Callable[..., str]:
    """Create a key with a fresh alias in the default account and region; return its id."""
    counter = iter(range(10**6))

    def make(**params) -> str:
        params.setdefault("Alias", f"key-{next(counter)}")
        return kms.CreateKey(**params)["KeyId"]

    return make


@pytest.fixture
def fails() -> Callable[..., KMSError]:
    """``fails(kms.Action, **params)``: the KMSError the call raises (the test fails if
    it succeeds)."""

    def run(method: Callable[..., dict], **params) -> KMSError:
        with pytest.raises(KMSError) as info:
            method(**params)
        return info.value

    return run
