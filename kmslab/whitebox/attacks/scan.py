"""The key-absence scan: is the key, or any round key, written anywhere a device can read?

The first thing to check of a white-box is that the key is not simply stored: not in
the tables, not in the white-box key. The scan looks for the key and each of its round
keys (for AES-256 also the equivalent inverse cipher's), raw, in hex (both cases) and in
Base64 (at the three alignments Base64 can put them), in every SDK table and in the
white-box key both raw and as the Base64 text the API returns. SM4 round keys are
searched four at a time (16 bytes, both byte orders): a single 4-byte round key would
turn up by chance in 12 MB of tables.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from kmslab.whitebox import keyblob
from kmslab.whitebox import schedules as sch
from kmslab.whitebox.client import Data, _raw
from kmslab.whitebox.errors import INVALID_ARGUMENT, WhiteBoxError
from kmslab.whitebox.sdk import SDK


@dataclass(frozen=True)
class Finding:
    """One place where a secret was found (which secret, how written, where, at what offset)."""

    secret: str
    encoding: str
    where: str
    offset: int


@dataclass(frozen=True)
class ScanReport:
    """What the scan searched and what it found."""

    secrets: int
    patterns: int
    haystacks: int
    haystack_bytes: int
    findings: tuple[Finding, ...]

    @property
    def clean(self) -> bool:
        """True if neither the key nor a round key was found anywhere."""
        return not self.findings


def _secrets(algorithm: int, key: bytes) -> dict[str, bytes]:
    if algorithm == keyblob.ALG_AES_256:
        rks = sch.aes256_round_keys(key)
        out = {"key": key, **{f"round key {i}": rk for i, rk in enumerate(rks)}}
        inverse = sch.aes256_inverse_round_keys(rks)
        out.update({f"InvMixColumns(round key {14 - i})": inverse[i] for i in range(1, 14)})
        return out
    words = sch.sm4_round_keys(key)
    out = {"key": key}
    for g in range(8):
        group = words[4 * g : 4 * g + 4]
        name = f"round keys {4 * g}-{4 * g + 3}"
        out[name] = b"".join(r.to_bytes(4, "big") for r in group)
        out[name + " (little-endian)"] = b"".join(r.to_bytes(4, "little") for r in group)
    return out


def _b64_cores(secret: bytes) -> list[bytes]:
    """The Base64 text of ``secret`` at each of the 3 alignments, without the edge chars."""
    out = []
    for shift in range(3):
        text = base64.b64encode(bytes(shift) + secret)
        lead = 4 if shift else 0
        tail = (shift + len(secret)) % 3
        out.append(text[lead : len(text) - (4 if tail else 0)])
    return out


def _patterns(secret: bytes) -> list[tuple[str, bytes]]:
    hexed = binascii.hexlify(secret)
    return [
        ("raw", secret),
        ("hex", hexed),
        ("HEX", hexed.upper()),
        *(("base64", core) for core in _b64_cores(secret)),
    ]


def key_absence_scan(sdk: SDK, decrypt_key: Data, key: bytes) -> ScanReport:
    """Search ``sdk``'s tables and the white-box key ``decrypt_key`` for ``key``.

    ``decrypt_key`` is a white-box key of ``sdk`` (Base64 or raw; a DecryptKey or an
    EncryptKey); ``key`` the real key, of the blob's algorithm. The report lists every
    finding; ``report.clean`` is what kmslab's white-box must always give.
    """
    raw = _raw(decrypt_key, "white-box key")
    blob = keyblob.parse(raw, sdk.blob_key, sdk.library_id)
    want = keyblob.KEY_BITS[blob.algorithm] // 8
    if not isinstance(key, (bytes, bytearray)) or len(key) != want:
        raise WhiteBoxError(
            INVALID_ARGUMENT,
            f"this white-box key needs a {want}-byte real key to look for",
            f"该白盒密钥对应 {want} 字节的真实密钥",
        )
    haystacks = {f"table {name}": arr.tobytes() for name, arr in sdk.tables().items()}
    haystacks["SDK blob key"] = sdk.blob_key
    haystacks["white-box key"] = raw
    haystacks["white-box key (Base64 text)"] = base64.b64encode(raw)
    secrets = _secrets(blob.algorithm, bytes(key))
    findings = []
    patterns = 0
    for name, secret in secrets.items():
        for encoding, pattern in _patterns(secret):
            patterns += 1
            for where, hay in haystacks.items():
                at = hay.find(pattern)
                while at >= 0:
                    findings.append(Finding(name, encoding, where, at))
                    at = hay.find(pattern, at + 1)
    return ScanReport(
        len(secrets),
        patterns,
        len(haystacks),
        sum(len(h) for h in haystacks.values()),
        tuple(findings),
    )
