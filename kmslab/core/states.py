"""The key-state machine, as one table that both the service and its test read.

Each row is an action that touches a key; each column a state. A cell is ``OK`` (allowed,
state unchanged), ``"->State"`` (allowed, and the key moves to that state), or the
error code the action gets in that state.
"""

from __future__ import annotations

from kmslab.actions.errors import KMSError
from kmslab.core.model import ARCHIVED, DISABLED, ENABLED, PENDING_DELETE, PENDING_IMPORT, Key

OK = "ok"
RESTORE = "->(state before deletion)"

_NS = "ResourceUnavailable.CmkStateNotSupport"
_DIS = "ResourceUnavailable.CmkDisabled"
_ARC = "ResourceUnavailable.CmkArchived"
_SBD = "ResourceUnavailable.CmkShouldBeDisabled"
_NPD = "ResourceUnavailable.CmkNotPendingDelete"
_KPD = "ResourceUnavailable.KeyPendingDelete"

COLUMNS = (ENABLED, DISABLED, PENDING_DELETE, PENDING_IMPORT, ARCHIVED)


def _row(*cells: str) -> dict[str, str]:
    return dict(zip(COLUMNS, cells, strict=True))


# fmt: off
STATE_TABLE: dict[str, dict[str, str]] = {
    #                        Enabled          Disabled          PendingDelete       PendingImport       Archived
    "DescribeKey":      _row(OK,              OK,               OK,                 OK,                 OK),
    "DescribeKeys":     _row(OK,              OK,               OK,                 OK,                 OK),
    "UpdateAlias":      _row(OK,              OK,               _NS,                OK,                 OK),
    "UpdateKeyDescription": _row(OK,          OK,               _NS,                OK,                 OK),
    "EnableKey":        _row(OK,              "->Enabled",      _NS,                _NS,                _NS),
    "EnableKeys":       _row(OK,              "->Enabled",      _NS,                _NS,                _NS),
    "DisableKey":       _row("->Disabled",    OK,               _NS,                _NS,                _NS),
    "DisableKeys":      _row("->Disabled",    OK,               _NS,                _NS,                _NS),
    "ScheduleKeyDeletion": _row(_SBD,         "->PendingDelete", _NS,               "->PendingDelete",  _SBD),
    "CancelKeyDeletion": _row(_NPD,           _NPD,             RESTORE,            _NPD,               _NPD),
    "ArchiveKey":       _row("->Archived",    _NS,              _NS,                _NS,                OK),
    "CancelKeyArchive": _row(_NS,             _NS,              _NS,                _NS,                "->Enabled"),
    "BindCloudResource": _row(OK,             OK,               _NS,                _NS,                OK),
    "UnbindCloudResource": _row(OK,           OK,               OK,                 OK,                 OK),
    "EnableKeyRotation": _row(OK,             OK,               _NS,                _NS,                _NS),
    "DisableKeyRotation": _row(OK,            OK,               OK,                 OK,                 OK),
    "GetKeyRotationStatus": _row(OK,          OK,               OK,                 OK,                 OK),
    "RotateKey":        _row(OK,              _NS,              _NS,                _NS,                _NS),
    # Encrypt-like use: Encrypt, GenerateDataKey, and ReEncrypt's destination key.
    "Encrypt":          _row(OK,              _DIS,             _DIS,               _DIS,               _ARC),
    "GenerateDataKey":  _row(OK,              _DIS,             _KPD,               _DIS,               _ARC),
    "ReEncrypt":        _row(OK,              _DIS,             _DIS,               _DIS,               _ARC),
    # Decrypt-like use: Decrypt, and ReEncrypt's source key. Archived keys still decrypt.
    "Decrypt":          _row(OK,              _DIS,             _DIS,               _DIS,               OK),
    # Asymmetric and PQC keys are used only while Enabled (catalog: CmkStateNotSupport);
    # PQC encryption and decryption follow Encrypt and Decrypt.
    "GetPublicKey":     _row(OK,              _NS,              _NS,                _NS,                _NS),
    "AsymmetricRsaDecrypt": _row(OK,          _NS,              _NS,                _NS,                _NS),
    "AsymmetricSm2Decrypt": _row(OK,          _NS,              _NS,                _NS,                _NS),
    "SignByAsymmetricKey": _row(OK,           _NS,              _NS,                _NS,                _NS),
    "VerifyByAsymmetricKey": _row(OK,         _NS,              _NS,                _NS,                _NS),
    "PostQuantumCryptoSign": _row(OK,         _NS,              _NS,                _NS,                _NS),
    "PostQuantumCryptoVerify": _row(OK,       _NS,              _NS,                _NS,                _NS),
    "PostQuantumCryptoEncrypt": _row(OK,      _DIS,             _DIS,               _DIS,               _ARC),
    "PostQuantumCryptoDecrypt": _row(OK,      _DIS,             _DIS,               _DIS,               OK),
    # Key import (EXTERNAL keys).
    "GetParametersForImport": _row(OK,        OK,               _NS,                OK,                 OK),
    "ImportKeyMaterial": _row(OK,             _NS,              _NS,                "->Enabled",        _NS),
    "DeleteImportedKeyMaterial": _row("->PendingImport", "->PendingImport", _NS,    OK,                 "->PendingImport"),
}
# fmt: on


def move(action: str, key: Key) -> str:
    """Apply a row whose allowed cells all move the key: the state to move to."""
    target = check(action, key)
    if target is None:
        raise KMSError(
            "ResourceUnavailable.CmkStateNotSupport",
            f"key {key.key_id} is {key.state}; {action} does not apply in that state",
            detail_zh=f"密钥 {key.key_id} 处于 {key.state} 状态，不支持 {action}",
        )
    return target


def check(action: str, key: Key) -> str | None:
    """Apply the table: raise the cell's error, or return the state to move to (or None).

    Nothing is changed here, so a caller can check every key of a batch before it
    changes any of them.
    """
    cell = STATE_TABLE[action][key.state]
    return None if cell == OK else apply_cell(cell, action, key, key.key_id)


def apply_cell(
    cell: str, action: str, obj, obj_id: str, noun: str = "key", noun_zh: str = "密钥"
) -> str | None:
    """What one state-table cell means for ``obj`` (any resource with ``state`` and
    ``state_before_deletion``): None (allowed, unchanged), the state to move to, or the
    cell's error raised. Every kind's state table is read through this one function."""
    if cell == OK:
        return None
    if cell == RESTORE:
        return obj.state_before_deletion or DISABLED
    if cell.startswith("->"):
        return cell[2:]
    raise KMSError(
        cell,
        f"{noun} {obj_id} is {obj.state}; {action} is not allowed in that state",
        detail_zh=f"{noun_zh} {obj_id} 处于 {obj.state} 状态，不支持 {action}",
    )
