"""Encrypting a returned plaintext to the caller's public key (``EncryptionPublicKey`` and
``EncryptionAlgorithm`` on Decrypt, GenerateDataKey and PostQuantumCryptoDecrypt), so
the plaintext never appears in the response.

``SM2`` (the default) gives raw C1C3C2 with a bare 64-byte C1, as the catalog's section
7.2 shows; ``SM2_C1C3C2_ASN1`` the DER form; the RSA algorithms need an RSA-2048 key.
"""

from __future__ import annotations

import functools
import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kmslab.crypto import asymmetric, sm2

SM2_ALGORITHMS = ("SM2", "SM2_C1C3C2_ASN1")
RSA_ALGORITHMS = ("RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
MAX_PEM_CHARS = 4096
"""Longest ``EncryptionPublicKey`` taken: an RSA-2048 PEM is ~450 characters, SM2 ~180.
Checked before parsing, so the key cache below holds at most 256 x 4 KB."""
_PEM_BLOCK = re.compile(
    r"-----BEGIN (RSA )?PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1?PUBLIC KEY-----"
)


class BadPublicKey(ValueError):
    """The caller's public key is not one this module can encrypt to (``why`` in English,
    ``why_zh`` in Chinese, for the service's answer)."""

    def __init__(self, why: str, why_zh: str) -> None:
        super().__init__(why)
        self.why = why
        self.why_zh = why_zh


class WrapFailed(ValueError):
    """The plaintext could not be encrypted under a valid public key (too long for it)."""


def _bad_key(why: str, why_zh: str) -> BadPublicKey:
    return BadPublicKey(why, why_zh)


def _checked_pem(value: object) -> str:
    """``value`` stripped, if it is exactly one bounded PEM public-key block."""
    if not isinstance(value, str) or len(value) > MAX_PEM_CHARS:
        raise _bad_key(
            f"at most {MAX_PEM_CHARS} characters",
            f"长度不能超过 {MAX_PEM_CHARS} 个字符",
        )
    text = value.strip()
    if not _PEM_BLOCK.fullmatch(text):
        raise _bad_key(
            "must be one PEM 'PUBLIC KEY' block and nothing else",
            "必须是单个 PEM 'PUBLIC KEY' 块，且不含其他内容",
        )
    return text


@functools.lru_cache(maxsize=256)  # keys are bounded: _checked_pem runs first
def _load(pem_text: str, algorithm: str):
    pem = pem_text.encode()
    if algorithm in SM2_ALGORITHMS:
        key = sm2.load_public_pem(pem)
        if key is None:
            raise _bad_key(
                f"{algorithm} needs an SM2 public key in PEM form",
                f"{algorithm} 需要 PEM 格式的 SM2 公钥",
            )
        return key
    try:
        key = serialization.load_pem_public_key(pem)
    except Exception:
        key = None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size != asymmetric.RSA_BITS:
        raise _bad_key(
            f"{algorithm} needs an RSA-2048 public key in PEM form",
            f"{algorithm} 需要 PEM 格式的 RSA-2048 公钥",
        )
    return key


def encrypt_to_public_key(pem: object, algorithm: str, plaintext: bytes, random) -> bytes:
    """``plaintext`` encrypted to the PEM public key ``pem`` with ``algorithm``: raises
    BadPublicKey for an unusable key and WrapFailed when the key cannot carry it."""
    key = _load(_checked_pem(pem), algorithm)
    try:
        if algorithm in SM2_ALGORITHMS:
            out = sm2.encrypt_der(key, plaintext, random)
            return sm2.der_to_raw(out) if algorithm == "SM2" else out
        return asymmetric.rsa_encrypt(key, plaintext, algorithm)
    except Exception as exc:
        raise WrapFailed(f"{len(plaintext)} bytes do not fit {algorithm}") from exc
