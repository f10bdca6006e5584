"""Sealing a key version's material under the root key, and opening it again.

Every kind of key (symmetric CMK versions, asymmetric and post-quantum private keys,
imported material) is stored the same way, bound to its account, region, key id,
version and purpose, so the binding is written once, here.
"""

from __future__ import annotations

from kmslab.core.model import Key, KeyVersion
from kmslab.crypto.wrapping import RootKey, fingerprint


def seal_version(
    root: RootKey, key: Key, material: bytes, purpose: str, created: int
) -> KeyVersion:
    """Append a new newest version holding ``material``, wrapped; return it."""
    number = len(key.versions) + 1
    wrapped = root.wrap(
        material,
        purpose=purpose,
        account=str(key.uin),
        region=key.region,
        key_id=key.key_id,
        version=number,
    )
    version = KeyVersion(number, created, wrapped, fingerprint(material))
    key.versions.append(version)
    return version


def open_version(root: RootKey, key: Key, version: KeyVersion, purpose: str) -> bytes:
    """The material of ``version``; raises UnwrapFailed if the record was tampered with."""
    return root.unwrap(
        version.wrapped,
        purpose=purpose,
        account=str(key.uin),
        region=key.region,
        key_id=key.key_id,
        version=version.version,
    )
