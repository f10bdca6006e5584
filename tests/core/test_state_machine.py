"""The key-state machine as one table test: every (action, state) cell of
``kmslab.core.states.STATE_TABLE`` is driven through the public actions.

For each cell a fresh key is brought into the state (Enabled, Disabled, PendingDelete,
PendingImport via CreateKey Type=2, Archived), the action is called, and the cell is
checked: allowed (with the resulting state) or refused with exactly the cell's code and
the key left exactly as it was.
"""

from __future__ import annotations

import base64

import pytest
from state_drivers import drive_to_state

from kmslab import KMS
from kmslab.actions.errors import KMSError
from kmslab.core.states import COLUMNS, OK, RESTORE, STATE_TABLE
from kmslab.crypto import blob as blobs

PLAINTEXT = base64.b64encode(b"state machine").decode()


def drive(kms: KMS, state: str, *, rotation: bool) -> tuple[str, str]:
    """A new key in ``state`` and a blob sealed under it (before it left Enabled)."""
    if state == "PendingImport":
        key_id = kms.CreateKey(Alias="subject", Type=2)["KeyId"]
        # A key waiting for material has never sealed anything: forge a well-formed blob
        # that names it, so Decrypt reaches the state check.
        header = blobs.make_header(2, key_id, 1)
        return key_id, blobs.encode(header, bytes(12), bytes(32))
    key_id = kms.CreateKey(Alias="subject")["KeyId"]
    if rotation:
        kms.EnableKeyRotation(KeyId=key_id)
    blob = kms.Encrypt(KeyId=key_id, Plaintext=PLAINTEXT)["CiphertextBlob"]
    drive_to_state(kms, key_id, state)
    return key_id, blob


def invoke(kms: KMS, action: str, key_id: str, blob: str, helper: str) -> dict:
    """Call ``action`` on the key with otherwise valid parameters."""
    single = {"KeyId": key_id}
    params = {
        "DescribeKey": single,
        "DescribeKeys": {"KeyIds": [key_id]},
        "UpdateAlias": {**single, "Alias": "renamed"},
        "UpdateKeyDescription": {**single, "Description": "changed"},
        "EnableKey": single,
        "EnableKeys": {"KeyIds": [key_id]},
        "DisableKey": single,
        "DisableKeys": {"KeyIds": [key_id]},
        "ScheduleKeyDeletion": {**single, "PendingWindowInDays": 7},
        "CancelKeyDeletion": single,
        "ArchiveKey": single,
        "CancelKeyArchive": single,
        "BindCloudResource": {**single, "ProductId": "ssm", "ResourceId": "new-secret"},
        "UnbindCloudResource": {**single, "ProductId": "ssm", "ResourceId": "secret"},
        "EnableKeyRotation": {**single, "RotateDays": 30},
        "DisableKeyRotation": single,
        "GetKeyRotationStatus": single,
        "RotateKey": single,
        "Encrypt": {**single, "Plaintext": PLAINTEXT},
        "GenerateDataKey": {**single, "KeySpec": "AES_256"},
        # the row is about the destination key; the source blob is a healthy key's
        "ReEncrypt": {"CiphertextBlob": helper, "DestinationKeyId": key_id},
        "Decrypt": {"CiphertextBlob": blob},
    }[action]
    return kms.call(action, params)


ISSUE_2_ROWS = (
    "DescribeKey", "DescribeKeys", "UpdateAlias", "UpdateKeyDescription", "EnableKey",
    "EnableKeys", "DisableKey", "DisableKeys", "ScheduleKeyDeletion", "CancelKeyDeletion",
    "ArchiveKey", "CancelKeyArchive", "BindCloudResource", "UnbindCloudResource",
    "EnableKeyRotation", "DisableKeyRotation", "GetKeyRotationStatus", "RotateKey", "Encrypt",
    "GenerateDataKey", "ReEncrypt", "Decrypt",
)  # fmt: skip
"""The rows of the symmetric key service; rows of asymmetric, PQC and import actions need
keys of other kinds and are driven by those actions' suites."""

CELLS = [
    pytest.param(action, state, STATE_TABLE[action][state], id=f"{action}-{state}")
    for action in ISSUE_2_ROWS
    for state in COLUMNS
]


def test_table_has_every_issue_2_row():
    assert set(ISSUE_2_ROWS) <= set(STATE_TABLE)


def test_table_has_every_state_column():
    assert COLUMNS == ("Enabled", "Disabled", "PendingDelete", "PendingImport", "Archived")
    assert all(tuple(row) == COLUMNS for row in STATE_TABLE.values())


@pytest.mark.parametrize(("action", "state", "cell"), CELLS)
def test_state_table_cell(action, state, cell):
    kms = KMS(seed=11)
    helper_key = kms.CreateKey(Alias="helper")["KeyId"]
    helper_blob = kms.Encrypt(KeyId=helper_key, Plaintext=PLAINTEXT)["CiphertextBlob"]
    key_id, blob = drive(kms, state, rotation=action == "RotateKey")
    if action == "UnbindCloudResource" and STATE_TABLE["BindCloudResource"][state] == OK:
        kms.BindCloudResource(KeyId=key_id, ProductId="ssm", ResourceId="secret")
    before = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]
    versions = len(kms.inspect.key(key_id).versions)

    allowed = cell == OK or cell.startswith("->")
    if allowed and action == "UnbindCloudResource" and state in ("PendingDelete", "PendingImport"):
        # No binding can exist in these states (binding is refused there, and a bound key
        # cannot be scheduled for deletion): the state gate passes, the lookup then fails.
        with pytest.raises(KMSError) as info:
            invoke(kms, action, key_id, blob, helper_blob)
        assert info.value.code == "ResourceUnavailable.CloudResourceBindingNotFound"
        assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"] == before
        return

    if allowed:
        result = invoke(kms, action, key_id, blob, helper_blob)
        after = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]
        if cell == OK:
            expected = state
        elif cell == RESTORE:
            expected = "Disabled"  # drive() schedules deletion from Disabled
        else:
            expected = cell[2:]
        assert after["KeyState"] == expected
        if action == "Decrypt":
            assert result["Plaintext"] == PLAINTEXT
        if action == "RotateKey":
            key = kms.inspect.key(key_id)
            assert len(key.versions) == versions + 1
        return

    with pytest.raises(KMSError) as info:
        invoke(kms, action, key_id, blob, helper_blob)
    assert info.value.code == cell
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"] == before
    assert len(kms.inspect.key(key_id).versions) == versions


def test_cancel_deletion_of_pending_import_key_restores_pending_import():
    kms = KMS(seed=12)
    key_id = kms.CreateKey(Alias="ext", Type=2)["KeyId"]
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.CancelKeyDeletion(KeyId=key_id)
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
