"""Shared endpoints for the wire tests: one service, served over HTTP and HTTPS."""

from __future__ import annotations

import pytest

import kmslab


@pytest.fixture(scope="session")
def wire_kms():
    """A real-clock service (the SDKs sign with real time), with room for the white-box
    keys every parametrisation of the SDK tests creates (50 is the documented quota)."""
    return kmslab.KMS(whitebox_key_limit=10_000)


@pytest.fixture(scope="session")
def http_endpoint(wire_kms):
    handle = wire_kms.serve()
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def https_endpoint(wire_kms):
    handle = wire_kms.serve(https=True)
    yield handle
    handle.stop()
