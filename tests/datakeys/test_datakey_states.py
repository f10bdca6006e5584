"""The data-key state tables, cell by cell, through the public API: every data-key state
for every data-key action, and every CMK state for the actions that need the CMK."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from kmslab import KMS
from kmslab.actions.errors import KMSError
from kmslab.actions.table import ACTIONS
from kmslab.core.datakey import CMK_TABLE, OK, RESTORE, STATE_TABLE

OAEP = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
EXTRA = {
    "ScheduleDataKeyDeletion": {"PendingWindowInDays": 7},
    "UpdateDataKeyName": {"DataKeyName": "renamed"},
    "UpdateDataKeyDescription": {"Description": "changed"},
}
UNDOCUMENTED = {("EnableDataKey", "ResourceUnavailable.DataKeyStateNotSupport")}
"""Refusals whose code the SDK lists for the batch action but not for the single one
(docs/data-keys.md explains the choice)."""


def _state(kms: KMS, dk: str) -> str:
    return kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["KeyState"]


def _drive(kms: KMS, dk: str, state: str, before: str = "Enabled") -> None:
    if state == "Disabled" or (state == "PendingDelete" and before == "Disabled"):
        kms.DisableDataKey(DataKeyId=dk)
    if state == "PendingDelete":
        kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    assert _state(kms, dk) == state


def _invoke(kms: KMS, action: str, dk: str) -> dict:
    if action.endswith("DataKeys"):
        return kms.call(action, {"DataKeyIds": [dk]})
    return kms.call(action, {"DataKeyId": dk, **EXTRA.get(action, {})})


CELLS = [(a, s, cell) for a, row in STATE_TABLE.items() for s, cell in row.items()]


@pytest.mark.parametrize(("action", "state", "cell"), CELLS)
def test_data_key_state_cell(kms, hosted, action, state, cell):
    out = hosted()
    dk = out["DataKeyId"]
    _drive(kms, dk, state)
    before = kms.inspect.state()
    if cell not in (OK, RESTORE) and not cell.startswith("->"):
        with pytest.raises(KMSError) as info:
            _invoke(kms, action, dk)
        assert info.value.code == cell
        assert kms.inspect.state() == before
        return
    result = _invoke(kms, action, dk)
    if cell == OK:
        assert _state(kms, dk) == state
    elif cell == RESTORE:
        assert _state(kms, dk) == "Enabled"
    else:
        assert _state(kms, dk) == cell[2:]
    if action == "GetDataKeyPlaintext":
        assert result["Plaintext"] == out["Plaintext"]
    elif action == "GetDataKeyCiphertextBlob":
        assert result["CiphertextBlob"] == out["CiphertextBlob"]
    elif action == "UpdateDataKeyName":
        assert kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]["DataKeyName"] == "renamed"


@pytest.mark.parametrize("before", ["Enabled", "Disabled"])
def test_cancel_restores_the_state_before_deletion(kms, hosted, before):
    dk = hosted()["DataKeyId"]
    _drive(kms, dk, "PendingDelete", before)
    kms.CancelDataKeyDeletion(DataKeyId=dk)
    assert _state(kms, dk) == before


def test_every_refusal_code_is_documented_for_its_action():
    undocumented = set()
    for table in (STATE_TABLE, CMK_TABLE):
        for row, cells in table.items():
            action = row.split(".")[0]
            for cell in cells.values():
                if cell in (OK, RESTORE) or cell.startswith("->"):
                    continue
                if cell not in ACTIONS[action].errors:
                    undocumented.add((action, cell))
    assert undocumented == UNDOCUMENTED
    for action, code in UNDOCUMENTED:  # ... and the batch twin documents it
        assert code in ACTIONS[action + "s"].errors


def test_every_data_key_action_has_a_row_or_needs_none():
    rows = set(STATE_TABLE)
    creating = {"ImportDataKey", "ListDataKeys", "ListDataKeyDetail"}
    hosting = {a for a, spec in ACTIONS.items() if spec.group == "data-key hosting"}
    assert hosting == rows | creating


# -- the CMK's state ----------------------------------------------------------------------------


def _import_material(kms: KMS, key_id: str) -> None:
    token = kms.GetParametersForImport(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    public = serialization.load_der_public_key(base64.b64decode(token["PublicKey"]))
    size = 16 if kms.inspect.key(key_id).metadata_type == 4 else 32
    kms.ImportKeyMaterial(
        KeyId=key_id,
        ImportToken=token["ImportToken"],
        EncryptedKeyMaterial=base64.b64encode(public.encrypt(b"m" * size, OAEP)).decode(),
    )


def _drive_cmk(kms: KMS, key_id: str, state: str) -> None:
    if state in ("Disabled", "PendingDelete"):
        kms.DisableKey(KeyId=key_id)
    if state == "PendingDelete":
        kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    if state == "Archived":
        kms.ArchiveKey(KeyId=key_id)
    if state == "PendingImport":
        kms.DeleteImportedKeyMaterial(KeyId=key_id)
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == state


CMK_CELLS = [(r, s, cell) for r, row in CMK_TABLE.items() for s, cell in row.items()]


@pytest.mark.parametrize(("row", "cmk_state", "cell"), CMK_CELLS)
def test_cmk_state_cell(kms, hosted, row, cmk_state, cell):
    external = cmk_state == "PendingImport"
    key_id = kms.CreateKey(Alias="root", Type=2 if external else 1)["KeyId"]
    if external:
        _import_material(kms, key_id)
    out = hosted(KeyId=key_id)
    dk = out["DataKeyId"]
    if row in ("EnableDataKey", "EnableDataKeys"):
        kms.DisableDataKey(DataKeyId=dk)
    elif row == "CancelDataKeyDeletion":
        kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    _drive_cmk(kms, key_id, cmk_state)
    if row == "ImportDataKey.plaintext":
        params = {"ImportType": 2, "ImportKeyMaterial": "MTIzNAo=", "KeyId": key_id}
        call = ("ImportDataKey", {"DataKeyName": "imported", **params})
    elif row == "ImportDataKey.blob":
        params = {"ImportType": 1, "ImportKeyMaterial": out["CiphertextBlob"]}
        call = ("ImportDataKey", {"DataKeyName": "imported", **params})
    elif row.endswith("DataKeys"):
        call = (row, {"DataKeyIds": [dk]})
    else:
        call = (row, {"DataKeyId": dk})
    before = kms.inspect.state()
    if cell != OK:
        with pytest.raises(KMSError) as info:
            kms.call(*call)
        assert info.value.code == cell
        assert kms.inspect.state() == before
        return
    result = kms.call(*call)
    if row == "GetDataKeyPlaintext":
        assert result["Plaintext"] == out["Plaintext"]
    elif row.startswith("ImportDataKey"):
        got = kms.GetDataKeyCiphertextBlob(DataKeyId=result["DataKeyId"])["CiphertextBlob"]
        assert kms.DescribeDataKey(DataKeyId=result["DataKeyId"])["DataKeyMetadata"]["KeyId"] == (
            key_id
        )
        assert got
    else:
        assert _state(kms, dk) == "Enabled"


@pytest.mark.parametrize("row", ["GetDataKeyPlaintext", "EnableDataKey", "CancelDataKeyDeletion"])
def test_a_missing_cmk_answers_cmk_not_found(kms, hosted, row):
    key_id = kms.CreateKey(Alias="gone")["KeyId"]
    dk = hosted(KeyId=key_id)["DataKeyId"]
    if row == "EnableDataKey":
        kms.DisableDataKey(DataKeyId=dk)
    elif row == "CancelDataKeyDeletion":
        kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=30)
    kms.DisableKey(KeyId=key_id)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.clock.advance(days=8)
    with pytest.raises(KMSError) as info:
        kms.call(row, {"DataKeyId": dk})
    assert info.value.code == "ResourceUnavailable.CmkNotFound"


def test_disabling_a_data_key_needs_no_usable_cmk(kms, hosted):
    key_id = kms.CreateKey(Alias="off")["KeyId"]
    dk = hosted(KeyId=key_id)["DataKeyId"]
    kms.DisableKey(KeyId=key_id)
    kms.DisableDataKey(DataKeyId=dk)
    kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    kms.CancelDataKeyDeletion(DataKeyId=dk)  # back to Disabled: the CMK is not needed
    assert _state(kms, dk) == "Disabled"


RESEARCH = {
    # research/whitebox-and-data-keys.md section 2.2, written out independently of the table
    ("GetDataKeyPlaintext", "Disabled"): "ResourceUnavailable.DataKeyDisabled",
    ("GetDataKeyPlaintext", "PendingDelete"): "ResourceUnavailable.DataKeyPendingDelete",
    ("GetDataKeyCiphertextBlob", "Disabled"): OK,
    ("GetDataKeyCiphertextBlob", "PendingDelete"): "ResourceUnavailable.DataKeyStateNotSupport",
    ("DisableDataKeys", "PendingDelete"): "ResourceUnavailable.DataKeyStateNotSupport",
    ("ScheduleDataKeyDeletion", "Enabled"): "->PendingDelete",
    ("CancelDataKeyDeletion", "Enabled"): "ResourceUnavailable.DataKeyNotPendingDelete",
    ("UpdateDataKeyName", "PendingDelete"): OK,
}
CMK_RESEARCH = {
    ("GetDataKeyPlaintext", "Disabled"): "ResourceUnavailable.CmkDisabled",
    ("GetDataKeyPlaintext", "Archived"): OK,
    ("GetDataKeyPlaintext", "PendingDelete"): "ResourceUnavailable.CmkStateNotSupport",
    ("ImportDataKey.plaintext", "Archived"): "ResourceUnavailable.CmkArchived",
    ("ImportDataKey.plaintext", "PendingDelete"): "ResourceUnavailable.KeyPendingDelete",
}


@pytest.mark.parametrize(("cell", "expected"), RESEARCH.items())
def test_table_says_what_the_research_says(cell, expected):
    assert STATE_TABLE[cell[0]][cell[1]] == expected


@pytest.mark.parametrize(("cell", "expected"), CMK_RESEARCH.items())
def test_cmk_table_says_what_the_research_says(cell, expected):
    assert CMK_TABLE[cell[0]][cell[1]] == expected
