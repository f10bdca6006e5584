"""Constants and helpers shared by the white-box tests (a module of its own, not conftest)."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SEED = bytes(range(32))
OTHER_SEED = bytes(range(1, 33))
KEY_ID = "5c6e7f10-1234-4abc-8def-0123456789ab"
FP_A = "0123abcd-00112233445566-778899aabbccdd-eeff0011223344-5566778899aabbcc"
FP_B = "fedcba98-66554433221100-ddccbbaa998877-44332211ffeedd-ccbbaa9988776655"
KEY_LEN = {"AES_256": 32, "SM4": 16}
CIPHER = {"AES_256": algorithms.AES, "SM4": algorithms.SM4}


def b64(data: bytes) -> str:
    """Base64 text, as the API carries bytes."""
    return base64.b64encode(data).decode()


def new_key(algorithm: str) -> bytes:
    """A random key of ``algorithm``."""
    return os.urandom(KEY_LEN[algorithm])


def cbc_encrypt(algorithm: str, key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """What EncryptByWhiteBox computes: CBC with PKCS#7 in ``cryptography``."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext) + padder.finalize()
    return Cipher(CIPHER[algorithm](key), modes.CBC(iv)).encryptor().update(data)


def ecb(algorithm: str, key: bytes, data: bytes, decrypt: bool = False) -> bytes:
    """The raw block cipher from ``cryptography`` (the reference)."""
    cipher = Cipher(CIPHER[algorithm](key), modes.ECB())
    ctx = cipher.decryptor() if decrypt else cipher.encryptor()
    return ctx.update(data) + ctx.finalize()
