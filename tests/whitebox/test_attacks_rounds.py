"""The attacks' cipher arithmetic: key schedules run backwards and rounds peeled off
agree with the standard (round trips, with hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from kmslab.whitebox import schedules as sch
from kmslab.whitebox.attacks import aes_rounds as aes
from kmslab.whitebox.attacks import sm4_rounds as sm4


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=32, max_size=32))
def test_aes256_schedule_runs_backwards(key: bytes) -> None:
    rks = sch.aes256_round_keys(key)
    assert aes.aes256_key_from_last(rks[13], rks[14]) == key


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=16, max_size=16), st.integers(0, 28))
def test_sm4_schedule_runs_backwards_from_any_four(key: bytes, first: int) -> None:
    rks = sch.sm4_round_keys(key)
    assert sm4.sm4_key_from_round_keys(first, rks[first : first + 4]) == key


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.binary(min_size=16, max_size=16))
def test_aes_rounds_and_peeling_compute_aes(key: bytes, block: bytes) -> None:
    """Encryption as ``Direction`` rounds plus the last round equals cryptography's."""
    rks = [np.frombuffer(k, np.uint8) for k in sch.aes256_round_keys(key)]
    d = aes.ENCRYPT
    state = np.frombuffer(block, np.uint8)[None, :]
    for r in range(13):
        state = d.round(state, rks[r])
    z = state ^ rks[13]
    out = d.sbox[z][:, d.src] ^ rks[14]
    ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    assert out.tobytes() == ecb.update(block) + ecb.finalize()
    assert np.array_equal(d.peel_last(out, rks[14]), z)


@pytest.mark.parametrize("matrix", [sch.AES_MC, sch.AES_INV_MC])
def test_mix_and_unmix_are_inverse(matrix: tuple) -> None:
    other = sch.AES_INV_MC if matrix is sch.AES_MC else sch.AES_MC
    states = np.random.default_rng(0).integers(0, 256, (64, 16), dtype=np.uint8)
    assert np.array_equal(aes.mix(aes.mix(states, matrix), other), states)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20))
def test_sm4_linear_layer_inverts(words: list[int]) -> None:
    x = np.array(words, dtype=np.uint32)
    assert np.array_equal(sm4.linear_inverse(sm4.linear(x)), x)
    assert all(int(sm4.round_t(x)[i]) == sch.sm4_l(sch.sm4_tau(w)) for i, w in enumerate(words))


def test_gf_inverse_table() -> None:
    assert all(int(aes.GF_MUL[a, aes.GF_INV[a]]) == 1 for a in range(1, 256))
