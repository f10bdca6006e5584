"""The PQC blob's DEM half (docs/algorithms.md) against its definition written out with
``cryptography``'s own HKDF and AEADs: the key derivation computed as two HMACs and the
one-shot AEAD calls give the same bytes as ``HKDF(...).derive`` and the suites'
prepared ciphers, for both regions' suites and for any secret and header."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given, settings
from hypothesis import strategies as st

from kmslab.crypto import pqc
from kmslab.crypto.suites import AES_256_GCM, SM4_GCM

LABEL = b"kmslab pqc dem v1\x00"
SUITES = [AES_256_GCM, SM4_GCM]


def hkdf(secret: bytes, size: int, info: bytes) -> bytes:
    return HKDF(hashes.SHA256(), size, None, LABEL + info).derive(secret)


@settings(max_examples=200, deadline=None)
@given(
    secret=st.binary(max_size=80),
    size=st.integers(min_value=1, max_value=96),
    info=st.binary(max_size=64),
)
def test_dem_key_is_hkdf_sha256_byte_for_byte(secret, size, info):
    assert pqc.dem_key(secret, size, info) == hkdf(secret, size, info)


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: s.name)
@settings(max_examples=50, deadline=None)
@given(
    secret=st.binary(min_size=16, max_size=64),
    header=st.binary(min_size=22, max_size=22),
    data=st.binary(min_size=1, max_size=300),
    aad=st.binary(max_size=80),
)
def test_dem_seal_is_the_suites_aead_under_the_hkdf_key(suite, secret, header, data, aad):
    nonce = bytes(range(12))
    expected = suite.prepare(hkdf(secret, suite.key_size, header)).seal(nonce, data, aad)
    sealed = pqc.dem_seal(suite, secret, header, nonce, data, aad)
    assert sealed == expected
    assert pqc.dem_open(suite, secret, header, nonce, sealed, aad) == data


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: s.name)
def test_dem_open_refuses_any_other_secret_header_aad_or_byte(suite):
    secret, header, nonce, aad = b"s" * 32, b"h" * 22, b"n" * 12, b"aad"
    sealed = pqc.dem_seal(suite, secret, header, nonce, b"plaintext", aad)
    flipped = bytes([sealed[0] ^ 1]) + sealed[1:]
    for args in [
        (b"t" * 32, header, nonce, sealed, aad),
        (secret, b"i" * 22, nonce, sealed, aad),
        (secret, header, nonce, sealed, b"aae"),
        (secret, header, nonce, flipped, aad),
    ]:
        with pytest.raises(Exception):  # noqa: B017, PT011 - each suite raises its own
            pqc.dem_open(suite, *args)


def test_prepared_keys_pair_a_private_key_with_its_own_public_key():
    kem = pqc.mlkem_prepared(bytes(range(64)))
    assert kem.public.public_bytes_raw() == kem.private.public_key().public_bytes_raw()
    secret, ciphertext = pqc.encapsulate_to(kem.public)
    assert pqc.decapsulate(kem.private, ciphertext) == secret
    dsa = pqc.mldsa_prepared(bytes(range(32)))
    signature = pqc.sign(dsa.private, b"m")
    assert pqc.verify_public(dsa.public, signature, b"m")
    assert not pqc.verify_public(dsa.public, signature, b"n")
    assert repr(kem) == repr(dsa) == "Prepared()"  # no key material in a repr
