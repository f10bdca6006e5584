"""Keys made by cloud products (``KMS.create_product_key``): ``Owner`` is the product and
the ``Role`` filter of ListKeys/ListKeyDetail separates them from the user's keys."""

from __future__ import annotations

import pytest

import kmslab
from kmslab.actions.errors import KMSError


@pytest.fixture
def kms():
    service = kmslab.KMS()
    service.CreateKey(Alias="mine")
    return service


def test_role_1_lists_product_keys_and_role_0_only_the_users(kms):
    made = kms.create_product_key("cos")
    kms.create_product_key("cbs", alias="kms-cbs-data", description="disk key")
    assert made["Alias"] == "kms-cos"
    products = kms.ListKeys(Role=1)
    assert products["TotalCount"] == 2
    assert made["KeyId"] in [k["KeyId"] for k in products["Keys"]]
    users = kms.ListKeys(Role=0)
    assert users["TotalCount"] == 1 and made["KeyId"] not in [k["KeyId"] for k in users["Keys"]]
    detail = kms.ListKeyDetail(Role=1)
    assert detail["TotalCount"] == 2
    assert sorted(m["Owner"] for m in detail["KeyMetadatas"]) == ["cbs", "cos"]
    assert [m["Owner"] for m in kms.ListKeyDetail(Role=0)["KeyMetadatas"]] == ["user"]
    assert kms.DescribeKey(KeyId=made["KeyId"])["KeyMetadata"]["Owner"] == "cos"


def test_product_keys_are_real_keys_recorded_as_create_key(kms):
    key_id = kms.create_product_key("cdb")["KeyId"]
    blob = kms.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    assert kms.Decrypt(CiphertextBlob=blob)["Plaintext"] == "aGk="
    created = [r for r in kms.log.records if r.key_id == key_id]
    assert [r.action for r in created] == ["CreateKey", "Encrypt", "Decrypt"]


def test_product_keys_filter_with_state_and_survive_a_reopen(tmp_path):
    path = tmp_path / "k.db"
    kms = kmslab.KMS(path=path)
    key_id = kms.create_product_key("cos")["KeyId"]
    kms.DisableKey(KeyId=key_id)
    assert kms.ListKeyDetail(Role=1, KeyState=2)["TotalCount"] == 1
    assert kms.ListKeyDetail(Role=1, KeyState=1)["TotalCount"] == 0
    kms.close()
    again = kmslab.KMS(path=path)
    assert again.ListKeys(Role=1)["Keys"] == [{"KeyId": key_id}]
    assert again.DescribeKey(KeyId=key_id)["KeyMetadata"]["Owner"] == "cos"
    again.close()


def test_users_still_may_not_take_the_kms_prefix(kms):
    with pytest.raises(KMSError) as info:
        kms.CreateKey(Alias="kms-cos")
    assert info.value.code == "InvalidParameterValue.InvalidAlias"


@pytest.mark.parametrize("product", ["", "user", "COS", "1cos", "c" * 33, "co s", None, 7])
def test_bad_product_names_are_refused_and_nothing_is_created(kms, product):
    with pytest.raises(KMSError) as info:
        kms.create_product_key(product)
    assert info.value.code == "InvalidParameterValue"
    assert info.value.detail_zh
    assert kms.ListKeys(Role=1)["TotalCount"] == 0


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"alias": "bad alias!"}, "InvalidParameterValue.InvalidAlias"),
        ({"key_usage": "NOPE"}, "InvalidParameterValue.InvalidKeyUsage"),
        ({"region": "mars-1"}, "UnsupportedRegion"),
    ],
)
def test_bad_key_parameters_get_create_key_codes(kms, kwargs, code):
    with pytest.raises(KMSError) as info:
        kms.create_product_key("cos", **kwargs)
    assert info.value.code == code
    assert kms.ListKeys(Role=1)["TotalCount"] == 0


def test_a_second_default_alias_is_refused(kms):
    kms.create_product_key("cos")
    with pytest.raises(KMSError) as info:
        kms.create_product_key("cos")
    assert info.value.code == "InvalidParameterValue.AliasAlreadyExists"
    assert kms.ListKeys(Role=1)["TotalCount"] == 1
