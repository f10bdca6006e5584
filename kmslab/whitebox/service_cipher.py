"""What EncryptByWhiteBox computes on the service: CBC with PKCS#7 in ``cryptography``.

The service holds the real key, so it needs no tables; the device undoes this with the
white-box DecryptKey (``kmslab.whitebox.decrypt``). One function, so that the action and
the tests share the exact computation.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kmslab.whitebox.errors import INVALID_ARGUMENT, INVALID_DATA, WhiteBoxError

MAX_PLAINTEXT = 4096
"""EncryptByWhiteBox's documented plaintext limit in bytes (decoded)."""

_CIPHERS = {"AES_256": (algorithms.AES, 32), "SM4": (algorithms.SM4, 16)}


def encrypt_cbc(algorithm: str, key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """AES-256-CBC or SM4-CBC with PKCS#7 of 1-4096 bytes under a 16-byte IV."""
    spec = _CIPHERS.get(algorithm) if isinstance(algorithm, str) else None
    if spec is None or not isinstance(key, (bytes, bytearray)) or len(key) != spec[1]:
        raise WhiteBoxError(
            INVALID_ARGUMENT, "need AES_256 with 32 key bytes or SM4 with 16", "算法或密钥长度错误"
        )
    if not isinstance(iv, (bytes, bytearray)) or len(iv) != 16:
        raise WhiteBoxError(INVALID_DATA, "the IV must be 16 bytes", "初始向量必须为 16 字节")
    if not isinstance(plaintext, (bytes, bytearray)) or not 0 < len(plaintext) <= MAX_PLAINTEXT:
        raise WhiteBoxError(
            INVALID_DATA, "plaintext must be 1 to 4096 bytes", "明文长度必须为 1 到 4096 字节"
        )
    padder = padding.PKCS7(128).padder()
    data = padder.update(bytes(plaintext)) + padder.finalize()
    enc = Cipher(spec[0](bytes(key)), modes.CBC(bytes(iv))).encryptor()
    return enc.update(data) + enc.finalize()
