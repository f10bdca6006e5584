"""SM4 rounds on batches of words, and the SM4 key schedule run backwards.

DFA peels SM4 rounds off the output and DCA pushes the input through recovered rounds,
both on numpy batches; either ends with four consecutive round keys, from which the key
schedule, inverted, gives the 16-byte key. Constants come from
:mod:`kmslab.whitebox.schedules`.
"""

from __future__ import annotations

import struct

import numpy as np

from kmslab.whitebox import schedules as sch
from kmslab.whitebox.encodings import apply_words, byte_luts, gf2_inverse

SBOX = np.array(sch.SM4_SBOX, dtype=np.uint8)
"""The SM4 S-box as a lookup array."""
_SHIFTS = (8 * np.arange(4)).astype(np.uint32)


def _rotl(x: np.ndarray, n: int) -> np.ndarray:
    return (x << np.uint32(n)) | (x >> np.uint32(32 - n))


def linear(x: np.ndarray) -> np.ndarray:
    """The round function's linear layer L on uint32 words."""
    return x ^ _rotl(x, 2) ^ _rotl(x, 10) ^ _rotl(x, 18) ^ _rotl(x, 24)


def _l_inverse_luts() -> np.ndarray:
    cols = linear(np.uint32(1) << np.arange(32, dtype=np.uint32))
    mat = ((cols[None, :] >> np.arange(32, dtype=np.uint32)[:, None]) & 1).astype(np.uint8)
    inv, ok = gf2_inverse(mat[None])
    assert ok.all()
    return byte_luts(inv[0])


_L_INV = _l_inverse_luts()


def linear_inverse(x: np.ndarray) -> np.ndarray:
    """L^-1 on uint32 words (L is an invertible GF(2)-linear map)."""
    return apply_words(np.broadcast_to(_L_INV, (*x.shape, 4, 256)), x)


def tau(x: np.ndarray) -> np.ndarray:
    """The S-box on each byte of uint32 words."""
    out = np.zeros(x.shape, dtype=np.uint32)
    for s in _SHIFTS:
        out |= SBOX[(x >> s) & np.uint32(0xFF)].astype(np.uint32) << s
    return out


def round_t(x: np.ndarray) -> np.ndarray:
    """The round function's T = L(tau(x))."""
    return linear(tau(x))


def word_bytes(x: np.ndarray, j: int) -> np.ndarray:
    """Byte ``j`` (0 = least significant) of uint32 words, as uint8."""
    return ((x >> np.uint32(8 * j)) & np.uint32(0xFF)).astype(np.uint8)


def block_words(blocks: np.ndarray) -> list[np.ndarray]:
    """The four big-endian 32-bit words of each block ``(N, 16)``."""
    w = blocks.reshape(-1, 4, 4).astype(np.uint32)
    words = (w[..., 0] << 24) | (w[..., 1] << 16) | (w[..., 2] << 8) | w[..., 3]
    return [words[:, k] for k in range(4)]


def _key_t(x: int) -> int:
    b = sch.sm4_tau(x)
    return b ^ ((b << 13 | b >> 19) & 0xFFFFFFFF) ^ ((b << 23 | b >> 9) & 0xFFFFFFFF)


def sm4_key_from_round_keys(first: int, round_keys: list[int]) -> bytes:
    """The SM4 key whose round keys ``first .. first + 3`` are ``round_keys``.

    Round key i is ``K[i+4] = K[i] ^ T'(K[i+1] ^ K[i+2] ^ K[i+3] ^ CK[i])``; run backwards,
    ``K[i] = K[i+4] ^ T'(...)`` down to ``K[0..3]``, and the key is ``K[0..3] ^ FK``.
    """
    k: dict[int, int] = {first + 4 + j: rk for j, rk in enumerate(round_keys)}
    for i in range(first + 3, -1, -1):
        k[i] = k[i + 4] ^ _key_t(k[i + 1] ^ k[i + 2] ^ k[i + 3] ^ sch.SM4_CK[i])
    return struct.pack(">4I", *(k[j] ^ sch.SM4_FK[j] for j in range(4)))
