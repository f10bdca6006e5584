"""The Tongsuo SM2 backend: GB/T 32918 signing, verification, encryption and decryption
in C, through ``tongsuopy``.

Tongsuo (the OpenSSL fork maintained for the Chinese standards) does SM2 at thousands of
operations per second. Its nonces come from OpenSSL's RAND, which this module points at
the service's random source for the duration of each operation (``RAND_set_rand_method``),
so SM2 keys, signatures and ciphertexts follow the injected source and reproduce in
deterministic mode (DESIGN.md section 4). Use it through :mod:`kmslab.crypto.sm2`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from tongsuopy.backends.tongsuo.backend import backend as _backend
from tongsuopy.crypto import hashes as _hashes
from tongsuopy.crypto import serialization as _ser
from tongsuopy.crypto.asymciphers import ec as _ec
from tongsuopy.crypto.exceptions import InvalidSignature as _InvalidSignature

from kmslab.crypto.sm2_der import SM2Error

_lib = _backend._lib
_ffi = _backend._ffi

NAME = "tongsuo"


# -- randomness: Tongsuo's RAND draws from the caller's source while we hold the lock --

_lock = threading.Lock()
_source: list[Callable[[int], bytes] | None] = [None]


@_ffi.callback("int(unsigned char *, int)")
def _rand_bytes(buf, num):  # pragma: no cover - called from C
    source = _source[0]
    data = source(num) if source is not None else os.urandom(num)
    _ffi.memmove(buf, data, num)
    return 1


@_ffi.callback("int(void)")
def _rand_status():  # pragma: no cover - called from C
    return 1


# RAND_METHOD is {seed, bytes, cleanup, add, pseudorand, status}: six function pointers.
_METHOD = _ffi.new("void *[6]")
_METHOD[1] = _ffi.cast("void *", _rand_bytes)
_METHOD[4] = _ffi.cast("void *", _rand_bytes)
_METHOD[5] = _ffi.cast("void *", _rand_status)
if _lib.RAND_set_rand_method(_ffi.cast("RAND_METHOD *", _METHOD)) != 1:  # pragma: no cover
    raise ImportError("Tongsuo refused the kmslab random method")


class _UsingRandom:
    """Route Tongsuo's randomness to ``random.bytes`` for the duration of a ``with``."""

    def __init__(self, random) -> None:
        self._bytes = random.bytes

    def __enter__(self) -> None:
        _lock.acquire()
        _source[0] = self._bytes

    def __exit__(self, *exc) -> None:
        _source[0] = None
        _lock.release()


# -- keys ---------------------------------------------------------------------------


def private_der_of(scalar: int) -> bytes:
    """The PKCS#8 DER of the SM2 private key with this scalar, as Tongsuo encodes it."""
    key = _ec.derive_private_key(scalar, _ec.SM2())
    return key.private_bytes(_ser.Encoding.DER, _ser.PrivateFormat.PKCS8, _ser.NoEncryption())


def load_private(der: bytes):
    """The Tongsuo private key object of a PKCS#8 DER SM2 key."""
    return _ser.load_der_private_key(der, None)


def public_der(private_key) -> bytes:
    """The DER SubjectPublicKeyInfo of an SM2 key (private or public)."""
    pub = private_key.public_key() if hasattr(private_key, "private_numbers") else private_key
    return pub.public_bytes(_ser.Encoding.DER, _ser.PublicFormat.SubjectPublicKeyInfo)


def load_public_pem(pem: bytes):
    """An SM2 public key from PEM, or None if the text is not an SM2 public key."""
    try:
        key = _ser.load_pem_public_key(pem)
    except Exception:
        return None
    return key if isinstance(getattr(key, "curve", None), _ec.SM2) else None


def load_public_der(der: bytes):
    """An SM2 public key from DER SubjectPublicKeyInfo."""
    return _ser.load_der_public_key(der)


# -- signatures ---------------------------------------------------------------------


def sign(private_key, message: bytes, random) -> bytes:
    """SM2DSA with SM3 over ``Z_A || message`` (default user id); DER signature."""
    with _UsingRandom(random):
        return bytes(private_key.sign(message, _ec.ECDSA(_hashes.SM3())))


def verify(public_key, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid SM2DSA signature of ``message`` (default user id)."""
    try:
        public_key.verify(signature, message, _ec.ECDSA(_hashes.SM3()))
    except _InvalidSignature:
        return False
    except Exception:
        _backend._consume_errors()
        return False
    return True


def _pkey_ctx(key):
    ctx = _lib.EVP_PKEY_CTX_new(key._evp_pkey, _ffi.NULL)
    if ctx == _ffi.NULL:  # pragma: no cover
        raise SM2Error("no key context")
    return _ffi.gc(ctx, _lib.EVP_PKEY_CTX_free)


def _pkey_op(init, op, key, data: bytes) -> bytes:
    ctx = _pkey_ctx(key)
    if init(ctx) != 1:  # pragma: no cover
        _backend._consume_errors()
        raise SM2Error("operation not available")
    size = _ffi.new("size_t *")
    if op(ctx, _ffi.NULL, size, data, len(data)) != 1:
        _backend._consume_errors()
        raise SM2Error("operation failed")
    buf = _ffi.new("unsigned char[]", size[0])
    if op(ctx, buf, size, data, len(data)) != 1:
        _backend._consume_errors()
        raise SM2Error("operation failed")
    return bytes(_ffi.buffer(buf)[: size[0]])


def sign_digest(private_key, digest: bytes, random) -> bytes:
    """SM2DSA over a precomputed ``e = SM3(Z_A || M)`` (32 bytes); DER signature."""
    with _UsingRandom(random):
        return _pkey_op(_lib.EVP_PKEY_sign_init, _lib.EVP_PKEY_sign, private_key, digest)


def verify_digest(public_key, signature: bytes, digest: bytes) -> bool:
    """Whether ``signature`` signs the precomputed digest ``e``."""
    ctx = _pkey_ctx(public_key)
    if _lib.EVP_PKEY_verify_init(ctx) != 1:  # pragma: no cover
        _backend._consume_errors()
        return False
    ok = _lib.EVP_PKEY_verify(ctx, signature, len(signature), digest, len(digest))
    if ok != 1:
        _backend._consume_errors()
    return ok == 1


# -- encryption ---------------------------------------------------------------------


def decrypt_der(private_key, ciphertext: bytes) -> bytes:
    """Decrypt an ASN.1 C1C3C2 ciphertext; SM2Error on any failure."""
    if not ciphertext:
        raise SM2Error("empty ciphertext")
    return _pkey_op(_lib.EVP_PKEY_decrypt_init, _lib.EVP_PKEY_decrypt, private_key, ciphertext)


def encrypt_der(public_key, plaintext: bytes, random) -> bytes:
    """Encrypt to an SM2 public key; ASN.1 C1C3C2 ciphertext."""
    with _UsingRandom(random):
        return _pkey_op(_lib.EVP_PKEY_encrypt_init, _lib.EVP_PKEY_encrypt, public_key, plaintext)
