"""AES round steps on batches of states, and the AES-256 key schedule run backwards.

An attack peels rounds off known outputs (DFA) or pushes known inputs through recovered
rounds (DCA), so it needs the round steps on numpy batches; and it ends with two round
keys, from which the AES-256 key schedule, inverted, gives the 32-byte key. Constants come
from :mod:`kmslab.whitebox.schedules`; results are checked against ``cryptography`` by
the attacks themselves (a recovered key must decrypt like the white-box).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmslab.whitebox import schedules as sch

SBOX = np.array(sch.AES_SBOX, dtype=np.uint8)
"""The AES S-box as a lookup array."""
INV_SBOX = np.array(sch.AES_INV_SBOX, dtype=np.uint8)
"""The inverse AES S-box as a lookup array."""
GF_MUL = sch.gf_mul_table()
"""GF(2^8) products, ``GF_MUL[a, b]``."""
GF_INV = np.array([0] + [int(np.nonzero(GF_MUL[a] == 1)[0][0]) for a in range(1, 256)], np.uint8)
"""Multiplicative inverses in GF(2^8) (0 maps to 0)."""


def mix(state: np.ndarray, matrix: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """(Inv)MixColumns of states ``(N, 16)`` in FIPS-197 byte order (byte i: row i % 4)."""
    cols = state.reshape(-1, 4, 4).astype(np.intp)  # (N, column, row)
    out = np.zeros_like(cols)
    for row in range(4):
        for k in range(4):
            out[:, :, row] ^= GF_MUL[matrix[row][k], cols[:, :, k]]
    return out.reshape(-1, 16).astype(np.uint8)


@dataclass(frozen=True)
class Direction:
    """One direction of the cipher as the table network computes it, round by round.

    A middle round is ``state -> mix(shift(sbox(state ^ key)))``; the last one is
    ``out = shift(sbox(state ^ k_a)) ^ k_b``. ``shift`` is a gather:
    ``shift(x)[i] = x[src[i]]``. The decryption network runs FIPS-197's equivalent
    inverse cipher, so both directions have this one shape.
    """

    sbox: np.ndarray
    inv_sbox: np.ndarray
    src: np.ndarray
    mix_matrix: tuple[tuple[int, ...], ...]
    unmix_matrix: tuple[tuple[int, ...], ...]

    def round(self, state: np.ndarray, key: np.ndarray) -> np.ndarray:
        """One middle round: AddRoundKey, S-box, shift, mix."""
        return mix(self.sbox[state ^ key][:, self.src], self.mix_matrix)

    def peel_last(self, out: np.ndarray, key: np.ndarray) -> np.ndarray:
        """Undo ``out = shift(sbox(z)) ^ key``: the state ``z`` entering the last S-box."""
        z = np.empty_like(out)
        z[:, self.src] = self.inv_sbox[out ^ key]
        return z


DECRYPT = Direction(INV_SBOX, SBOX, np.array(sch.AES_INV_SHIFT_SRC), sch.AES_INV_MC, sch.AES_MC)
"""The inverse (decryption) network's direction."""
ENCRYPT = Direction(SBOX, INV_SBOX, np.array(sch.AES_SHIFT_SRC), sch.AES_MC, sch.AES_INV_MC)
"""The forward (encryption) network's direction."""


def _rcon() -> list[int]:
    out, r = [], 1
    for _ in range(7):
        out.append(r)
        r = int(GF_MUL[r, 2])
    return out


_RCON = _rcon()


def _sub_word(w: int) -> int:
    return int.from_bytes(bytes(int(SBOX[b]) for b in w.to_bytes(4, "big")), "big")


def aes256_key_from_last(k13: bytes, k14: bytes) -> bytes:
    """The AES-256 key whose schedule ends with round keys ``k13`` and ``k14``.

    The schedule is ``w[i] = w[i-8] ^ g_i(w[i-1])``; run backwards,
    ``w[i-8] = w[i] ^ g_i(w[i-1])`` from ``i = 59`` down to 8 gives ``w[0..7]``.
    """
    w: list[int] = [0] * 52 + [
        int.from_bytes(k[4 * j : 4 * j + 4], "big") for k in (k13, k14) for j in range(4)
    ]
    for i in range(59, 7, -1):
        t = w[i - 1]
        if i % 8 == 0:
            t = _sub_word(((t << 8) | (t >> 24)) & 0xFFFFFFFF) ^ (_RCON[i // 8 - 1] << 24)
        elif i % 8 == 4:
            t = _sub_word(t)
        w[i - 8] = w[i] ^ t
    return b"".join(x.to_bytes(4, "big") for x in w[:8])
