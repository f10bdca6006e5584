"""The hosted-data-key resource kind: how data keys that KMS keeps are identified,
copied, persisted and listed, and the one state table of their actions.

A hosted data key is stored as exactly the CMK ciphertext blob GenerateDataKey returns
(never as plaintext), so rotating its CMK never breaks it and GetDataKeyCiphertextBlob
hands back something Decrypt and ImportDataKey type 1 accept. Its facets serve
ListDataKeys and ListDataKeyDetail: each key is entered under every combination of its
state, origin, CMK and length with the others left open (``None``), so any filter of
those four picks exactly one list, already in creation order, and a page costs the page.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from itertools import product

from kmslab.actions.errors import KMSError
from kmslab.core.model import ARCHIVED, DISABLED, ENABLED, PENDING_DELETE, PENDING_IMPORT
from kmslab.core.resources import ResourceKind
from kmslab.core.states import OK, RESTORE, apply_cell

DATA_KEY_STATES = (ENABLED, DISABLED, PENDING_DELETE)
"""The three states of a hosted data key."""


@dataclass
class DataKey:
    """A hosted data key of one (account, region), with what ``DataKeyMetadata`` reports.

    ``blob`` is the CMK ciphertext blob of the key (it names the CMK and its version);
    ``key_id`` is that CMK.
    """

    uin: int
    region: str
    data_key_id: str
    name: str
    description: str
    key_id: str
    create_time: int
    state: str
    origin: str
    number_of_bytes: int
    blob: str
    owner: str = "user"
    deletion_date: int = 0
    state_before_deletion: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def resource_id(self) -> str:
        return f"creatorUin/{self.uin}/{self.data_key_id}"

    def copy(self) -> DataKey:
        """An independent copy for a unit of work to change."""
        new = object.__new__(DataKey)  # much cheaper than copy.copy's __reduce_ex__
        new.__dict__.update(self.__dict__)
        new.tags = dict(self.tags)
        return new

    def to_record(self) -> dict:
        """A JSON-ready dict (the blob is already text, and holds no plaintext)."""
        return asdict(self)

    @classmethod
    def from_record(cls, rec: dict) -> DataKey:
        return cls(**rec)


def listed_facet(role: int) -> tuple:
    """The facet list of ListDataKeys (it leaves out keys pending deletion, as ListKeys
    leaves out CMKs pending deletion)."""
    return ("listed", role)


def detail_facet(
    role: int, state: str | None, origin: str | None, key_id: str | None, length: int | None
) -> tuple:
    """The facet list of ListDataKeyDetail for these filters (``None``: any value)."""
    return ("detail", role, state, origin, key_id, length)


COUNTED = ("counted",)
"""The facet of the keys that count against the quota (every key not pending deletion):
its size is GetServiceStatus's ``DataKeyUsedCount``."""


def role_of(key: DataKey) -> int:
    """``Role`` 0 lists the user's own data keys, 1 those cloud products made."""
    return 0 if key.owner == "user" else 1


def _facets(key: DataKey) -> tuple[Hashable, ...]:
    return _facets_for(role_of(key), key.state, key.origin, key.key_id, key.number_of_bytes)


def _facets_for(role: int, state: str, origin: str, key_id: str, size: int) -> tuple:
    out: list[Hashable] = [
        detail_facet(role, *combo)
        for combo in product((state, None), (origin, None), (key_id, None), (size, None))
    ]
    if state != PENDING_DELETE:
        out += [listed_facet(role), COUNTED]
    return tuple(out)


def _facet_key(key: DataKey) -> str:
    return json.dumps([role_of(key), key.state, key.origin, key.key_id, key.number_of_bytes])


def _facets_from_key(text: str) -> tuple[Hashable, ...]:
    return _facets_for(*json.loads(text))


DATA_KEY = ResourceKind(
    name="data_key",
    table="data_keys",
    id_column="data_key_id",
    id_of=lambda key: key.data_key_id,
    name_of=lambda key: key.name,
    scope_of=lambda key: (key.uin, key.region),
    created_of=lambda key: key.create_time,
    facets=_facets,
    copy=DataKey.copy,
    to_record=DataKey.to_record,
    from_record=DataKey.from_record,
    facet_key=_facet_key,
    facets_from_key=_facets_from_key,
)
"""Hosted data keys: their own table, id and name indexes and list facets."""

# -- the state table ---------------------------------------------------------------------

# The cell vocabulary is the CMK table's, read by the same interpreter.
_DNS = "ResourceUnavailable.DataKeyStateNotSupport"
_DNPD = "ResourceUnavailable.DataKeyNotPendingDelete"


def _row(enabled: str, disabled: str, pending: str) -> dict[str, str]:
    return {ENABLED: enabled, DISABLED: disabled, PENDING_DELETE: pending}


# fmt: off
STATE_TABLE: dict[str, dict[str, str]] = {
    #                                Enabled           Disabled          PendingDelete
    "DescribeDataKey":          _row(OK,               OK,               OK),
    "DescribeDataKeys":         _row(OK,               OK,               OK),
    "UpdateDataKeyName":        _row(OK,               OK,               OK),
    "UpdateDataKeyDescription": _row(OK,               OK,               OK),
    "GetDataKeyPlaintext":      _row(OK, "ResourceUnavailable.DataKeyDisabled",
                                     "ResourceUnavailable.DataKeyPendingDelete"),
    "GetDataKeyCiphertextBlob": _row(OK,               OK,               _DNS),
    "DisableDataKey":           _row("->Disabled",     OK,               _DNS),
    "DisableDataKeys":          _row("->Disabled",     OK,               _DNS),
    "EnableDataKey":            _row(OK,               "->Enabled",      _DNS),
    "EnableDataKeys":           _row(OK,               "->Enabled",      _DNS),
    "ScheduleDataKeyDeletion":  _row("->PendingDelete", "->PendingDelete", _DNS),
    "CancelDataKeyDeletion":    _row(_DNPD,            _DNPD,            RESTORE),
}
"""Data-key action x data-key state: ``OK``, ``"->State"`` (allowed, moves there), the
restore of CancelDataKeyDeletion, or the code the action gets in that state."""

_CNS = "ResourceUnavailable.CmkStateNotSupport"
_CMK_COLUMNS = (ENABLED, DISABLED, PENDING_DELETE, PENDING_IMPORT, ARCHIVED)


def _cmk_row(*cells: str) -> dict[str, str]:
    return dict(zip(_CMK_COLUMNS, cells, strict=True))


CMK_TABLE: dict[str, dict[str, str]] = {
    # Columns: Enabled, Disabled, PendingDelete, PendingImport, Archived.
    # Unwrapping the stored blob: an archived CMK still decrypts.
    "GetDataKeyPlaintext":     _cmk_row(OK, "ResourceUnavailable.CmkDisabled", _CNS, _CNS, OK),
    # Making a data key usable again needs a CMK that can still decrypt it.
    "EnableDataKey":           _cmk_row(OK, _CNS, _CNS, _CNS, OK),
    "EnableDataKeys":          _cmk_row(OK, _CNS, _CNS, _CNS, OK),
    "CancelDataKeyDeletion":   _cmk_row(OK, _CNS, _CNS, _CNS, OK),
    # Import of plaintext encrypts under the CMK; import of a blob only decrypts it.
    "ImportDataKey.plaintext": _cmk_row(OK, "ResourceUnavailable.CmkDisabled",
                                        "ResourceUnavailable.KeyPendingDelete", _CNS,
                                        "ResourceUnavailable.CmkArchived"),
    "ImportDataKey.blob":      _cmk_row(OK, "ResourceUnavailable.CmkDisabled",
                                        "ResourceUnavailable.KeyPendingDelete", _CNS, OK),
}
"""Data-key action x the state of the data key's CMK (CmkNotFound when it is gone)."""
# fmt: on


def check(action: str, key: DataKey) -> str | None:
    """Apply :data:`STATE_TABLE`: raise the cell's error, or return the state to move to
    (None: unchanged). Nothing changes here, so a batch can check every key first."""
    return apply_cell(
        STATE_TABLE[action][key.state], action, key, key.data_key_id, "data key", "数据密钥"
    )


def check_cmk(row: str, cmk_state: str, key_id: str) -> None:
    """Apply :data:`CMK_TABLE` row ``row`` to a CMK in ``cmk_state``."""
    cell = CMK_TABLE[row][cmk_state]
    if cell != OK:
        action = row.split(".")[0]
        raise KMSError(
            cell,
            f"the data key's CMK {key_id} is {cmk_state}; {action} is not allowed",
            detail_zh=f"数据密钥的主密钥 {key_id} 处于 {cmk_state} 状态，不支持 {action}",
        )
