"""The white-box view and panel, driven headlessly: what they show matches the service,
a bound device and another device behave as documented, and no blob is ever shown."""

from __future__ import annotations

import base64
import hashlib

import pandas as pd
import pytest

import kmslab
from kmslab.lab.views import WHITE_BOX_COLUMNS, whitebox_key_table
from kmslab.lab.widgets import WhiteBoxPanel

FP_A = "0123abcd-00112233445566-778899aabbccdd-eeff0011223344-5566778899aabbcc"
FP_B = "fedcba98-66554433221100-ddccbbaa998877-44332211ffeedd-ccbbaa9988776655"


@pytest.fixture
def kms():
    return kmslab.KMS(seed=1111)


def test_view_columns_dtypes_and_no_blobs(kms):
    assert list(whitebox_key_table(kms).columns) == WHITE_BOX_COLUMNS
    first = kms.CreateWhiteBoxKey(
        Alias="a", Algorithm="SM4", Tags=[{"TagKey": "t", "TagValue": "1"}]
    )
    kms.clock.advance(seconds=5)
    second = kms.CreateWhiteBoxKey(Alias="b", Algorithm="AES_256")
    kms.OverwriteWhiteBoxDeviceFingerprints(
        KeyId=first["KeyId"], DeviceFingerprints=[{"Identity": FP_A}, {"Identity": FP_B}]
    )
    kms.DisableWhiteBoxKey(KeyId=second["KeyId"])
    frame = whitebox_key_table(kms)
    assert list(frame["KeyId"]) == [second["KeyId"], first["KeyId"]]  # newest first
    assert list(frame["Status"]) == ["Disabled", "Enabled"]
    assert isinstance(frame["Status"].dtype, pd.CategoricalDtype)
    assert str(frame["CreateTime"].dt.tz) == "UTC"
    assert list(frame["devices"]) == [0, 2]
    assert list(frame["DeviceFingerprintBind"]) == [False, True]
    bound = kms.DescribeWhiteBoxDecryptKey(KeyId=first["KeyId"])["DecryptKey"]
    assert (
        frame["decrypt_key_sha256"][1] == hashlib.sha256(base64.b64decode(bound)).hexdigest()[:16]
    )
    assert list(frame["tag:t"].fillna("")) == ["", "1"]
    text = frame.to_csv()
    for blob in (first["EncryptKey"], first["DecryptKey"], bound, second["DecryptKey"]):
        assert blob not in text
    assert list(whitebox_key_table(kms, KeyStatus=1)["KeyId"]) == [first["KeyId"]]
    other = kms.as_account(kms.create_account("o").uin)
    assert whitebox_key_table(other).empty


def test_panel_walks_the_whole_flow(kms):
    panel = WhiteBoxPanel(kms)
    assert "no white-box keys yet" in panel.table.value
    panel.alias.value, panel.algorithm.value = "device-secret", "AES_256"
    panel.buttons["create"].click()
    key_id = panel.keys.value
    assert kms.DescribeWhiteBoxKey(KeyId=key_id)["KeyInfo"]["Algorithm"] == "AES_256"
    panel.devices.value = FP_A + "\n"
    panel.buttons["bind"].click()
    assert panel.last_error is None, panel.status.value
    assert kms.DescribeWhiteBoxDeviceFingerprints(KeyId=key_id)["DeviceFingerprints"][0][
        "Identity"
    ] == (FP_A)
    panel.plaintext.value = "launch code 1234"
    panel.buttons["encrypt"].click()
    assert "CipherText" in panel.output.value
    panel.device.value = FP_A
    panel.buttons["decrypt"].click()
    assert "decrypted offline" in panel.result.value and "launch code 1234" in panel.result.value
    panel.device.value = FP_B
    panel.buttons["decrypt"].click()
    assert "01000016" in panel.result.value and "launch code" not in panel.result.value
    info = kms.DescribeWhiteBoxKey(KeyId=key_id)["KeyInfo"]
    texts = [panel.table.value, panel.output.value, panel.result.value, panel.status.value]
    assert not any(info["DecryptKey"] in t or info["EncryptKey"] in t for t in texts)


def test_panel_shows_refusals_with_their_codes(kms):
    panel = WhiteBoxPanel(kms)
    panel.alias.value = "k"
    panel.buttons["create"].click()
    panel.buttons["delete"].click()
    assert panel.last_error.code == "FailedOperation"
    panel.buttons["disable"].click()
    panel.buttons["encrypt"].click()
    assert panel.last_error.code == "ResourceUnavailable.KeyDisabled"
    panel.buttons["delete"].click()
    assert panel.last_error is None and "no white-box keys yet" in panel.table.value
    panel.devices.value = "not a fingerprint"
    panel.alias.value = "k2"
    panel.buttons["create"].click()
    panel.buttons["bind"].click()
    assert panel.last_error.code == "InvalidParameterValue"
    panel.device.value = "bad"
    panel.buttons["encrypt"].click()
    panel.buttons["decrypt"].click()
    assert "8-14-14-14-16" in panel.result.value
    kms.set_whitebox_purchased(False)
    panel.refresh()
    assert "ResourceUnavailable.NotPurchased" in panel.table.value
