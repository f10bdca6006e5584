"""The key console, driven headlessly: filters, per-row actions and their reasons, the
detail pane, and redraws when other panels or the clock change the service."""

from __future__ import annotations

import pytest

import kmslab
from kmslab.lab.widgets import ClockControl, KeyConsole, LifecyclePanel
from kmslab.lab.widgets.console import ROW_ACTIONS, why_not


@pytest.fixture
def kms():
    service = kmslab.KMS(seed=21)
    tag = lambda team: [{"TagKey": "team", "TagValue": team}]  # noqa: E731
    service.ids = {
        "web": service.call("CreateKey", {"Alias": "web-app", "Tags": tag("payments")})["KeyId"],
        "db": service.call("CreateKey", {"Alias": "db-backup", "Tags": tag("storage")})["KeyId"],
        "sig": service.CreateKey(Alias="signer", KeyUsage="ASYMMETRIC_SIGN_VERIFY_ECC")["KeyId"],
    }
    service.DisableKey(KeyId=service.ids["db"])
    return service


def _aliases(console: KeyConsole) -> list[str]:
    return sorted(console.metas[k]["Alias"] for k in console.rows)


@pytest.mark.parametrize(
    ("control", "value", "aliases"),
    [
        ("state", "all", ["db-backup", "signer", "web-app"]),
        ("state", "Disabled", ["db-backup"]),
        ("state", "Enabled", ["signer", "web-app"]),
        ("state", "Archived", []),
        ("usage", "ASYMMETRIC_SIGN_VERIFY_ECC", ["signer"]),
        ("usage", "ENCRYPT_DECRYPT", ["db-backup", "web-app"]),
        ("search", "web", ["web-app"]),
        ("tag", "team=payments", ["web-app"]),
        ("tag", "team", ["db-backup", "web-app"]),
        ("tag", "team=nobody", []),
    ],
)
def test_filters(kms, control, value, aliases):
    console = KeyConsole(kms)
    assert _aliases(console) == ["db-backup", "signer", "web-app"]
    getattr(console, control).value = value  # observed: no Refresh click needed
    assert _aliases(console) == aliases
    if not aliases:
        assert "no keys match" in console.table.children[1].value


@pytest.mark.parametrize(
    ("key", "name", "enabled", "reason"),
    [
        ("web", "disable", True, ""),
        ("web", "enable", True, ""),  # allowed (a no-op) by the state table
        ("web", "schedule_deletion", False, "CmkShouldBeDisabled"),
        ("web", "cancel_deletion", False, "CmkNotPendingDelete"),
        ("web", "cancel_archive", False, "CmkStateNotSupport"),
        ("web", "rotate", False, "turn rotation on first"),
        ("web", "disable_rotation", False, "already off"),
        ("db", "schedule_deletion", True, ""),
        ("db", "archive", False, "not while Disabled"),
        ("sig", "enable_rotation", False, "only symmetric keys"),
    ],
)
def test_row_actions_enabled_only_where_valid(kms, key, name, enabled, reason):
    console = KeyConsole(kms)
    b = console.rows[kms.ids[key]].buttons[name]
    assert b.disabled is not enabled
    if reason:
        assert reason in b.tooltip


def test_row_actions_run_and_redraw(kms):
    console = KeyConsole(kms)
    web = kms.ids["web"]
    console.rows[web].buttons["disable"].click()
    assert kms.DescribeKey(KeyId=web)["KeyMetadata"]["KeyState"] == "Disabled"
    assert not console.rows[web].buttons["schedule_deletion"].disabled
    console.window.value = 9
    console.rows[web].buttons["schedule_deletion"].click()
    meta = kms.DescribeKey(KeyId=web)["KeyMetadata"]
    assert meta["KeyState"] == "PendingDelete"
    assert 9 * 86400 <= meta["DeletionDate"] - meta["CreateTime"] < 10 * 86400  # the 9 chosen
    assert console.selected == web
    assert "2026-01-10" in _detail_text(console)  # the deletion date in the pane
    assert console.rows[web].buttons["disable"].disabled
    console.rows[web].buttons["cancel_deletion"].click()
    assert kms.DescribeKey(KeyId=web)["KeyMetadata"]["KeyState"] == "Disabled"


def test_a_refused_action_shows_the_code(kms):
    console = KeyConsole(kms)
    console.rows[kms.ids["web"]].buttons["schedule_deletion"].click()  # disabled, still sent
    assert console.last_error.code == "ResourceUnavailable.CmkShouldBeDisabled"
    assert "CmkShouldBeDisabled" in console.status.value


def _detail_text(console: KeyConsole) -> str:
    out = []

    def walk(widget):
        if hasattr(widget, "value") and isinstance(widget.value, str):
            out.append(widget.value)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(console.detail)
    return "\n".join(out)


def test_detail_pane_versions_rotation_tags(kms):
    web = kms.ids["web"]
    kms.EnableKeyRotation(KeyId=web, RotateDays=30)
    kms.RotateKey(KeyId=web)
    kms.BindCloudResource(KeyId=web, ProductId="cos", ResourceId="bucket-1")
    console = KeyConsole(kms)
    console.selected = web  # a trait: the pane follows
    text = _detail_text(console)
    versions = kms.inspect.key(web).versions
    assert len(versions) == 2
    for v in versions:
        assert v.fingerprint in text
    assert "every 30 days" in text and "team=payments" in text and "cos:bucket-1" in text
    console.rows[kms.ids["db"]].pick.click()  # the alias button selects the row
    assert console.selected == kms.ids["db"] and "team=storage" in _detail_text(console)


def test_redraws_when_another_panel_or_the_clock_changes_the_service(kms):
    console = KeyConsole(kms)
    lifecycle = LifecyclePanel(kms)
    before = console.revision
    lifecycle.alias.value = "from-another-panel"
    lifecycle.buttons["create"].click()
    assert console.revision > before and "from-another-panel" in _aliases(console)
    db = kms.ids["db"]
    console.rows[db].buttons["schedule_deletion"].click()
    clock = ClockControl(kms)
    clock.advance(8)
    assert db not in console.rows  # deleted by the clock job, and the table followed


def test_refresh_if_changed_sees_plain_calls(kms):
    console = KeyConsole(kms)
    assert console.refresh_if_changed() is False
    kms.CreateKey(Alias="typed-in-a-cell")
    assert console.refresh_if_changed() is True
    assert "typed-in-a-cell" in _aliases(console)


def test_switching_kinds_swaps_the_filters_and_back(kms):
    console = KeyConsole(kms)
    console.kind.value = "data keys"
    assert console.state not in _filter_widgets(console) and console.rows == {}
    assert "no data keys match" in console.table.children[1].value
    console.kind.value = "CMKs"
    assert console.state in _filter_widgets(console) and console.kind_note.value == ""
    assert _aliases(console) == ["db-backup", "signer", "web-app"]


def _filter_widgets(console: KeyConsole) -> list:
    return [c for box in console.filter_box.children for c in box.children]


def test_every_row_action_is_decided_by_the_state_table():
    from kmslab.core.states import STATE_TABLE

    for _, action in ROW_ACTIONS.values():
        assert action in STATE_TABLE
        pending = {"KeyState": "PendingDelete", "KeyUsage": "ENCRYPT_DECRYPT"}
        cell = STATE_TABLE[action]["PendingDelete"]
        assert bool(why_not(action, pending)) == cell.startswith("Resource") or (
            action in ("RotateKey", "EnableKeyRotation", "DisableKeyRotation")
        )


def test_redraws_free_the_widgets_they_replace(kms):
    from ipywidgets.widgets.widget import _instances

    from kmslab.lab.widgets import ApiExplorer

    console = KeyConsole(kms)
    explorer = ApiExplorer(kms)
    live = len(_instances)
    for _ in range(5):
        console.refresh()
        explorer.action.value = "CreateKey"
        explorer.action.value = "Encrypt"
    assert len(_instances) <= live  # not 5 x (rows + fields) more


@pytest.mark.parametrize("name", ["disable", "archive"])
def test_a_bound_key_cannot_be_disabled_archived_or_deleted(kms, name):
    web = kms.ids["web"]
    kms.BindCloudResource(KeyId=web, ProductId="cos", ResourceId="bucket-1")
    console = KeyConsole(kms)
    b = console.rows[web].buttons[name]
    assert b.disabled and "UnbindCloudResource first" in b.tooltip
    b.click()  # the service agrees
    assert console.last_error.code == "FailedOperation.CmkUsedByCloudProduct"
    kms.UnbindCloudResource(KeyId=web, ProductId="cos", ResourceId="bucket-1")
    console.refresh()
    assert not console.rows[web].buttons[name].disabled
