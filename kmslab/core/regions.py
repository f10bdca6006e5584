"""Regions and their crypto profiles.

A region is FIPS (AES-256, ``KeyMetadata.Type`` 2) or SM (SM4, ``Type`` 4). By default
the mainland-China regions the documentation lists are SM and the others FIPS; a
``KMS`` can be given any mapping instead.
"""

from __future__ import annotations

from kmslab.crypto.suites import AES_256_GCM, SM4_GCM, AeadSuite

FIPS = "FIPS"
SM = "SM"
PROFILES = (FIPS, SM)

SYMMETRIC_SUITE: dict[str, AeadSuite] = {FIPS: AES_256_GCM, SM: SM4_GCM}
"""The AEAD a profile uses for CMKs, for PQC KEM-DEM and for data under its keys."""

DEFAULT_REGIONS: dict[str, str] = {
    "ap-guangzhou": SM,
    "ap-shanghai": SM,
    "ap-beijing": SM,
    "ap-nanjing": SM,
    "ap-shanghai-fsi": SM,
    "ap-shenzhen-fsi": SM,
    "ap-hongkong": FIPS,
    "ap-singapore": FIPS,
    "ap-tokyo": FIPS,
    "ap-seoul": FIPS,
    "ap-jakarta": FIPS,
    "eu-frankfurt": FIPS,
}
DEFAULT_REGION = "ap-guangzhou"
