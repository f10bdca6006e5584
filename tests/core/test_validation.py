"""Request validation and error reporting on the single call path: missing, mistyped and
unknown parameters, unknown actions and regions, out-of-range values, actions that are
not built yet, and messages in both documented languages."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kmslab import KMS
from kmslab.actions.errors import KMSError
from kmslab.actions.spec import INTEGER, STRING, STRING_LIST
from kmslab.actions.table import ACTIONS
from kmslab.core.assembly import built_actions

KEY = "00000000-0000-1000-8000-000000000000"
CJK = re.compile(r"[\u4e00-\u9fff]")


def code_of(kms: KMS, action: str, params, **caller) -> str:
    with pytest.raises(KMSError) as info:
        kms.call(action, params, **caller)
    return info.value.code


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("CreateKey", {}),
        ("CreateKey", {"Alias": None}),
        ("Encrypt", {"KeyId": KEY}),
        ("Encrypt", {"Plaintext": "eA=="}),
        ("Decrypt", {}),
        ("DescribeKeys", {}),
        ("ScheduleKeyDeletion", {"KeyId": KEY}),
        ("UpdateAlias", {"KeyId": KEY}),
        ("UpdateKeyDescription", {"KeyId": KEY}),
        ("BindCloudResource", {"KeyId": KEY, "ProductId": "ssm"}),
        ("GenerateRandom", {}),
        ("CreateKey", {"Alias": "a", "Tags": [{"TagKey": "k"}]}),
        ("ListKeyDetail", {"TagFilters": [{"TagValue": ["v"]}]}),
    ],
)
def test_missing_parameter(kms, action, params):
    assert code_of(kms, action, params) == "MissingParameter"


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("DescribeKey", {"KeyId": 5}),
        ("DescribeKey", {"KeyId": ["a"]}),
        ("ListKeys", {"Limit": "10"}),
        ("ListKeys", {"Limit": True}),  # a bool is not an Integer
        ("ListKeys", {"Offset": False}),
        ("ListKeys", {"Limit": 1.5}),
        ("ListKeys", {"Limit": 10.0}),
        ("ListKeys", {"Offset": -1}),  # uint64
        ("ListKeys", {"Offset": 2**64}),
        ("GenerateRandom", {"NumberOfBytes": "32"}),
        ("DescribeKeys", {"KeyIds": KEY}),
        ("DescribeKeys", {"KeyIds": [1]}),
        ("DescribeKeys", {"KeyIds": {"a": 1}}),
        ("CreateKey", {"Alias": "a", "Tags": {"TagKey": "k", "TagValue": "v"}}),
        ("CreateKey", {"Alias": "a", "Tags": [{"TagKey": 1, "TagValue": "v"}]}),
        ("CreateKey", {"Alias": "a", "Tags": ["k=v"]}),
        ("CreateKey", {"Alias": "a", "Type": True}),
        ("ListKeyDetail", {"TagFilters": [{"TagKey": "k", "TagValue": "v"}]}),
        ("DescribeKey", {"KeyId": KEY, "MemberAccount": "123"}),
        ("GetRegions", [1]),
        ("GetRegions", "{}"),
    ],
)
def test_invalid_parameter_type(kms, action, params):
    assert code_of(kms, action, params) == "InvalidParameter"


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("Encrypt", {"KeyId": KEY, "Plaintext": "eA==", "Foo": 1}),
        ("GetRegions", {"Region": "ap-guangzhou"}),
        ("CreateKey", {"Alias": "a", "alias": "b"}),  # names are case-sensitive
        ("CreateKey", {"Alias": "a", "Tags": [{"TagKey": "k", "TagValue": "v", "X": 1}]}),
    ],
)
def test_unknown_parameter(kms, action, params):
    assert code_of(kms, action, params) == "UnknownParameter"


@pytest.mark.parametrize("action", ["Nope", "encrypt", "", "DescribeKeyz"])
def test_invalid_action(kms, action):
    assert code_of(kms, action, {}) == "InvalidAction"


@pytest.mark.parametrize("region", ["ap-mars", "", "AP-GUANGZHOU"])
def test_unsupported_region(kms, region):
    assert code_of(kms, "GetRegions", {}, region=region) == "UnsupportedRegion"


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("GenerateRandom", {"NumberOfBytes": 0}, "InvalidParameterValue"),
        ("GenerateRandom", {"NumberOfBytes": 1025}, "InvalidParameterValue"),
        ("ListKeys", {"Limit": 201}, "InvalidParameterValue"),
        ("ListKeyDetail", {"Limit": 201}, "InvalidParameterValue"),
        ("ScheduleKeyDeletion", {"KeyId": KEY, "PendingWindowInDays": 6},
         "InvalidParameter.InvalidPendingWindowInDays"),
        ("ScheduleKeyDeletion", {"KeyId": KEY, "PendingWindowInDays": 31},
         "InvalidParameter.InvalidPendingWindowInDays"),
        ("EnableKeyRotation", {"KeyId": KEY, "RotateDays": 6}, "InvalidParameterValue"),
        ("EnableKeyRotation", {"KeyId": KEY, "RotateDays": 366}, "InvalidParameterValue"),
        ("GenerateDataKey", {"KeyId": KEY, "NumberOfBytes": 1025}, "InvalidParameterValue"),
        ("CreateKey", {"Alias": "a" * 61}, "InvalidParameterValue.InvalidAlias"),
        ("CreateKey", {"Alias": "a", "Type": 9}, "InvalidParameterValue.InvalidType"),
        ("DescribeKeys", {"KeyIds": [KEY, KEY]}, "InvalidParameterValue.DuplicatedKeyId"),
    ],
)  # fmt: skip
def test_out_of_range(kms, action, params, code):
    assert code_of(kms, action, params) == code


def test_validation_runs_before_the_key_lookup(kms):
    """A bad value is reported as such even for a key that does not exist."""
    assert code_of(kms, "EnableKeyRotation", {"KeyId": KEY, "RotateDays": 1}) == (
        "InvalidParameterValue"
    )
    assert code_of(kms, "EnableKeyRotation", {"KeyId": KEY}) == "ResourceUnavailable.CmkNotFound"


def test_none_means_not_given(kms):
    r = kms.call("ListKeys", {"Limit": None, "Offset": None})
    assert r["TotalCount"] == 0


def minimal_params(action: str) -> dict:
    """Valid values for the required parameters of ``action``."""
    params: dict = {}
    for p in ACTIONS[action].params:
        if not p.required:
            continue
        lim = p.limits
        if lim is not None and lim.choices:
            params[p.name] = lim.choices[0]
        elif p.type == STRING:
            params[p.name] = "abc"
        elif p.type == INTEGER:
            params[p.name] = lim.minimum if lim is not None and lim.minimum is not None else 1
        elif p.type == STRING_LIST:
            params[p.name] = ["abc"]
        else:
            raise AssertionError(f"no sample for {action}.{p.name} ({p.type})")
    return params


UNBUILT = [name for name in ACTIONS if name not in built_actions()]


@pytest.mark.parametrize("action", UNBUILT)
def test_unbuilt_action_says_so(kms, action):
    with pytest.raises(KMSError) as info:
        kms.call(action, minimal_params(action))
    err = info.value
    assert err.code == "UnsupportedOperation"
    assert "not built" in err.message_in("en-US")
    assert action in err.message_in("en-US")
    assert CJK.search(err.message_in("zh-CN"))


def test_every_issue_2_action_is_built():
    issue_2 = [
        *(name for name in ACTIONS if ACTIONS[name].group == "key"),
        "GetServiceStatus",
        "GetRegions",
        "ListAlgorithms",
        "GenerateRandom",
    ]
    assert len(issue_2) == 29
    assert [name for name in issue_2 if name not in built_actions()] == []


@pytest.mark.parametrize(
    ("how", "language"),
    [
        ("default", "en-US"),
        ("call", "zh-CN"),
        ("call", "en-US"),
        ("view", "zh-CN"),
        ("service", "zh-CN"),
    ],
)
def test_messages_in_both_languages(how, language):
    kms = KMS(seed=1, language="zh-CN" if how == "service" else "en-US")
    with pytest.raises(KMSError) as info:
        if how == "call":
            kms.call("DescribeKey", {"KeyId": KEY}, language=language)
        elif how == "view":
            kms.as_account(kms.default_uin, language=language).DescribeKey(KeyId=KEY)
        else:
            kms.DescribeKey(KeyId=KEY)
    err = info.value
    assert err.code == "ResourceUnavailable.CmkNotFound"
    assert err.language == language
    assert KEY in err.message
    if language == "zh-CN":
        assert CJK.search(err.message)
    else:
        assert err.message.isascii() and "not" in err.message.lower()
    assert uuid.UUID(err.request_id)
    envelope = err.to_response()
    assert envelope == {
        "Error": {"Code": err.code, "Message": err.message},
        "RequestId": err.request_id,
    }
    assert err.code in str(err) and err.request_id in str(err)


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("CreateKey", {"Alias": "-bad"}),
        ("ListKeys", {"Limit": "x"}),
        ("Encrypt", {"KeyId": KEY, "Plaintext": "eA==", "Nope": 1}),
        ("CreateKey", {}),
        ("DescribeKeys", {"KeyIds": [KEY, KEY]}),
    ],
)
def test_validation_messages_are_bilingual(kms, action, params):
    with pytest.raises(KMSError) as info:
        kms.call(action, params)
    assert info.value.message_in("en-US").isascii()
    assert CJK.search(info.value.message_in("zh-CN"))


def test_failed_calls_are_recorded(kms):
    with pytest.raises(KMSError):
        kms.DescribeKey(KeyId=KEY)
    record = kms.log.records[-1]
    assert (record.action, record.key_id, record.error) == (
        "DescribeKey",
        KEY,
        "ResourceUnavailable.CmkNotFound",
    )
    kms.GetRegions()
    assert (kms.log.records[-1].action, kms.log.records[-1].error) == ("GetRegions", "")


_STRING_LIMITS = sorted(
    {
        p.limits
        for spec in ACTIONS.values()
        for p in spec.params
        if p.limits is not None and p.type == STRING
    },
    key=repr,
)


@pytest.mark.parametrize("limits", _STRING_LIMITS, ids=lambda lim: repr(lim)[:60])
@given(value=st.one_of(st.text(max_size=300), st.sampled_from(["", "ENCRYPT_DECRYPT", "AES_256"])))
@settings(max_examples=60, deadline=None)
def test_the_fast_text_pass_decides_as_the_full_limit_check(limits, value):
    """Strings within their limits pass in one expression; that shortcut must accept
    exactly what the full check accepts, and leave refusals (and their codes) to it."""
    from kmslab.actions.validate import _limits_checker

    def outcome(check):
        try:
            check(value, "P")
        except KMSError as exc:
            return exc.code, exc.message
        return None

    assert outcome(_limits_checker(limits)) == outcome(_limits_checker(limits, fast=False))
