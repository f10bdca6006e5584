"""DCA recovers exactly the key from software traces (linear masks), the statistics are
right on synthetic leaks, and the bitwise form is right wherever it claims a leak."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wb_helpers import KEY_ID, KEY_LEN

from kmslab.whitebox import Library, Trace, WhiteBoxCipher, WhiteBoxError
from kmslab.whitebox import schedules as sch
from kmslab.whitebox.attacks import dca, dca_details
from kmslab.whitebox.attacks.dca import bitwise_scores, key_byte_scores, linear_scores
from kmslab.whitebox.errors import ATTACK_FAILED, INVALID_ARGUMENT

SBOX = np.array(sch.AES_SBOX, dtype=np.uint8)


def _key(algorithm: str, n: int) -> bytes:
    return random.Random(f"dca-{algorithm}-{n}").randbytes(KEY_LEN[algorithm])


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
@pytest.mark.parametrize("n", range(3))
def test_linear_dca_returns_exactly_the_key(lib: Library, algorithm: str, n: int) -> None:
    key = _key(algorithm, n)
    dk = lib.encode_key(algorithm, key, KEY_ID).decrypt_key
    assert dca(lib.sdk, dk, algorithm, traces=256, seed=n) == key


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
def test_linear_dca_on_the_encrypt_key(lib: Library, algorithm: str) -> None:
    key = _key(algorithm, 9)
    ek = lib.encode_key(algorithm, key, KEY_ID).encrypt_key
    result = dca_details(lib.sdk, ek, algorithm, traces=256)
    assert result.key == key
    assert (result.margins() > 1.2).all()  # every key byte stands out


def test_dca_stage_keys_are_the_first_round_keys(lib: Library) -> None:
    key = _key("AES_256", 5)
    rks = sch.aes256_round_keys(key)
    dk = lib.encode_key("AES_256", key, KEY_ID).decrypt_key
    result = dca_details(lib.sdk, dk, "AES_256")
    inverse = sch.aes256_inverse_round_keys(rks)
    assert result.round_keys == (inverse[0], inverse[1])  # k14, InvMixColumns(k13)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 255), st.integers(0, 2**32 - 1))
def test_linear_statistic_finds_a_masked_leak(k: int, seed: int) -> None:
    """Samples that are a secret linear map of S(v ^ k): correlation exactly 1 at k."""
    rng = np.random.default_rng(seed)
    v = rng.integers(0, 256, 128).astype(np.uint8)
    bits = np.unpackbits(SBOX[v ^ k][:, None], axis=1)
    mixing = rng.integers(0, 2, (8, 6))
    samples = (bits @ mixing) % 2
    if not samples.any(axis=0).any():
        return
    scores = key_byte_scores(v, samples.astype(np.uint8), SBOX, "linear")
    assert scores.argmax() == k and scores[k] == pytest.approx(1.0, abs=1e-4)


def test_the_two_statistics_agree_with_their_definitions() -> None:
    rng = np.random.default_rng(3)
    v = rng.integers(0, 256, 64).astype(np.uint8)
    samples = rng.integers(0, 2, (64, 3)).astype(np.uint8)
    lin, bit = linear_scores(v, samples, SBOX), bitwise_scores(v, samples, SBOX)
    for k, mask, j in [(0, 1, 0), (17, 200, 2), (255, 77, 1)]:
        pred = np.unpackbits((SBOX[v ^ k] & mask)[:, None], axis=1).sum(axis=1) % 2
        assert lin[k, mask, j] == pytest.approx(abs(np.corrcoef(pred, samples[:, j])[0, 1]), 1e-4)
    for k, b, j in [(3, 0, 0), (99, 7, 2)]:
        pred = (SBOX[v ^ k] >> b) & 1
        x = samples[:, j]
        assert bit[k, b, j] == pytest.approx(abs(x[pred == 1].mean() - x[pred == 0].mean()), 1e-5)


def test_bitwise_statistic_finds_a_plain_bit() -> None:
    rng = np.random.default_rng(1)
    v = rng.integers(0, 256, 256).astype(np.uint8)
    samples = np.unpackbits(SBOX[v ^ 0x42][:, None], axis=1)[:, [2]]
    assert key_byte_scores(v, samples, SBOX, "bitwise").argmax() == 0x42


@pytest.mark.parametrize("algorithm", ["AES_256", "SM4"])
def test_bitwise_dca_is_right_where_it_sees_a_leak(lib: Library, algorithm: str) -> None:
    """Internal encodings hide single bits, so bitwise DCA misses some key bytes; but
    every first-round byte it ranks clearly first is the right one."""
    key = _key(algorithm, 2)
    result = dca_details(lib.sdk, lib.encode_key(algorithm, key, KEY_ID).encrypt_key, algorithm)
    bitwise = dca_details(
        lib.sdk, lib.encode_key(algorithm, key, KEY_ID).encrypt_key, algorithm, method="bitwise"
    )
    clear = bitwise.margins()[0] > 1.5
    assert clear.any()
    first = np.frombuffer(result.round_keys[0], dtype=np.uint8)
    got = np.frombuffer(bitwise.round_keys[0], dtype=np.uint8)
    if algorithm == "SM4":  # round keys are big-endian words; scores are per byte, LSB first
        first, got = first[::-1], got[::-1]
    assert np.array_equal(first[clear], got[clear])


def test_bitwise_dca_fails_loudly_when_bytes_do_not_leak(lib: Library) -> None:
    dk = lib.encode_key("SM4", _key("SM4", 0), KEY_ID).decrypt_key
    result = dca_details(lib.sdk, dk, "SM4", method="bitwise")
    if result.key is not None:  # every byte leaked through one bit: nothing to check
        pytest.skip("this library leaks every SM4 key byte through a single bit")
    with pytest.raises(WhiteBoxError) as err:
        dca(lib.sdk, dk, "SM4", method="bitwise")
    assert err.value.code == ATTACK_FAILED


def test_traces_without_leakage_make_the_attack_fail(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trace of noise (a perfectly masked implementation) gives no key, and no wrong one."""
    real = WhiteBoxCipher.run_blocks
    rng = np.random.default_rng(0)

    def noisy(self, blocks, trace=None, fault=None):  # noqa: ANN001, ANN202
        inner = Trace() if trace is not None else None
        out = real(self, blocks, trace=inner, fault=fault)
        if trace is not None:
            for r in inner.records:
                noise = rng.integers(0, 256, r.values.nbytes, dtype=np.uint8)
                trace.record(r.round, r.stage, noise.view(r.values.dtype).reshape(r.values.shape))
        return out

    monkeypatch.setattr(WhiteBoxCipher, "run_blocks", noisy)
    dk = lib.encode_key("AES_256", _key("AES_256", 0), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        dca(lib.sdk, dk, "AES_256", traces=64)
    assert err.value.code == ATTACK_FAILED and err.value.detail_zh


@pytest.mark.parametrize(
    "kwargs",
    [
        {"traces": 8},
        {"traces": 10**6},
        {"traces": 100.0},
        {"traces": True},
        {"method": "quadratic"},
        {"method": None},
        {"seed": -1},
        {"seed": "0"},
    ],
)
def test_bad_parameters_get_a_code(lib: Library, kwargs: dict) -> None:
    dk = lib.encode_key("SM4", _key("SM4", 0), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        dca(lib.sdk, dk, "SM4", **kwargs)
    assert err.value.code == INVALID_ARGUMENT and err.value.detail_zh


def test_a_bad_algorithm_gets_a_code(lib: Library) -> None:
    dk = lib.encode_key("SM4", _key("SM4", 0), KEY_ID).decrypt_key
    with pytest.raises(WhiteBoxError) as err:
        dca(lib.sdk, dk, "DES")
    assert err.value.code == INVALID_ARGUMENT
