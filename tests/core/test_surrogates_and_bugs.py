"""Text that is not valid UTF-8 (lone surrogates) and kmslab bugs on the call path: both
end as a KMSError with a documented code, never a Python traceback, and are logged."""

from __future__ import annotations

import pytest

from kmslab import KMS, KMSError

LONE = "\ud800"


@pytest.fixture
def kms_key():
    kms = KMS(seed=11)
    return kms, kms.CreateKey(Alias="s")["KeyId"]


@pytest.mark.parametrize(
    "action, extra",
    [
        ("UpdateKeyDescription", {"Description": LONE}),
        ("UpdateAlias", {"Alias": LONE}),
        ("BindCloudResource", {"ProductId": LONE, "ResourceId": "r"}),
        ("Encrypt", {"Plaintext": "eA==", "EncryptionContext": '{"a":"' + LONE + '"}'}),
        ("Encrypt", {"Plaintext": "eA==", "EncryptionContext": '{"a":"\\ud800"}'}),
        ("GenerateDataKey", {"KeySpec": "AES_256", "EncryptionContext": '{"\\udc00":"v"}'}),
        ("DescribeKeys", {"KeyIds": [LONE]}),
    ],
)
def test_lone_surrogates_get_invalid_parameter(kms_key, action, extra):
    kms, key_id = kms_key
    params = {"KeyId": key_id, **extra} if action != "DescribeKeys" else extra
    before = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]
    with pytest.raises(KMSError) as info:
        kms.call(action, params)
    assert info.value.code in ("InvalidParameter", "InvalidParameterValue.InvalidAlias")
    assert kms.log.records[-1].error == info.value.code
    after = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]
    assert after == before


def test_a_bug_anywhere_on_the_call_path_is_an_internal_error(kms_key, monkeypatch):
    kms, key_id = kms_key

    def broken(ctx, params):
        raise ZeroDivisionError("simulated kmslab bug")

    monkeypatch.setitem(kms.dispatch.handlers, "DescribeKey", broken)
    with pytest.raises(KMSError) as info:
        kms.DescribeKey(KeyId=key_id)
    assert info.value.code == "InternalError"
    assert info.value.request_id
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert kms.log.records[-1].error == "InternalError"


def test_a_non_string_action_name_is_an_invalid_action(kms_key):
    kms, _ = kms_key
    with pytest.raises(KMSError) as info:
        kms.call(["Encrypt"], {})
    assert info.value.code == "InvalidAction"
