"""Fixtures of the hosted-data-key tests: a fresh seeded service, a CMK factory, a
hosted-data-key factory, and the error a refused call raises."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from kmslab import KMS
from kmslab.actions.errors import KMSError


@pytest.fixture
def kms() -> KMS:
    """A fresh seeded service (virtual clock), default region ap-guangzhou (SM)."""
    return KMS(seed=10)


@pytest.fixture
def new_key(kms: KMS) -> Callable[..., str]:
    """Create a CMK with a fresh alias; return its id."""
    counter = iter(range(10**6))

    def make(**params) -> str:
        params.setdefault("Alias", f"cmk-{next(counter)}")
        return kms.CreateKey(**params)["KeyId"]

    return make


@pytest.fixture
def hosted(kms: KMS, new_key) -> Callable[..., dict]:
    """``hosted(**params)``: GenerateDataKey(IsHostedByKms=1) under a new CMK (or
    ``KeyId``) with a fresh name; returns the response."""
    counter = iter(range(10**6))

    def make(**params) -> dict:
        params.setdefault("KeyId", new_key())
        params.setdefault("DataKeyName", f"dk-{next(counter)}")
        params.setdefault("NumberOfBytes", 32)
        return kms.GenerateDataKey(IsHostedByKms=1, **params)

    return make


@pytest.fixture
def fails() -> Callable[..., KMSError]:
    """``fails(kms.Action, **params)``: the KMSError the call raises."""

    def run(method: Callable[..., dict], **params) -> KMSError:
        with pytest.raises(KMSError) as info:
            method(**params)
        return info.value

    return run


def b64(data: bytes) -> str:
    """Base64 text of ``data``."""
    return base64.b64encode(data).decode()
