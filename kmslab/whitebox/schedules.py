"""AES-256 and SM4 constants and key schedules, written out for the white-box networks.

A table network *is* an implementation of the cipher, so building it needs the standard
S-boxes, MixColumns and key schedules, which ``cryptography`` does not expose. Everything
here is the published standard (FIPS-197, GB/T 32907-2016), checked against
``cryptography`` byte for byte by ``tests/whitebox``.
"""

from __future__ import annotations

import struct

import numpy as np


def _xtime(a: int) -> int:
    a <<= 1
    return (a ^ 0x11B) if a & 0x100 else a


def _gf_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 510, [0] * 256
    x = 1
    for i in range(255):
        exp[i], log[x] = x, i
        x ^= _xtime(x)  # multiply by the generator 3
    for i in range(255, 510):
        exp[i] = exp[i - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


def gf_mul(a: int, b: int) -> int:
    """Product in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1."""
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _rotl8(b: int, n: int) -> int:
    return ((b << n) | (b >> (8 - n))) & 0xFF


def _aes_sbox() -> tuple[int, ...]:
    out = []
    for a in range(256):
        inv = 0 if a == 0 else _EXP[255 - _LOG[a]]
        out.append(inv ^ _rotl8(inv, 1) ^ _rotl8(inv, 2) ^ _rotl8(inv, 3) ^ _rotl8(inv, 4) ^ 0x63)
    return tuple(out)


AES_SBOX: tuple[int, ...] = _aes_sbox()
"""The AES S-box (multiplicative inverse then the FIPS-197 affine map)."""

AES_INV_SBOX: tuple[int, ...] = tuple(AES_SBOX.index(v) for v in range(256))
"""The inverse AES S-box."""

AES_MC: tuple[tuple[int, ...], ...] = ((2, 3, 1, 1), (1, 2, 3, 1), (1, 1, 2, 3), (3, 1, 1, 2))
"""MixColumns as a matrix over GF(2^8): ``out[row] = sum(AES_MC[row][k] * in[k])``."""

AES_INV_MC: tuple[tuple[int, ...], ...] = (
    (14, 11, 13, 9),
    (9, 14, 11, 13),
    (13, 9, 14, 11),
    (11, 13, 9, 14),
)
"""InvMixColumns as a matrix over GF(2^8)."""

# State byte i is row i % 4 of column i // 4 (FIPS-197 input order).
AES_SHIFT_SRC: tuple[int, ...] = tuple(r + 4 * ((c + r) % 4) for c in range(4) for r in range(4))
"""ShiftRows as a gather: ``out[i] = in[AES_SHIFT_SRC[i]]``."""

AES_INV_SHIFT_SRC: tuple[int, ...] = tuple(
    r + 4 * ((c - r) % 4) for c in range(4) for r in range(4)
)
"""InvShiftRows as a gather."""


def gf_mul_table() -> np.ndarray:
    """The full 256 x 256 GF(2^8) multiplication table (uint8), for building tables."""
    exp = np.array(_EXP, dtype=np.int64)
    log = np.array(_LOG, dtype=np.int64)
    idx = log[:, None] + log[None, :]
    table = exp[idx].astype(np.uint8)
    table[0, :] = 0
    table[:, 0] = 0
    return table


def aes256_round_keys(key: bytes) -> list[bytes]:
    """The 15 round keys of AES-256 (FIPS-197 section 5.2), 16 bytes each."""
    if len(key) != 32:
        raise ValueError("AES-256 needs a 32-byte key")
    sb = AES_SBOX
    w = list(struct.unpack(">8I", key))
    rcon = 1
    for i in range(8, 60):
        t = w[i - 1]
        if i % 8 == 0:
            t = (
                sb[(t >> 16) & 255] << 24
                | sb[(t >> 8) & 255] << 16
                | sb[t & 255] << 8
                | sb[t >> 24]
            ) ^ (rcon << 24)
            rcon = _xtime(rcon)
        elif i % 8 == 4:
            t = (
                sb[t >> 24] << 24
                | sb[(t >> 16) & 255] << 16
                | sb[(t >> 8) & 255] << 8
                | sb[t & 255]
            )
        w.append(w[i - 8] ^ t)
    return [struct.pack(">4I", *w[4 * r : 4 * r + 4]) for r in range(15)]


def _inv_mix_tables() -> np.ndarray:
    """InvMixColumns as four byte -> column tables: (4 input rows, 256) of 4 output bytes."""
    out = np.zeros((4, 256, 4), dtype=np.uint8)
    for k in range(4):
        for row in range(4):
            out[k, :, row] = [gf_mul(AES_INV_MC[row][k], v) for v in range(256)]
    return out


_INV_MIX = _inv_mix_tables()


def aes256_inverse_round_keys(round_keys: list[bytes]) -> list[bytes]:
    """Round keys of the equivalent inverse cipher (FIPS-197 section 5.3.5), in use order:
    ``k14``, ``InvMixColumns(k13)`` ... ``InvMixColumns(k1)``, ``k0``."""
    middle = np.frombuffer(b"".join(round_keys[13:0:-1]), dtype=np.uint8).reshape(13, 4, 4)
    mixed = _INV_MIX[0][middle[..., 0]]
    for k in range(1, 4):
        mixed ^= _INV_MIX[k][middle[..., k]]
    flat = mixed.reshape(13, 16).tobytes()
    return [round_keys[14], *(flat[16 * r : 16 * r + 16] for r in range(13)), round_keys[0]]


SM4_SBOX: tuple[int, ...] = tuple(
    bytes.fromhex(
        "d690e9fecce13db716b614c228fb2c052b679a762abe04c3aa44132649860699"
        "9c4250f491ef987a33540b43edcfac62e4b31ca9c908e89580df94fa758f3fa6"
        "4707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35"
        "1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89e"
        "eabf8ad240c738b5a3f7f2cef96115a1e0ae5da49b341a55ad933230f58cb1e3"
        "1df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51"
        "8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b0"
        "8969974a0c96777e65b9f109c56ec68418f07dec3adc4d2079ee5f3ed7cb3948"
    )
)
"""The SM4 S-box (GB/T 32907-2016, table 1)."""

SM4_FK: tuple[int, ...] = (0xA3B1BAC6, 0x56AA3350, 0x677D9197, 0xB27022DC)
"""The SM4 system parameter FK."""

SM4_CK: tuple[int, ...] = tuple(
    int.from_bytes(bytes(((4 * i + j) * 7) & 0xFF for j in range(4)), "big") for i in range(32)
)
"""The SM4 fixed parameters CK: byte j of CK_i is (4i + j) * 7 mod 256."""


def _rotl32(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF


def sm4_tau(x: int) -> int:
    """The SM4 non-linear layer: the S-box on each byte of a 32-bit word."""
    s = SM4_SBOX
    return (
        (s[x >> 24] << 24) | (s[(x >> 16) & 0xFF] << 16) | (s[(x >> 8) & 0xFF] << 8) | s[x & 0xFF]
    )


def sm4_l(b: int) -> int:
    """The SM4 linear layer L of the round function."""
    return b ^ _rotl32(b, 2) ^ _rotl32(b, 10) ^ _rotl32(b, 18) ^ _rotl32(b, 24)


def _key_t_tables() -> tuple[tuple[int, ...], ...]:
    """The key schedule's T' = L'(tau(x)) split by input byte (most significant first)."""
    out = []
    for shift in (24, 16, 8, 0):
        row = []
        for v in range(256):
            b = SM4_SBOX[v] << shift
            row.append(b ^ _rotl32(b, 13) ^ _rotl32(b, 23))
        out.append(tuple(row))
    return tuple(out)


_KT0, _KT1, _KT2, _KT3 = _key_t_tables()


def sm4_round_keys(key: bytes) -> list[int]:
    """The 32 SM4 round keys (GB/T 32907-2016 section 7.3) as 32-bit integers."""
    if len(key) != 16:
        raise ValueError("SM4 needs a 16-byte key")
    k0, k1, k2, k3 = (w ^ f for w, f in zip(struct.unpack(">4I", key), SM4_FK, strict=True))
    out = []
    for ck in SM4_CK:
        x = k1 ^ k2 ^ k3 ^ ck
        k4 = k0 ^ _KT0[x >> 24] ^ _KT1[(x >> 16) & 255] ^ _KT2[(x >> 8) & 255] ^ _KT3[x & 255]
        out.append(k4)
        k0, k1, k2, k3 = k1, k2, k3, k4
    return out
