"""White-box SM4 after Xiao and Lai, in a dynamic-key form (the round keys come at run time).

Each of the 36 branch words lives under a secret 32-bit affine encoding P. Per round,
byte-LUTs of affine maps (M) turn three encoded branches into their XOR under a
byte-wise affine encoding E; 8x8-bit "key-injection" tables (XK) combine each encoded
byte with the encoded round-key byte (the white-box key) and hide the S-box input behind
a random byte bijection R; T tables apply the S-box and L under an affine encoding C; and
D LUTs fold the result into the next branch under its own P. The same tables decrypt with
the round keys in reverse order. No external encodings: the network computes standard SM4.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kmslab.whitebox import schedules as sch
from kmslab.whitebox.encodings import (
    EncodingStream,
    apply_words,
    byte_luts,
    inverse_permutations,
)
from kmslab.whitebox.hooks import Fault, Trace

_XOR: Any = np.bitwise_xor
"""XOR as a ufunc, typed loosely: numpy's stubs for ``reduce`` change between releases
(2.4's accepted these calls, a later one has no overload for them)."""


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.int32) @ b.astype(np.int32) % 2).astype(np.uint8)


def _rotl(x: np.ndarray, n: int) -> np.ndarray:
    return (x << np.uint32(n)) | (x >> np.uint32(32 - n))


def _block_diag(blocks: np.ndarray) -> np.ndarray:
    """(..., 4, 8, 8) byte blocks -> (..., 32, 32): block j acts on bits 8j..8j+7."""
    out = np.zeros((*blocks.shape[:-3], 32, 32), dtype=np.uint8)
    for j in range(4):
        out[..., 8 * j : 8 * j + 8, 8 * j : 8 * j + 8] = blocks[..., j, :, :]
    return out


@dataclass
class SM4Tables:
    """The key-independent SM4 tables (public: they ship in the SDK)."""

    inp: np.ndarray  # (4, 4, 256) u32: plain input words -> P_0..P_3 encoded
    m: np.ndarray  # (32, 12, 256) u32: three encoded branches -> E(X1 ^ X2 ^ X3)
    xk: np.ndarray  # (32, 4, 65536) u8: (E byte << 8 | encoded key byte) -> R(x ^ rk)
    t: np.ndarray  # (32, 4, 256) u32: R byte -> C(L(S(.)) at that byte)
    d: np.ndarray  # (32, 8, 256) u32: (P_i(X_i), C(T)) -> P_{i+4}(X_i ^ T)
    out: np.ndarray  # (4, 4, 256) u32: P_35..P_32 encoded -> plain output words

    FIELDS = ("inp", "m", "xk", "t", "d", "out")

    def arrays(self) -> dict[str, np.ndarray]:
        """The tables by name, for saving and hashing."""
        return {name: getattr(self, name) for name in self.FIELDS}


def _fold(luts: np.ndarray, const: np.ndarray) -> np.ndarray:
    """XOR an affine constant into the first byte-LUT of each map (exactly one is read)."""
    luts = luts.copy()
    luts[..., 0, :] ^= const[..., None]
    return luts


def build_sm4(seed: bytes) -> tuple[SM4Tables, np.ndarray]:
    """The SM4 tables and the secret key-encoding bijections Q ``(32, 4, 256)``."""
    rnd = EncodingStream(seed, "sm4")
    p, p_inv = rnd.invertible((36,), 32)
    pc = rnd.words(36)
    e_blocks, e_blocks_inv = rnd.invertible((32, 4), 8)
    e_lin = _block_diag(e_blocks)
    ec = rnd.words(32)
    c, c_inv = rnd.invertible((32,), 32)
    cc = rnd.words(32)
    q = rnd.permutations((32, 4), 256)
    r = rnd.permutations((32, 4), 256)
    q_inv, r_inv = inverse_permutations(q), inverse_permutations(r)

    inp = _fold(byte_luts(p[:4]), pc[:4])

    rounds = np.arange(32)
    m_maps = np.stack([_matmul(e_lin, p_inv[rounds + 1 + k]) for k in range(3)], axis=1)
    m_luts = byte_luts(m_maps)  # (32, 3, 4, 256)
    m_const = ec.copy()
    for k in range(3):
        m_const ^= apply_words(m_luts[:, k], pc[rounds + 1 + k])
    m = _fold(m_luts.reshape(32, 12, 256), m_const)

    e_inv_lut = byte_luts(e_blocks_inv)[..., 0, :].astype(np.uint8)  # (32, 4, 256)
    ec_bytes = ((ec[:, None] >> np.uint32(8) * np.arange(4, dtype=np.uint32)) & 0xFF).astype(
        np.intp
    )
    real = np.take_along_axis(e_inv_lut, np.arange(256)[None, None, :] ^ ec_bytes[..., None], -1)
    xk = np.empty((32, 4, 65536), dtype=np.uint8)
    for i in range(32):
        for j in range(4):
            mixed = real[i, j, :, None] ^ q_inv[i, j, None, :]  # (a, b) -> x ^ rk
            xk[i, j] = r[i, j][mixed.reshape(-1)]

    sbox = np.array(sch.SM4_SBOX, dtype=np.uint32)
    s = sbox[r_inv.astype(np.intp)] << (np.uint32(8) * np.arange(4, dtype=np.uint32))[:, None]
    lw = s ^ _rotl(s, 2) ^ _rotl(s, 10) ^ _rotl(s, 18) ^ _rotl(s, 24)
    c_luts = byte_luts(c)  # (32, 4, 256)
    t = apply_words(np.broadcast_to(c_luts[:, None], (32, 4, 4, 256)), lw)
    t[:, 0, :] ^= cc[:, None]

    pd = _matmul(p[rounds + 4], p_inv[rounds])
    cd = _matmul(p[rounds + 4], c_inv)
    pd_luts, cd_luts = byte_luts(pd), byte_luts(cd)
    d_const = apply_words(pd_luts, pc[rounds]) ^ apply_words(cd_luts, cc) ^ pc[rounds + 4]
    d = _fold(np.concatenate([pd_luts, cd_luts], axis=1), d_const)

    out_idx = np.array([35, 34, 33, 32])
    out_luts = byte_luts(p_inv[out_idx])
    out = _fold(out_luts, apply_words(out_luts, pc[out_idx]))
    tables = SM4Tables(
        inp.astype("<u4"),
        m.astype("<u4"),
        xk,
        t.astype("<u4"),
        d.astype("<u4"),
        out.astype("<u4"),
    )
    return tables, q


class SM4Network:
    """Runs the SM4 tables on batches of blocks with an encoded key schedule (32, 4).

    Table words are little-endian ``uint32`` so that a word's bytes are a free view: the
    state is kept as four bytes per branch, least significant first.
    """

    def __init__(self, tables: SM4Tables) -> None:
        self.tables = tables
        self._flat = {
            name: np.ascontiguousarray(a, dtype="<u4").reshape(-1)
            for name, a in tables.arrays().items()
            if name != "xk"
        }
        self._xk = [np.ascontiguousarray(tables.xk[i]).reshape(-1) for i in range(32)]
        self._m = self._flat["m"].reshape(32, -1)
        self._t = self._flat["t"].reshape(32, -1)
        self._d = self._flat["d"].reshape(32, -1)
        self._off4 = np.arange(4) * 256
        self._off12 = np.arange(12) * 256
        self._off8 = np.arange(8) * 256
        self._inp = np.arange(16) * 256

    @staticmethod
    def _bytes(words: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(words, dtype="<u4").view(np.uint8).reshape(len(words), -1)

    def run(
        self,
        keys: np.ndarray,
        blocks: np.ndarray,
        trace: Trace | None = None,
        fault: Fault | None = None,
    ) -> np.ndarray:
        """Encrypt ``blocks`` (N, 16) uint8, or decrypt them under a reversed key schedule."""
        n = len(blocks)
        # Input word k is big-endian in the block: its least significant byte comes last.
        lsb_first = blocks.reshape(n, 4, 4)[:, :, ::-1].reshape(n, 16)
        enc = self._flat["inp"][self._inp + lsb_first].reshape(n, 4, 4)
        x = [self._bytes(w) for w in _XOR.reduce(enc, axis=2).T]  # (N, 4) each
        key_lo = keys.astype(np.intp) + np.arange(4) * 65536
        for i in range(32):
            if fault is not None and fault.round == i:
                k = i + fault.index // 4
                x[k] = x[k].copy()
                x[k][:, fault.index % 4] ^= np.uint8(fault.xor)
            three = np.concatenate(x[i + 1 : i + 4], axis=1)
            a = _XOR.reduce(self._m[i][self._off12 + three], axis=1)
            y = self._xk[i][(self._bytes(a).astype(np.intp) << 8) + key_lo[i]]
            reads = self._t[i][self._off4 + y]
            tv = _XOR.reduce(reads, axis=1)
            pair = np.concatenate([x[i], self._bytes(tv)], axis=1)
            x.append(self._bytes(_XOR.reduce(self._d[i][self._off8 + pair], axis=1)))
            if trace is not None:
                trace.record(i, "xk", y)
                trace.record(i, "tbox", reads)
                trace.record(i, "t", tv)
                trace.record(i, "state", x[-1])
        last = np.concatenate(x[35:31:-1], axis=1)  # X35, X34, X33, X32, LSB first
        plain = _XOR.reduce(self._flat["out"][self._inp + last].reshape(n, 4, 4), axis=2)
        return self._bytes(plain).reshape(n, 4, 4)[:, :, ::-1].reshape(n, 16).copy()
