"""The key model: accounts, CMKs and their versions, as the service and stores hold them.

Material appears here only wrapped under the root key. ``to_record``/``from_record``
give the plain, JSON-ready form that stores and snapshots persist.
"""

from __future__ import annotations

import base64
import binascii
import copy
import operator
from dataclasses import MISSING, dataclass, field, fields

ENABLED = "Enabled"
DISABLED = "Disabled"
PENDING_DELETE = "PendingDelete"
PENDING_IMPORT = "PendingImport"
ARCHIVED = "Archived"
STATES = (ENABLED, DISABLED, PENDING_DELETE, PENDING_IMPORT, ARCHIVED)

TENCENT_KMS = "TENCENT_KMS"
EXTERNAL = "EXTERNAL"


@dataclass(frozen=True, slots=True)
class KeyVersion:
    """One generation of a key's material; ``wrapped`` is sealed under the root key.

    Frozen: a version never changes once made, so copies of a key share its versions."""

    version: int
    created: int
    wrapped: bytes
    fingerprint: str


@dataclass(slots=True)
class Key:
    """A CMK of one (account, region), with every attribute ``KeyMetadata`` reports.

    ``extra`` holds what particular key kinds need beyond symmetric keys (public keys,
    import parameters), as JSON-ready values.
    """

    uin: int
    region: str
    key_id: str
    alias: str
    description: str
    create_time: int
    state: str
    usage: str
    origin: str
    metadata_type: int
    owner: str = "user"
    rotation_enabled: bool = False
    rotate_days: int = 365
    next_rotate_time: int = 0
    last_rotate_time: int = 0
    last_manual_rotate_time: int = 0
    deletion_date: int = 0
    state_before_deletion: str = ""
    valid_to: int = 0
    tags: dict[str, str] = field(default_factory=dict)
    bindings: list[list[str]] = field(default_factory=list)
    versions: list[KeyVersion] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def current_version(self) -> KeyVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def resource_id(self) -> str:
        return f"creatorUin/{self.uin}/{self.key_id}"

    def copy(self) -> Key:
        """An independent copy for a unit of work to change (versions are shared: frozen)."""
        new = object.__new__(Key)  # far cheaper than copy.copy's __reduce_ex__
        for name, value in zip(_KEY_FIELDS, _get_key_fields(self), strict=True):
            setattr(new, name, value)
        new.tags = dict(self.tags)
        new.bindings = [list(pair) for pair in self.bindings]
        new.versions = list(self.versions)
        new.extra = copy.deepcopy(self.extra) if self.extra else {}
        return new

    def to_record(self) -> dict:
        """A JSON-ready dict; wrapped material as Base64. Fields at their default are left
        out (``from_record`` restores them), so records stay small and load fast."""
        rec = {}
        for name, value in zip(_KEY_FIELDS, _get_key_fields(self), strict=True):
            default = _KEY_DEFAULTS.get(name, _REQUIRED)
            if default is _REQUIRED or value != default:
                rec[name] = value
        rec["tags"] = dict(self.tags) if self.tags else {}
        rec["bindings"] = [list(pair) for pair in self.bindings]
        rec["extra"] = copy.deepcopy(self.extra) if self.extra else {}
        rec["versions"] = [
            {
                "version": v.version,
                "created": v.created,
                "wrapped": base64.b64encode(v.wrapped).decode(),
                "fingerprint": v.fingerprint,
            }
            for v in self.versions
        ]
        for name in ("tags", "bindings", "extra"):
            if not rec[name]:
                del rec[name]
        return rec

    @classmethod
    def from_record(cls, rec: dict) -> Key:
        rec = dict(rec)
        rec["versions"] = [
            KeyVersion(
                v["version"], v["created"], binascii.a2b_base64(v["wrapped"]), v["fingerprint"]
            )
            for v in rec.get("versions", ())
        ]
        return cls(**rec)


_KEY_FIELDS = tuple(f.name for f in fields(Key))
_get_key_fields = operator.attrgetter(*_KEY_FIELDS)
_REQUIRED = object()
_KEY_DEFAULTS = {
    f.name: f.default if f.default is not MISSING else f.default_factory()  # type: ignore[operator]
    for f in fields(Key)
    if f.default is not MISSING or f.default_factory is not MISSING
}


@dataclass
class Credential:
    """An API key pair of an account; the SecretKey (and a temporary credential's token)
    is stored wrapped under the root key, like every other secret.

    A temporary credential has a ``wrapped_token`` and an ``expires`` instant (Unix seconds).
    """

    secret_id: str
    wrapped_secret_key: bytes
    wrapped_token: bytes = b""
    expires: int = 0

    def to_record(self) -> dict:
        return {
            "secret_id": self.secret_id,
            "wrapped_secret_key": base64.b64encode(self.wrapped_secret_key).decode(),
            "wrapped_token": base64.b64encode(self.wrapped_token).decode(),
            "expires": self.expires,
        }

    @classmethod
    def from_record(cls, rec: dict) -> Credential:
        return cls(
            rec["secret_id"],
            base64.b64decode(rec["wrapped_secret_key"]),
            base64.b64decode(rec.get("wrapped_token", "")),
            rec.get("expires", 0),
        )


@dataclass
class Account:
    """A tenant: its ``Uin``, ``AppId`` and API keys. Every key belongs to one account."""

    uin: int
    app_id: int
    name: str = ""
    credentials: list[Credential] = field(default_factory=list)

    def to_record(self) -> dict:
        return {
            "uin": self.uin,
            "app_id": self.app_id,
            "name": self.name,
            "credentials": [c.to_record() for c in self.credentials],
        }

    @classmethod
    def from_record(cls, rec: dict) -> Account:
        creds = [Credential.from_record(c) for c in rec["credentials"]]
        return cls(rec["uin"], rec["app_id"], rec.get("name", ""), creds)
