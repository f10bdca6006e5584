"""Post-quantum keys from ``cryptography``: ML-KEM-1024 (KEM-DEM with the region's AEAD)
and ML-DSA-87.

Parameter sets: the documentation's one PQC signature is 4595 bytes, a round-3
Dilithium5 signature, so ``Dilithium`` maps to its standardised successor at the same
level, ML-DSA-87 (4627-byte signatures); ``Kyber_AES`` maps to ML-KEM-1024, the
matching level. Keys come from seeds drawn from the service's random source
(``from_seed_bytes``) and reproduce in deterministic mode; ``cryptography`` takes no
random source for encapsulation or for ML-DSA's hedged signing, so ciphertexts'
KEM halves and signatures come from OpenSSL's CSPRNG and do not reproduce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric import mldsa, mlkem
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kmslab.crypto.suites import AES_256_GCM, AeadSuite

MLKEM_SEED = 64
MLDSA_SEED = 32
MLKEM_CIPHERTEXT = 1568

_SHA256 = hashes.SHA256()
_DEM_LABEL = b"kmslab pqc dem v1\x00"
_EXTRACT = hmac.HMAC(bytes(_SHA256.digest_size), _SHA256)
# HKDF-Extract with no salt is HMAC keyed with HashLen zero bytes (RFC 5869 section 2.2):
# keyed once here and copied per derivation, which is cheaper than keying it again.

Private = TypeVar("Private")
Public = TypeVar("Public")


@dataclass(frozen=True)
class Prepared(Generic[Private, Public]):
    """A private key together with its public half, derived once: ML-KEM-1024's
    ``public_key()`` re-expands the key's matrix (tens of microseconds) on every call,
    so the service caches this pair, not the private key alone."""

    private: Private = field(repr=False)
    public: Public = field(repr=False)


def mlkem_from_seed(seed: bytes) -> mlkem.MLKEM1024PrivateKey:
    """The ML-KEM-1024 key of a 64-byte seed (d || z)."""
    return mlkem.MLKEM1024PrivateKey.from_seed_bytes(seed)


def mldsa_from_seed(seed: bytes) -> mldsa.MLDSA87PrivateKey:
    """The ML-DSA-87 key of a 32-byte seed."""
    return mldsa.MLDSA87PrivateKey.from_seed_bytes(seed)


def mlkem_prepared(
    seed: bytes,
) -> Prepared[mlkem.MLKEM1024PrivateKey, mlkem.MLKEM1024PublicKey]:
    """The ML-KEM-1024 key of a seed with its public key, for the service's cache."""
    private = mlkem_from_seed(seed)
    return Prepared(private, private.public_key())


def mldsa_prepared(seed: bytes) -> Prepared[mldsa.MLDSA87PrivateKey, mldsa.MLDSA87PublicKey]:
    """The ML-DSA-87 key of a seed with its public key, for the service's cache."""
    private = mldsa_from_seed(seed)
    return Prepared(private, private.public_key())


def dem_key(shared_secret: bytes, size: int, info: bytes) -> bytes:
    """The AEAD key of one encapsulation: HKDF-SHA256 of the shared secret, bound to
    ``info`` (the blob header), so a KEM ciphertext cannot be replayed under another.

    Up to one hash length of output, HKDF is exactly two HMACs (RFC 5869): the
    extract, ``PRK = HMAC(zeros, secret)``, and one expand block,
    ``HMAC(PRK, info || 0x01)``. They are computed as such, from a pre-keyed extract,
    which gives the same bytes as ``HKDF(...).derive`` for a fraction of its set-up cost
    on the hot path; longer outputs take ``HKDF`` itself.
    """
    info = _DEM_LABEL + info
    if not 0 < size <= _SHA256.digest_size:
        return HKDF(_SHA256, size, None, info).derive(shared_secret)
    extract = _EXTRACT.copy()
    extract.update(shared_secret)
    expand = hmac.HMAC(extract.finalize(), _SHA256)
    expand.update(info + b"\x01")
    return expand.finalize()[:size]


def dem_seal(
    suite: AeadSuite, shared_secret: bytes, info: bytes, nonce: bytes, data: bytes, aad: bytes
) -> bytes:
    """The DEM half of a PQC ciphertext: ``data`` sealed with the suite's AEAD under
    :func:`dem_key`. The key serves one message, so AES-256-GCM is called directly (the
    same bytes as the suite's prepared cipher, without building one to throw away)."""
    key = dem_key(shared_secret, suite.key_size, info)
    if suite is AES_256_GCM:
        return AESGCM(key).encrypt(nonce, data, aad)
    return suite.prepare(key).seal(nonce, data, aad)


def dem_open(
    suite: AeadSuite, shared_secret: bytes, info: bytes, nonce: bytes, sealed: bytes, aad: bytes
) -> bytes:
    """The plaintext of :func:`dem_seal`'s output; raises if the tag does not verify (the
    caller answers InvalidCiphertext for any failure)."""
    key = dem_key(shared_secret, suite.key_size, info)
    if suite is AES_256_GCM:
        return AESGCM(key).decrypt(nonce, sealed, aad)
    return suite.prepare(key).open(nonce, sealed, aad)


def encapsulate(key: mlkem.MLKEM1024PrivateKey) -> tuple[bytes, bytes]:
    """(shared secret, KEM ciphertext) to the key's public half."""
    return encapsulate_to(key.public_key())


def encapsulate_to(public: mlkem.MLKEM1024PublicKey) -> tuple[bytes, bytes]:
    """(shared secret, KEM ciphertext) to an ML-KEM-1024 public key."""
    return public.encapsulate()


def decapsulate(key: mlkem.MLKEM1024PrivateKey, ciphertext: bytes) -> bytes:
    """The shared secret of a KEM ciphertext (implicit rejection: a wrong one gives a
    pseudo-random secret, which the AEAD then refuses)."""
    return key.decapsulate(ciphertext)


def sign(key: mldsa.MLDSA87PrivateKey, message: bytes) -> bytes:
    """An ML-DSA-87 signature (4627 bytes), empty context."""
    return key.sign(message)


def verify(key: mldsa.MLDSA87PrivateKey, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid ML-DSA-87 signature of ``message``."""
    return verify_public(key.public_key(), signature, message)


def verify_public(public: mldsa.MLDSA87PublicKey, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid ML-DSA-87 signature of ``message`` under ``public``."""
    try:
        public.verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
