"""SM2 (GB/T 32918) signing, verification, encryption and decryption, through Tongsuo.

``cryptography`` has no SM2, and the pure-Python libraries run at about 50-100
operations per second, far below the service's documented 100-200 per second. Tongsuo
(the OpenSSL fork maintained for the Chinese standards, wrapped by ``tongsuopy``) does
SM2 in C. Its nonces come from OpenSSL's RAND, which this module points at the
service's random source for the duration of each operation (``RAND_set_rand_method``),
so SM2 keys, signatures and ciphertexts follow the injected source and reproduce in
deterministic mode (DESIGN.md section 4).

Signatures are SM2DSA over SM3 with the default user id ``1234567812345678`` (Tongsuo's
default), DER-encoded. Ciphertexts are C1C3C2, either raw (``x || y || C3 || C2``, no
``04`` prefix, as the catalog's section 7.2 shows) or ASN.1 DER.
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

_lib = _backend._lib
_ffi = _backend._ffi

# The order n of the SM2 group (GB/T 32918.5).
ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
DEFAULT_UID = b"1234567812345678"
_COORD = 32
_HASH = 32


class SM2Error(Exception):
    """An SM2 operation failed: a malformed or altered ciphertext, or an unusable key."""


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


def generate_private_der(random) -> bytes:
    """A new SM2 private key (PKCS#8 DER), its scalar drawn from ``random`` in [1, n-2]."""
    scalar = 1 + random.randbelow(ORDER - 2)
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


# -- the two ciphertext forms -----------------------------------------------------------


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _der_tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(body)) + body


def _der_int(value: int) -> bytes:
    return _der_tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _read_tlv(data: bytes, pos: int, tag: int) -> tuple[bytes, int]:
    if pos + 2 > len(data) or data[pos] != tag:
        raise SM2Error("not the expected DER element")
    first = data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 3 or pos + count > len(data):
            raise SM2Error("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        if length < 0x80 or data[pos] == 0:
            raise SM2Error("non-minimal DER length")
        pos += count
    end = pos + length
    if end > len(data):
        raise SM2Error("truncated DER")
    return data[pos:end], end


def raw_to_der(raw: bytes) -> bytes:
    """Raw ``x || y || C3 || C2`` (64-byte C1, no ``04`` prefix) to ASN.1 DER."""
    if len(raw) <= 2 * _COORD + _HASH:
        raise SM2Error("raw ciphertext too short")
    x = int.from_bytes(raw[:_COORD], "big")
    y = int.from_bytes(raw[_COORD : 2 * _COORD], "big")
    c3 = raw[2 * _COORD : 2 * _COORD + _HASH]
    c2 = raw[2 * _COORD + _HASH :]
    body = _der_int(x) + _der_int(y) + _der_tlv(0x04, c3) + _der_tlv(0x04, c2)
    return _der_tlv(0x30, body)


def der_to_raw(der: bytes) -> bytes:
    """ASN.1 DER C1C3C2 to raw ``x || y || C3 || C2`` (64-byte C1, no ``04`` prefix)."""
    body, end = _read_tlv(der, 0, 0x30)
    if end != len(der):
        raise SM2Error("trailing bytes after the ciphertext")
    pos = 0
    coords = []
    for _ in range(2):
        value, pos = _read_tlv(body, pos, 0x02)
        if not value or value[0] & 0x80:
            raise SM2Error("a coordinate is not a positive integer")
        number = int.from_bytes(value, "big")
        if number.bit_length() > 8 * _COORD:
            raise SM2Error("a coordinate is too large")
        coords.append(number.to_bytes(_COORD, "big"))
    c3, pos = _read_tlv(body, pos, 0x04)
    c2, pos = _read_tlv(body, pos, 0x04)
    if pos != len(body) or len(c3) != _HASH or not c2:
        raise SM2Error("not an SM2 C1C3C2 ciphertext")
    return coords[0] + coords[1] + c3 + c2
