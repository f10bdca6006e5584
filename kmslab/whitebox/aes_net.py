"""White-box AES-256 after Chow et al., with the key injected at run time (dynamic key).

The tables are key-independent: each round key byte arrives nibble-encoded (the
white-box key) and meets the encoded state in 4-bit XOR "key-injection" tables. Then
come Chow's T-box/MixColumns tables behind 32x32 mixing bijections, their inverses,
and nibble XOR trees, all under random 4-bit encodings and 8x8 linear mixings. One
builder makes the forward cipher and (with the equivalent inverse cipher) the inverse.
There are no external encodings: the network computes standard AES.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmslab.whitebox import schedules as sch
from kmslab.whitebox.encodings import (
    EncodingStream,
    apply_words,
    byte_luts,
    inverse_permutations,
)
from kmslab.whitebox.hooks import Fault, Trace

_V = np.arange(256)
_HI, _LO = _V >> 4, _V & 15
_NIB_SHIFTS = (4 * np.arange(8)).astype(np.uint32)


def _tal(arr: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.take_along_axis(arr, idx.astype(np.intp), axis=-1)


def _enc_byte(perms: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Encode bytes with a (lo, hi) pair of nibble permutations ``(..., 2, 16)``."""
    b = b.astype(np.intp)
    return (_tal(perms[..., 0, :], b & 15) | (_tal(perms[..., 1, :], b >> 4) << 4)).astype(np.uint8)


def _enc_word(perms: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Encode 32-bit words nibble by nibble with permutations ``(..., 8, 16)``."""
    out = np.zeros(w.shape, dtype=np.uint32)
    for n in range(8):
        nib = (w >> np.uint32(4 * n)) & np.uint32(15)
        out |= _tal(perms[..., n, :], nib).astype(np.uint32) << np.uint32(4 * n)
    return out


def _nibbles(w: np.ndarray) -> np.ndarray:
    """Split encoded 32-bit words into their 8 nibbles (least significant first)."""
    return ((w[..., None] >> _NIB_SHIFTS) & np.uint32(15)).astype(np.uint8)


def _xor_tree(in_enc: np.ndarray, out_enc: np.ndarray, rnd: EncodingStream) -> np.ndarray:
    """Encoded nibble XOR tables ((a ^ b) ^ (c ^ d)) for 4 words: ``(..., 3, 8, 256)``."""
    shape = out_enc.shape[:-2]
    mid = rnd.permutations((*shape, 2, 8), 16)
    in_inv, mid_inv = inverse_permutations(in_enc), inverse_permutations(mid)
    t0 = _tal(mid[..., 0, :, :], in_inv[..., 0, :, :][..., _HI] ^ in_inv[..., 1, :, :][..., _LO])
    t1 = _tal(mid[..., 1, :, :], in_inv[..., 2, :, :][..., _HI] ^ in_inv[..., 3, :, :][..., _LO])
    t2 = _tal(out_enc, mid_inv[..., 0, :, :][..., _HI] ^ mid_inv[..., 1, :, :][..., _LO])
    return np.stack([t0, t1, t2], axis=-3).astype(np.uint8)


@dataclass
class AESTables:
    """The key-independent tables of one direction (public: they ship in the SDK)."""

    inp: np.ndarray  # (16, 256) u8: plain byte -> encoded, mixed byte
    xk: np.ndarray  # (15, 16, 2, 256) u8: key injection, (state nibble << 4 | key nibble)
    ty: np.ndarray  # (13, 16, 256, 8) u8 nibbles: S-box, MixColumns column, mixing bijection
    xor1: np.ndarray  # (13, 4, 3, 8, 256) u8
    mbi: np.ndarray  # (13, 4, 4, 256, 8) u8 nibbles: inverse mixing, next round's mixing
    xor2: np.ndarray  # (13, 4, 3, 8, 256) u8
    tl: np.ndarray  # (16, 256) u8: last round's S-box
    out: np.ndarray  # (16, 256) u8: remove the last encoding
    shift_src: np.ndarray  # (16,) ShiftRows (or InvShiftRows) as a gather

    FIELDS = ("inp", "xk", "ty", "xor1", "mbi", "xor2", "tl", "out", "shift_src")

    def arrays(self) -> dict[str, np.ndarray]:
        """The tables by name, for saving and hashing."""
        return {name: getattr(self, name) for name in self.FIELDS}


def build_aes(seed: bytes, inverse: bool) -> tuple[AESTables, np.ndarray]:
    """Tables of the forward (or inverse) network, and the secret key-encoding LUT.

    The LUT ``(15, 16, 256)`` maps round key index, injection position and real key byte
    to the encoded byte the white-box key carries. It is the issuer's secret, never in
    the SDK.
    """
    sbox = np.array(sch.AES_INV_SBOX if inverse else sch.AES_SBOX, dtype=np.uint8)
    mc = sch.AES_INV_MC if inverse else sch.AES_MC
    src = np.array(sch.AES_INV_SHIFT_SRC if inverse else sch.AES_SHIFT_SRC)
    rnd = EncodingStream(seed, "aes256-inverse" if inverse else "aes256-forward")
    xkpos = np.argsort(src).reshape(4, 4)  # [column, row] -> position reading it
    lmix, lmix_inv = rnd.invertible((15, 16), 8)
    lf = byte_luts(lmix)[..., 0, :].astype(np.uint8)
    li = byte_luts(lmix_inv)[..., 0, :].astype(np.uint8)
    es, ek, ex = (rnd.permutations((15, 16, 2), 16) for _ in range(3))
    es_inv, ek_inv, ex_inv = (inverse_permutations(p) for p in (es, ek, ex))

    inp = _enc_byte(es[0], lf[0])
    xk = _tal(ex, es_inv[..., _HI] ^ ek_inv[..., _LO]).astype(np.uint8)
    key_lut = _enc_byte(ek, lf)
    # The real value (state ^ key) behind every key-injection output byte.
    xv = _tal(li, _enc_byte(ex_inv, np.broadcast_to(_V, (15, 16, 256))))

    mul = sch.gf_mul_table()
    s = sbox[xv[:13]].astype(np.intp)  # (13, 16, 256)
    word = np.zeros(s.shape, dtype=np.uint32)
    for out_row in range(4):
        coef = np.array([mc[out_row][i % 4] for i in range(16)])[None, :, None]
        word |= mul[coef, s].astype(np.uint32) << np.uint32(8 * out_row)
    mb, mb_inv = rnd.invertible((13, 4), 32)
    cols = np.arange(16) // 4
    mixed = apply_words(byte_luts(mb)[:, cols], word)
    e_ty = rnd.permutations((13, 16, 8), 16)
    ty = _enc_word(e_ty, mixed)
    e_c = rnd.permutations((13, 4, 8), 16)
    xor1 = _xor_tree(e_ty.reshape(13, 4, 4, 8, 16), e_c, rnd)

    e_c_inv = inverse_permutations(e_c)
    y = np.stack(
        [
            _tal(e_c_inv[:, :, 2 * j, None, :], np.broadcast_to(_LO, (13, 4, 1, 256)))
            | (_tal(e_c_inv[:, :, 2 * j + 1, None, :], np.broadcast_to(_HI, (13, 4, 1, 256))) << 4)
            for j in range(4)
        ],
        axis=2,
    )[:, :, :, 0, :]  # (13, 4, j, 256): the real mixed byte j behind each encoded byte
    unmixed = _tal(byte_luts(mb_inv), y).astype(np.uint32)  # (13, 4, j, 256)
    l_next = lf[1:14][:, xkpos]  # (13, column, row, 256)
    u = np.zeros(unmixed.shape, dtype=np.uint32)
    for row in range(4):
        b = (unmixed >> np.uint32(8 * row)) & np.uint32(0xFF)
        u |= _tal(l_next[:, :, row, None, :], b).astype(np.uint32) << np.uint32(8 * row)
    e_mbi = rnd.permutations((13, 4, 4, 8), 16)
    mbi = _enc_word(e_mbi, u)
    e_d = es[1:14][:, xkpos].reshape(13, 4, 8, 16)
    xor2 = _xor_tree(e_mbi, e_d, rnd)

    tl = _enc_byte(es[14], _tal(lf[14], sbox[xv[13]]))
    out = xv[14].astype(np.uint8)
    tables = AESTables(
        inp, xk, _nibbles(ty), xor1, _nibbles(mbi), xor2, tl, out, src.astype(np.uint8)
    )
    return tables, key_lut


class AESNetwork:
    """Runs one direction's tables on batches of blocks, with an encoded key schedule."""

    def __init__(self, tables: AESTables) -> None:
        self.tables = tables
        self._src = tables.shift_src.astype(np.intp)
        self._inp, self._tl, self._out = (
            a.reshape(-1) for a in (tables.inp, tables.tl, tables.out)
        )
        self._xk = tables.xk.reshape(15, -1)
        self._ty = tables.ty.reshape(13, -1, 8)
        self._mbi = tables.mbi.reshape(13, -1, 8)
        self._xor1 = tables.xor1.reshape(13, -1)
        self._xor2 = tables.xor2.reshape(13, -1)
        self._off16 = np.arange(16) * 256
        self._off_cj = (np.arange(16) * 256).reshape(4, 4)
        base = (np.arange(4)[:, None, None] * 3 + np.arange(3)[None, :, None]) * 2048
        base = base + np.arange(8)[None, None, :] * 256  # (column, stage, nibble)
        self._tree_base01, self._tree_base2 = base[:, :2, :], base[:, 2, :]

    def _tree(self, flat: np.ndarray, nib: np.ndarray) -> np.ndarray:
        """XOR the four nibble-encoded words of each column: (N, 4, 4, 8) -> (N, 4, 4) bytes.

        Rows (0, 2) and (1, 3) meet in one gather (the first level of the tree), then the
        two halves in a second.
        """
        half = np.take(flat, self._tree_base01 + ((nib[:, :, 0::2] << 4) | nib[:, :, 1::2]))
        x = np.take(flat, self._tree_base2 + ((half[:, :, 0] << 4) | half[:, :, 1]))
        return x[..., 0::2] | (x[..., 1::2] << 4)

    def run(
        self,
        keys: np.ndarray,
        blocks: np.ndarray,
        trace: Trace | None = None,
        fault: Fault | None = None,
    ) -> np.ndarray:
        """Encrypt (or decrypt) ``blocks`` (N, 16) uint8 under encoded round keys (15, 16)."""
        n = len(blocks)
        keys = keys.astype(np.intp)
        lo_base = np.arange(16) * 512 + (keys & 15)  # (15, 16): the key nibble is fixed
        hi_base = np.arange(16) * 512 + 256 + (keys >> 4)
        s = self._inp[self._off16 + blocks[:, self._src]]
        for r in range(15):
            if fault is not None and fault.round == r:
                s = s.copy()
                s[:, fault.index] ^= np.uint8(fault.xor)
            xk = self._xk[r]
            s = xk[lo_base[r] + ((s & 15) << 4)] | (xk[hi_base[r] + (s & 0xF0)] << 4)
            if trace is not None:
                trace.record(r, "xk", s)
            if r == 13:
                s = self._tl[self._off16 + s]
                continue
            if r == 14:
                break
            nib = np.take(self._ty[r], self._off16 + s, axis=0).reshape(n, 4, 4, 8)
            if trace is not None:
                trace.record(r, "tbox", nib.reshape(n, 16, 8))
            b = self._tree(self._xor1[r], nib)
            nib = np.take(self._mbi[r], self._off_cj + b, axis=0)
            state = self._tree(self._xor2[r], nib).reshape(n, 16)
            if trace is not None:
                trace.record(r, "ty", b)
                trace.record(r, "state", state)
            s = state[:, self._src]
        return self._out[self._off16 + s]
