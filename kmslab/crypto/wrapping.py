"""The root key (the spec's "HSA") and how it wraps every piece of stored key material.

Material is never stored in the clear: each CMK version, private key, imported key and
credential secret is sealed under the root key with AES-256-GCM, binding the owning
account, region, key id, version and purpose as associated data (DESIGN.md section 3).
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kmslab.crypto.randomness import RandomSource

ROOT_KEY_SIZE = 32
_NONCE = 12


class UnwrapFailed(Exception):
    """Stored material did not unwrap: a wrong root key, or a tampered or moved record."""


def _aad(purpose: str, account: str, region: str, key_id: str, version: int) -> bytes:
    fields = (
        b"kmslab-wrap-v1",
        purpose.encode(),
        account.encode(),
        region.encode(),
        key_id.encode(),
        str(version).encode(),
    )
    return b"".join(struct.pack(">I", len(f)) + f for f in fields)


def fingerprint(material: bytes) -> str:
    """A short, one-way label for material, safe to show: it identifies, never reveals."""
    return hashlib.sha256(b"kmslab fingerprint\x00" + material).hexdigest()[:16]


class RootKey:
    """A 256-bit root key. It is kept apart from every store: in a key file or in memory."""

    def __init__(self, key: bytes, random: RandomSource) -> None:
        if len(key) != ROOT_KEY_SIZE:
            raise ValueError("the root key is 32 bytes")
        self._aead = AESGCM(key)
        self._key = key
        self._random = random
        self.fingerprint = fingerprint(key)

    @classmethod
    def generate(cls, random: RandomSource) -> RootKey:
        """A fresh root key from the service's random source."""
        return cls(random.bytes(ROOT_KEY_SIZE), random)

    @classmethod
    def load_or_create(cls, path: str | os.PathLike, random: RandomSource) -> RootKey:
        """Read the key file at ``path``, creating it (mode 0600) if it does not exist."""
        p = Path(path)
        if p.exists():
            return cls(p.read_bytes(), random)
        root = cls.generate(random)
        root.save(p)
        return root

    def export(self) -> bytes:
        """The key bytes, for the owner to keep apart from every store."""
        return self._key

    def save(self, path: str | os.PathLike) -> None:
        """Write the key to a new file readable only by its owner, atomically: a temporary
        file in the same folder, fsynced, then linked into place. A crash leaves either no
        key file or a whole one, never an empty file that would lock the store out."""
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=".rootkey-", dir=target.parent)
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(self._key)
                f.flush()
                os.fsync(f.fileno())
            os.link(tmp, target)  # fails if the key file appeared meanwhile: never overwrite
        finally:
            Path(tmp).unlink(missing_ok=True)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def __repr__(self) -> str:
        return f"<RootKey fingerprint {self.fingerprint}>"

    def wrap(
        self,
        material: bytes,
        *,
        purpose: str,
        account: str,
        region: str,
        key_id: str,
        version: int = 0,
    ) -> bytes:
        """Seal ``material`` for storage: nonce followed by ciphertext and tag."""
        nonce = self._random.bytes(_NONCE)
        aad = _aad(purpose, account, region, key_id, version)
        return nonce + self._aead.encrypt(nonce, material, aad)

    def unwrap(
        self,
        wrapped: bytes,
        *,
        purpose: str,
        account: str,
        region: str,
        key_id: str,
        version: int = 0,
    ) -> bytes:
        """Open material sealed by :meth:`wrap` with the same binding, or raise UnwrapFailed."""
        aad = _aad(purpose, account, region, key_id, version)
        try:
            return self._aead.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], aad)
        except (InvalidTag, ValueError):
            raise UnwrapFailed(f"{purpose} of {key_id} v{version} did not unwrap") from None
