"""kmslab's own white-box key format: a small blob of encoded round keys, never tables.

Layout (integers little-endian; docs/white-box.md has the full table)::

    0   1   mode: 0x04 EncryptKey / 0x08 DecryptKey (Tencent's KEYMODE values)
    1   1   format version (1)
    2   2   key bits (256 for AES-256, 128 for SM4)
    4   2   algorithm type (0 = AES_256, 1 = SM4, Tencent's numbering)
    6   2   number n of fingerprint slots
    8   16  library id (which white-box library the encodings belong to)
    24  16  key id (the UUID's 16 bytes)
    40  240 (AES-256) / 128 (SM4) encoded round keys, masked by SHAKE256(M) when n > 0
    ..  n*40 slots: HMAC(fp, key id)[:8] || M ^ HKDF(fp, key id), one per bound device
    end 32  HMAC-SHA256 under the library's blob key over everything before it

The MAC key ships in the SDK, so the MAC catches corruption and blobs of another
library; it is no barrier to whoever holds the SDK (nothing on a device is).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kmslab.whitebox.errors import DEVICE_NOT_BOUND, INVALID_KEY, LIBRARY_MISMATCH, WhiteBoxError

MODE_ENCRYPT = 0x04
"""Mode byte of an EncryptKey (Tencent's ``KEYMODE_ENCRYPT``)."""
MODE_DECRYPT = 0x08
"""Mode byte of a DecryptKey (Tencent's ``KEYMODE_DECRYPT``)."""
FORMAT_VERSION = 1
"""The blob format version this module writes and reads."""
ALG_AES_256 = 0
"""Algorithm type of AES-256 (Tencent's ``algorithmType`` numbering)."""
ALG_SM4 = 1
"""Algorithm type of SM4."""

KEY_BITS = {ALG_AES_256: 256, ALG_SM4: 128}
"""Key size in bits per algorithm type."""
ROUND_KEY_BYTES = {ALG_AES_256: 15 * 16, ALG_SM4: 32 * 4}
"""Length of the encoded round keys per algorithm type."""

_HEADER = struct.Struct("<BBHHH16s16s")
_SLOT, _TAG, _MAC = 40, 8, 32
MAX_SLOTS = 200
"""At most this many fingerprints bind one DecryptKey (the API's documented limit)."""


@dataclass(frozen=True)
class KeyBlob:
    """A parsed, MAC-checked white-box key (round keys still masked if it is bound)."""

    mode: int
    algorithm: int
    library_id: bytes
    key_id: str
    round_keys: bytes = field(repr=False)
    slots: tuple[bytes, ...] = field(repr=False)

    @property
    def bound(self) -> bool:
        """True if the key is bound to device fingerprints."""
        return bool(self.slots)


def _tag(fingerprint: str, key_id: bytes) -> bytes:
    return hmac.new(fingerprint.encode(), b"kmslab-wb-slot|" + key_id, "sha256").digest()[:_TAG]


def _pad(fingerprint: str, key_id: bytes) -> bytes:
    kdf = HKDF(hashes.SHA256(), 32, salt=key_id, info=b"kmslab-wb-slot-mask")
    return kdf.derive(fingerprint.encode())


def _stream(mask: bytes, n: int) -> bytes:
    return hashlib.shake_256(b"kmslab-wb-mask|" + mask).digest(n)


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "little") ^ int.from_bytes(b, "little")).to_bytes(len(a), "little")


def pack(
    blob_key: bytes,
    mode: int,
    algorithm: int,
    library_id: bytes,
    key_id: bytes,
    round_keys: bytes,
    fingerprints: tuple[str, ...] = (),
    mask: bytes | None = None,
) -> bytes:
    """The blob for encoded ``round_keys``; bound to ``fingerprints`` with the 32-byte
    ``mask`` (fresh randomness from the caller) when there are any."""
    slots = b""
    if fingerprints:
        if mask is None or len(mask) != 32:
            raise ValueError("binding fingerprints needs a fresh 32-byte mask")
        round_keys = _xor(round_keys, _stream(mask, len(round_keys)))
        slots = b"".join(_tag(fp, key_id) + _xor(mask, _pad(fp, key_id)) for fp in fingerprints)
    head = _HEADER.pack(
        mode, FORMAT_VERSION, KEY_BITS[algorithm], algorithm, len(fingerprints), library_id, key_id
    )
    body = head + round_keys + slots
    return body + hmac.new(blob_key, body, "sha256").digest()


def _invalid(message: str, zh: str) -> WhiteBoxError:
    return WhiteBoxError(INVALID_KEY, message, zh)


def parse(data: bytes, blob_key: bytes, library_id: bytes | None = None) -> KeyBlob:
    """Check a blob's layout, library and MAC and split it into its fields."""
    if len(data) < _HEADER.size + _MAC:
        raise _invalid("white-box key is too short", "白盒密钥长度不足")
    mode, version, bits, algorithm, n, header_library, key_id = _HEADER.unpack_from(data)
    if version != FORMAT_VERSION:
        raise _invalid(f"unsupported white-box key format {version}", "不支持的白盒密钥格式版本")
    if mode not in (MODE_ENCRYPT, MODE_DECRYPT) or algorithm not in KEY_BITS:
        raise _invalid("unknown white-box key mode or algorithm", "未知的白盒密钥模式或算法")
    if KEY_BITS[algorithm] != bits or n > MAX_SLOTS:
        raise _invalid("inconsistent white-box key header", "白盒密钥头部不一致")
    if library_id is not None and header_library != library_id:
        raise WhiteBoxError(
            LIBRARY_MISMATCH,
            "the white-box key was issued for another white-box library",
            "该白盒密钥属于另一个白盒库",
        )
    size = ROUND_KEY_BYTES[algorithm]
    if len(data) != _HEADER.size + size + n * _SLOT + _MAC:
        raise _invalid("white-box key has the wrong length", "白盒密钥长度错误")
    body, mac = data[:-_MAC], data[-_MAC:]
    if not hmac.compare_digest(mac, hmac.new(blob_key, body, "sha256").digest()):
        raise _invalid(
            "white-box key is corrupted or belongs to another white-box library",
            "白盒密钥已损坏或不属于此白盒库",
        )
    start = _HEADER.size + size
    slots = tuple(body[start + k * _SLOT : start + (k + 1) * _SLOT] for k in range(n))
    return KeyBlob(
        mode,
        algorithm,
        header_library,
        str(uuid.UUID(bytes=key_id)),
        body[_HEADER.size : start],
        slots,
    )


def unmask(blob: KeyBlob, fingerprint: str) -> bytes:
    """The encoded round keys, unmasked with this device's slot if the key is bound."""
    if not blob.bound:
        return blob.round_keys
    key_id = uuid.UUID(blob.key_id).bytes
    tag = _tag(fingerprint, key_id)
    for slot in blob.slots:
        if hmac.compare_digest(slot[:_TAG], tag):
            mask = _xor(slot[_TAG:], _pad(fingerprint, key_id))
            return _xor(blob.round_keys, _stream(mask, len(blob.round_keys)))
    raise WhiteBoxError(
        DEVICE_NOT_BOUND,
        "this device's fingerprint is not bound to the white-box key",
        "当前设备指纹未绑定到该白盒密钥",
    )
