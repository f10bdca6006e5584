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
import sys
import uuid
from collections.abc import Callable
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
_new_blob = tuple.__new__


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def strict_b64decode(text: str) -> bytes:
    """Decode standard Base64, refusing any text that is not the canonical encoding.

    Canonical only: otherwise the unused low bits of the last character could change
    without changing the bytes, and a flipped character would go unnoticed.
    """
    # Fast path: a strict decode (alphabet and padding) succeeds only on text that is
    # canonical unless it is padded, and only padded text needs the re-encoding test.
    try:
        raw = a2b_base64(text, strict_mode=True) if STRICT_MODE else _a2b_checked(text)
        if not text.endswith("=") or binascii.b2a_base64(raw, newline=False) == text.encode():
            return raw
    except (binascii.Error, ValueError, TypeError, AttributeError):
        pass
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise MalformedBlob("not Base64") from None
    raise MalformedBlob("not canonical Base64")


def _a2b_checked(text: str) -> bytes:
    """Python 3.10 (no strict mode): decode leniently, keep only what re-encodes to itself."""
    raw = binascii.a2b_base64(text)
    if binascii.b2a_base64(raw, newline=False).decode("ascii") != text:
        raise binascii.Error("not canonical")
    return raw


STRICT_MODE = sys.version_info >= (3, 11)
"""Whether ``binascii`` checks alphabet and padding itself (``strict_mode``, 3.11+). The
hot paths call ``a2b_base64(text, strict_mode=True)`` directly when it does: half what
the same call through ``functools.partial`` costs."""
a2b_base64: Callable[..., bytes] = binascii.a2b_base64  # typed loosely: 3.10 lacks strict_mode


@functools.lru_cache(maxsize=65536)
def make_header(suite_id: int, key_id: str, version: int) -> bytes:
    """The header bytes for a key version; also the start of the associated data."""
    return _HEADER.pack(FORMAT_VERSION, suite_id, uuid.UUID(key_id).bytes, version)


# A key version's header (and so its text) is the same in every blob it seals: the hot
# path converts it once. Only header-sized values reach these caches (``decode`` checks
# the length first), so they hold at most 65,536 x ~100 bytes; exceptions are not cached,
# so malformed input fails every time.
_header_text = functools.lru_cache(maxsize=65536)(_b64)


@functools.lru_cache(maxsize=65536)
def _parsed_header(text: str) -> tuple[bytes, int, int, str, int]:
    """(header bytes, format version, suite id, key id, key version) of a header segment;
    a wrongly sized header gets format -1, and ``decode`` refuses it in its turn."""
    header = strict_b64decode(text)
    if len(header) != HEADER_SIZE:
        return header, -1, 0, "", 0
    fmt, suite_id, key_bytes, version = _HEADER.unpack(header)
    return header, fmt, suite_id, str(uuid.UUID(bytes=key_bytes)), version


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


_NONCE_AT = HEADER_TEXT_SIZE + len(SEPARATOR)
_SEALED_AT = _NONCE_AT + NONCE_TEXT_SIZE + len(SEPARATOR)


def decode(text: str) -> Blob:
    """Parse blob text; raise :class:`MalformedBlob` on anything but a well-formed blob.

    The segments sit at fixed offsets, so a well-formed blob is read without splitting,
    and its nonce and sealed bytes come from one strict Base64 decode of the two
    segments together (the nonce's 16 characters are whole Base64 quanta with no
    padding). Any text this path does not accept goes through :func:`_decode_checked`,
    which accepts exactly the same blobs and names what is wrong with the others."""
    if (
        text.__class__ is str
        and text[HEADER_TEXT_SIZE:_NONCE_AT] == SEPARATOR
        and text[_NONCE_AT + NONCE_TEXT_SIZE : _SEALED_AT] == SEPARATOR
    ):
        try:
            header, fmt, suite_id, key_id, version = _parsed_header(text[:HEADER_TEXT_SIZE])
            body_text = text[_NONCE_AT : _NONCE_AT + NONCE_TEXT_SIZE] + text[_SEALED_AT:]
            body = (
                a2b_base64(body_text, strict_mode=True) if STRICT_MODE else _a2b_checked(body_text)
            )
        except (MalformedBlob, binascii.Error, ValueError):
            pass
        else:
            if (
                fmt == FORMAT_VERSION
                and len(body) >= NONCE_SIZE + TAG_SIZE
                and (
                    not body_text.endswith("=")
                    or binascii.b2a_base64(body, newline=False) == body_text.encode()
                )
            ):
                return _new_blob(
                    Blob, (suite_id, key_id, version, body[:NONCE_SIZE], body[NONCE_SIZE:], header)
                )
    return _decode_checked(text)


def _decode_checked(text: str) -> Blob:
    """``decode`` segment by segment, each check in turn, to name the first defect."""
    if not isinstance(text, str) or not text.isascii():
        raise MalformedBlob("not ASCII text")
    parts = text.split(SEPARATOR)
    if len(parts) != 3:
        raise MalformedBlob("a blob has three segments")
    if len(parts[0]) != HEADER_TEXT_SIZE or len(parts[1]) != NONCE_TEXT_SIZE:
        raise MalformedBlob("segment sizes do not fit the format")
    header, fmt, suite_id, key_id, version = _parsed_header(parts[0])
    nonce = strict_b64decode(parts[1])
    sealed = strict_b64decode(parts[2])
    if len(header) != HEADER_SIZE or len(nonce) != NONCE_SIZE or len(sealed) < TAG_SIZE:
        raise MalformedBlob("segment sizes do not fit the format")
    if fmt != FORMAT_VERSION:
        raise MalformedBlob("unknown blob format version")
    # Blob(...) without the Python-level __new__ a NamedTuple has: Decrypt's hot path.
    return _new_blob(Blob, (suite_id, key_id, version, nonce, sealed, header))


class VersionLayout:
    """What every blob of one key version shares, for one owning (account, region): the
    header, its text and the associated data's prefix. Built once and cached with the
    version's cipher, so a blob then costs its nonce, its AEAD call and its Base64."""

    __slots__ = ("header", "scope", "_text", "_aad")

    def __init__(self, header: bytes, account: int, region: str) -> None:
        self.header = header
        self.scope = (account, region)
        self._text = _b64(header) + SEPARATOR
        self._aad = _aad_prefix(header, str(account), region)

    def aad(self, context: bytes) -> bytes:
        """The associated data of a blob with this canonical context (as ``associated_data``)."""
        return self._aad + _LENGTH.pack(len(context)) + context

    def text(self, nonce: bytes, sealed: bytes) -> str:
        """The blob text (as ``encode``)."""
        b64 = binascii.b2a_base64
        return (
            self._text
            + b64(nonce, newline=False).decode("ascii")
            + SEPARATOR
            + b64(sealed, newline=False).decode("ascii")
        )


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
