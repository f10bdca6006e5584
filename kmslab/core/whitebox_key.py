"""The white-box key resource kind, and the one-record kind holding the library seed.

A white-box key keeps its real AES-256 or SM4 key only sealed under the root key, like
every CMK version; the EncryptKey and DecryptKey blobs are re-derived from it through the
service's white-box library, so no blob is stored. A bound DecryptKey also needs the
random binding mask it was issued with, which is sealed the same way. The library itself
is regenerated from a 32-byte seed, persisted in its own table, sealed under the root
key, so that DecryptKeys handed out before a restart keep working after it.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field

from kmslab.core.model import DISABLED, ENABLED
from kmslab.core.resources import ResourceKind

WHITE_BOX_STATES = (ENABLED, DISABLED)
"""The two states of a white-box key (``WhiteboxKeyInfo.Status``)."""

KEY_PURPOSE = "whitebox-key"
"""Associated-data purpose of a sealed white-box key."""
MASK_PURPOSE = "whitebox-mask"
"""Associated-data purpose of a sealed binding mask (version: the DecryptKey generation)."""
SEED_PURPOSE = "whitebox-library-seed"
"""Associated-data purpose of the sealed library seed."""


@dataclass
class WhiteBoxKey:
    """A white-box key of one (account, region), with what ``WhiteboxKeyInfo`` reports.

    ``wrapped_key`` is the real key sealed under the root key. ``fingerprints`` are the
    bound devices (``{"Identity", "Description"}``); ``generation`` counts the DecryptKey
    re-issues, and ``wrapped_mask`` seals the binding mask of the current DecryptKey
    (empty when it is unbound).
    """

    uin: int
    region: str
    key_id: str
    alias: str
    description: str
    create_time: int
    status: str
    algorithm: str
    wrapped_key: bytes = field(repr=False)
    fingerprints: list[dict] = field(default_factory=list)
    generation: int = 0
    wrapped_mask: bytes = field(default=b"", repr=False)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def resource_id(self) -> str:
        """``creatorUin/<uin>/<keyId>``, as ``WhiteboxKeyInfo.ResourceId`` reports it."""
        return f"creatorUin/{self.uin}/{self.key_id}"

    @property
    def bound(self) -> bool:
        """True if at least one device fingerprint is bound."""
        return bool(self.fingerprints)

    def copy(self) -> WhiteBoxKey:
        """An independent copy for a unit of work to change."""
        new = copy.copy(self)
        new.fingerprints = [dict(fp) for fp in self.fingerprints]
        new.tags = dict(self.tags)
        return new

    def to_record(self) -> dict:
        """A JSON-ready dict; sealed bytes as Base64."""
        rec = asdict(self)
        rec["wrapped_key"] = base64.b64encode(self.wrapped_key).decode()
        rec["wrapped_mask"] = base64.b64encode(self.wrapped_mask).decode()
        return rec

    @classmethod
    def from_record(cls, rec: dict) -> WhiteBoxKey:
        """The key read back from a store."""
        rec = dict(rec)
        rec["wrapped_key"] = base64.b64decode(rec["wrapped_key"])
        rec["wrapped_mask"] = base64.b64decode(rec.get("wrapped_mask", ""))
        return cls(**rec)


def status_facet(status: str | None) -> tuple:
    """The facet list of DescribeWhiteBoxKeyDetails for a status filter (None: any)."""
    return ("status", status)


def _facets(key: WhiteBoxKey) -> tuple[Hashable, ...]:
    return (status_facet(None), status_facet(key.status))


WHITE_BOX_KEY = ResourceKind(
    name="whitebox_key",
    table="whitebox_keys",
    id_column="key_id",
    id_of=lambda key: key.key_id,
    name_of=lambda key: key.alias,
    scope_of=lambda key: (key.uin, key.region),
    created_of=lambda key: key.create_time,
    facets=_facets,
    copy=WhiteBoxKey.copy,
    to_record=WhiteBoxKey.to_record,
    from_record=WhiteBoxKey.from_record,
    material_marks=lambda key: frozenset(m for m in (key.wrapped_key, key.wrapped_mask) if m),
    facet_key=lambda key: key.status,
    facets_from_key=lambda status: (status_facet(None), status_facet(status)),
)
"""White-box keys: their own table, id and alias indexes, and a list per status."""


@dataclass
class LibrarySeed:
    """The service's white-box library seed, sealed under the root key (one record)."""

    wrapped_seed: bytes = field(repr=False)
    created: int
    record_id: str = "library"

    def copy(self) -> LibrarySeed:
        """An independent copy (the record never changes once made)."""
        return LibrarySeed(self.wrapped_seed, self.created, self.record_id)

    def to_record(self) -> dict:
        """A JSON-ready dict; the sealed seed as Base64."""
        return {
            "record_id": self.record_id,
            "wrapped_seed": base64.b64encode(self.wrapped_seed).decode(),
            "created": self.created,
        }

    @classmethod
    def from_record(cls, rec: dict) -> LibrarySeed:
        """The record read back from a store."""
        return cls(base64.b64decode(rec["wrapped_seed"]), rec["created"], rec["record_id"])


LIBRARY_SCOPE = (0, "")
"""The library belongs to the whole service, not to an account: this scope holds it."""
LIBRARY_ID = "library"
"""The id of the one library-seed record."""

LIBRARY_SEED = ResourceKind(
    name="whitebox_library",
    table="whitebox_library",
    id_column="record_id",
    id_of=lambda rec: rec.record_id,
    name_of=lambda rec: "",
    scope_of=lambda rec: LIBRARY_SCOPE,
    created_of=lambda rec: rec.created,
    facets=lambda rec: (),
    copy=LibrarySeed.copy,
    to_record=LibrarySeed.to_record,
    from_record=LibrarySeed.from_record,
    material_marks=lambda rec: frozenset([rec.wrapped_seed]),
)
"""The one-record kind of the sealed library seed, written by the first white-box key."""
