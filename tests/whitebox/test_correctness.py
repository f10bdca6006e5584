"""Every table-network result equals ``cryptography``'s AES-256 / SM4, byte for byte."""

from __future__ import annotations

import base64

import gmssl.sm4 as gm
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wb_helpers import KEY_ID, b64, cbc_encrypt, ecb

from kmslab.whitebox import Library, WhiteBoxCipher, decrypt, encrypt
from kmslab.whitebox import schedules as sch

VECTORS = [
    # FIPS-197 appendix C.3 (AES-256)
    (
        "AES_256",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "00112233445566778899aabbccddeeff",
        "8ea2b7ca516745bfeafc49904b496089",
    ),
    # GB/T 32907-2016 appendix A.1 (SM4)
    (
        "SM4",
        "0123456789abcdeffedcba9876543210",
        "0123456789abcdeffedcba9876543210",
        "681edf34d206965e86b3e94f536e4246",
    ),
]


def _ciphers(lib: Library, algorithm: str, key: bytes) -> tuple[WhiteBoxCipher, WhiteBoxCipher]:
    keys = lib.encode_key(algorithm, key, KEY_ID)
    return WhiteBoxCipher(lib.sdk, keys.encrypt_key), WhiteBoxCipher(lib.sdk, keys.decrypt_key)


@pytest.mark.parametrize(("algorithm", "key", "plain", "cipher"), VECTORS)
def test_standard_vectors(lib: Library, algorithm: str, key: str, plain: str, cipher: str) -> None:
    enc, dec = _ciphers(lib, algorithm, bytes.fromhex(key))
    assert enc.run_blocks(bytes.fromhex(plain)).tobytes().hex() == cipher
    assert dec.run_blocks(bytes.fromhex(cipher)).tobytes().hex() == plain


def test_aes_key_schedule_matches_fips197() -> None:
    rks = sch.aes256_round_keys(bytes(range(32)))
    assert rks[2].hex() == "a573c29fa176c498a97fce93a572c09c"  # w[8..11], FIPS-197 A.3
    assert rks[14].hex() == "24fc79ccbf0979e9371ac23c6d68de36"  # w[56..59]
    assert sch.AES_SBOX[0x53] == 0xED and sch.AES_INV_SBOX[0xED] == 0x53


def test_sm4_constants_match_gmssl() -> None:
    assert list(sch.SM4_SBOX) == list(gm.SM4_BOXES_TABLE)
    assert list(sch.SM4_CK) == list(gm.SM4_CK) and list(sch.SM4_FK) == list(gm.SM4_FK)
    ctx = gm.CryptSM4()
    key = bytes(range(16))
    ctx.set_key(key, gm.SM4_ENCRYPT)
    assert ctx.sk == sch.sm4_round_keys(key)


@settings(max_examples=25, deadline=None)
@given(
    algorithm=st.sampled_from(["AES_256", "SM4"]),
    key=st.binary(min_size=32, max_size=32),
    data=st.integers(1, 40).flatmap(lambda n: st.binary(min_size=16 * n, max_size=16 * n)),
)
def test_random_keys_and_blocks(lib: Library, algorithm: str, key: bytes, data: bytes) -> None:
    key = key[: 32 if algorithm == "AES_256" else 16]
    enc, dec = _ciphers(lib, algorithm, key)
    ref = ecb(algorithm, key, data)
    assert enc.run_blocks(data).tobytes() == ref
    assert dec.run_blocks(ref).tobytes() == data


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
def test_batch_equals_block_by_block(lib: Library, algorithm: str) -> None:
    key = bytes(range(32 if algorithm == "AES_256" else 16))
    _, dec = _ciphers(lib, algorithm, key)
    blocks = np.arange(16 * 9, dtype=np.uint8).reshape(9, 16)
    one_by_one = np.concatenate([dec.run_blocks(blocks[k : k + 1]) for k in range(9)])
    assert (dec.run_blocks(blocks) == one_by_one).all()


@settings(max_examples=15, deadline=None)
@given(
    algorithm=st.sampled_from(["AES_256", "SM4"]),
    key=st.binary(min_size=32, max_size=32),
    iv=st.binary(min_size=16, max_size=16),
    plain=st.binary(min_size=1, max_size=200),
)
def test_cbc_round_trip_against_cryptography(
    lib: Library, algorithm: str, key: bytes, iv: bytes, plain: bytes
) -> None:
    key = key[: 32 if algorithm == "AES_256" else 16]
    keys = lib.encode_key(algorithm, key, KEY_ID)
    ct = cbc_encrypt(algorithm, key, iv, plain)
    assert decrypt(lib.sdk, keys.decrypt_key, b64(iv), b64(ct)) == plain
    assert encrypt(lib.sdk, keys.encrypt_key, b64(iv), plain) == b64(ct)


@pytest.mark.parametrize("size", [1, 15, 16, 17, 4096])
def test_sm4_cbc_cross_checked_with_gmssl(lib: Library, size: int) -> None:
    key, iv = bytes(range(16)), bytes(range(100, 116))
    plain = bytes((7 * k) & 0xFF for k in range(size))
    keys = lib.encode_key("SM4", key, KEY_ID)
    ctx = gm.CryptSM4()
    ctx.set_key(key, gm.SM4_ENCRYPT)
    gm_ct = ctx.crypt_cbc(iv, plain)  # gmssl pads with PKCS#7
    assert encrypt(lib.sdk, keys.encrypt_key, b64(iv), plain) == b64(gm_ct)
    assert decrypt(lib.sdk, keys.decrypt_key, b64(iv), b64(gm_ct)) == plain
    ctx.set_key(key, gm.SM4_DECRYPT)
    wb_ct = cbc_encrypt("SM4", key, iv, plain)
    assert ctx.crypt_cbc(iv, wb_ct) == plain


def test_raw_bytes_and_base64_inputs_agree(lib: Library) -> None:
    key, iv = bytes(range(32)), bytes(16)
    keys = lib.encode_key("AES_256", key, KEY_ID)
    ct = cbc_encrypt("AES_256", key, iv, b"test\n")
    raw_key = base64.b64decode(keys.decrypt_key)
    assert decrypt(lib.sdk, raw_key, iv, ct) == decrypt(lib.sdk, keys.decrypt_key, b64(iv), b64(ct))
