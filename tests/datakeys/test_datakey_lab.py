"""The notebook face of hosted data keys: the data_key_table view, the lifecycle view and
the data-key section of the lifecycle panel, driven headlessly; never any plaintext."""

from __future__ import annotations

import base64

import pandas as pd

from kmslab.lab import data_key_table, lifecycle
from kmslab.lab.widgets import DataKeyPanel, LifecyclePanel


def test_data_key_table_reads_every_page_with_dtypes(kms, new_key, hosted):
    key_id = new_key()
    made = [hosted(KeyId=key_id)["DataKeyId"] for _ in range(205)]  # more than one page
    tagged = hosted(Tags=[{"TagKey": "team", "TagValue": "pay"}])
    kms.ScheduleDataKeyDeletion(DataKeyId=made[0], PendingWindowInDays=7)
    frame = data_key_table(kms)
    assert len(frame) == 206 and frame["DataKeyId"].is_unique
    assert isinstance(frame["KeyState"].dtype, pd.CategoricalDtype)
    assert list(frame["KeyState"].cat.categories) == ["Enabled", "Disabled", "PendingDelete"]
    assert str(frame["CreateTime"].dtype).startswith("datetime64")
    row = frame.set_index("DataKeyId").loc[made[0]]
    assert row["KeyState"] == "PendingDelete" and not pd.isna(row["DeletionDate"])
    assert pd.isna(frame.set_index("DataKeyId").loc[made[1]]["DeletionDate"])
    assert frame.set_index("DataKeyId").loc[tagged["DataKeyId"]]["tag:team"] == "pay"
    assert len(data_key_table(kms, KeyState=3)) == 1
    assert len(data_key_table(kms, KeyId=key_id)) == 205
    text = frame.to_csv()
    assert tagged["Plaintext"] not in text
    assert base64.b64decode(tagged["Plaintext"]).hex() not in text


def test_data_key_table_of_an_empty_account(kms):
    frame = data_key_table(kms)
    assert frame.empty and {"DataKeyId", "KeyState", "DataKeyName"} <= set(frame.columns)


def test_lifecycle_of_a_data_key(kms, hosted):
    dk = hosted()["DataKeyId"]
    kms.DisableDataKey(DataKeyId=dk)
    kms.clock.advance(hours=1)
    kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    kms.CancelDataKeyDeletion(DataKeyId=dk)
    kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    before = lifecycle(kms, dk)
    assert list(before["what"]) == [
        "created",
        "disabled",
        "deletion scheduled",
        "deletion cancelled",
        "deletion scheduled",
    ]
    kms.clock.advance(days=8)
    after = lifecycle(kms, dk)
    assert list(after["what"])[-1] == "deleted" and list(after["source"])[-1] == "clock"


def test_panel_generates_and_walks_a_data_key(kms, new_key, fails):
    new_key(Alias="root")
    panel = DataKeyPanel(kms)
    assert panel.cmk.value
    panel.name.value = "panel-key"
    panel.size.value = 16
    panel.buttons["generate"].click()
    dk = panel.data_keys.value
    assert dk and "kmslab-ok" in panel.status.value
    meta = kms.DescribeDataKey(DataKeyId=dk)["DataKeyMetadata"]
    assert meta["DataKeyName"] == "panel-key" and meta["NumberOfBytes"] == 16
    panel.buttons["disable"].click()
    assert panel.state_of(dk) == "Disabled" and "kmslab-state-Disabled" in panel.table.value
    panel.days.value = 9
    panel.buttons["schedule_deletion"].click()
    assert panel.state_of(dk) == "PendingDelete"
    panel.buttons["disable"].click()  # refused: shown, not raised
    assert panel.last_error.code == "ResourceUnavailable.DataKeyStateNotSupport"
    assert "DataKeyStateNotSupport" in panel.status.value
    panel.buttons["cancel_deletion"].click()
    assert panel.state_of(dk) == "Disabled"
    assert fails(kms.GetDataKeyPlaintext, DataKeyId=dk).code == (
        "ResourceUnavailable.DataKeyDisabled"
    )


def test_panel_never_shows_plaintext_and_reports_cmk_refusals(kms, new_key):
    key_id = new_key(Alias="cmk")
    panel = DataKeyPanel(kms)
    panel.name.value = "secret-holder"
    panel.buttons["generate"].click()
    dk = panel.data_keys.value
    kms.EnableDataKey(DataKeyId=dk)
    plain = kms.GetDataKeyPlaintext(DataKeyId=dk)["Plaintext"]
    panel.refresh()
    html = panel.table.value + panel.status.value
    assert plain not in html and base64.b64decode(plain).hex() not in html
    panel.buttons["disable"].click()
    kms.DisableKey(KeyId=key_id)
    panel.buttons["enable"].click()
    assert panel.last_error.code == "ResourceUnavailable.CmkStateNotSupport"
    panel.name.value = "bad name!"
    kms.EnableKey(KeyId=key_id)
    panel.refresh()
    panel.buttons["generate"].click()
    assert panel.last_error.code == "InvalidParameterValue.InvalidDataKeyName"


def test_lifecycle_panel_has_the_data_key_section(kms, new_key):
    key_id = new_key(Alias="shown")
    panel = LifecyclePanel(kms)
    assert isinstance(panel.data_keys, DataKeyPanel)
    assert panel.data_keys.widget in panel.widget.children
    panel.data_keys.name.value = "under-lifecycle"
    panel.data_keys.buttons["generate"].click()
    assert "under-lifecycle" in panel.data_keys.table.value
    # disabling the CMK in the CMK section drops it from the data-key CMK picker
    panel.keys.value = key_id
    panel.buttons["disable"].click()
    assert key_id not in [v for _, v in panel.data_keys.cmk.options]
