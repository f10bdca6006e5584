"""The narrow context every action handler and clock job receives.

It holds who calls (account, region, its crypto profile), when (the service clock),
the random source, the root key, the caller's view of the repositories through the
call's unit of work, the secret cache and the service settings a handler may read.
Handlers never reach the service object: all they can do goes through here, scoped to
the caller, so another account's key is indistinguishable from a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kmslab.actions.errors import KMSError
from kmslab.core.cmk import CMK
from kmslab.core.model import Account, Key
from kmslab.core.resources import ResourceKind
from kmslab.core.unit_of_work import UnitOfWork
from kmslab.crypto.randomness import RandomSource
from kmslab.crypto.suites import AeadSuite
from kmslab.crypto.wrapping import RootKey

if TYPE_CHECKING:
    from kmslab.core.groups import KeyUsage
    from kmslab.core.secret_cache import SecretCache

KEY_ID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def not_found(key_id: str) -> KMSError:
    """The one answer for a key that does not exist *for this caller*."""
    return KMSError(
        "ResourceUnavailable.CmkNotFound",
        f"no key {key_id} in this account and region",
        detail_zh=f"当前账号和地域下不存在密钥 {key_id}",
    )


@dataclass(frozen=True)
class Settings:
    """The service settings handlers may read: quotas, regions and what is built."""

    cmk_limit: int
    regions: dict[str, str]
    usages: dict[str, KeyUsage]
    suites: dict[str, AeadSuite]
    accounts: dict[int, Account]
    options: dict[str, Any]


class CallContext:
    """Who is calling (account, region), when (service clock), and their unit of work."""

    __slots__ = (
        "uin",
        "region",
        "scope",
        "profile",
        "now",
        "request_id",
        "random",
        "root",
        "uow",
        "secrets",
        "settings",
    )

    def __init__(
        self,
        uin: int,
        region: str,
        now: float,
        request_id: str,
        random: RandomSource,
        root: RootKey,
        uow: UnitOfWork,
        secrets: SecretCache,
        settings: Settings,
    ) -> None:
        self.uin = uin
        self.region = region
        self.scope = (uin, region)
        self.profile = settings.regions[region]
        self.now = now
        self.request_id = request_id
        self.random = random
        self.root = root
        self.uow = uow
        self.secrets = secrets
        self.settings = settings

    @property
    def seconds(self) -> int:
        """The service time in whole Unix seconds, as the API reports times."""
        return int(self.now)

    @property
    def suite(self) -> AeadSuite:
        """The symmetric AEAD of this region's crypto profile."""
        return self.settings.suites[self.profile]

    @property
    def account(self) -> Account:
        """The calling account."""
        return self.settings.accounts[self.uin]

    # -- resources of any kind --------------------------------------------------------

    def find(self, key_id: str, kind: ResourceKind = CMK) -> Any | None:
        """The caller's resource ``key_id``, or None."""
        return self.uow.get(kind, self.scope, key_id)

    def count(self, kind: ResourceKind = CMK) -> int:
        """How many resources of ``kind`` the caller has in this region."""
        return self.uow.count(kind, self.scope)

    def name_owner(self, name: str, kind: ResourceKind = CMK) -> str | None:
        """The id of the caller's resource holding ``name`` (an alias), if any."""
        return self.uow.owner_of_name(kind, self.scope, name)

    def add(self, obj: Any, kind: ResourceKind = CMK) -> None:
        """Create ``obj``: it exists once the call succeeds."""
        self.uow.add(kind, obj)

    def touch(self, obj: Any, kind: ResourceKind = CMK) -> None:
        """Mark ``obj`` as changed by this call: it is persisted before the call returns."""
        self.uow.touch(kind, obj)

    def remove(self, obj: Any, kind: ResourceKind = CMK) -> None:
        """Delete ``obj`` for good once the call succeeds."""
        self.uow.remove(kind, obj)

    def repository(self, kind: ResourceKind = CMK):
        """The committed repository of ``kind``, for list actions' indexed pages (read it
        only through the caller's scope, ``ctx.scope``)."""
        return self.uow.state.repos[kind.name]

    # -- CMKs --------------------------------------------------------------------------

    def key(self, key_id: str) -> Key:
        """The caller's key ``key_id``; InvalidKeyId for a malformed id, else CmkNotFound."""
        key = self.uow.get(CMK, self.scope, key_id)
        if key is not None:
            return key
        if not KEY_ID_PATTERN.fullmatch(key_id):
            raise KMSError(
                "InvalidParameterValue.InvalidKeyId",
                f"{key_id!r} is not a key id",
                detail_zh=f"{key_id!r} 不是合法的密钥 ID",
            )
        raise not_found(key_id)
