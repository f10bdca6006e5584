"""The pure-Python SM2 backend, for platforms without a Tongsuo wheel (Linux aarch64:
Docker on Apple Silicon, ARM cloud machines, a Raspberry Pi).

The curve arithmetic, SM3 and the encryption scheme come from ``gmalg`` (MIT, pure
Python); every random number (private scalars, signature and encryption nonces) is
drawn from the service's random source, never gmalg's default, so deterministic mode
reproduces here too. The signature equations over a precomputed digest (which gmalg does
not offer) follow GB/T 32918.2 section 6. Use it through :mod:`kmslab.crypto.sm2`.
"""

from __future__ import annotations

from gmalg import errors as _errors
from gmalg.sm2 import SM2Core as _SM2Core
from gmalg.sm2 import _ecdlp as _CURVE
from gmalg.sm3 import SM3 as _SM3

from kmslab.crypto.sm2_der import (
    DEFAULT_UID,
    ORDER,
    SM2Error,
    der_to_raw,
    pem_body,
    private_from_der,
    private_to_der,
    public_from_der,
    public_to_der,
    raw_to_der,
    signature_from_der,
    signature_to_der,
)

NAME = "gmalg"
_COORD = 32


def _bits(random):
    """gmalg's ``rnd_fn(k)``: a k-bit integer, here from the service's random source."""

    def draw(k: int) -> int:
        value = int.from_bytes(random.bytes((k + 7) // 8), "big")
        return value >> ((k + 7) // 8 * 8 - k)

    return draw


def _core(random=None) -> _SM2Core:
    if random is None:
        return _SM2Core(_CURVE, _SM3(), _no_randomness)
    return _SM2Core(_CURVE, _SM3(), _bits(random))


def _no_randomness(k: int) -> int:  # pragma: no cover - would be a bug in this module
    raise RuntimeError("this SM2 operation must not draw randomness")


class PublicKey:
    """An SM2 public point, checked to lie on the curve and not to be the identity."""

    def __init__(self, x: int, y: int, *, derived: bool = False) -> None:
        point = (x, y)
        # A point computed here as dG is valid by construction; any other is checked.
        if not derived and not _core().verify_pk(point):
            raise SM2Error("the point is not a valid SM2 public key")
        self.point = point

    def public_key(self) -> PublicKey:
        """Itself, so that callers can treat private and public keys alike."""
        return self


class PrivateKey:
    """An SM2 private scalar ``d`` in [1, n-2] and its public point ``dG``."""

    def __init__(self, d: int) -> None:
        if not 0 < d < ORDER - 1:
            raise SM2Error("private scalar out of range")
        self.d = d
        x, y = _CURVE.kG(d)
        self._public = PublicKey(x, y, derived=True)

    def public_key(self) -> PublicKey:
        """The matching public key."""
        return self._public

    def __repr__(self) -> str:
        return "<SM2 PrivateKey (gmalg)>"  # never the scalar


# -- keys ---------------------------------------------------------------------------


def private_der_of(scalar: int) -> bytes:
    """The PKCS#8 DER of the SM2 private key with this scalar (Tongsuo's exact bytes)."""
    x, y = _CURVE.kG(scalar)
    return private_to_der(scalar, x, y)


def load_private(der: bytes) -> PrivateKey:
    """The private key of a PKCS#8 DER SM2 key."""
    return PrivateKey(private_from_der(der))


def public_der(key) -> bytes:
    """The DER SubjectPublicKeyInfo of an SM2 key (private or public)."""
    return public_to_der(*key.public_key().point)


def load_public_der(der: bytes) -> PublicKey:
    """An SM2 public key from DER SubjectPublicKeyInfo; SM2Error if it is not one."""
    return PublicKey(*public_from_der(der))


def load_public_pem(pem: bytes) -> PublicKey | None:
    """An SM2 public key from PEM, or None if the text is not an SM2 public key."""
    try:
        return load_public_der(pem_body(pem))
    except SM2Error:
        return None


# -- signatures ---------------------------------------------------------------------


def _digest(public: PublicKey, message: bytes) -> int:
    """``e = SM3(Z_A || M)`` with the default user id (GB/T 32918.2 section 6.1)."""
    core = _core()
    z = core.entity_info(DEFAULT_UID, public.point)
    return int.from_bytes(core._hash_fn(z + message), "big")


def _sign_e(key: PrivateKey, e: int, random) -> bytes:
    draw = _bits(random)
    d = key.d
    inverse = pow(1 + d, -1, ORDER)
    while True:
        k = draw(ORDER.bit_length())
        if not 0 < k < ORDER:
            continue
        x1, _ = _CURVE.kG(k)
        r = (e + x1) % ORDER
        if r == 0 or r + k == ORDER:
            continue
        s = inverse * (k - r * d) % ORDER
        if s:
            return signature_to_der(r, s)


def _verify_e(public: PublicKey, signature: bytes, e: int) -> bool:
    try:
        r, s = signature_from_der(signature)
    except SM2Error:
        return False
    t = (r + s) % ORDER
    if t == 0:
        return False
    point = _CURVE.ec.add(_CURVE.kG(s), _CURVE.ec.mul(t, public.point))
    if point == _CURVE.ec.INF:
        return False
    return (e + point[0]) % ORDER == r


def sign(private_key: PrivateKey, message: bytes, random) -> bytes:
    """SM2DSA with SM3 over ``Z_A || message`` (default user id); DER signature."""
    return _sign_e(private_key, _digest(private_key.public_key(), message), random)


def verify(public_key: PublicKey, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid SM2DSA signature of ``message`` (default user id)."""
    return _verify_e(public_key, signature, _digest(public_key, message))


def sign_digest(private_key: PrivateKey, digest: bytes, random) -> bytes:
    """SM2DSA over a precomputed ``e = SM3(Z_A || M)`` (32 bytes); DER signature."""
    return _sign_e(private_key, int.from_bytes(digest, "big"), random)


def verify_digest(public_key: PublicKey, signature: bytes, digest: bytes) -> bool:
    """Whether ``signature`` signs the precomputed digest ``e``."""
    return _verify_e(public_key, signature, int.from_bytes(digest, "big"))


# -- encryption ---------------------------------------------------------------------


def encrypt_der(public_key: PublicKey, plaintext: bytes, random) -> bytes:
    """Encrypt to an SM2 public key; ASN.1 C1C3C2 ciphertext."""
    if not plaintext:
        raise SM2Error("nothing to encrypt")
    (x1, y1), c2, c3 = _core(random).encrypt(plaintext, public_key.point)
    raw = x1.to_bytes(_COORD, "big") + y1.to_bytes(_COORD, "big") + c3 + c2
    return raw_to_der(raw)


def decrypt_der(private_key: PrivateKey, ciphertext: bytes) -> bytes:
    """Decrypt an ASN.1 C1C3C2 ciphertext; SM2Error on any failure."""
    if not ciphertext:
        raise SM2Error("empty ciphertext")
    raw = der_to_raw(ciphertext)
    c1 = (int.from_bytes(raw[:_COORD], "big"), int.from_bytes(raw[_COORD : 2 * _COORD], "big"))
    c3, c2 = raw[2 * _COORD : 3 * _COORD], raw[3 * _COORD :]
    try:
        return _core().decrypt(c1, c2, c3, private_key.d)
    except (_errors.GMError, ValueError, ArithmeticError):
        raise SM2Error("decryption failed") from None
