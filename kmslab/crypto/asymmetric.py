"""RSA-2048 and ECDSA (P-256, P-384) keys from ``cryptography``: generation, signing,
verification, RSA decryption with a single failure, and public-key encodings.

Randomness (DESIGN.md section 4): EC private scalars are drawn from the service's random
source and ECDSA signs deterministically (RFC 6979), so both reproduce in deterministic
mode. ``cryptography`` takes no random source for RSA, so RSA key generation and the
PSS salt come from OpenSSL's CSPRNG and do not reproduce; PKCS#1 v1.5 signatures are
deterministic by construction.
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

RSA_BITS = 2048
_ORDERS = {
    "P-256": (ec.SECP256R1(), 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551),
    "P-384": (
        ec.SECP384R1(),
        int(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
            16,
        ),
    ),
}


class DecryptFailed(Exception):
    """RSA decryption failed; deliberately says nothing about why (no padding oracle)."""


def generate_rsa_der() -> bytes:
    """A new RSA-2048 private key, PKCS#8 DER (from OpenSSL's CSPRNG: see the module doc)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    return _pkcs8(key)


def generate_ec_der(curve: str, random) -> bytes:
    """A new EC private key on ``curve`` (``P-256``/``P-384``), scalar from ``random``."""
    named, order = _ORDERS[curve]
    key = ec.derive_private_key(1 + random.randbelow(order - 1), named)
    return _pkcs8(key)


def _pkcs8(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private(der: bytes):
    """The ``cryptography`` private key of PKCS#8 DER that kmslab itself generated.

    RSA consistency checks are skipped (they cost ~100 ms): the DER comes only from
    material this module generated, authenticated by the root key's AEAD on unwrap.
    """
    return serialization.load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True)


def public_der(key) -> bytes:
    """DER SubjectPublicKeyInfo of a key (private or public)."""
    pub = key.public_key() if hasattr(key, "public_key") else key
    return pub.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def pem_from_der(der: bytes, label: str = "PUBLIC KEY") -> str:
    """A proper PEM: ``BEGIN PUBLIC KEY``, 64-column Base64 of the DER, ``\\n`` line ends.
    Another ``label`` names a raw key of an algorithm without a standard DER form."""
    text = base64.b64encode(der).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


RSA_PADDINGS = {
    "RSAES_PKCS1_V1_5": lambda: padding.PKCS1v15(),
    "RSAES_OAEP_SHA_1": lambda: padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None),
    "RSAES_OAEP_SHA_256": lambda: padding.OAEP(
        padding.MGF1(hashes.SHA256()), hashes.SHA256(), None
    ),
}
"""The RSA encryption paddings by their API names."""


def rsa_decrypt(key: rsa.RSAPrivateKey, ciphertext: bytes, algorithm: str) -> bytes:
    """Decrypt; every failure (length, padding, anything) raises the same DecryptFailed.

    OpenSSL's PKCS#1 v1.5 decryption is implicit-rejection where available, and any
    error is folded into one exception here, so callers cannot tell failures apart.
    """
    if len(ciphertext) != key.key_size // 8:
        raise DecryptFailed
    try:
        return key.decrypt(ciphertext, RSA_PADDINGS[algorithm]())
    except Exception:
        raise DecryptFailed from None


def rsa_encrypt(key: rsa.RSAPublicKey, plaintext: bytes, algorithm: str) -> bytes:
    """Encrypt to an RSA public key (OpenSSL's CSPRNG pads: see the module doc)."""
    return key.encrypt(plaintext, RSA_PADDINGS[algorithm]())


SIGNATURES = {
    # API name: (key kind, hash)
    "RSA_PSS_SHA_256": ("RSA", hashes.SHA256()),
    "RSA_PKCS1_SHA_256": ("RSA", hashes.SHA256()),
    "ECC_P256_R1": ("P-256", hashes.SHA256()),
    "ECDSA_P384_SHA_384": ("P-384", hashes.SHA384()),
}
"""Signature algorithms this module implements, by their API names."""


def _scheme(algorithm: str, digest: bool):
    hash_ = SIGNATURES[algorithm][1]
    chosen = Prehashed(hash_) if digest else hash_
    if algorithm == "RSA_PSS_SHA_256":
        # Salt as long as the digest: what AWS KMS and most verifiers expect.
        return padding.PSS(padding.MGF1(hashes.SHA256()), 32), chosen
    if algorithm == "RSA_PKCS1_SHA_256":
        return padding.PKCS1v15(), chosen
    return None, ec.ECDSA(chosen, deterministic_signing=True)


def digest_size(algorithm: str) -> int:
    """The digest length a DIGEST-type message must have for ``algorithm``."""
    return SIGNATURES[algorithm][1].digest_size


def sign(key, algorithm: str, message: bytes, digest: bool) -> bytes:
    """Sign ``message`` (or a precomputed digest); DER signature for ECDSA."""
    pad, chosen = _scheme(algorithm, digest)
    if pad is None:
        return key.sign(message, chosen)
    return key.sign(message, pad, chosen)


def verify(key, algorithm: str, signature: bytes, message: bytes, digest: bool) -> bool:
    """Whether ``signature`` is valid; a malformed signature is simply not valid."""
    pad, chosen = _scheme(algorithm, digest)
    pub = key.public_key() if hasattr(key, "public_key") else key
    try:
        if pad is None:
            pub.verify(signature, message, chosen)
        else:
            pub.verify(signature, message, pad, chosen)
    except (InvalidSignature, ValueError):
        return False
    return True
