"""The panels, driven headlessly: click, then check the service and what is displayed."""

from __future__ import annotations

import base64

import matplotlib
import pytest

import kmslab
from kmslab.lab.widgets import (
    AsymmetricPanel,
    ClockControl,
    EncryptionPlayground,
    LifecyclePanel,
    QpsPanel,
)
from kmslab.lab.widgets.asymmetric import missing_actions

matplotlib.use("Agg")


@pytest.fixture
def kms():
    return kmslab.KMS(seed=11)


def _new_key(panel: LifecyclePanel, alias: str) -> str:
    panel.alias.value = alias
    panel.buttons["create"].click()
    return panel.keys.value


def test_lifecycle_create_selects_and_lists(kms):
    panel = LifecyclePanel(kms)
    assert "no keys yet" in panel.table.value
    key_id = _new_key(panel, "orders")
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "orders"
    assert "kmslab-state-Enabled" in panel.table.value and "orders" in panel.table.value


@pytest.mark.parametrize(
    ("steps", "state"),
    [
        (["disable"], "Disabled"),
        (["disable", "enable"], "Enabled"),
        (["archive"], "Archived"),
        (["archive", "cancel_archive"], "Enabled"),
        (["disable", "schedule_deletion"], "PendingDelete"),
        (["disable", "schedule_deletion", "cancel_deletion"], "Disabled"),
    ],
)
def test_lifecycle_buttons_change_state(kms, steps, state):
    panel = LifecyclePanel(kms)
    key_id = _new_key(panel, "k1")
    for step in steps:
        panel.buttons[step].click()
        assert panel.last_error is None, panel.status.value
    assert panel.state_of(key_id) == state
    assert f"kmslab-state-{state}" in panel.table.value
    assert panel.keys.value == key_id  # the selection survives the refresh


def test_lifecycle_refusal_shows_code_and_message(kms):
    panel = LifecyclePanel(kms)
    key_id = _new_key(panel, "k1")
    panel.buttons["schedule_deletion"].click()
    assert panel.last_error.code == "ResourceUnavailable.CmkShouldBeDisabled"
    assert panel.state_of(key_id) == "Enabled"
    panel.buttons["disable"].click()
    panel.buttons["schedule_deletion"].click()
    panel.buttons["archive"].click()
    assert panel.last_error.code == "ResourceUnavailable.CmkStateNotSupport"
    assert "ResourceUnavailable.CmkStateNotSupport" in panel.status.value
    assert "refused" in panel.status.value
    assert panel.state_of(key_id) == "PendingDelete"


def test_lifecycle_bad_window_and_empty_alias(kms):
    panel = LifecyclePanel(kms)
    panel.buttons["create"].click()  # no alias: the service refuses
    assert panel.last_error is not None and panel.last_error.code in panel.status.value
    _new_key(panel, "k1")
    panel.buttons["disable"].click()
    panel.days.value = 3
    panel.buttons["schedule_deletion"].click()
    assert panel.last_error.code.startswith("InvalidParameter")


def test_lifecycle_rotate_needs_rotation_enabled(kms):
    panel = LifecyclePanel(kms)
    key_id = _new_key(panel, "k1")
    panel.buttons["rotate"].click()
    assert panel.last_error.code == "UnsupportedOperation.RotateNotSupported"
    panel.buttons["enable_rotation"].click()
    panel.buttons["rotate"].click()
    assert panel.last_error is None
    assert "every 365 days" in panel.table.value
    versions = kms.inspect.key(key_id).versions
    assert len(versions) == 2


def test_clock_control_runs_deletion_and_refreshes_panel(kms):
    panel = LifecyclePanel(kms)
    key_id = _new_key(panel, "doomed")
    panel.buttons["disable"].click()
    panel.buttons["schedule_deletion"].click()
    clock = ClockControl(kms, on_advance=[panel.refresh])
    clock.days.value = 8
    clock.buttons["advance"].click()
    assert [(e.kind, e.key_id) for e in clock.last_events] == [("deleted", key_id)]
    assert "deleted" in clock.events.value and key_id in clock.events.value
    assert "2026-01-09" in clock.now.value
    assert "no keys yet" in panel.table.value


def test_clock_control_on_real_time():
    kms = kmslab.KMS()
    clock = ClockControl(kms)
    assert clock.advance(1) == []
    assert "real time" in clock.status.value


def test_playground_round_trip_and_anatomy(kms):
    key_id = kms.CreateKey(Alias="play")["KeyId"]
    pg = EncryptionPlayground(kms)
    assert pg.keys.value == key_id
    pg.plaintext.value = "attack at dawn"
    pg.buttons["encrypt"].click()
    assert pg.blob.value.count("-k-") == 2
    assert key_id in pg.anatomy.value and "version 1" in pg.anatomy.value
    pg.plaintext.value = ""
    pg.buttons["decrypt"].click()
    assert "attack at dawn" in pg.result.value
    assert pg.last_error is None


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ("context", "InvalidParameterValue"),
        ("blob", "InvalidCiphertext"),
    ],
)
def test_playground_tampering_is_refused(kms, tamper, code):
    kms.CreateKey(Alias="play")
    pg = EncryptionPlayground(kms)
    pg.buttons["encrypt"].click()
    if tamper == "context":
        pg.context.value = '{"purpose":"other"}'
    else:
        parts = pg.blob.value.split("-k-")
        raw = bytearray(base64.b64decode(parts[2]))
        raw[0] ^= 1
        parts[2] = base64.b64encode(bytes(raw)).decode()
        pg.blob.value = "-k-".join(parts)
    pg.buttons["decrypt"].click()
    assert pg.last_error is not None
    assert pg.last_error.code.startswith(code.split(".")[0]) or code in pg.last_error.code
    assert pg.last_error.code in pg.status.value
    assert pg.result.value == ""


def test_playground_malformed_blob(kms):
    pg = EncryptionPlayground(kms)
    pg.blob.value = "not a blob"
    pg.buttons["decrypt"].click()
    assert "not a well-formed blob" in pg.anatomy.value
    assert pg.last_error is not None


def test_qps_panel_runs_and_shows(kms):
    panel = QpsPanel(kms)
    panel.actions.value = ("Encrypt", "GenerateRandom")
    panel.n.value = 400
    panel.mode.value = "documented"
    panel.rate.value = 400
    panel.buttons["run"].click()
    s = panel.result.summary
    assert s.loc["Encrypt", "throttled"] == 100
    assert s.loc["GenerateRandom", "throttled"] == 250
    assert "800 calls, 350 throttled" in panel.status.value
    assert "GenerateRandom" in panel.summary.value
    assert bytes(panel.plot.value).startswith(b"\x89PNG")


def test_qps_panel_refuses_empty_selection(kms):
    panel = QpsPanel(kms)
    panel.actions.value = ()
    panel.buttons["run"].click()
    assert panel.result is None and "choose actions" in panel.status.value


@pytest.mark.parametrize(
    ("usage", "algorithm", "kind"),
    [
        ("ASYMMETRIC_SIGN_VERIFY_RSA_2048", "RSA_PSS_SHA_256", "sign"),
        ("ASYMMETRIC_SIGN_VERIFY_ECC", "ECC_P256_R1", "sign"),
        ("ASYMMETRIC_SIGN_VERIFY_ECDSA384", "ECDSA_P384_SHA_384", "sign"),
        ("ASYMMETRIC_SIGN_VERIFY_SM2", "SM2DSA", "sign"),
        ("ASYMMETRIC_DECRYPT_RSA_2048", "RSAES_OAEP_SHA_256", "decrypt"),
        ("ASYMMETRIC_DECRYPT_SM2", "SM2", "decrypt"),
    ],
)
def test_asymmetric_panel(kms, usage, algorithm, kind):
    panel = AsymmetricPanel(kms)
    panel.usage.value = usage
    panel.algorithm.value = algorithm
    assert panel.create() is not None, panel.status.value
    assert "BEGIN PUBLIC KEY" in panel.public_key.value
    panel.message.value = "sign me"
    if kind == "sign":
        panel.buttons["sign"].click()
        panel.buttons["verify"].click()
        assert "SignatureValid: True" in panel.result.value
        panel.message.value = "not what was signed"
        panel.buttons["verify"].click()
        assert "SignatureValid: True" not in panel.result.value
    else:
        panel.buttons["encrypt_decrypt"].click()
        assert panel.last_error is None, panel.status.value
        assert "sign me" in panel.result.value


def test_asymmetric_panel_says_what_is_missing(kms):
    panel = AsymmetricPanel(kms)
    header = panel.widget.children[0].value
    assert missing_actions() == []  # every asymmetric action is built ...
    assert "not built" not in header  # ... so the panel names none as missing
    assert "GetPublicKey" not in header


@pytest.mark.parametrize(
    "usage",
    ["ASYMMETRIC_SIGN_VERIFY_ECC", "ASYMMETRIC_SIGN_VERIFY_SM2", "ASYMMETRIC_SIGN_VERIFY_ECDSA384"],
)
def test_asymmetric_encrypt_with_a_sign_key_is_refused_visibly(kms, usage):
    panel = AsymmetricPanel(kms)
    panel.usage.value = usage
    panel.create()
    panel.buttons["sign"].click()
    assert "signature:" in panel.result.value and panel.signature.value
    assert panel.buttons["encrypt_decrypt"].disabled
    assert "does not decrypt" in panel.buttons["encrypt_decrypt"].tooltip
    panel.buttons["encrypt_decrypt"].click()  # a programmatic click still arrives
    assert "kmslab-error" in panel.status.value and "ASYMMETRIC_DECRYPT" in panel.status.value
    assert "GetPublicKey ok" not in panel.status.value
    assert panel.result.value == ""  # no earlier result left standing next to the refusal


def test_asymmetric_decrypt_key_refuses_signing(kms):
    panel = AsymmetricPanel(kms)
    panel.create()  # the default usage signs
    panel.buttons["sign"].click()
    assert panel.signature.value
    panel.usage.value = "ASYMMETRIC_DECRYPT_RSA_2048"
    assert panel.signature.value == ""  # not carried over to a key that cannot verify it
    panel.create()
    assert panel.buttons["sign"].disabled and panel.buttons["verify"].disabled
    panel.buttons["sign"].click()
    assert "do not sign" in panel.status.value and panel.result.value == ""


def test_asymmetric_local_encryption_failure_is_shown(kms):
    panel = AsymmetricPanel(kms)
    panel.usage.value = "ASYMMETRIC_DECRYPT_RSA_2048"
    panel.create()
    panel.message.value = "x" * 300  # more than RSA-2048 with OAEP can carry
    panel.buttons["encrypt_decrypt"].click()
    assert "failed" in panel.status.value and "kmslab-error" in panel.status.value
    assert panel.result.value == ""


def test_asymmetric_usage_dropdown_is_readable_and_complete(kms):
    panel = AsymmetricPanel(kms)
    assert "ASYMMETRIC_SIGN_VERIFY_ECDSA384" in panel.usage.options
    assert panel.usage.layout.width == "auto"
    assert panel.usage.style.description_width == "initial"


def test_key_labels_tell_keys_apart(kms):
    ids = [kms.CreateKey(Alias=f"k{i}")["KeyId"] for i in range(5)]
    assert len({i[:8] for i in ids}) == 1  # same instant: the uuid1 prefix is shared
    pg = EncryptionPlayground(kms)
    labels = [label for label, _ in pg.keys.options]
    assert len({label.split("(")[1] for label in labels}) == 5
    lifecycle = LifecyclePanel(kms)
    assert len({label.split("(")[1] for label, _ in lifecycle.keys.options}) == 5


def test_public_key_pane_follows_the_selection(kms):
    panel = AsymmetricPanel(kms)
    panel.usage.value = "ASYMMETRIC_SIGN_VERIFY_ECC"
    first = panel.create()
    second = panel.create()
    assert f'data-key-id="{second}"' in panel.public_key.value
    panel.keys.value = first
    assert f'data-key-id="{first}"' in panel.public_key.value
    pem = kms.GetPublicKey(KeyId=first)["PublicKeyPem"]
    assert pem.splitlines()[1] in panel.public_key.value
    panel.usage.value = "ASYMMETRIC_DECRYPT_SM2"  # no key of that usage yet
    assert panel.public_key.value == ""


@pytest.mark.parametrize(
    ("days", "why"),
    [
        (100_000_000, "at most 3660 days"),
        (3660.5, "at most 3660 days"),
        (-1, "never goes backwards"),
        (float("nan"), "must be a number"),
        (float("inf"), "must be a number"),
        ("7", "must be a number"),
    ],
)
def test_clock_control_refuses_bad_spans_without_moving(kms, days, why):
    key_id = kms.CreateKey(Alias="r")["KeyId"]
    kms.EnableKeyRotation(KeyId=key_id, RotateDays=7)
    clock = ClockControl(kms)
    clock.advance(8)
    assert clock.events.value  # a rotation fell due and is listed
    before, shown = kms.clock.now(), clock.now.value
    assert clock.advance(days) == []
    assert why in clock.status.value and "kmslab-error" in clock.status.value
    assert kms.clock.now() == before and clock.now.value == shown
    assert clock.events.value == ""  # the earlier events are not presented as this step's


def test_clock_control_longest_step_is_accepted(kms):
    clock = ClockControl(kms)
    clock.days.value = 3660
    clock.buttons["advance"].click()
    assert "advanced 3660 day(s)" in clock.status.value
    assert "2036-01-09" in clock.now.value


def test_playground_refused_encrypt_leaves_nothing_stale(kms):
    key_id = kms.CreateKey(Alias="play")["KeyId"]
    pg = EncryptionPlayground(kms)
    pg.buttons["encrypt"].click()
    pg.buttons["decrypt"].click()
    assert "hello, kmslab" in pg.result.value and pg.anatomy.value
    kms.DisableKey(KeyId=key_id)
    pg.buttons["encrypt"].click()
    assert pg.last_error.code == "ResourceUnavailable.CmkDisabled"
    assert pg.blob.value == "" and pg.result.value == "" and pg.anatomy.value == ""


def test_playground_refused_decrypt_clears_the_old_plaintext(kms):
    kms.CreateKey(Alias="play")
    pg = EncryptionPlayground(kms)
    pg.buttons["encrypt"].click()
    pg.buttons["decrypt"].click()
    assert "hello, kmslab" in pg.result.value
    pg.context.value = '{"purpose":"other"}'
    pg.buttons["decrypt"].click()
    assert pg.last_error is not None and pg.result.value == ""
    assert "version 1" in pg.anatomy.value  # what was sent is still dissected


def test_qps_panel_no_broken_image_and_no_stale_result(kms):
    panel = QpsPanel(kms)
    assert panel.plot.layout.display == "none" and panel.plot.value == b""
    panel.n.value = 50
    panel.buttons["run"].click()
    assert panel.plot.layout.display != "none" and bytes(panel.plot.value).startswith(b"\x89PNG")
    assert panel.summary.value
    panel.actions.value = ()
    panel.buttons["run"].click()
    assert panel.result is None and "choose actions" in panel.status.value
    assert panel.summary.value == "" and panel.plot.layout.display == "none"
