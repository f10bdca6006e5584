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
from typing import NamedTuple

from kmslab.crypto.suites import NONCE_SIZE, TAG_SIZE

SEPARATOR = "-k-"
FORMAT_VERSION = 1
_HEADER = struct.Struct(">BB16sI")  # format version, suite id, key id, key version
HEADER_SIZE = _HEADER.size
HEADER_TEXT_SIZE = len(base64.b64encode(bytes(HEADER_SIZE)))
"""Characters of the header segment: a longer one is refused before any work or cache."""
NONCE_TEXT_SIZE = len(base64.b64encode(bytes(NONCE_SIZE)))
"""Characters of the nonce segment, checked together with the header's."""


class MalformedBlob(ValueError):
    """The text is not a blob of a known format; the caller maps this to InvalidCiphertext."""


class Blob(NamedTuple):
    """A parsed blob: which key version sealed it, with what nonce, and the sealed bytes."""

    suite_id: int
    key_id: str
    version: int
    nonce: bytes
    sealed: bytes
    header: bytes


_LENGTH = struct.Struct(">I")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def strict_b64decode(text: str) -> bytes:
    """Decode standard Base64, refusing any text that is not the canonical encoding.

    Canonical only: otherwise the unused low bits of the last character could change
    without changing the bytes, and a flipped character would go unnoticed.
    """
    # Fast path: decode leniently, then demand that re-encoding gives the text back, which
    # only canonical Base64 does. The strict decoder only picks the message on failure.
    try:
        raw = binascii.a2b_base64(text)
        if binascii.b2a_base64(raw, newline=False).decode("ascii") == text:
            return raw
    except (binascii.Error, ValueError, TypeError):
        pass
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise MalformedBlob("not Base64") from None
    raise MalformedBlob("not canonical Base64")


@functools.lru_cache(maxsize=65536)
def make_header(suite_id: int, key_id: str, version: int) -> bytes:
    """The header bytes for a key version; also the start of the associated data."""
    return _HEADER.pack(FORMAT_VERSION, suite_id, uuid.UUID(key_id).bytes, version)


# A key version's header (and so its text) is the same in every blob it seals: the hot
# path converts it once. Only header-sized values reach these caches (``decode`` checks
# the length first), so they hold at most 65,536 x ~100 bytes; exceptions are not cached,
# so malformed input fails every time.
_header_text = functools.lru_cache(maxsize=65536)(_b64)
_header_bytes = functools.lru_cache(maxsize=65536)(strict_b64decode)


@functools.lru_cache(maxsize=65536)
def _key_id_text(key_bytes: bytes) -> str:
    return str(uuid.UUID(bytes=key_bytes))


def encode(header: bytes, nonce: bytes, sealed: bytes) -> str:
    """Join the three segments into blob text."""
    b64 = binascii.b2a_base64  # what base64.b64encode calls, minus two frames a segment
    return SEPARATOR.join(
        (
            _header_text(header),
            b64(nonce, newline=False).decode("ascii"),
            b64(sealed, newline=False).decode("ascii"),
        )
    )


def decode(text: str) -> Blob:
    """Parse blob text; raise :class:`MalformedBlob` on anything but a well-formed blob."""
    if not isinstance(text, str) or not text.isascii():
        raise MalformedBlob("not ASCII text")
    parts = text.split(SEPARATOR)
    if len(parts) != 3:
        raise MalformedBlob("a blob has three segments")
    if len(parts[0]) != HEADER_TEXT_SIZE or len(parts[1]) != NONCE_TEXT_SIZE:
        raise MalformedBlob("segment sizes do not fit the format")
    header = _header_bytes(parts[0])
    nonce = strict_b64decode(parts[1])
    sealed = strict_b64decode(parts[2])
    if len(header) != HEADER_SIZE or len(nonce) != NONCE_SIZE or len(sealed) < TAG_SIZE:
        raise MalformedBlob("segment sizes do not fit the format")
    fmt, suite_id, key_bytes, version = _HEADER.unpack(header)
    if fmt != FORMAT_VERSION:
        raise MalformedBlob("unknown blob format version")
    return Blob(suite_id, _key_id_text(key_bytes), version, nonce, sealed, header)


def associated_data(header: bytes, account: str, region: str, context: bytes) -> bytes:
    """Bind the header, the owning account and region and the canonical context.

    Each field is length-prefixed so that no two different tuples share an encoding.
    """
    return _aad_prefix(header, account, region) + _LENGTH.pack(len(context)) + context


@functools.lru_cache(maxsize=65536)
def _aad_prefix(header: bytes, account: str, region: str) -> bytes:
    # The same for every blob of one key version, account and region: built once.
    fields = (header, account.encode(), region.encode())
    return b"".join(_LENGTH.pack(len(f)) + f for f in fields)
