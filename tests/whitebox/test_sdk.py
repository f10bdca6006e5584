"""The SDK: deterministic per seed, cached, size budget, save/load, and corruption checks."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from wb_helpers import KEY_ID, OTHER_SEED, SEED, b64, cbc_encrypt

from kmslab.whitebox import (
    SDK,
    Library,
    WhiteBoxError,
    build_library,
    decrypt,
    whitebox_decrypt,
)
from kmslab.whitebox.errors import INVALID_ARGUMENT, INVALID_KEY, INVALID_SDK, LIBRARY_MISMATCH
from kmslab.whitebox.library import _build
from kmslab.whitebox.sdk import MANIFEST_FILE, SDK_FILE

IV = bytes(16)


def test_library_is_cached_per_seed(lib: Library) -> None:
    assert build_library(SEED) is lib
    assert build_library(bytearray(SEED)) is lib


def test_same_seed_same_library_other_seed_other_library(lib: Library) -> None:
    other = build_library(OTHER_SEED)
    assert other.library_id != lib.library_id
    fresh = _build.__wrapped__(SEED)  # rebuilt without the cache
    assert fresh is not lib and fresh.library_id == lib.library_id
    for name, table in lib.sdk.tables().items():
        assert np.array_equal(table, fresh.sdk.tables()[name]), name
    assert fresh.encode_key("SM4", bytes(16), KEY_ID) == lib.encode_key("SM4", bytes(16), KEY_ID)


def test_library_fits_the_size_budget(lib: Library) -> None:
    assert lib.sdk.nbytes <= 32 * 2**20


@pytest.mark.parametrize("seed", [b"", b"short", "a string seed of enough length", None])
def test_bad_seeds_are_refused(seed: object) -> None:
    with pytest.raises(WhiteBoxError) as err:
        build_library(seed)  # type: ignore[arg-type]
    assert err.value.code == INVALID_ARGUMENT


def test_key_of_another_library_is_refused(lib: Library) -> None:
    other = build_library(OTHER_SEED)
    dk = other.encode_key("SM4", bytes(16), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        decrypt(lib.sdk, dk, b64(IV), b64(cbc_encrypt("SM4", bytes(16), IV, b"x")))
    assert err.value.code == LIBRARY_MISMATCH


def test_save_load_round_trip(lib: Library, tmp_path: Path) -> None:
    lib.sdk.save(tmp_path / "sdk")
    loaded = SDK.load(tmp_path / "sdk")
    assert loaded.library_id == lib.library_id
    for algorithm, key in (("AES_256", bytes(range(32))), ("SM4", bytes(range(16)))):
        dk = lib.encode_key(algorithm, key, KEY_ID).decrypt_key
        ct = cbc_encrypt(algorithm, key, IV, b"offline")
        assert decrypt(loaded, dk, b64(IV), b64(ct)) == b"offline"
    manifest = json.loads((tmp_path / "sdk" / MANIFEST_FILE).read_text())
    assert manifest["library_id"] == lib.library_id.hex()


def test_saved_sdk_holds_no_encoder_secret(lib: Library, tmp_path: Path) -> None:
    lib.sdk.save(tmp_path)
    with np.load(tmp_path / SDK_FILE) as data:
        saved = b"".join(data[name].tobytes() for name in data.files)
    for secret in (lib._aes_fwd, lib._aes_inv, lib._sm4):
        assert secret.tobytes()[:64] not in saved


def test_tencent_style_call_with_a_key_file(lib: Library, tmp_path: Path) -> None:
    key = bytes(range(32))
    lib.sdk.save(tmp_path)
    (tmp_path / "decrypt_key.bin").write_bytes(
        base64.b64decode(lib.encode_key("AES_256", key, KEY_ID).decrypt_key)
    )
    ct = b64(cbc_encrypt("AES_256", key, IV, b"hello"))
    assert whitebox_decrypt(tmp_path, "decrypt_key.bin", b64(IV), ct, 0) == b"hello"
    with pytest.raises(WhiteBoxError) as err:
        whitebox_decrypt(tmp_path, "decrypt_key.bin", b64(IV), ct, 1)
    assert err.value.code == INVALID_KEY
    with pytest.raises(WhiteBoxError) as err:
        whitebox_decrypt(tmp_path, "missing.bin", b64(IV), ct, 0)
    assert err.value.code == INVALID_KEY


def _corrupt_table(path: Path) -> None:
    with np.load(path / SDK_FILE) as data:
        arrays = {name: data[name].copy() for name in data.files}
    arrays["sm4_xk"][3, 2, 1000] ^= 1
    np.savez(path / SDK_FILE, **arrays)


def _drop_table(path: Path) -> None:
    with np.load(path / SDK_FILE) as data:
        arrays = {name: data[name] for name in data.files if name != "aesi_ty"}
    np.savez(path / SDK_FILE, **arrays)


@pytest.mark.parametrize(
    "damage",
    [
        _corrupt_table,
        _drop_table,
        lambda p: (p / SDK_FILE).unlink(),
        lambda p: (p / MANIFEST_FILE).unlink(),
        lambda p: (p / MANIFEST_FILE).write_text("{not json"),
        lambda p: (p / MANIFEST_FILE).write_text("[]"),
        lambda p: (p / SDK_FILE).write_bytes(b"PK\x03\x04 truncated"),
    ],
)
def test_damaged_sdk_is_refused(lib: Library, tmp_path: Path, damage) -> None:
    lib.sdk.save(tmp_path)
    damage(tmp_path)
    with pytest.raises(WhiteBoxError) as err:
        SDK.load(tmp_path)
    assert err.value.code == INVALID_SDK


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WhiteBoxError) as err:
        SDK.load(tmp_path / "nowhere")
    assert err.value.code == INVALID_SDK


def test_generation_is_pinned(lib: Library) -> None:
    """A stored DecryptKey must keep working after the service restarts, on any machine and
    numpy version: the tables and key encodings of a seed may never change silently."""
    assert lib.library_id.hex() == "ed46c735b41f79a360a1d0ffe642776b"
    k = lib.encode_key("SM4", bytes(range(16)), KEY_ID)
    k2 = lib.encode_key("AES_256", bytes(range(32)), KEY_ID)
    blobs = (k.encrypt_key + k.decrypt_key + k2.encrypt_key + k2.decrypt_key).encode()
    digest = hashlib.sha256(blobs).hexdigest()
    assert digest == "9f0d7dc7becad1a6777039f4ab24878c491b7bbd93ae0b4b67e078eac9de9f5a"
