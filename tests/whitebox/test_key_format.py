"""The white-box key blobs: layout, sizes, and the real key nowhere in a blob or a table."""

from __future__ import annotations

import base64
import struct
import uuid

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wb_helpers import FP_A, FP_B, KEY_ID, SEED

from kmslab.whitebox import Library, WhiteBoxError, encode_key, keyblob
from kmslab.whitebox import schedules as sch
from kmslab.whitebox.errors import INVALID_ARGUMENT, INVALID_KEY, LIBRARY_MISMATCH

AES_KEY = bytes.fromhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


@pytest.mark.parametrize(
    ("algorithm", "key", "size", "bits", "alg_type"),
    [("AES_256", AES_KEY, 312, 256, 0), ("SM4", SM4_KEY, 200, 128, 1)],
)
def test_header_and_sizes(
    lib: Library, algorithm: str, key: bytes, size: int, bits: int, alg_type: int
) -> None:
    keys = lib.encode_key(algorithm, key, KEY_ID)
    enc, dec = base64.b64decode(keys.encrypt_key), base64.b64decode(keys.decrypt_key)
    assert len(enc) == len(dec) == size
    assert enc[0] == 0x04 and dec[0] == 0x08
    for blob in (enc, dec):
        _, version, kbits, atype, slots = struct.unpack_from("<BBHHH", blob)
        assert (version, kbits, atype, slots) == (1, bits, alg_type, 0)
        assert blob[8:24] == lib.library_id
        assert blob[24:40] == uuid.UUID(KEY_ID).bytes
    assert enc[40:-32] != dec[40:-32]  # different networks / key orders


def test_bound_key_grows_by_one_slot_per_fingerprint(lib: Library) -> None:
    keys = lib.encode_key("SM4", SM4_KEY, KEY_ID, [FP_A, FP_B, FP_A])
    dec = base64.b64decode(keys.decrypt_key)
    assert len(dec) == 200 + 2 * 40  # duplicates count once
    assert struct.unpack_from("<H", dec, 6)[0] == 2
    assert len(base64.b64decode(keys.encrypt_key)) == 200  # EncryptKey is never bound


def test_unbound_keys_are_deterministic_and_bound_ones_fresh(lib: Library) -> None:
    a = lib.encode_key("AES_256", AES_KEY, KEY_ID)
    assert a == lib.encode_key("AES_256", AES_KEY, KEY_ID)
    b1 = lib.encode_key("AES_256", AES_KEY, KEY_ID, [FP_A]).decrypt_key
    b2 = lib.encode_key("AES_256", AES_KEY, KEY_ID, [FP_A]).decrypt_key
    assert b1 != b2
    fixed = lib.encode_key("AES_256", AES_KEY, KEY_ID, [FP_A], random_bytes=lambda n: bytes(n))
    assert fixed == lib.encode_key("AES_256", AES_KEY, KEY_ID, [FP_A], random_bytes=bytes)


def test_module_level_encode_key_uses_the_cached_library(lib: Library) -> None:
    assert encode_key(SEED, "SM4", SM4_KEY, KEY_ID) == tuple(
        vars(lib.encode_key("SM4", SM4_KEY, KEY_ID)).values()
    )


def _secrets(algorithm: str, key: bytes) -> list[bytes]:
    if algorithm == "AES_256":
        rks = sch.aes256_round_keys(key)
        return [key, *rks, *sch.aes256_inverse_round_keys(rks)[1:14]]
    rk = sch.sm4_round_keys(key)
    words = [r.to_bytes(4, "big") for r in rk] + [r.to_bytes(4, "little") for r in rk]
    return [key, *words]


def _forms(secret: bytes) -> list[bytes]:
    return [secret, secret.hex().encode(), secret.hex().upper().encode(), base64.b64encode(secret)]


@pytest.mark.parametrize(("algorithm", "key"), [("AES_256", AES_KEY), ("SM4", SM4_KEY)])
def test_key_and_round_keys_appear_in_no_blob(lib: Library, algorithm: str, key: bytes) -> None:
    keys = lib.encode_key(algorithm, key, KEY_ID, [FP_A])
    keys2 = lib.encode_key(algorithm, key, KEY_ID)
    haystacks = []
    for text in (keys.encrypt_key, keys.decrypt_key, keys2.decrypt_key):
        raw = base64.b64decode(text)
        haystacks += [raw, text.encode(), raw.hex().encode(), raw.hex().upper().encode()]
    secrets = _secrets(algorithm, key)
    assert len(secrets) > 20
    for secret in secrets:
        for form in _forms(secret):
            assert all(form not in hay for hay in haystacks)


@pytest.mark.parametrize(("algorithm", "key"), [("AES_256", AES_KEY), ("SM4", SM4_KEY)])
def test_key_and_round_keys_appear_in_no_table(lib: Library, algorithm: str, key: bytes) -> None:
    tables = b"".join(np.ascontiguousarray(t).tobytes() for t in lib.sdk.tables().values())
    secrets = _secrets(algorithm, key)
    if algorithm == "SM4":  # 4-byte words would match random tables by chance: use runs of 4
        rk = b"".join(r.to_bytes(4, "big") for r in sch.sm4_round_keys(key))
        secrets = [key] + [rk[16 * k : 16 * k + 16] for k in range(8)]
    for secret in secrets:
        assert secret not in tables
        assert secret[::-1] not in tables


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("AES_128", bytes(16), KEY_ID), "algorithm"),
        (("AES_256", bytes(16), KEY_ID), "32-byte"),
        (("SM4", bytes(32), KEY_ID), "16-byte"),
        (("SM4", "0" * 16, KEY_ID), "16-byte"),
        (("SM4", bytes(16), "not-a-uuid"), "UUID"),
        (("SM4", bytes(16), None), "UUID"),
    ],
)
def test_bad_issuer_arguments(lib: Library, args: tuple, needle: str) -> None:
    with pytest.raises(WhiteBoxError) as err:
        lib.encode_key(*args)
    assert err.value.code == INVALID_ARGUMENT and needle in err.value.message
    assert err.value.detail_zh


@pytest.mark.parametrize(
    "fingerprints",
    [
        ["nope"],
        [FP_A.upper()],
        [FP_A + "0"],
        [FP_A[:-1]],
        [f"{k:08x}" + FP_A[8:] for k in range(201)],
    ],
)
def test_bad_fingerprints_are_refused(lib: Library, fingerprints: list[str]) -> None:
    with pytest.raises(WhiteBoxError) as err:
        lib.encode_key("SM4", SM4_KEY, KEY_ID, fingerprints)
    assert err.value.code == INVALID_ARGUMENT


def test_two_hundred_fingerprints_fit(lib: Library) -> None:
    fps = [f"{k:08x}" + FP_A[8:] for k in range(200)]
    raw = base64.b64decode(lib.encode_key("SM4", SM4_KEY, KEY_ID, fps).decrypt_key)
    assert len(raw) == 200 + 200 * 40


@pytest.mark.parametrize(
    "position", [0, 1, 3, 5, 7, 8, 23, 24, 39, 40, 100, 167, 168, 200, 207, -1]
)
def test_any_flipped_byte_is_refused(lib: Library, position: int) -> None:
    raw = bytearray(base64.b64decode(lib.encode_key("SM4", SM4_KEY, KEY_ID, [FP_A]).decrypt_key))
    raw[position] ^= 0x01
    with pytest.raises(WhiteBoxError) as err:
        keyblob.parse(bytes(raw), lib.sdk.blob_key, lib.library_id)
    assert err.value.code in (INVALID_KEY, LIBRARY_MISMATCH)


@pytest.mark.parametrize("cut", [1, 32, 40, 239])
def test_truncated_or_extended_blobs_are_refused(lib: Library, cut: int) -> None:
    raw = base64.b64decode(lib.encode_key("AES_256", AES_KEY, KEY_ID).decrypt_key)
    for bad in (raw[:-cut], raw + bytes(cut)):
        with pytest.raises(WhiteBoxError) as err:
            keyblob.parse(bad, lib.sdk.blob_key, lib.library_id)
        assert err.value.code == INVALID_KEY


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_parser_refuses_garbage_cleanly(lib: Library, data: bytes) -> None:
    with pytest.raises(WhiteBoxError):
        keyblob.parse(data, lib.sdk.blob_key, lib.library_id)


@settings(max_examples=50, deadline=None)
@given(
    alg=st.sampled_from([0, 1]),
    mode=st.sampled_from([0x04, 0x08]),
    kid=st.uuids(),
    nfp=st.integers(0, 3),
    mask=st.binary(min_size=32, max_size=32),
)
def test_pack_parse_round_trip(alg: int, mode: int, kid: uuid.UUID, nfp: int, mask: bytes) -> None:
    blob_key, library_id = bytes(32), bytes(range(16))
    rk = bytes(k % 251 for k in range(keyblob.ROUND_KEY_BYTES[alg]))
    fps = (FP_A, FP_B, "00000000" + FP_A[8:])[:nfp]
    raw = keyblob.pack(blob_key, mode, alg, library_id, kid.bytes, rk, fps, mask)
    parsed = keyblob.parse(raw, blob_key, library_id)
    assert (parsed.mode, parsed.algorithm, parsed.key_id) == (mode, alg, str(kid))
    assert parsed.bound == bool(fps) and len(parsed.slots) == nfp
    for fp in fps:
        assert keyblob.unmask(parsed, fp) == rk
    assert (parsed.round_keys == rk) == (nfp == 0)
