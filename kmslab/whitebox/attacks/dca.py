"""Differential computation analysis of the white-box networks (clean-room, from the papers).

Bos, Hubain, Michiels and Teuwen (CHES 2016) record a software trace of every table read
and treat each bit of it as a power sample: for a key byte guess ``k`` and known input
bytes ``v``, the predicted S-box output ``S(v ^ k)`` splits the traces, and the right
guess is the one some sample follows. Two statistics:

- ``bitwise``: the paper's difference of means, per predicted bit (8 per guess), the
  largest over all samples. Internal encodings hide single bits, so some key bytes
  may not show (a lesson, not a bug).
- ``linear`` (the default): the Pearson correlation of every sample with every linear
  mask ``<alpha, S(v ^ k)>`` of the prediction, all 255 masks at once by a Walsh-Hadamard
  transform of per-guess histograms. A nibble encoding of a linear map of the S-box
  output always correlates with some mask (at least 0.5 for a 4-bit bijection), which
  is why linear masks defeat the mixing bijections (the linear-mask view of Bos et al.;
  Biryukov and Udovenko, ASIACRYPT 2018).

The samples are the T-box reads of the first rounds (AES: the 8 nibbles each
``ty`` table returns; SM4: the 32-bit word each T table returns), one window per table
read: a software trace says which table each read addresses. AES-256 needs two rounds
(then the key schedule, run backwards for a DecryptKey), SM4 four (then the schedule,
backwards). The answer is checked against the white-box before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmslab.whitebox.attacks import aes_rounds as aes
from kmslab.whitebox.attacks import sm4_rounds as sm4
from kmslab.whitebox.attacks.target import Target, failed, open_target, rng_of
from kmslab.whitebox.client import Data
from kmslab.whitebox.errors import INVALID_ARGUMENT, WhiteBoxError
from kmslab.whitebox.hooks import Trace
from kmslab.whitebox.keyblob import ALG_AES_256
from kmslab.whitebox.sdk import SDK

METHODS = ("linear", "bitwise")
"""The two DCA statistics."""
MIN_TRACES, MAX_TRACES = 16, 4096
"""The accepted range of the number of traces."""

_K = np.arange(256)
_BITS = (np.arange(256)[:, None] >> np.arange(8)) & 1  # (256 values, 8 bits)


def _hadamard() -> np.ndarray:
    """The 256 x 256 Walsh-Hadamard matrix ``(-1)^<alpha, z>`` (float32)."""
    parity = np.unpackbits((_K[:, None] & _K[None, :]).astype(np.uint8)[..., None], axis=-1)
    return (1.0 - 2.0 * (parity.sum(axis=-1) & 1)).astype(np.float32)


_H = _hadamard()


def linear_scores(known: np.ndarray, samples: np.ndarray, sbox: np.ndarray) -> np.ndarray:
    """|Pearson correlation| of every (key guess, mask, sample): ``(256, 256, J)``.

    ``known`` (T,) are the input bytes, ``samples`` (T, J) the trace bits, and the
    prediction for guess ``k`` and mask ``alpha`` is ``<alpha, sbox[known ^ k]>``. With
    ``h[v]`` the sum of the ±1 samples over traces with input ``v``, the sums over traces
    of prediction times sample are the Walsh-Hadamard transform of
    ``g_k(z) = h[sbox^-1(z) ^ k]``: one matrix product instead of 65,536 correlations.
    """
    t = len(known)
    s = 1.0 - 2.0 * samples.astype(np.float32)  # (T, J) as ±1
    mean_s = s.mean(axis=0)
    spread = np.sqrt(np.maximum(1 - mean_s**2, 0))
    s = np.where(spread > 1e-3, (s - mean_s) / np.maximum(spread, 1e-3), 0).astype(np.float32)
    onehot = np.zeros((t, 256), dtype=np.float32)
    onehot[np.arange(t), known] = 1.0
    h = np.concatenate([onehot.T @ s, onehot.sum(axis=0)[:, None]], axis=1)  # (256, J + 1)
    idx = np.argsort(sbox)[:, None] ^ _K[None, :]  # (z, guess) -> input value
    w = (_H @ h[idx].reshape(256, -1)).reshape(256, 256, -1) / t  # (mask, guess, J + 1)
    mean_p = w[:, :, -1]
    with np.errstate(divide="ignore"):
        scale_p = np.where(mean_p**2 < 1 - 1e-6, 1 / np.sqrt(1 - mean_p**2), 0)
    corr = w[:, :, :-1]  # E[prediction * standardised sample]
    corr *= scale_p.astype(np.float32)[:, :, None]
    return np.abs(corr, out=corr).transpose(1, 0, 2)


def bitwise_scores(known: np.ndarray, samples: np.ndarray, sbox: np.ndarray) -> np.ndarray:
    """|Difference of means| of every (key guess, predicted bit, sample): ``(256, 8, J)``.

    Bos et al.'s statistic: the mean of a sample over the traces whose predicted bit is 1,
    minus its mean over those where it is 0.
    """
    x = samples.astype(np.float32)  # (T, J)
    pred = _BITS[sbox[known[None, :] ^ _K[:, None]]].astype(np.float32)  # (256, T, 8)
    pred = pred.transpose(0, 2, 1).reshape(256 * 8, -1)
    ones = pred.sum(axis=1)[:, None]
    sum1 = pred @ x
    total = x.sum(axis=0)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        dom = sum1 / ones - (total - sum1) / (len(known) - ones)
    return np.abs(np.nan_to_num(dom)).reshape(256, 8, -1)


def key_byte_scores(
    known: np.ndarray, samples: np.ndarray, sbox: np.ndarray, method: str
) -> np.ndarray:
    """The score of each of the 256 guesses of one key byte: its highest peak."""
    samples = samples[:, samples.any(axis=0) & ~samples.all(axis=0)]  # drop constant bits
    scores = (linear_scores if method == "linear" else bitwise_scores)(known, samples, sbox)
    return scores.max(axis=(1, 2))


def _bits(values: np.ndarray) -> np.ndarray:
    """The bits of the trace values of one table read, ``(T, ...) -> (T, J)`` bool."""
    return np.unpackbits(np.ascontiguousarray(values).view(np.uint8).reshape(len(values), -1), 1)


@dataclass(frozen=True)
class DCAResult:
    """A DCA's outcome: the verified key (or None) and the scores behind it.

    ``scores[s]`` is ``(positions, 256)``: the score of each guess of each key byte of
    stage ``s`` (a round of the network); ``round_keys[s]`` the best guesses.
    """

    key: bytes | None
    method: str
    traces: int
    round_keys: tuple[bytes, ...]
    scores: tuple[np.ndarray, ...]

    def margins(self) -> np.ndarray:
        """Best score over second best, per stage and key byte (about 1 means no leak)."""
        out = []
        for sc in self.scores:
            top = np.sort(sc, axis=1)
            out.append(top[:, -1] / np.maximum(top[:, -2], 1e-9))
        return np.stack(out)


def _tbox(trace: Trace, round_: int) -> np.ndarray:
    return next(r.values for r in trace.records if r.round == round_ and r.stage == "tbox")


def _aes_stages(
    target: Target, blocks: np.ndarray, trace: Trace, method: str
) -> list[tuple[np.ndarray, np.ndarray]]:
    d = aes.DECRYPT if target.decrypts else aes.ENCRYPT
    state = blocks.copy()
    stages = []
    for r in range(2):
        reads = _tbox(trace, r)  # (T, 16 positions, 8 nibbles); position p reads byte src[p]
        scores = np.zeros((16, 256))
        for p in range(16):
            i = int(d.src[p])
            scores[i] = key_byte_scores(state[:, i], _bits(reads[:, p]), d.sbox, method)
        rk = scores.argmax(axis=1).astype(np.uint8)
        stages.append((rk, scores))
        state = d.round(state, rk)
    return stages


def _aes_key(target: Target, stages: list[tuple[np.ndarray, np.ndarray]]) -> bytes:
    first, second = (rk for rk, _ in stages)
    if target.decrypts:  # k14, then InvMixColumns(k13)
        k13 = aes.mix(second[None], aes.DECRYPT.unmix_matrix)[0].tobytes()
        return aes.aes256_key_from_last(k13, first.tobytes())
    return first.tobytes() + second.tobytes()


def _sm4_stages(blocks: np.ndarray, trace: Trace, method: str) -> list[tuple[int, np.ndarray]]:
    x = sm4.block_words(blocks)
    stages = []
    for r in range(4):
        a = x[r + 1] ^ x[r + 2] ^ x[r + 3]
        reads = _tbox(trace, r)  # (T, 4) words: table j reads byte j (least significant 0)
        scores = np.stack(
            [
                key_byte_scores(sm4.word_bytes(a, j), _bits(reads[:, j]), sm4.SBOX, method)
                for j in range(4)
            ]
        )
        rk = sum(int(scores[j].argmax()) << (8 * j) for j in range(4))
        stages.append((rk, scores))
        x.append(x[r] ^ sm4.round_t(a ^ np.uint32(rk)))
    return stages


def _sm4_key(target: Target, stages: list[tuple[int, np.ndarray]]) -> bytes:
    rks = [rk for rk, _ in stages]
    if target.decrypts:  # network round i uses schedule round key 31 - i
        return sm4.sm4_key_from_round_keys(28, rks[::-1])
    return sm4.sm4_key_from_round_keys(0, rks)


def dca_details(
    sdk: SDK,
    white_box_key: Data,
    algorithm: str,
    traces: int = 256,
    method: str = "linear",
    fingerprint: str | None = None,
    seed: int = 0,
) -> DCAResult:
    """:func:`dca`, returning the scores too; ``key`` is None if the attack failed."""
    if not isinstance(method, str) or method not in METHODS:
        raise WhiteBoxError(
            INVALID_ARGUMENT, "method must be linear or bitwise", "method 必须为 linear 或 bitwise"
        )
    if isinstance(traces, bool) or not isinstance(traces, int):
        traces = -1
    if not MIN_TRACES <= traces <= MAX_TRACES:
        raise WhiteBoxError(
            INVALID_ARGUMENT,
            f"traces must be an integer from {MIN_TRACES} to {MAX_TRACES}",
            f"traces 必须为 {MIN_TRACES} 到 {MAX_TRACES} 之间的整数",
        )
    rng = rng_of(seed)
    target = open_target(sdk, white_box_key, algorithm, fingerprint)
    blocks = rng.integers(0, 256, (traces, 16), dtype=np.uint8)
    trace = Trace()
    outputs = target.run(blocks, trace=trace)
    if target.algorithm == ALG_AES_256:
        aes_stages = _aes_stages(target, blocks, trace, method)
        key = _aes_key(target, aes_stages)
        round_keys = tuple(rk.tobytes() for rk, _ in aes_stages)
        scores = tuple(sc for _, sc in aes_stages)
    else:
        sm4_stages = _sm4_stages(blocks, trace, method)
        key = _sm4_key(target, sm4_stages)
        round_keys = tuple(rk.to_bytes(4, "big") for rk, _ in sm4_stages)
        scores = tuple(sc for _, sc in sm4_stages)
    ok = target.matches(key, blocks[:4], outputs[:4])
    return DCAResult(key if ok else None, method, traces, round_keys, scores)


def dca(
    sdk: SDK,
    decrypt_key: Data,
    algorithm: str,
    traces: int = 256,
    method: str = "linear",
    fingerprint: str | None = None,
    seed: int = 0,
) -> bytes:
    """The real key behind a white-box key, by differential computation analysis.

    ``traces`` random blocks (seeded by ``seed``) run through the white-box with the
    tracing hook; ``method`` is ``"linear"`` (linear masks, the default) or ``"bitwise"``
    (Bos et al.'s difference of means). ``decrypt_key`` may also be an EncryptKey;
    ``fingerprint`` opens a bound key. Raises ``WhiteBoxError`` with code ``AttackFailed``
    when the best guesses do not compute the white-box.
    """
    result = dca_details(sdk, decrypt_key, algorithm, traces, method, fingerprint, seed)
    if result.key is None:
        weak = int((result.margins() < 1.2).sum())
        raise failed(
            "DCA",
            f"the best guesses do not compute the white-box ({weak} key bytes barely leak"
            f" with {method} DCA and {traces} traces)",
            f"最佳猜测与白盒不符（{weak} 个密钥字节几乎无泄露）",
        )
    return result.key
