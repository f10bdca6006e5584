"""Secret random encodings for the table networks, drawn deterministically from a seed.

Every bijection and mixing matrix hidden in the white-box tables comes from a ChaCha20
stream (``cryptography``) keyed by HKDF-SHA256 of the library seed and a label, so one
seed always rebuilds the same library and the encodings are as unpredictable as the seed.
"""

from __future__ import annotations

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class EncodingStream:
    """A labelled deterministic stream of random permutations and GF(2) matrices."""

    def __init__(self, seed: bytes, label: str) -> None:
        key = HKDF(hashes.SHA256(), 32, salt=b"kmslab-whitebox-v1", info=label.encode()).derive(
            seed
        )
        self._cipher = Cipher(algorithms.ChaCha20(key, bytes(16)), None).encryptor()

    def bytes(self, n: int) -> bytes:
        """The next ``n`` bytes of the stream."""
        return self._cipher.update(bytes(n))

    def permutations(self, shape: tuple[int, ...], size: int) -> np.ndarray:
        """Uniform random permutations of ``range(size)``, an array of ``shape + (size,)``."""
        count = int(np.prod(shape))
        keys = np.frombuffer(self.bytes(count * size * 8), dtype="<u8").reshape(count, size)
        return np.argsort(keys, axis=1, kind="stable").astype(np.uint8).reshape(*shape, size)

    def bits(self, shape: tuple[int, ...]) -> np.ndarray:
        """Uniform random bits (uint8 0/1) of ``shape``."""
        count = int(np.prod(shape))
        raw = np.frombuffer(self.bytes((count + 7) // 8), dtype=np.uint8)
        return np.unpackbits(raw)[:count].reshape(shape)

    def words(self, count: int) -> np.ndarray:
        """``count`` uniform random 32-bit words (uint32)."""
        return np.frombuffer(self.bytes(4 * count), dtype="<u4").astype(np.uint32)

    def invertible(self, shape: tuple[int, ...], n: int) -> tuple[np.ndarray, np.ndarray]:
        """Uniform random invertible n x n matrices over GF(2) and their inverses."""
        count = int(np.prod(shape))
        mats = np.empty((count, n, n), dtype=np.uint8)
        invs = np.empty_like(mats)
        todo = np.arange(count)
        while todo.size:
            cand = self.bits((todo.size, n, n))
            inv, ok = gf2_inverse(cand)
            mats[todo[ok]] = cand[ok]
            invs[todo[ok]] = inv[ok]
            todo = todo[~ok]
        return mats.reshape(*shape, n, n), invs.reshape(*shape, n, n)


def gf2_inverse(mats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched Gauss-Jordan inversion over GF(2): (inverses, invertible flags)."""
    count, n, _ = mats.shape
    aug = np.concatenate([mats, np.broadcast_to(np.eye(n, dtype=np.uint8), mats.shape)], axis=2)
    aug = aug.copy()
    ok = np.ones(count, dtype=bool)
    rows = np.arange(count)
    for k in range(n):
        col = aug[:, k:, k]
        ok &= col.any(axis=1)
        piv = k + col.argmax(axis=1)
        top, pivot_row = aug[rows, k].copy(), aug[rows, piv].copy()
        aug[rows, piv] = top
        aug[rows, k] = pivot_row
        mask = aug[:, :, k].copy()
        mask[:, k] = 0
        aug ^= mask[:, :, None] & aug[:, k][:, None, :]
    return aug[:, :, n:], ok


def byte_luts(mats: np.ndarray) -> np.ndarray:
    """Lookup tables of linear maps, one per input byte: ``out[..., j, v] = M @ (v << 8j)``.

    Bits are numbered from the least significant; ``mats`` has shape ``(..., n_out, n_in)``
    with ``n_out <= 32`` and the result ``(..., n_in // 8, 256)`` holds the outputs as
    uint32. Built by doubling: the table of 2^(b+1) entries is the table of 2^b entries
    and the same XORed with column b.
    """
    n_out, n_in = mats.shape[-2:]
    weights = np.uint64(1) << np.arange(n_out, dtype=np.uint64)
    cols = np.swapaxes(mats, -1, -2).astype(np.uint64) @ weights  # (..., n_in) packed columns
    cols = cols.astype(np.uint32).reshape(*mats.shape[:-2], n_in // 8, 8)
    lut = np.zeros((*cols.shape[:-1], 256), dtype=np.uint32)
    for bit in range(8):
        half = 1 << bit
        lut[..., half : 2 * half] = lut[..., :half] ^ cols[..., bit : bit + 1]
    return lut


def apply_words(luts: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Apply 32-bit linear maps given as 4 byte-LUTs ``(..., 4, 256)`` to ``words``.

    ``words`` has the maps' leading shape plus one axis of words per map, or exactly the
    maps' leading shape for one word per map.
    """
    if words.ndim == luts.ndim - 2:
        return apply_words(luts, words[..., None])[..., 0]
    out = np.zeros(words.shape, dtype=np.uint32)
    for j in range(4):
        byte = ((words >> np.uint32(8 * j)) & np.uint32(0xFF)).astype(np.intp)
        out ^= np.take_along_axis(luts[..., j, :], byte, axis=-1)
    return out


def inverse_permutations(perms: np.ndarray) -> np.ndarray:
    """The inverse of each permutation along the last axis."""
    return np.argsort(perms, axis=-1, kind="stable").astype(perms.dtype)
