"""Differential fault analysis of the white-box networks (clean-room, from the papers).

AES-256 follows Piret and Quisquater (CHES 2003): a byte fault entering the
second-to-last S-box layer reaches the last one as a column difference
``MixColumns(delta * e_row)``, and each faulty output leaves about 2^10 candidates for the
four last-round key bytes of that column; two faults fix them. Peeling the last round
off with the key found and faulting one round earlier gives the round key before it,
and two round keys are the 256-bit key (run the key schedule backwards when they are
the last two of encryption).

SM4 follows the round-by-round fault attack on its last rounds (Zhang and Wu, "Differential
fault analysis on SMS4", 2006): a fault entering round ``r`` changes the round function's input
by a known ``delta_A`` and its output by ``delta_T``; per byte,
``S(a ^ k) ^ S(a ^ delta_a ^ k) = L^-1(delta_T)`` leaves two or four candidates for the
round-key byte. Rounds 31, 30, 29, 28 give four round keys and the key schedule, run
backwards, the key.

Faults go through the white-box client's :class:`~kmslab.whitebox.Fault` hook (an encoded
state byte XORed with a random value: the attacker knows neither the real difference nor
which real byte it hits). The attack looks only at the outputs; it never reads a table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from kmslab.whitebox.attacks import aes_rounds as aes
from kmslab.whitebox.attacks import sm4_rounds as sm4
from kmslab.whitebox.attacks.target import Target, failed, open_target, rng_of
from kmslab.whitebox.client import Data
from kmslab.whitebox.hooks import Fault
from kmslab.whitebox.keyblob import ALG_AES_256
from kmslab.whitebox.sdk import SDK

_K = np.arange(256, dtype=np.uint8)
MAX_PASSES = 4
"""Fault passes (16 faulted runs each) per round before the attack gives up."""


@dataclass(frozen=True)
class DFAResult:
    """A DFA's verified key and its cost."""

    key: bytes
    faulted_runs: int
    round_keys: tuple[bytes, ...]


def _faults(rng: np.random.Generator, round_: int) -> Iterator[Fault]:
    for _ in range(MAX_PASSES):
        for index in range(16):
            yield Fault(round_, index, int(rng.integers(1, 256)))


def _deltas(
    direction: aes.Direction, pos: np.ndarray, good: np.ndarray, bad: np.ndarray
) -> list[np.ndarray]:
    """Per fault row, the fault value ``delta`` each key byte guess implies at ``pos``.

    Byte ``i`` of the column sees ``sbox^-1(o ^ k) ^ sbox^-1(o' ^ k) = coef * delta``
    (Piret-Quisquater), with ``coef`` the mixing coefficient of its row and the fault row.
    """
    diff = [direction.inv_sbox[good[i] ^ _K] ^ direction.inv_sbox[bad[i] ^ _K] for i in pos]
    out = []
    for f in range(4):
        rows = [direction.mix_matrix[direction.src[i] % 4][f] for i in pos]
        scaled = [aes.GF_MUL[aes.GF_INV[c], d] for c, d in zip(rows, diff, strict=True)]
        out.append(np.stack(scaled))
    return out


def _enumerate(deltas: list[np.ndarray]) -> set[tuple[int, ...]]:
    """Every 4-byte key guess on which some fault row's four deltas agree (about 2^10)."""
    cands: set[tuple[int, ...]] = set()
    for per_pos in deltas:
        groups = []
        for dv in per_pos:
            g: dict[int, list[int]] = {}
            for k, d in enumerate(dv.tolist()):
                g.setdefault(d, []).append(k)
            groups.append(g)
        for d in set(groups[0]).intersection(*groups[1:]):
            cands.update(itertools.product(*(g[d] for g in groups)))
    return cands


def _consistent(deltas: list[np.ndarray], cands: set[tuple[int, ...]]) -> set[tuple[int, ...]]:
    """The candidates on which some fault row gives one delta at all four positions."""
    arr = np.array(sorted(cands), dtype=np.intp).reshape(-1, 4)
    keep = np.zeros(len(arr), dtype=bool)
    for dv in deltas:
        d = dv[np.arange(4), arr]  # (M, 4)
        keep |= (d == d[:, :1]).all(axis=1)
    return {tuple(int(b) for b in row) for row in arr[keep]}


def _aes_round_key(
    direction: aes.Direction, good: np.ndarray, bad_runs: Iterator[np.ndarray]
) -> tuple[np.ndarray, int]:
    """The last round key of ``out = shift(sbox(z)) ^ k`` from column-faulted outputs."""
    columns: dict[int, set[tuple[int, ...]]] = {}
    runs = 0
    for bad in bad_runs:
        runs += 1
        for g, b in zip(good, bad, strict=True):
            pos = np.nonzero(g != b)[0]
            cols = set((direction.src[pos] // 4).tolist())
            if len(pos) != 4 or len(cols) != 1:
                continue  # not a one-column difference: the fault fell elsewhere
            col = cols.pop()
            deltas = _deltas(direction, pos, g, b)
            known = columns.get(col)
            columns[col] = _enumerate(deltas) if known is None else _consistent(deltas, known)
        if len(columns) == 4 and all(len(c) == 1 for c in columns.values()):
            break
    if len(columns) != 4 or any(len(c) != 1 for c in columns.values()):
        raise failed("DFA", "the faults did not pin the round key", "故障未能确定轮密钥")
    key = np.zeros(16, dtype=np.uint8)
    for col, found in columns.items():
        pos = np.sort(np.nonzero(direction.src // 4 == col)[0])
        key[pos] = next(iter(found))
    return key, runs


def _dfa_aes(target: Target, rng: np.random.Generator) -> DFAResult:
    d = aes.DECRYPT if target.decrypts else aes.ENCRYPT
    blocks = rng.integers(0, 256, (2, 16), dtype=np.uint8)
    good = target.run(blocks)
    last, runs1 = _aes_round_key(d, good, (target.run(blocks, fault=f) for f in _faults(rng, 12)))

    def peeled(out: np.ndarray) -> np.ndarray:
        return aes.mix(d.peel_last(out, last), d.unmix_matrix)

    before, runs2 = _aes_round_key(
        d, peeled(good), (peeled(target.run(blocks, fault=f)) for f in _faults(rng, 11))
    )
    if target.decrypts:  # the equivalent inverse cipher ends with k1, then k0
        key, rks = last.tobytes() + before.tobytes(), (last.tobytes(), before.tobytes())
    else:  # the cipher ends with k13, k14; ``before`` is InvMixColumns(k13)
        k13 = aes.mix(before[None], d.mix_matrix)[0].tobytes()
        key, rks = aes.aes256_key_from_last(k13, last.tobytes()), (k13, last.tobytes())
    if not target.matches(key, blocks, good):
        raise failed("DFA", "the round keys do not compute the white-box", "轮密钥与白盒不符")
    return DFAResult(key, runs1 + runs2, rks)


def _sm4_peel(out: np.ndarray, rks: dict[int, int], down_to: int) -> dict[int, np.ndarray]:
    """Branch words X[down_to + 1 .. 35] from the outputs and the round keys above."""
    w = sm4.block_words(out)
    x = {35: w[0], 34: w[1], 33: w[2], 32: w[3]}
    for i in range(31, down_to, -1):
        x[i] = x[i + 4] ^ sm4.round_t(x[i + 1] ^ x[i + 2] ^ x[i + 3] ^ np.uint32(rks[i]))
    return x


def _sm4_round_key(
    r: int, good: np.ndarray, bad_runs: Iterator[np.ndarray], rks: dict[int, int]
) -> tuple[int, int]:
    """Round key ``r`` from faults entering round ``r`` (the rounds above r known)."""
    cand = np.ones((4, 256), dtype=bool)
    xg = _sm4_peel(good, rks, r)
    a_good = xg[r + 1] ^ xg[r + 2] ^ xg[r + 3]
    runs = 0
    for bad in bad_runs:
        runs += 1
        xb = _sm4_peel(bad, rks, r)
        da = a_good ^ xb[r + 1] ^ xb[r + 2] ^ xb[r + 3]
        ds = sm4.linear_inverse(xg[r + 4] ^ xb[r + 4])
        for n in range(len(good)):
            dab = [int(sm4.word_bytes(da[n : n + 1], j)[0]) for j in range(4)]
            dsb = [int(sm4.word_bytes(ds[n : n + 1], j)[0]) for j in range(4)]
            if not any(dab) or any(s and not a for a, s in zip(dab, dsb, strict=True)):
                continue  # no input difference, or the fault hit X[r] itself
            for j in range(4):
                if dab[j]:
                    a = int(sm4.word_bytes(a_good[n : n + 1], j)[0])
                    cand[j] &= (sm4.SBOX[a ^ _K] ^ sm4.SBOX[a ^ dab[j] ^ _K]) == dsb[j]
        counts = cand.sum(axis=1)
        if (counts <= 1).all():
            break
    if not (cand.sum(axis=1) == 1).all():
        raise failed("DFA", f"the faults did not pin round key {r}", f"故障未能确定第 {r} 轮密钥")
    rk = sum(int(np.nonzero(cand[j])[0][0]) << (8 * j) for j in range(4))
    return rk, runs


def _dfa_sm4(target: Target, rng: np.random.Generator) -> DFAResult:
    blocks = rng.integers(0, 256, (2, 16), dtype=np.uint8)
    good = target.run(blocks)
    rks: dict[int, int] = {}
    runs = 0
    for r in (31, 30, 29, 28):
        rks[r], used = _sm4_round_key(
            r, good, (target.run(blocks, fault=f) for f in _faults(rng, r)), rks
        )
        runs += used
    ordered = [rks[r] for r in (28, 29, 30, 31)]
    if target.decrypts:  # the network runs the schedule reversed: round i uses rk[31 - i]
        key = sm4.sm4_key_from_round_keys(0, ordered[::-1])
    else:
        key = sm4.sm4_key_from_round_keys(28, ordered)
    if not target.matches(key, blocks, good):
        raise failed("DFA", "the round keys do not compute the white-box", "轮密钥与白盒不符")
    return DFAResult(key, runs, tuple(rk.to_bytes(4, "big") for rk in ordered))


def dfa_details(
    sdk: SDK, white_box_key: Data, algorithm: str, fingerprint: str | None = None, seed: int = 0
) -> DFAResult:
    """:func:`dfa` with its cost: the number of faulted runs and the round keys found."""
    rng = rng_of(seed)
    target = open_target(sdk, white_box_key, algorithm, fingerprint)
    return _dfa_aes(target, rng) if target.algorithm == ALG_AES_256 else _dfa_sm4(target, rng)


def dfa(
    sdk: SDK, decrypt_key: Data, algorithm: str, fingerprint: str | None = None, seed: int = 0
) -> bytes:
    """The real key behind a white-box key, by differential fault analysis.

    ``decrypt_key`` is a DecryptKey (or an EncryptKey) of ``algorithm`` (``AES_256`` or
    ``SM4``) for ``sdk``, as Base64 or raw bytes; ``fingerprint`` opens a bound key (the
    device's own by default). ``seed`` fixes the random blocks and faults. Raises
    ``WhiteBoxError`` with code ``AttackFailed`` rather than return an unverified key.
    """
    return dfa_details(sdk, decrypt_key, algorithm, fingerprint, seed).key
