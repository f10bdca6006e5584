"""Symmetric AEAD suites for CMK versions: AES-256-GCM (FIPS) and SM4-GCM (SM).

Both come from ``cryptography``. A suite turns a version's raw key into a prepared
cipher once, so the hot path (Encrypt/Decrypt) pays only for the AEAD call itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_SIZE = 12
TAG_SIZE = 16


class AuthenticationFailed(Exception):
    """The AEAD tag did not verify: wrong key, wrong associated data or a changed byte."""


@dataclass(frozen=True)
class PreparedKey:
    """A version's key made ready for use: ``seal(nonce, data, aad)`` / ``open(...)``."""

    seal: Callable[[bytes, bytes, bytes], bytes]
    open: Callable[[bytes, bytes, bytes], bytes]


@dataclass(frozen=True)
class AeadSuite:
    """One symmetric algorithm as the service offers it.

    ``suite_id`` is the byte that names the suite inside a ciphertext blob;
    ``metadata_type`` is ``KeyMetadata.Type`` (2 FIPS, 4 SM); ``algorithm`` is the name
    ``ListAlgorithms`` reports.
    """

    name: str
    suite_id: int
    key_size: int
    algorithm: str
    metadata_type: int
    prepare: Callable[[bytes], PreparedKey]


def _prepare_aes_gcm(key: bytes) -> PreparedKey:
    aead = AESGCM(key)

    def open_(nonce: bytes, data: bytes, aad: bytes) -> bytes:
        try:
            return aead.decrypt(nonce, data, aad)
        except InvalidTag:
            raise AuthenticationFailed from None

    return PreparedKey(seal=aead.encrypt, open=open_)


def _prepare_sm4_gcm(key: bytes) -> PreparedKey:
    algorithm = algorithms.SM4(key)

    def seal(nonce: bytes, data: bytes, aad: bytes) -> bytes:
        enc = Cipher(algorithm, modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        return enc.update(data) + enc.finalize() + enc.tag

    def open_(nonce: bytes, data: bytes, aad: bytes) -> bytes:
        if len(data) < TAG_SIZE:
            raise AuthenticationFailed
        dec = Cipher(algorithm, modes.GCM(nonce, data[-TAG_SIZE:])).decryptor()
        dec.authenticate_additional_data(aad)
        try:
            return dec.update(data[:-TAG_SIZE]) + dec.finalize()
        except InvalidTag:
            raise AuthenticationFailed from None

    return PreparedKey(seal=seal, open=open_)


AES_256_GCM = AeadSuite("AES-256-GCM", 1, 32, "AES_256", 2, _prepare_aes_gcm)
SM4_GCM = AeadSuite("SM4-GCM", 2, 16, "SM4", 4, _prepare_sm4_gcm)

SUITES_BY_ID = {s.suite_id: s for s in (AES_256_GCM, SM4_GCM)}
