"""The key console's data-key and white-box-key pages: their rows and filters, row
actions that change the service, refused actions disabled with the reason the service
then gives, and detail panes that never show key material."""

from __future__ import annotations

import pytest

import kmslab
from kmslab.lab.widgets import KeyConsole
from kmslab.lab.widgets.console_pages import data_key_why_not, white_box_why_not

FP = "0123abcd-00112233445566-778899aabbccdd-eeff0011223344-5566778899aabbcc"


@pytest.fixture
def kms():
    service = kmslab.KMS(seed=22)
    cmk = service.CreateKey(Alias="cmk-a")["KeyId"]
    other = service.CreateKey(Alias="cmk-b")["KeyId"]

    def hosted(key_id: str, name: str, size: int, team: str) -> str:
        return service.GenerateDataKey(
            KeyId=key_id,
            NumberOfBytes=size,
            IsHostedByKms=1,
            DataKeyName=name,
            Tags=[{"TagKey": "team", "TagValue": team}],
        )["DataKeyId"]

    service.ids = {
        "cmk": cmk,
        "other": other,
        "dk1": hosted(cmk, "orders", 32, "payments"),
        "dk2": hosted(cmk, "logs", 16, "storage"),
        "dk3": hosted(other, "backups", 32, "storage"),
        "wb1": service.CreateWhiteBoxKey(
            Alias="app",
            Algorithm="SM4",
            Description="the phone app",
            Tags=[{"TagKey": "team", "TagValue": "mobile"}],
        )["KeyId"],
        "wb2": service.CreateWhiteBoxKey(Alias="tv", Algorithm="AES_256")["KeyId"],
    }
    service.DisableDataKey(DataKeyId=service.ids["dk2"])
    service.DisableWhiteBoxKey(KeyId=service.ids["wb2"])
    return service


def _console(kms, kind: str) -> KeyConsole:
    console = KeyConsole(kms)
    console.kind.value = kind
    return console


def _names(console: KeyConsole) -> list[str]:
    return sorted(console.rows[k].pick.description for k in console.rows)


def _text(widget) -> str:
    out = []

    def walk(x):
        for attr in ("value", "description", "tooltip"):
            if isinstance(getattr(x, attr, None), str):
                out.append(getattr(x, attr))
        for child in getattr(x, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(out)


@pytest.mark.parametrize(
    ("control", "value", "names"),
    [
        ("state", "all", ["backups", "logs", "orders"]),
        ("state", "Disabled", ["logs"]),
        ("state", "PendingDelete", []),
        ("length", 16, ["logs"]),
        ("search", "ord", ["orders"]),
        ("tag", "team=storage", ["backups", "logs"]),
        ("origin", "EXTERNAL", []),
        ("cmk", "other", ["backups"]),
    ],
)
def test_data_key_rows_and_filters(kms, control, value, names):
    console = _console(kms, "data keys")
    assert _names(console) == ["backups", "logs", "orders"]
    page = console.pages["data keys"]
    page.filters[control].value = kms.ids.get(value, value) if control == "cmk" else value
    assert _names(console) == names


def test_a_filter_the_service_refuses_keeps_the_rows(kms):
    console = _console(kms, "data keys")
    console.pages["data keys"].filters["cmk"].value = "not-a-key-id"
    assert console.last_error.code.startswith("InvalidParameterValue")
    assert "filter refused" in console.status.value and len(console.rows) == 3


def test_a_refused_filter_never_leaves_another_kinds_rows(kms):
    console = _console(kms, "data keys")
    console.pages["data keys"].filters["cmk"].value = "not-a-key-id"
    console.kind.value = "white-box keys"
    assert _names(console) == ["app", "tv"]
    console.kind.value = "data keys"  # its filter is still refused
    assert console.last_error.code.startswith("InvalidParameterValue")
    assert console.rows == {} and console.table.children == ()


@pytest.mark.parametrize(
    ("control", "value", "names"),
    [
        ("status", "all", ["app", "tv"]),
        ("status", "Enabled", ["app"]),
        ("status", "Disabled", ["tv"]),
        ("tag", "team=mobile", ["app"]),
        ("tag", "team=nobody", []),
    ],
)
def test_white_box_rows_and_filters(kms, control, value, names):
    console = _console(kms, "white-box keys")
    assert _names(console) == ["app", "tv"]
    console.pages["white-box keys"].filters[control].value = value
    assert _names(console) == names


def _state(kms, data_key_id: str) -> str:
    return kms.DescribeDataKey(DataKeyId=data_key_id)["DataKeyMetadata"]["KeyState"]


def test_data_key_row_actions_change_the_state(kms):
    console = _console(kms, "data keys")
    dk1 = kms.ids["dk1"]
    console.rows[dk1].buttons["disable"].click()
    assert _state(kms, dk1) == "Disabled"
    console.window.value = 9
    console.rows[dk1].buttons["schedule_deletion"].click()
    meta = kms.DescribeDataKey(DataKeyId=dk1)["DataKeyMetadata"]
    assert meta["KeyState"] == "PendingDelete"
    assert meta["DeletionDate"] - kms.clock.now() == pytest.approx(9 * 86400, abs=2)
    assert console.selected == dk1 and "2026-01-10" in _text(console.detail)
    assert console.rows[dk1].buttons["enable"].disabled
    console.rows[dk1].buttons["cancel_deletion"].click()
    assert _state(kms, dk1) == "Disabled"  # back to the state before deletion
    console.rows[dk1].buttons["enable"].click()
    assert _state(kms, dk1) == "Enabled"


def test_white_box_row_actions_change_the_state(kms):
    console = _console(kms, "white-box keys")
    wb1 = kms.ids["wb1"]
    assert console.rows[wb1].buttons["delete"].disabled
    console.rows[wb1].buttons["disable"].click()
    assert kms.DescribeWhiteBoxKey(KeyId=wb1)["KeyInfo"]["Status"] == "Disabled"
    assert not console.rows[wb1].buttons["delete"].disabled
    console.rows[wb1].buttons["delete"].click()
    assert wb1 not in console.rows and _names(console) == ["tv"]
    console.rows[kms.ids["wb2"]].buttons["enable"].click()
    assert kms.DescribeWhiteBoxKey(KeyId=kms.ids["wb2"])["KeyInfo"]["Status"] == "Enabled"


@pytest.mark.parametrize(
    ("key", "name", "code"),
    [
        ("dk1", "cancel_deletion", "ResourceUnavailable.DataKeyNotPendingDelete"),
        ("pending", "enable", "ResourceUnavailable.DataKeyStateNotSupport"),
        ("pending", "disable", "ResourceUnavailable.DataKeyStateNotSupport"),
        ("pending", "schedule_deletion", "ResourceUnavailable.DataKeyStateNotSupport"),
        ("cmk_off", "enable", "ResourceUnavailable.CmkStateNotSupport"),
    ],
)
def test_a_refused_data_key_action_is_disabled_with_the_code_the_service_gives(
    kms, key, name, code
):
    if key == "pending":
        kms.ScheduleDataKeyDeletion(DataKeyId=kms.ids["dk2"], PendingWindowInDays=7)
    if key == "cmk_off":
        kms.DisableKey(KeyId=kms.ids["cmk"])
    data_key_id = kms.ids["dk1"] if key == "dk1" else kms.ids["dk2"]
    console = _console(kms, "data keys")
    b = console.rows[data_key_id].buttons[name]
    assert b.disabled and code in b.tooltip
    b.click()  # disabled, still sent: the service agrees
    assert console.last_error.code == code


def test_a_refused_white_box_delete_is_disabled_with_the_code_the_service_gives(kms):
    console = _console(kms, "white-box keys")
    b = console.rows[kms.ids["wb1"]].buttons["delete"]
    assert b.disabled and "FailedOperation" in b.tooltip
    b.click()
    assert console.last_error.code == "FailedOperation"
    assert kms.ids["wb1"] in console.rows


@pytest.mark.parametrize("cmk_state", ["Enabled", "Disabled", "PendingDelete"])
@pytest.mark.parametrize("state", ["Enabled", "Disabled", "PendingDelete"])
@pytest.mark.parametrize("action", ["EnableDataKey", "DisableDataKey", "CancelDataKeyDeletion"])
def test_data_key_reasons_agree_with_the_service(action, state, cmk_state):
    kms = kmslab.KMS(seed=5)
    cmk = kms.CreateKey(Alias="c")["KeyId"]
    dk = kms.GenerateDataKey(KeyId=cmk, NumberOfBytes=32, IsHostedByKms=1, DataKeyName="d")
    dk_id = dk["DataKeyId"]
    if state == "PendingDelete":
        kms.ScheduleDataKeyDeletion(DataKeyId=dk_id, PendingWindowInDays=7)
    elif state == "Disabled":
        kms.DisableDataKey(DataKeyId=dk_id)
    if cmk_state == "Disabled":
        kms.DisableKey(KeyId=cmk)
    elif cmk_state == "PendingDelete":
        kms.DisableKey(KeyId=cmk)
        kms.ScheduleKeyDeletion(KeyId=cmk, PendingWindowInDays=7)
    meta = kms.DescribeDataKey(DataKeyId=dk_id)["DataKeyMetadata"]
    reason = data_key_why_not(action, meta, cmk_state, "Enabled")
    try:
        kms.call(action, {"DataKeyId": dk_id})
    except kmslab.KMSError as exc:
        assert exc.code in reason
    else:
        assert reason == ""


@pytest.mark.parametrize(
    ("action", "state", "restore_to", "refused"),
    [
        ("EnableDataKey", "Disabled", "", True),
        ("EnableDataKey", "Enabled", "", False),  # a no-op: no CMK needed
        ("DisableDataKey", "Enabled", "", False),
        ("CancelDataKeyDeletion", "PendingDelete", "Enabled", True),
        ("CancelDataKeyDeletion", "PendingDelete", "Disabled", False),
    ],
)
def test_a_data_key_whose_cmk_is_gone(action, state, restore_to, refused):
    meta = {"KeyState": state, "KeyId": "gone-cmk"}
    reason = data_key_why_not(action, meta, None, restore_to)
    assert ("CmkNotFound" in reason) is refused


@pytest.mark.parametrize("status", ["Enabled", "Disabled"])
@pytest.mark.parametrize("action", ["EnableWhiteBoxKey", "DisableWhiteBoxKey", "DeleteWhiteBoxKey"])
def test_white_box_reasons_agree_with_the_service(action, status):
    kms = kmslab.KMS(seed=6)
    key_id = kms.CreateWhiteBoxKey(Alias="k", Algorithm="SM4")["KeyId"]
    if status == "Disabled":
        kms.DisableWhiteBoxKey(KeyId=key_id)
    reason = white_box_why_not(action, {"Status": status})
    try:
        kms.call(action, {"KeyId": key_id})
    except kmslab.KMSError as exc:
        assert exc.code in reason
    else:
        assert reason == ""


def test_data_key_detail_pane(kms):
    console = _console(kms, "data keys")
    dk3 = kms.ids["dk3"]
    kms.ScheduleDataKeyDeletion(DataKeyId=dk3, PendingWindowInDays=7)
    console.refresh()
    console.rows[dk3].pick.click()
    text = _text(console.detail)
    assert console.selected == dk3
    for fact in (
        kms.ids["other"],
        "cmk-b",
        "32 bytes",
        "TENCENT_KMS",
        "2026-01-08",
        "team=storage",
    ):
        assert fact in text
    plaintext = kms.GetDataKeyPlaintext(DataKeyId=kms.ids["dk1"])["Plaintext"]
    console.rows[kms.ids["dk1"]].pick.click()
    assert "team=payments" in _text(console.detail)
    assert plaintext not in _text(console.widget)


def test_white_box_detail_pane_never_shows_the_blobs(kms):
    wb1 = kms.ids["wb1"]
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=wb1, DeviceFingerprints=[{"Identity": FP}])
    console = _console(kms, "white-box keys")
    console.rows[wb1].pick.click()
    text = _text(console.detail)
    for fact in ("SM4", "Enabled", "the phone app", "team=mobile"):
        assert fact in text
    assert "Bound devices\n\n1\n" in text
    info = kms.DescribeWhiteBoxKey(KeyId=wb1)["KeyInfo"]
    everything = _text(console.widget)
    assert info["EncryptKey"] not in everything and info["DecryptKey"] not in everything
