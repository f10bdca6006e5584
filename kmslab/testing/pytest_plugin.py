"""kmslab's pytest plugin (``pytest11`` entry point ``kmslab``): fixtures that give a test
a fresh KMS, the official SDK answered in process, or a served endpoint.

* ``kms``: a fresh seeded (deterministic, INSECURE) service, one per test.
* ``kms_mock``: ``mock_kms`` active over ``kms`` for the test; yields the service, and
  puts its SecretId/SecretKey in ``TENCENTCLOUD_SECRET_ID`` / ``TENCENTCLOUD_SECRET_KEY``
  and its region in ``TENCENTCLOUD_REGION``.
* ``kms_endpoint``: ``kms`` served over HTTP on a free loopback port for the test; yields
  the :class:`~kmslab.server.runner.ServerHandle`, with the same variables plus
  ``KMSLAB_ENDPOINT`` (``host:port``, the SDK's ``HttpProfile.endpoint``) and
  ``KMSLAB_URL``.

See ``docs/testing.md``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

__all__ = ["kms", "kms_endpoint", "kms_mock"]

KMS_SEED = 13
"""The seed of the ``kms`` fixture's service (the same keys in every run)."""


def _credentials_env(monkeypatch: pytest.MonkeyPatch, service: Any) -> None:
    key = service.api_keys()[0]
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", key.secret_id)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", key.secret_key)
    monkeypatch.setenv("TENCENTCLOUD_REGION", service.default_region)


@pytest.fixture
def kms() -> Iterator[Any]:
    """A fresh seeded service (deterministic: the same key ids and ciphertexts per run)."""
    import kmslab

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kmslab.InsecureDeterministicModeWarning)
        service = kmslab.KMS(seed=KMS_SEED)
    yield service
    service.close()


@pytest.fixture
def kms_mock(kms: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Every ``KmsClient`` answered in process by ``kms`` during the test; yields ``kms``."""
    from kmslab.testing.mock import MockKMS

    _credentials_env(monkeypatch, kms)
    with MockKMS(kms):
        yield kms


@pytest.fixture
def kms_endpoint(kms: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``kms`` served on a free loopback port during the test; yields the handle."""
    handle = kms.serve()
    try:
        _credentials_env(monkeypatch, kms)
        monkeypatch.setenv("KMSLAB_ENDPOINT", handle.endpoint)
        monkeypatch.setenv("KMSLAB_URL", handle.url)
        yield handle
    finally:
        handle.stop()
