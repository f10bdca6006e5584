"""The ``CiphertextBlob`` format (DESIGN.md section 6).

A blob looks like the documentation's examples: three standard-Base64 segments joined
by ``-k-``. It is self-describing, because Decrypt and ReEncrypt take no KeyId:

* segment 1, the header: format version, suite id, key id (16 bytes), key version;
* segment 2, the 96-bit nonce;
* segment 3, the AEAD ciphertext with its tag.

The header, the caller's account and region and the canonical EncryptionContext are
the AEAD's associated data, so any changed byte or foreign context fails the tag.
"""

from __future__ import annotations

import base64
import binascii
import functools
import struct
import uuid
from dataclasses import dataclass

from kmslab.crypto.suites import NONCE_SIZE, TAG_SIZE

SEPARATOR = "-k-"
FORMAT_VERSION = 1
_HEADER = struct.Struct(">BB16sI")  # format version, suite id, key id, key version
HEADER_SIZE = _HEADER.size


class MalformedBlob(ValueError):
    """The text is not a blob of a known format; the caller maps this to InvalidCiphertext."""


@dataclass(frozen=True)
class Blob:
    """A parsed blob: which key version sealed it, with what nonce, and the sealed bytes."""

    suite_id: int
    key_id: str
    version: int
    nonce: bytes
    sealed: bytes
    header: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def strict_b64decode(text: str) -> bytes:
    """Decode standard Base64, refusing any text that is not the canonical encoding.

    Canonical only: otherwise the unused low bits of the last character could change
    without changing the bytes, and a flipped character would go unnoticed.
    """
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedBlob("not Base64") from None
    if _b64(raw) != text:
        raise MalformedBlob("not canonical Base64")
    return raw


@functools.lru_cache(maxsize=65536)
def make_header(suite_id: int, key_id: str, version: int) -> bytes:
    """The header bytes for a key version; also the start of the associated data."""
    return _HEADER.pack(FORMAT_VERSION, suite_id, uuid.UUID(key_id).bytes, version)


def encode(header: bytes, nonce: bytes, sealed: bytes) -> str:
    """Join the three segments into blob text."""
    return SEPARATOR.join((_b64(header), _b64(nonce), _b64(sealed)))


def decode(text: str) -> Blob:
    """Parse blob text; raise :class:`MalformedBlob` on anything but a well-formed blob."""
    if not isinstance(text, str) or not text.isascii():
        raise MalformedBlob("not ASCII text")
    parts = text.split(SEPARATOR)
    if len(parts) != 3:
        raise MalformedBlob("a blob has three segments")
    header, nonce, sealed = (strict_b64decode(p) for p in parts)
    if len(header) != HEADER_SIZE or len(nonce) != NONCE_SIZE or len(sealed) < TAG_SIZE:
        raise MalformedBlob("segment sizes do not fit the format")
    fmt, suite_id, key_bytes, version = _HEADER.unpack(header)
    if fmt != FORMAT_VERSION:
        raise MalformedBlob("unknown blob format version")
    return Blob(suite_id, str(uuid.UUID(bytes=key_bytes)), version, nonce, sealed, header)


def associated_data(header: bytes, account: str, region: str, context: bytes) -> bytes:
    """Bind the header, the owning account and region and the canonical context.

    Each field is length-prefixed so that no two different tuples share an encoding.
    """
    fields = (header, account.encode(), region.encode(), context)
    return b"".join(struct.pack(">I", len(f)) + f for f in fields)
