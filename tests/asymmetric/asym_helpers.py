"""Helpers for the asymmetric, PQC and import tests (a unique module name: no
__init__.py in tests)."""

from __future__ import annotations

import base64

import pytest

from kmslab.actions.errors import KMSError

_counter = iter(range(10**6))


def make_key(face, usage: str, **extra) -> str:
    """Create a key of ``usage`` through ``face`` and return its id."""
    return face.CreateKey(Alias=f"k{next(_counter)}", KeyUsage=usage, **extra)["KeyId"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


def code_of(fn, **params) -> str:
    """The error code ``fn(**params)`` raises (the test fails if it succeeds)."""
    with pytest.raises(KMSError) as info:
        fn(**params)
    return info.value.code
