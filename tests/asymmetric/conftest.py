"""Fixtures for the asymmetric, PQC and import tests: one deterministic service per
module, seen from its default (SM) region and from a FIPS region."""

from __future__ import annotations

import pytest

import kmslab


@pytest.fixture(scope="module")
def kms():
    return kmslab.KMS(seed=20260101)


@pytest.fixture(scope="module")
def fips(kms):
    return kms.in_region("ap-hongkong")
