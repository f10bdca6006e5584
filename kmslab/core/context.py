"""The per-call context handed to every action handler.

It scopes every key lookup to the caller's account and region, so a key of another
account is indistinguishable from a missing one, and it collects what the call changed
so the service can persist exactly that, atomically, before answering.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kmslab.actions.errors import KMSError
from kmslab.core.model import Key
from kmslab.crypto.suites import AeadSuite, PreparedKey

if TYPE_CHECKING:
    from kmslab.core.service import KMS

KEY_ID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def not_found(key_id: str) -> KMSError:
    """The one answer for a key that does not exist *for this caller*."""
    return KMSError(
        "ResourceUnavailable.CmkNotFound",
        f"no key {key_id} in this account and region",
        detail_zh=f"当前账号和地域下不存在密钥 {key_id}",
    )


class CallContext:
    """Who is calling (account, region), when (service clock), and what changed."""

    __slots__ = ("kms", "uin", "region", "profile", "now", "request_id", "changed", "removed")

    def __init__(self, kms: KMS, uin: int, region: str, now: float, request_id: str) -> None:
        self.kms = kms
        self.uin = uin
        self.region = region
        self.profile = kms.regions[region]
        self.now = now
        self.request_id = request_id
        self.changed: dict[str, Key] | None = None
        self.removed: list[Key] | None = None

    @property
    def seconds(self) -> int:
        """The service time in whole Unix seconds, as the API reports times."""
        return int(self.now)

    @property
    def random(self):
        return self.kms.random

    @property
    def root(self):
        return self.kms.root_key

    @property
    def suite(self) -> AeadSuite:
        """The symmetric AEAD of this region's crypto profile."""
        return self.kms.symmetric_suite(self.region)

    @property
    def keys(self) -> dict[str, Key]:
        """This caller's keys (account and region), by key id."""
        return self.kms.keys_of(self.uin, self.region)

    def key(self, key_id: str) -> Key:
        """The caller's key ``key_id``; InvalidKeyId for a malformed id, else CmkNotFound."""
        key = self.kms.keys_of(self.uin, self.region).get(key_id)
        if key is not None:
            return key
        if not KEY_ID_PATTERN.fullmatch(key_id):
            raise KMSError(
                "InvalidParameterValue.InvalidKeyId",
                f"{key_id!r} is not a key id",
                detail_zh=f"{key_id!r} 不是合法的密钥 ID",
            )
        raise not_found(key_id)

    def prepared(self, key: Key, version: int | None = None) -> PreparedKey:
        """The ready-to-use cipher of a symmetric key version (newest by default)."""
        return self.kms.prepared_key(key, version)

    def touch(self, key: Key) -> None:
        """Mark ``key`` as changed by this call: it is persisted before the call returns."""
        if self.changed is None:
            self.changed = {}
        self.changed[key.key_id] = key

    def remove(self, key: Key) -> None:
        """Delete ``key`` for good (a deletion that fell due)."""
        self.kms.drop_key(key)
        if self.removed is None:
            self.removed = []
        self.removed.append(key)
        if self.changed:
            self.changed.pop(key.key_id, None)

    def schedule(self, due: float, kind: str, key: Key) -> None:
        """Queue a clock job for ``key`` at ``due``."""
        self.kms.scheduler.add(due, kind, (key.uin, key.region, key.key_id))
