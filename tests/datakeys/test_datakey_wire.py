"""Hosted data keys over the wire: the official SDK calls every data-key action (and
GenerateDataKey with IsHostedByKms, and GetServiceStatus), every response deserialises
into the SDK's model with no field left over or missing, and tccli calls two actions."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import warnings
from pathlib import Path

import pytest
from tencentcloud.common.abstract_model import AbstractModel
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.kms.v20190118 import models

import kmslab
from kmslab.actions.table import ACTIONS

_counter = iter(range(10**6))
HOSTING = sorted(a for a, spec in ACTIONS.items() if spec.group == "data-key hosting")


@pytest.fixture(scope="module")
def wire():
    """A real-clock service (the SDK signs with real time) and its HTTP endpoint."""
    kms = kmslab.KMS()
    handle = kms.serve()
    yield kms, handle
    handle.stop()


def _cmk(kms) -> str:
    return kms.CreateKey(Alias=f"wire-{next(_counter)}")["KeyId"]


def _dk(kms, state: str = "Enabled", **params) -> str:
    out = kms.GenerateDataKey(
        KeyId=_cmk(kms), NumberOfBytes=32, IsHostedByKms=1, DataKeyName=f"w{next(_counter)}"
    )
    dk = out["DataKeyId"]
    if state == "Disabled":
        kms.DisableDataKey(DataKeyId=dk)
    elif state == "PendingDelete":
        kms.ScheduleDataKeyDeletion(DataKeyId=dk, PendingWindowInDays=7)
    return dk


# action -> setup(kms) -> params
RECIPES = {
    "GenerateDataKey": lambda k: {
        "KeyId": _cmk(k),
        "KeySpec": "AES_256",
        "IsHostedByKms": 1,
        "DataKeyName": f"gen{next(_counter)}",
        "Description": "über den Draht",
        "Tags": [{"TagKey": "team", "TagValue": "wire"}],
    },
    "ImportDataKey": lambda k: {
        "DataKeyName": f"imp{next(_counter)}",
        "ImportType": 2,
        "ImportKeyMaterial": base64.b64encode(b"1234\n").decode(),
        "KeyId": _cmk(k),
        "Description": "plain import",
    },
    "GetDataKeyPlaintext": lambda k: {"DataKeyId": _dk(k)},
    "GetDataKeyCiphertextBlob": lambda k: {"DataKeyId": _dk(k, "Disabled")},
    "DescribeDataKey": lambda k: {"DataKeyId": _dk(k)},
    "DescribeDataKeys": lambda k: {"DataKeyIds": [_dk(k), _dk(k, "PendingDelete")]},
    "ListDataKeys": lambda k: {"Offset": 0, "Limit": 3, "Role": 0},
    "ListDataKeyDetail": lambda k: {
        "Limit": 2,
        "OrderType": 1,
        "KeyState": 1,
        "Origin": "TENCENT_KMS",
        "DataKeyLen": 32,
    },
    "EnableDataKey": lambda k: {"DataKeyId": _dk(k, "Disabled")},
    "EnableDataKeys": lambda k: {"DataKeyIds": [_dk(k, "Disabled"), _dk(k)]},
    "DisableDataKey": lambda k: {"DataKeyId": _dk(k)},
    "DisableDataKeys": lambda k: {"DataKeyIds": [_dk(k), _dk(k)]},
    "ScheduleDataKeyDeletion": lambda k: {"DataKeyId": _dk(k), "PendingWindowInDays": 7},
    "CancelDataKeyDeletion": lambda k: {"DataKeyId": _dk(k, "PendingDelete")},
    "UpdateDataKeyName": lambda k: {"DataKeyId": _dk(k), "DataKeyName": f"ren{next(_counter)}"},
    "UpdateDataKeyDescription": lambda k: {"DataKeyId": _dk(k), "Description": "新的描述"},
}


def _unset_fields(model: AbstractModel, where: str) -> list[str]:
    """Every attribute of a deserialised SDK model (nested ones too) left None."""
    missing = []
    for name, value in vars(model).items():
        if value is None:
            missing.append(f"{where}.{name[1:]}")
        elif isinstance(value, AbstractModel):
            missing += _unset_fields(value, f"{where}.{name[1:]}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, AbstractModel):
                    missing += _unset_fields(item, f"{where}.{name[1:]}[{i}]")
    return missing


def _sdk(client, action: str, params: dict):
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = getattr(client, action)(request)
    useless = [str(w.message) for w in caught if "useless" in str(w.message)]
    assert not useless, f"{action}: fields the SDK model does not know: {useless}"
    return response


def test_recipes_cover_every_hosting_action():
    assert set(HOSTING) | {"GenerateDataKey"} == set(RECIPES)


@pytest.mark.parametrize("signing", ["TC3-HMAC-SHA256", "HmacSHA256"])
@pytest.mark.parametrize("action", sorted(RECIPES))
def test_every_action_over_the_wire_fills_the_sdk_model(wire, action, signing):
    kms, handle = wire
    client = handle.sdk_client(sign_method=signing)
    params = RECIPES[action](kms)
    response = _sdk(client, action, params)
    out = json.loads(response.to_json_string())
    assert out["RequestId"]
    expected_none = set()
    if action == "ListDataKeyDetail" and not out["DataKeyMetadatas"]:
        expected_none = {"response.DataKeyMetadatas"}
    assert set(_unset_fields(response, "response")) == expected_none
    # the call really did its work
    if action == "GenerateDataKey":
        got = kms.GetDataKeyPlaintext(DataKeyId=out["DataKeyId"])["Plaintext"]
        assert got == out["Plaintext"]
        meta = kms.DescribeDataKey(DataKeyId=out["DataKeyId"])["DataKeyMetadata"]
        assert meta["Description"] == "über den Draht"
    elif action == "ImportDataKey":
        got = kms.GetDataKeyPlaintext(DataKeyId=out["DataKeyId"])["Plaintext"]
        assert got == params["ImportKeyMaterial"]
    elif action == "GetDataKeyPlaintext":
        assert len(base64.b64decode(out["Plaintext"])) == 32
    elif action == "GetDataKeyCiphertextBlob":
        assert kms.Decrypt(CiphertextBlob=out["CiphertextBlob"])["Plaintext"]
    elif action == "DescribeDataKeys":
        states = [m["KeyState"] for m in out["DataKeyMetadatas"]]
        assert states == ["Enabled", "PendingDelete"]
    elif action in ("EnableDataKey", "DisableDataKey", "CancelDataKeyDeletion"):
        want = {"EnableDataKey": "Enabled", "DisableDataKey": "Disabled"}.get(action, "Enabled")
        meta = kms.DescribeDataKey(DataKeyId=params["DataKeyId"])["DataKeyMetadata"]
        assert meta["KeyState"] == want
    elif action == "ScheduleDataKeyDeletion":
        meta = kms.DescribeDataKey(DataKeyId=params["DataKeyId"])["DataKeyMetadata"]
        assert meta["DeletionDate"] == out["DeletionDate"] > 0
    elif action == "UpdateDataKeyDescription":
        meta = kms.DescribeDataKey(DataKeyId=params["DataKeyId"])["DataKeyMetadata"]
        assert meta["Description"] == "新的描述"
    elif action == "ListDataKeys":
        assert len(out["DataKeys"]) <= 3 and out["TotalCount"] >= len(out["DataKeys"])


def test_service_status_hosting_fields_over_the_wire(wire):
    kms, handle = wire
    _dk(kms)
    response = _sdk(handle.sdk_client(), "GetServiceStatus", {})
    assert response.IsAllowedDataKeyHosted is True
    assert response.DataKeyLimit == 100_000 == response.FreeDataKeyLimit
    assert response.DataKeyUsedCount == kms.GetServiceStatus()["DataKeyUsedCount"] > 0


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("DescribeDataKey", {"DataKeyId": "x"}, "InvalidParameterValue.InvalidDataKeyId"),
        (
            "GetDataKeyPlaintext",
            {"DataKeyId": "11111111-2222-1333-8444-555555555555"},
            "ResourceUnavailable.DataKeyNotFound",
        ),
        (
            "ImportDataKey",
            {"DataKeyName": "n", "ImportType": 9, "ImportKeyMaterial": "eA=="},
            "InvalidParameterValue.InvalidType",
        ),
    ],
)
def test_refusals_reach_the_sdk_with_their_code(wire, action, params, code):
    _, handle = wire
    with pytest.raises(TencentCloudSDKException) as info:
        _sdk(handle.sdk_client(), action, params)
    assert info.value.code == code


def test_another_accounts_data_key_over_the_wire(wire):
    kms, handle = wire
    dk = _dk(kms)
    other = kms.create_account("wire-other")
    with pytest.raises(TencentCloudSDKException) as info:
        _sdk(handle.sdk_client(api_key=other), "DescribeDataKey", {"DataKeyId": dk})
    assert info.value.code == "ResourceUnavailable.DataKeyNotFound"


@pytest.mark.skipif(
    not any(Path(p, "tccli").exists() for p in os.get_exec_path()), reason="tccli is not installed"
)
def test_tccli_generates_and_reads_back_a_hosted_data_key(wire, tmp_path):
    kms, _ = wire
    handle = kms.serve(https=True)  # tccli speaks only HTTPS
    try:
        _tccli_round_trip(kms, handle, tmp_path)
    finally:
        handle.stop()


def _tccli_round_trip(kms, handle, tmp_path) -> None:
    handle.write_tccli_profile(tmp_path)
    env = {**os.environ, "HOME": str(tmp_path), **handle.tccli_environment()}

    def tccli(*args):
        out = subprocess.run(
            ["tccli", "kms", *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr + out.stdout
        return json.loads(out.stdout)

    key_id = _cmk(kms)
    made = tccli(
        "GenerateDataKey",
        "--KeyId",
        key_id,
        "--NumberOfBytes",
        "32",
        "--IsHostedByKms",
        "1",
        "--DataKeyName",
        "from-tccli",
    )
    read = tccli("GetDataKeyPlaintext", "--DataKeyId", made["DataKeyId"])
    assert read["Plaintext"] == made["Plaintext"]
    assert kms.DescribeDataKey(DataKeyId=made["DataKeyId"])["DataKeyMetadata"]["DataKeyName"] == (
        "from-tccli"
    )
