"""The key-absence scan finds the key wherever it is written, and finds none in kmslab's."""

from __future__ import annotations

import base64
import binascii
import random

import numpy as np
import pytest
from wb_helpers import KEY_ID, KEY_LEN, OTHER_SEED

from kmslab.whitebox import Library, WhiteBoxError, build_library
from kmslab.whitebox import schedules as sch
from kmslab.whitebox.attacks import key_absence_scan
from kmslab.whitebox.errors import INVALID_ARGUMENT, LIBRARY_MISMATCH


def _key(algorithm: str, n: int) -> bytes:
    return random.Random(f"scan-{algorithm}-{n}").randbytes(KEY_LEN[algorithm])


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
@pytest.mark.parametrize("n", range(2))
def test_kmslab_white_box_keys_are_clean(lib: Library, algorithm: str, n: int) -> None:
    key = _key(algorithm, n)
    keys = lib.encode_key(algorithm, key, KEY_ID)
    for blob in (keys.decrypt_key, keys.encrypt_key):
        report = key_absence_scan(lib.sdk, blob, key)
        assert report.clean, report.findings
    assert report.secrets == (29 if algorithm == "AES_256" else 17)
    assert report.patterns == 6 * report.secrets
    assert report.haystack_bytes > lib.sdk.nbytes


def _planted(algorithm: str, key: bytes, secret: str) -> bytes:
    if algorithm == "AES_256":
        return {"key": key, "rk": sch.aes256_round_keys(key)[7]}[secret]
    rks = sch.sm4_round_keys(key)[8:12]
    return {"key": key, "rk": b"".join(r.to_bytes(4, "big") for r in rks)}[secret]


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
@pytest.mark.parametrize("secret", ["key", "rk"])
@pytest.mark.parametrize("encoding", ["raw", "hex", "HEX", "base64-0", "base64-1", "base64-2"])
def test_a_planted_secret_is_found(
    lib: Library, algorithm: str, secret: str, encoding: str
) -> None:
    key = _key(algorithm, 5)
    value = _planted(algorithm, key, secret)
    if encoding == "raw":
        text = value
    elif encoding in ("hex", "HEX"):
        text = binascii.hexlify(value)
        text = text.upper() if encoding == "HEX" else text
    else:  # Base64 of the secret with 0-2 other bytes in front: each alignment
        text = base64.b64encode(b"\x01\x02"[: int(encoding[-1])] + value + b"\x03")
    table = lib.sdk.tables()["sm4_xk"].reshape(-1)
    saved = table[1000 : 1000 + len(text)].copy()
    table[1000 : 1000 + len(text)] = np.frombuffer(text, dtype=np.uint8)
    try:
        report = key_absence_scan(lib.sdk, lib.encode_key(algorithm, key, KEY_ID).decrypt_key, key)
    finally:
        table[1000 : 1000 + len(text)] = saved
    assert not report.clean
    found = {(f.encoding, f.where) for f in report.findings}
    assert (encoding.split("-")[0], "table sm4_xk") in found
    offsets = [f.offset for f in report.findings if f.where == "table sm4_xk"]
    assert min(offsets) >= 1000 and max(offsets) < 1000 + len(text)


def test_the_scan_searches_the_blob_and_its_base64_text(lib: Library) -> None:
    """A naive 'white-box key' that just carries the key is caught in both forms."""
    from kmslab.whitebox import keyblob

    key = _key("AES_256", 6)
    rks = b"".join(sch.aes256_round_keys(key))
    blob = keyblob.pack(
        lib.sdk.blob_key,
        keyblob.MODE_DECRYPT,
        keyblob.ALG_AES_256,
        lib.library_id,
        bytes(16),
        rks,
    )
    report = key_absence_scan(lib.sdk, blob, key)
    wheres = {f.where for f in report.findings}
    assert {"white-box key", "white-box key (Base64 text)"} <= wheres
    assert {f.secret for f in report.findings if f.where == "white-box key"} >= {
        "key",
        "round key 0",
        "round key 14",
    }


@pytest.mark.parametrize("bad", [b"", bytes(32), "0123", None])
def test_a_key_of_the_wrong_length_is_refused(lib: Library, bad: object) -> None:
    dk = lib.encode_key("SM4", _key("SM4", 0), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        key_absence_scan(lib.sdk, dk, bad)  # type: ignore[arg-type]
    assert err.value.code == INVALID_ARGUMENT


def test_a_key_of_another_library_is_refused(lib: Library) -> None:
    other = build_library(OTHER_SEED).encode_key("SM4", _key("SM4", 0), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        key_absence_scan(lib.sdk, other, _key("SM4", 0))
    assert err.value.code == LIBRARY_MISMATCH
