"""Device binding: fingerprints, the 01000016 refusal, and unbound keys working anywhere."""

from __future__ import annotations

import base64
import hmac
import os
import struct
import subprocess
import sys

import pytest
from wb_helpers import FP_A, FP_B, KEY_ID, b64, cbc_encrypt

from kmslab.whitebox import (
    DEVICE_NOT_BOUND,
    FINGERPRINT_ENV,
    Library,
    WhiteBoxCipher,
    WhiteBoxError,
    decrypt,
    device_fingerprint,
    is_fingerprint,
)
from kmslab.whitebox.errors import INVALID_ARGUMENT

KEY = bytes(range(16))
IV = bytes(range(16, 32))
PLAIN = b"root secret of the device"


@pytest.mark.usefixtures("no_env_fingerprint")
def test_device_fingerprint_has_the_api_shape_and_is_stable() -> None:
    fp = device_fingerprint()
    assert len(fp) == 70 and is_fingerprint(fp)
    assert [len(g) for g in fp.split("-")] == [8, 14, 14, 14, 16]
    assert fp == device_fingerprint()


@pytest.mark.usefixtures("no_env_fingerprint")
def test_device_fingerprint_is_the_same_in_another_process() -> None:
    code = "from kmslab.whitebox import device_fingerprint; print(device_fingerprint())"
    env = {k: v for k, v in os.environ.items() if k != FINGERPRINT_ENV}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == device_fingerprint()


def test_environment_variable_overrides_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FINGERPRINT_ENV, FP_B)
    assert device_fingerprint() == FP_B


@pytest.mark.parametrize("bad", ["", "x", FP_A.upper(), FP_A.replace("-", "_"), FP_A + " "])
def test_malformed_override_is_refused(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(FINGERPRINT_ENV, bad)
    with pytest.raises(WhiteBoxError) as err:
        device_fingerprint()
    assert err.value.code == INVALID_ARGUMENT


def _ciphertext(algorithm: str) -> tuple[str, str]:
    key = KEY * (2 if algorithm == "AES_256" else 1)
    return b64(IV), b64(cbc_encrypt(algorithm, key, IV, PLAIN))


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
def test_bound_key_decrypts_only_on_bound_devices(
    lib: Library, monkeypatch: pytest.MonkeyPatch, algorithm: str
) -> None:
    key = KEY * (2 if algorithm == "AES_256" else 1)
    dk = lib.encode_key(algorithm, key, KEY_ID, [FP_A, FP_B]).decrypt_key
    iv, ct = _ciphertext(algorithm)
    for fp in (FP_A, FP_B):
        monkeypatch.setenv(FINGERPRINT_ENV, fp)
        assert decrypt(lib.sdk, dk, iv, ct) == PLAIN
    monkeypatch.setenv(FINGERPRINT_ENV, "00000000" + FP_A[8:])
    with pytest.raises(WhiteBoxError) as err:
        decrypt(lib.sdk, dk, iv, ct)
    assert err.value.code == DEVICE_NOT_BOUND == "01000016"
    assert "01000016" in str(err.value) and err.value.detail_zh


@pytest.mark.usefixtures("no_env_fingerprint")
def test_this_device_fails_when_only_others_are_bound(lib: Library) -> None:
    dk = lib.encode_key("SM4", KEY, KEY_ID, [FP_A]).decrypt_key
    iv, ct = _ciphertext("SM4")
    assert device_fingerprint() != FP_A
    with pytest.raises(WhiteBoxError) as err:
        decrypt(lib.sdk, dk, iv, ct)
    assert err.value.code == DEVICE_NOT_BOUND
    bound_here = lib.encode_key("SM4", KEY, KEY_ID, [device_fingerprint()]).decrypt_key
    assert decrypt(lib.sdk, bound_here, iv, ct) == PLAIN


@pytest.mark.parametrize("fp", [FP_A, FP_B, "00000000" + FP_A[8:]])
def test_unbound_key_works_on_any_device(
    lib: Library, monkeypatch: pytest.MonkeyPatch, fp: str
) -> None:
    monkeypatch.setenv(FINGERPRINT_ENV, fp)
    dk = lib.encode_key("SM4", KEY, KEY_ID).decrypt_key
    iv, ct = _ciphertext("SM4")
    assert decrypt(lib.sdk, dk, iv, ct) == PLAIN


def test_key_issued_before_binding_keeps_working(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = lib.encode_key("AES_256", KEY * 2, KEY_ID).decrypt_key
    new = lib.decrypt_key("AES_256", KEY * 2, KEY_ID, [FP_A])
    iv, ct = _ciphertext("AES_256")
    monkeypatch.setenv(FINGERPRINT_ENV, FP_B)  # an unbound device
    assert decrypt(lib.sdk, old, iv, ct) == PLAIN  # Tencent's "bind before you download"
    with pytest.raises(WhiteBoxError):
        decrypt(lib.sdk, new, iv, ct)


def test_slot_of_another_key_id_does_not_open(lib: Library) -> None:
    other_id = "11111111-2222-4333-8444-555555555555"
    dk = lib.encode_key("SM4", KEY, KEY_ID, [FP_A]).decrypt_key
    dk_other = lib.encode_key("SM4", KEY, other_id, [FP_A]).decrypt_key
    raw, raw_other = (base64.b64decode(d) for d in (dk, dk_other))
    assert raw[168:208] != raw_other[168:208]  # slots depend on the key id
    assert WhiteBoxCipher(lib.sdk, dk, fingerprint=FP_A).run_blocks(os.urandom(16)).shape == (1, 16)


def test_stripping_the_slots_does_not_unbind_the_key(lib: Library) -> None:
    """The device holder has the SDK's blob key and can forge the MAC: removing the slots
    still leaves the round keys masked by M, which only a bound fingerprint recovers."""
    dk = lib.encode_key("SM4", KEY, KEY_ID, [FP_A], random_bytes=lambda n: b"\x5a" * n).decrypt_key
    raw = bytearray(base64.b64decode(dk))
    stripped = raw[:6] + struct.pack("<H", 0) + raw[8:168]
    forged = bytes(stripped) + hmac.new(lib.sdk.blob_key, bytes(stripped), "sha256").digest()
    iv, ct = _ciphertext("SM4")
    cipher = WhiteBoxCipher(lib.sdk, forged, fingerprint=FP_B)  # opens: the MAC is right
    honest = WhiteBoxCipher(lib.sdk, dk, fingerprint=FP_A)
    block = base64.b64decode(ct)[:16]
    assert cipher.run_blocks(block).tobytes() != honest.run_blocks(block).tobytes()
    try:
        assert decrypt(lib.sdk, forged, iv, ct) != PLAIN
    except WhiteBoxError:
        pass
