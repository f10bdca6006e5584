"""The issuer's white-box library: the public SDK plus the secret key encodings.

``build_library(seed)`` regenerates the same library from the same secret seed (the
service persists only the seed, wrapped by its root key) and caches it per seed.
``Library.encode_key`` turns a real AES-256 or SM4 key into the EncryptKey and DecryptKey
blobs of that library: a key schedule and one table lookup per round-key byte, cheap
enough for 1,000 CreateWhiteBoxKey calls per second.
"""

from __future__ import annotations

import base64
import functools
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kmslab.whitebox import keyblob
from kmslab.whitebox import schedules as sch
from kmslab.whitebox.aes_net import build_aes
from kmslab.whitebox.device import is_fingerprint
from kmslab.whitebox.errors import INVALID_ARGUMENT, WhiteBoxError
from kmslab.whitebox.sdk import SDK
from kmslab.whitebox.sm4_net import build_sm4

ALGORITHMS = {"AES_256": keyblob.ALG_AES_256, "SM4": keyblob.ALG_SM4}
"""API algorithm names and their algorithm types."""

MIN_SEED_BYTES = 16
"""The shortest library seed accepted (the service uses 32 random bytes)."""

_R15, _P16 = np.arange(15)[:, None], np.arange(16)[None, :]
_R32, _P4 = np.arange(32)[:, None], np.arange(4)[None, :]
_FWD_SRC = np.array(sch.AES_SHIFT_SRC)
_INV_SRC = np.array(sch.AES_INV_SHIFT_SRC)
_SHIFTS = (8 * np.arange(4)).astype(np.uint32)


@dataclass(frozen=True)
class WhiteBoxKeys:
    """The two Base64 blobs CreateWhiteBoxKey returns."""

    encrypt_key: str
    decrypt_key: str


def _bad(message: str, zh: str) -> WhiteBoxError:
    return WhiteBoxError(INVALID_ARGUMENT, message, zh)


def _aes_bytes(lut: np.ndarray, round_keys: list[bytes], src: np.ndarray) -> bytes:
    arr = np.frombuffer(b"".join(round_keys), dtype=np.uint8).reshape(15, 16)
    kb = np.empty((15, 16), dtype=np.intp)
    kb[:14] = arr[:14][:, src]
    kb[14] = arr[14]
    return lut[_R15, _P16, kb].tobytes()


def _sm4_bytes(q: np.ndarray, round_keys: list[int]) -> bytes:
    kb = (np.array(round_keys, dtype=np.uint32)[:, None] >> _SHIFTS) & np.uint32(0xFF)
    return q[_R32, _P4, kb.astype(np.intp)].tobytes()


class Library:
    """One white-box library: its SDK and the encoder secrets that never leave the issuer."""

    def __init__(
        self, sdk: SDK, aes_forward_lut: np.ndarray, aes_inverse_lut: np.ndarray, sm4_q: np.ndarray
    ) -> None:
        self.sdk = sdk
        self._aes_fwd, self._aes_inv, self._sm4 = aes_forward_lut, aes_inverse_lut, sm4_q

    @property
    def library_id(self) -> bytes:
        """The 16-byte id every key of this library carries."""
        return self.sdk.library_id

    def __repr__(self) -> str:
        return f"Library(library_id={self.library_id.hex()})"

    def _check(self, algorithm: str, key: bytes, key_id: str) -> tuple[int, bytes]:
        alg = ALGORITHMS.get(algorithm) if isinstance(algorithm, str) else None
        if alg is None:
            raise _bad("algorithm must be AES_256 or SM4", "算法必须为 AES_256 或 SM4")
        want = keyblob.KEY_BITS[alg] // 8
        if not isinstance(key, (bytes, bytearray)) or len(key) != want:
            raise _bad(f"{algorithm} needs a {want}-byte key", f"{algorithm} 需要 {want} 字节密钥")
        try:
            kid = uuid.UUID(key_id).bytes
        except (ValueError, TypeError, AttributeError):
            raise _bad("key id must be a UUID string", "密钥 ID 必须为 UUID 字符串") from None
        return alg, kid

    def _encoded(self, alg: int, key: bytes) -> tuple[bytes, bytes]:
        """(encrypt-mode, decrypt-mode) encoded round keys of ``key``."""
        if alg == keyblob.ALG_AES_256:
            rks = sch.aes256_round_keys(bytes(key))
            inverse = sch.aes256_inverse_round_keys(rks)
            return _aes_bytes(self._aes_fwd, rks, _FWD_SRC), _aes_bytes(
                self._aes_inv, inverse, _INV_SRC
            )
        rk = sch.sm4_round_keys(bytes(key))
        return _sm4_bytes(self._sm4, rk), _sm4_bytes(self._sm4, rk[::-1])

    def _pack(self, mode: int, alg: int, kid: bytes, encoded: bytes, fps=(), mask=None) -> str:
        blob = keyblob.pack(self.sdk.blob_key, mode, alg, self.library_id, kid, encoded, fps, mask)
        return base64.b64encode(blob).decode()

    @staticmethod
    def _fingerprints(fingerprints: Iterable[str]) -> tuple[str, ...]:
        fps = tuple(dict.fromkeys(fingerprints))
        if any(not is_fingerprint(fp) for fp in fps):
            raise _bad(
                "a device fingerprint must be 8-14-14-14-16 lowercase hex groups",
                "设备指纹格式必须为 8-14-14-14-16 位小写十六进制",
            )
        if len(fps) > keyblob.MAX_SLOTS:
            raise _bad("at most 200 device fingerprints", "设备指纹最多 200 个")
        return fps

    def encode_key(
        self,
        algorithm: str,
        key: bytes,
        key_id: str,
        fingerprints: Iterable[str] = (),
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> WhiteBoxKeys:
        """Both blobs of ``key`` (what CreateWhiteBoxKey returns); the DecryptKey is bound
        to ``fingerprints`` if any are given.

        A bound DecryptKey draws a fresh 32-byte mask from ``random_bytes`` (pass the
        service's random source), so every re-issue differs; unbound blobs are
        deterministic, and the EncryptKey is never bound.
        """
        alg, kid = self._check(algorithm, key, key_id)
        fps = self._fingerprints(fingerprints)
        enc, dec = self._encoded(alg, key)
        return WhiteBoxKeys(
            self._pack(keyblob.MODE_ENCRYPT, alg, kid, enc),
            self._pack(keyblob.MODE_DECRYPT, alg, kid, dec, fps, random_bytes(32) if fps else None),
        )

    def decrypt_key(
        self,
        algorithm: str,
        key: bytes,
        key_id: str,
        fingerprints: Iterable[str] = (),
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> str:
        """Only the DecryptKey, re-issued (OverwriteWhiteBoxDeviceFingerprints)."""
        return self.encode_key(algorithm, key, key_id, fingerprints, random_bytes).decrypt_key

    def encrypt_key(self, algorithm: str, key: bytes, key_id: str) -> str:
        """Only the EncryptKey (the same for every call)."""
        return self.encode_key(algorithm, key, key_id).encrypt_key


def _derive(seed: bytes, label: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=b"kmslab-whitebox-v1", info=label).derive(seed)


@functools.lru_cache(maxsize=4)
def _build(seed: bytes) -> Library:
    aes_f, aes_f_lut = build_aes(seed, inverse=False)
    aes_i, aes_i_lut = build_aes(seed, inverse=True)
    sm4, q = build_sm4(seed)
    sdk = SDK(aes_f, aes_i, sm4, _derive(seed, b"blob-mac"))
    return Library(sdk, aes_f_lut, aes_i_lut, q)


def build_library(seed: bytes, *, cache: bool = True) -> Library:
    """The white-box library of ``seed`` (at least 16 secret bytes). With ``cache`` (for
    notebooks and the offline tools) it is built once per process and kept; the service
    passes ``cache=False`` and keeps it in its own secret cache, which ``close()`` empties."""
    if not isinstance(seed, (bytes, bytearray)) or len(seed) < MIN_SEED_BYTES:
        raise _bad(
            f"a white-box library seed is at least {MIN_SEED_BYTES} bytes",
            f"白盒库种子至少 {MIN_SEED_BYTES} 字节",
        )
    return _build(bytes(seed)) if cache else _build.__wrapped__(bytes(seed))


def encode_key(
    library_secret: bytes,
    algorithm: str,
    key: bytes,
    key_id: str,
    fingerprints: Iterable[str] | None = None,
    random_bytes: Callable[[int], bytes] | None = None,
) -> tuple[str, str]:
    """(EncryptKey, DecryptKey) Base64 strings of ``key`` for the library of ``library_secret``."""
    keys = build_library(library_secret).encode_key(
        algorithm, key, key_id, fingerprints or (), random_bytes or os.urandom
    )
    return keys.encrypt_key, keys.decrypt_key
