"""The service's white-box library: made from a seed on first use, and the key blobs.

The first white-box key (or the first SDK download) draws a 32-byte seed from the
service's random source and adds it, sealed under the root key, to that call's unit of
work, so the seed is persisted atomically with the key that needs it. Every later call
unseals it (once: the library is kept in the secret cache) and the library is rebuilt
byte for byte from it, after a restart too, so old DecryptKeys keep working.
"""

from __future__ import annotations

from collections.abc import Callable

from kmslab.core.secret_cache import SecretCache
from kmslab.core.unit_of_work import UnitOfWork
from kmslab.core.whitebox_key import (
    KEY_PURPOSE,
    LIBRARY_ID,
    LIBRARY_SCOPE,
    LIBRARY_SEED,
    MASK_PURPOSE,
    SEED_PURPOSE,
    LibrarySeed,
    WhiteBoxKey,
)
from kmslab.crypto.randomness import RandomSource
from kmslab.crypto.wrapping import RootKey
from kmslab.whitebox import Library, WhiteBoxKeys, build_library

SEED_BYTES = 32
"""Length of the library seed."""


def _unseal_seed(root: RootKey, record: LibrarySeed) -> bytes:
    return root.unwrap(
        record.wrapped_seed, purpose=SEED_PURPOSE, account="", region="", key_id=LIBRARY_ID
    )


def service_library(
    uow: UnitOfWork,
    root: RootKey,
    random: RandomSource,
    secrets: SecretCache,
    now: float,
    create: bool,
) -> Library | None:
    """The service's library; with ``create``, a new seed joins ``uow`` if there is none
    (then None is never returned). Without ``create`` and without a seed: None."""
    record = uow.get(LIBRARY_SEED, LIBRARY_SCOPE, LIBRARY_ID)
    if record is None:
        if not create:
            return None
        seed = random.bytes(SEED_BYTES)
        wrapped = root.wrap(seed, purpose=SEED_PURPOSE, account="", region="", key_id=LIBRARY_ID)
        uow.add(LIBRARY_SEED, LibrarySeed(wrapped, int(now)))
        # Not cached yet: the seed exists only once the unit of work commits.
        return build_library(seed, cache=False)
    cached = secrets.get(LIBRARY_ID, "library", record.wrapped_seed)
    if cached is None:
        library = build_library(_unseal_seed(root, record), cache=False)
        cached = secrets.put(LIBRARY_ID, "library", record.wrapped_seed, library)
    return cached


def seal_key(root: RootKey, key: WhiteBoxKey, material: bytes) -> bytes:
    """``material`` (the real key) sealed for ``key``: bound to account, region and id."""
    return root.wrap(
        material,
        purpose=KEY_PURPOSE,
        account=str(key.uin),
        region=key.region,
        key_id=key.key_id,
    )


def seal_mask(root: RootKey, key: WhiteBoxKey, mask: bytes) -> bytes:
    """A binding mask sealed for ``key``'s current DecryptKey generation."""
    return root.wrap(
        mask,
        purpose=MASK_PURPOSE,
        account=str(key.uin),
        region=key.region,
        key_id=key.key_id,
        version=key.generation,
    )


def real_key(root: RootKey, secrets: SecretCache, key: WhiteBoxKey) -> bytes:
    """The real key of ``key``, unsealed once and then kept in the secret cache."""
    cached = secrets.get(key.key_id, "key", key.wrapped_key)
    if cached is None:
        material = root.unwrap(
            key.wrapped_key,
            purpose=KEY_PURPOSE,
            account=str(key.uin),
            region=key.region,
            key_id=key.key_id,
        )
        cached = secrets.put(key.key_id, "key", key.wrapped_key, material)
    return cached


def _fixed(mask: bytes) -> Callable[[int], bytes]:
    """A random source that replays the stored mask (re-deriving a bound DecryptKey)."""

    def replay(n: int) -> bytes:
        if n != len(mask):
            raise ValueError("the white-box library asked for an unexpected mask length")
        return mask

    return replay


def key_blobs(
    library: Library, root: RootKey, secrets: SecretCache, key: WhiteBoxKey
) -> WhiteBoxKeys:
    """The current EncryptKey and DecryptKey of ``key``, re-derived from its sealed key
    and binding mask (so every read gives the same bytes) and cached with them."""
    mark = key.wrapped_mask or key.wrapped_key
    cached = secrets.get(key.key_id, "blobs", mark)
    if cached is not None:
        return cached
    material = real_key(root, secrets, key)
    identities = [fp["Identity"] for fp in key.fingerprints]
    replay = None
    if identities:
        mask = root.unwrap(
            key.wrapped_mask,
            purpose=MASK_PURPOSE,
            account=str(key.uin),
            region=key.region,
            key_id=key.key_id,
            version=key.generation,
        )
        replay = _fixed(mask)
    blobs = library.encode_key(key.algorithm, material, key.key_id, identities, replay or _never)
    return secrets.put(key.key_id, "blobs", mark, blobs)


def _never(n: int) -> bytes:
    raise ValueError("an unbound white-box key draws no mask")
