"""DFA recovers exactly the key the service holds, from the DecryptKey or the EncryptKey,
and fails loudly (never with a wrong key) when the faults carry no information."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wb_helpers import FP_A, FP_B, KEY_ID, KEY_LEN, SEED

from kmslab.whitebox import Library, WhiteBoxCipher, WhiteBoxError, build_library
from kmslab.whitebox import schedules as sch
from kmslab.whitebox.attacks import dfa, dfa_details
from kmslab.whitebox.errors import (
    ATTACK_FAILED,
    DEVICE_NOT_BOUND,
    INVALID_ARGUMENT,
    INVALID_KEY,
)


def _key(algorithm: str, n: int) -> bytes:
    return random.Random(f"dfa-{algorithm}-{n}").randbytes(KEY_LEN[algorithm])


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
@pytest.mark.parametrize("n", range(3))
@pytest.mark.parametrize("which", ["decrypt_key", "encrypt_key"])
def test_dfa_returns_exactly_the_key(lib: Library, algorithm: str, n: int, which: str) -> None:
    key = _key(algorithm, n)
    keys = lib.encode_key(algorithm, key, KEY_ID)
    result = dfa_details(lib.sdk, getattr(keys, which), algorithm, seed=n)
    assert result.key == key
    assert result.faulted_runs <= 64  # Piret-Quisquater: a few faults per column


def test_dfa_round_keys_are_the_last_ones_the_network_uses(lib: Library) -> None:
    key = _key("AES_256", 7)
    keys = lib.encode_key("AES_256", key, KEY_ID)
    rks = sch.aes256_round_keys(key)
    # decryption (the equivalent inverse cipher) ends with k1, then k0 ...
    assert dfa_details(lib.sdk, keys.decrypt_key, "AES_256").round_keys == (rks[0], rks[1])
    # ... encryption with k13, k14, from which the schedule is run backwards
    assert dfa_details(lib.sdk, keys.encrypt_key, "AES_256").round_keys == (rks[13], rks[14])
    sm4_key = _key("SM4", 7)
    sm4_keys = lib.encode_key("SM4", sm4_key, KEY_ID)
    last = [r.to_bytes(4, "big") for r in sch.sm4_round_keys(sm4_key)[28:]]
    assert dfa_details(lib.sdk, sm4_keys.encrypt_key, "SM4").round_keys == tuple(last)


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
def test_dfa_accepts_raw_key_bytes_and_is_reproducible(lib: Library, algorithm: str) -> None:
    import base64

    key = _key(algorithm, 3)
    raw = base64.b64decode(lib.encode_key(algorithm, key, KEY_ID).decrypt_key)
    a = dfa_details(lib.sdk, raw, algorithm, seed=5)
    b = dfa_details(lib.sdk, raw, algorithm, seed=5)
    assert a == b and a.key == key


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
def test_a_bound_key_needs_a_bound_fingerprint(lib: Library, algorithm: str) -> None:
    key = _key(algorithm, 4)
    dk = lib.encode_key(algorithm, key, KEY_ID, [FP_A]).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        dfa(lib.sdk, dk, algorithm, fingerprint=FP_B)
    assert err.value.code == DEVICE_NOT_BOUND
    assert dfa(lib.sdk, dk, algorithm, fingerprint=FP_A) == key  # or a spoofed one


@pytest.mark.parametrize(
    ("algorithm", "key_alg", "code"),
    [
        ("AES-256", "AES_256", INVALID_ARGUMENT),
        ("", "SM4", INVALID_ARGUMENT),
        (None, "SM4", INVALID_ARGUMENT),
        ("AES_256", "SM4", INVALID_KEY),
        ("SM4", "AES_256", INVALID_KEY),
    ],
)
def test_bad_arguments_get_codes(lib: Library, algorithm: object, key_alg: str, code: str) -> None:
    dk = lib.encode_key(key_alg, _key(key_alg, 0), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        dfa(lib.sdk, dk, algorithm)  # type: ignore[arg-type]
    assert err.value.code == code and err.value.detail_zh


@pytest.mark.parametrize("blob", ["not base64!", "AAAA", b"\x08" * 200])
def test_a_malformed_key_is_refused(lib: Library, blob: object) -> None:
    with pytest.raises(WhiteBoxError) as err:
        dfa(lib.sdk, blob, "SM4")  # type: ignore[arg-type]
    assert err.value.code in (INVALID_KEY, "InvalidData")


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
@pytest.mark.parametrize("countermeasure", ["ignore", "garble"])
def test_without_usable_faults_the_attack_fails_loudly(
    lib: Library, monkeypatch: pytest.MonkeyPatch, algorithm: str, countermeasure: str
) -> None:
    """A white-box that detects faults (and hides them, or answers noise) defeats DFA:
    the attack must say so, not return a wrong key."""
    real = WhiteBoxCipher.run_blocks
    rng = np.random.default_rng(0)

    def protected(self, blocks, trace=None, fault=None):  # noqa: ANN001, ANN202
        out = real(self, blocks, trace=trace)
        if fault is not None and countermeasure == "garble":
            return rng.integers(0, 256, out.shape, dtype=np.uint8)
        return out

    monkeypatch.setattr(WhiteBoxCipher, "run_blocks", protected)
    dk = lib.encode_key(algorithm, _key(algorithm, 1), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        dfa(lib.sdk, dk, algorithm)
    assert err.value.code == ATTACK_FAILED and err.value.detail_zh


@settings(max_examples=6, deadline=None)
@given(st.sampled_from(["AES_256", "SM4"]), st.binary(min_size=32, max_size=32), st.integers(0, 99))
def test_dfa_on_arbitrary_keys_and_seeds(algorithm: str, material: bytes, seed: int) -> None:
    lib = build_library(SEED)  # cached: the session's library
    key = material[: KEY_LEN[algorithm]]
    assert (
        dfa(lib.sdk, lib.encode_key(algorithm, key, KEY_ID).decrypt_key, algorithm, seed=seed)
        == key
    )


@pytest.mark.parametrize("seed", [-1, 1.5, "1", None, True])
def test_a_bad_seed_gets_a_code(lib: Library, seed: object) -> None:
    dk = lib.encode_key("SM4", _key("SM4", 0), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        dfa(lib.sdk, dk, "SM4", seed=seed)  # type: ignore[arg-type]
    assert err.value.code == INVALID_ARGUMENT and err.value.detail_zh
