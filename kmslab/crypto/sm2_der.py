"""The byte formats of SM2 shared by both backends: the two ciphertext forms, signatures,
and SM2 keys in PKCS#8 and SubjectPublicKeyInfo DER.

Keeping them in one place makes the backends interchangeable: a key or ciphertext made by
Tongsuo opens with the pure-Python backend and back (GB/T 32918, GB/T 35276, RFC 5915).
Every parser here is strict (minimal lengths, no trailing bytes) and fails with
:class:`SM2Error` only.
"""

from __future__ import annotations

# The order n of the SM2 group (GB/T 32918.5).
ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
DEFAULT_UID = b"1234567812345678"
_COORD = 32
_HASH = 32
_EC_PUBLIC_KEY = bytes.fromhex("06072a8648ce3d0201")  # OID 1.2.840.10045.2.1
_SM2_CURVE = bytes.fromhex("06082a811ccf5501822d")  # OID 1.2.156.10197.1.301
_ALGORITHM = bytes([0x30, len(_EC_PUBLIC_KEY) + len(_SM2_CURVE)]) + _EC_PUBLIC_KEY + _SM2_CURVE


class SM2Error(Exception):
    """An SM2 operation failed: a malformed or altered ciphertext, or an unusable key."""


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


# -- signatures -------------------------------------------------------------------------


def _positive(value: bytes) -> int:
    if not value or value[0] & 0x80 or (len(value) > 1 and value[0] == 0 and not value[1] & 0x80):
        raise SM2Error("not a minimal positive DER integer")
    return int.from_bytes(value, "big")


def signature_to_der(r: int, s: int) -> bytes:
    """The DER ``SEQUENCE { r INTEGER, s INTEGER }`` of an SM2 signature."""
    return _der_tlv(0x30, _der_int(r) + _der_int(s))


def signature_from_der(der: bytes) -> tuple[int, int]:
    """``(r, s)`` from a DER signature; SM2Error unless both are in [1, n-1]."""
    body, end = _read_tlv(der, 0, 0x30)
    if end != len(der):
        raise SM2Error("trailing bytes after the signature")
    r_bytes, pos = _read_tlv(body, 0, 0x02)
    s_bytes, pos = _read_tlv(body, pos, 0x02)
    if pos != len(body):
        raise SM2Error("trailing bytes inside the signature")
    r, s = _positive(r_bytes), _positive(s_bytes)
    if not (0 < r < ORDER and 0 < s < ORDER):
        raise SM2Error("signature value out of range")
    return r, s


# -- keys -------------------------------------------------------------------------------


def point_bytes(x: int, y: int) -> bytes:
    """The uncompressed point ``04 || x || y``."""
    return b"\x04" + x.to_bytes(_COORD, "big") + y.to_bytes(_COORD, "big")


def public_to_der(x: int, y: int) -> bytes:
    """SubjectPublicKeyInfo DER of the SM2 public point ``(x, y)``."""
    bits = _der_tlv(0x03, b"\x00" + point_bytes(x, y))
    return _der_tlv(0x30, _ALGORITHM + bits)


def _point(data: bytes) -> tuple[int, int]:
    if len(data) != 1 + 2 * _COORD or data[0] != 4:
        raise SM2Error("not an uncompressed SM2 point")
    return int.from_bytes(data[1 : 1 + _COORD], "big"), int.from_bytes(data[1 + _COORD :], "big")


def public_from_der(der: bytes) -> tuple[int, int]:
    """The point of an SM2 SubjectPublicKeyInfo (not yet checked to be on the curve)."""
    body, end = _read_tlv(der, 0, 0x30)
    if end != len(der) or not body.startswith(_ALGORITHM):
        raise SM2Error("not an SM2 SubjectPublicKeyInfo")
    bits, pos = _read_tlv(body, len(_ALGORITHM), 0x03)
    if pos != len(body) or not bits.startswith(b"\x00"):
        raise SM2Error("bad public key bit string")
    return _point(bits[1:])


def private_to_der(d: int, x: int, y: int) -> bytes:
    """PKCS#8 DER of the SM2 private scalar ``d`` with its public point, byte for byte
    as Tongsuo writes it (the curve in the algorithm, the point as ``[1]``)."""
    public = _der_tlv(0xA1, _der_tlv(0x03, b"\x00" + point_bytes(x, y)))
    inner = _der_tlv(0x30, b"\x02\x01\x01" + _der_tlv(0x04, d.to_bytes(_COORD, "big")) + public)
    return _der_tlv(0x30, b"\x02\x01\x00" + _ALGORITHM + _der_tlv(0x04, inner))


def private_from_der(der: bytes) -> int:
    """The private scalar of an SM2 PKCS#8 DER key, in [1, n-2]."""
    body, end = _read_tlv(der, 0, 0x30)
    if end != len(der) or not body.startswith(b"\x02\x01\x00" + _ALGORITHM):
        raise SM2Error("not an SM2 PKCS#8 private key")
    inner, pos = _read_tlv(body, 3 + len(_ALGORITHM), 0x04)
    if pos != len(body):
        raise SM2Error("trailing bytes after the private key")
    ec_key, end = _read_tlv(inner, 0, 0x30)
    if end != len(inner) or not ec_key.startswith(b"\x02\x01\x01"):
        raise SM2Error("not an EC private key")
    scalar, _ = _read_tlv(ec_key, 3, 0x04)
    d = int.from_bytes(scalar, "big")
    if len(scalar) != _COORD or not 0 < d < ORDER - 1:
        raise SM2Error("private scalar out of range")
    return d


def pem_body(pem: bytes) -> bytes:
    """The DER inside a ``PUBLIC KEY`` PEM block; SM2Error if it is not one."""
    import base64
    import binascii

    text = pem.decode("ascii", errors="replace").strip().splitlines()
    if len(text) < 3 or text[0] != "-----BEGIN PUBLIC KEY-----":
        raise SM2Error("not a PUBLIC KEY PEM block")
    if text[-1] != "-----END PUBLIC KEY-----":
        raise SM2Error("not a PUBLIC KEY PEM block")
    try:
        return base64.b64decode("".join(line.strip() for line in text[1:-1]), validate=True)
    except binascii.Error:
        raise SM2Error("bad Base64 in the PEM block") from None
