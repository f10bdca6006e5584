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

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import mldsa, mlkem
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MLKEM_SEED = 64
MLDSA_SEED = 32
MLKEM_CIPHERTEXT = 1568


def mlkem_from_seed(seed: bytes) -> mlkem.MLKEM1024PrivateKey:
    """The ML-KEM-1024 key of a 64-byte seed (d || z)."""
    return mlkem.MLKEM1024PrivateKey.from_seed_bytes(seed)


def mldsa_from_seed(seed: bytes) -> mldsa.MLDSA87PrivateKey:
    """The ML-DSA-87 key of a 32-byte seed."""
    return mldsa.MLDSA87PrivateKey.from_seed_bytes(seed)


def dem_key(shared_secret: bytes, size: int, info: bytes) -> bytes:
    """The AEAD key of one encapsulation: HKDF-SHA256 of the shared secret, bound to
    ``info`` (the blob header), so a KEM ciphertext cannot be replayed under another."""
    return HKDF(hashes.SHA256(), size, None, b"kmslab pqc dem v1\x00" + info).derive(shared_secret)


def encapsulate(key: mlkem.MLKEM1024PrivateKey) -> tuple[bytes, bytes]:
    """(shared secret, KEM ciphertext) to the key's public half."""
    return key.public_key().encapsulate()


def decapsulate(key: mlkem.MLKEM1024PrivateKey, ciphertext: bytes) -> bytes:
    """The shared secret of a KEM ciphertext (implicit rejection: a wrong one gives a
    pseudo-random secret, which the AEAD then refuses)."""
    return key.decapsulate(ciphertext)


def sign(key: mldsa.MLDSA87PrivateKey, message: bytes) -> bytes:
    """An ML-DSA-87 signature (4627 bytes), empty context."""
    return key.sign(message)


def verify(key: mldsa.MLDSA87PrivateKey, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid ML-DSA-87 signature of ``message``."""
    try:
        key.public_key().verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
