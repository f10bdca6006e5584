"""The offline client refuses bad input with a WhiteBoxError code, never a traceback."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st
from wb_helpers import KEY_ID, b64, cbc_encrypt

from kmslab.whitebox import Library, WhiteBoxError, decrypt, encrypt, encrypt_cbc
from kmslab.whitebox.errors import INVALID_ARGUMENT, INVALID_DATA, INVALID_KEY

KEY = bytes(range(32))
IV = bytes(range(16))


@pytest.fixture(scope="module")
def keys(lib: Library):
    return lib.encode_key("AES_256", KEY, KEY_ID)


def _raw_cbc(last_block: bytes) -> str:
    """A ciphertext whose decryption ends in ``last_block`` (chosen padding bytes)."""
    enc = Cipher(algorithms.AES(KEY), modes.CBC(IV)).encryptor()
    return b64(enc.update(bytes(16) + last_block) + enc.finalize())


GOOD_CT = b64(cbc_encrypt("AES_256", KEY, IV, b"payload"))


@pytest.mark.parametrize(
    ("iv", "ct", "code"),
    [
        ("not base64!", GOOD_CT, INVALID_DATA),
        (b64(IV[:15]), GOOD_CT, INVALID_DATA),
        (b64(IV + b"x"), GOOD_CT, INVALID_DATA),
        (b64(IV), "", INVALID_DATA),
        (b64(IV), b64(bytes(15)), INVALID_DATA),
        (b64(IV), GOOD_CT[:-4] + "====", INVALID_DATA),
        (b64(IV), _raw_cbc(bytes(16)), INVALID_DATA),  # pad byte 0
        (b64(IV), _raw_cbc(bytes(15) + b"\x11"), INVALID_DATA),  # pad 17
        (b64(IV), _raw_cbc(bytes(14) + b"\x01\x02"), INVALID_DATA),  # inconsistent pad
        (12345, GOOD_CT, INVALID_DATA),
        (b64(IV), None, INVALID_DATA),
    ],
)
def test_bad_decrypt_input(lib: Library, keys, iv, ct, code: str) -> None:
    with pytest.raises(WhiteBoxError) as err:
        decrypt(lib.sdk, keys.decrypt_key, iv, ct)
    assert err.value.code == code and err.value.detail_zh


def test_good_input_still_decrypts(lib: Library, keys) -> None:
    assert decrypt(lib.sdk, keys.decrypt_key, b64(IV), GOOD_CT) == b"payload"
    assert decrypt(lib.sdk, keys.decrypt_key, b64(IV), _raw_cbc(bytes(15) + b"\x01")) == bytes(31)


def test_keys_are_used_only_in_their_mode(lib: Library, keys) -> None:
    with pytest.raises(WhiteBoxError) as err:
        decrypt(lib.sdk, keys.encrypt_key, b64(IV), GOOD_CT)
    assert err.value.code == INVALID_KEY
    with pytest.raises(WhiteBoxError) as err:
        encrypt(lib.sdk, keys.decrypt_key, b64(IV), b"x")
    assert err.value.code == INVALID_KEY


@pytest.mark.parametrize("plain", [b"", bytes(4097), "text", None])
def test_bad_encrypt_input(lib: Library, keys, plain) -> None:
    with pytest.raises(WhiteBoxError) as err:
        encrypt(lib.sdk, keys.encrypt_key, b64(IV), plain)
    assert err.value.code == INVALID_DATA


@pytest.mark.parametrize("key", ["%%%", "", b"", 42, b64(b"\x08" * 100)])
def test_bad_key_input(lib: Library, key) -> None:
    with pytest.raises(WhiteBoxError) as err:
        decrypt(lib.sdk, key, b64(IV), GOOD_CT)
    assert err.value.code in (INVALID_DATA, INVALID_KEY)


@settings(max_examples=100, deadline=None)
@given(
    key=st.one_of(st.text(max_size=80), st.binary(max_size=400)),
    iv=st.one_of(st.text(max_size=30), st.binary(max_size=20)),
    ct=st.one_of(st.text(max_size=60), st.binary(max_size=64)),
)
def test_fuzzed_input_fails_cleanly(lib: Library, keys, key, iv, ct) -> None:
    for k in (key, keys.decrypt_key):
        try:
            decrypt(lib.sdk, k, iv, ct)
        except WhiteBoxError:
            pass


def test_decrypt_does_not_accept_urlsafe_or_whitespace_base64(lib: Library, keys) -> None:
    raw = base64.b64decode(GOOD_CT)
    with pytest.raises(WhiteBoxError):
        decrypt(lib.sdk, keys.decrypt_key, b64(IV), " " + b64(raw))


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
@pytest.mark.parametrize("size", [1, 16, 4096])
def test_service_side_encryption_decrypts_offline(lib: Library, algorithm: str, size: int) -> None:
    key = bytes(range(32 if algorithm == "AES_256" else 16))
    plain = bytes(k % 253 for k in range(size))
    ct = encrypt_cbc(algorithm, key, IV, plain)
    assert ct == cbc_encrypt(algorithm, key, IV, plain)
    dk = lib.encode_key(algorithm, key, KEY_ID).decrypt_key
    assert decrypt(lib.sdk, dk, b64(IV), b64(ct)) == plain


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("AES_128", bytes(16), IV, b"x"), INVALID_ARGUMENT),
        (("AES_256", bytes(16), IV, b"x"), INVALID_ARGUMENT),
        (("SM4", bytes(32), IV, b"x"), INVALID_ARGUMENT),
        (("SM4", bytes(16), IV[:8], b"x"), INVALID_DATA),
        (("SM4", bytes(16), "iv", b"x"), INVALID_DATA),
        (("SM4", bytes(16), IV, b""), INVALID_DATA),
        (("SM4", bytes(16), IV, bytes(4097)), INVALID_DATA),
        (("SM4", bytes(16), IV, "text"), INVALID_DATA),
    ],
)
def test_service_side_encryption_refuses_bad_input(args: tuple, code: str) -> None:
    with pytest.raises(WhiteBoxError) as err:
        encrypt_cbc(*args)
    assert err.value.code == code
