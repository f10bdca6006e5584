"""The CMK management actions of issue 2 against the documented behaviour (api-catalog.md
section 2): creating with its alias and tag rules, describing, listing with every filter,
renaming, describing and the batch enable/disable actions, which change all or nothing."""

from __future__ import annotations

import pytest
from internals import put_key
from state_drivers import drive_to_state

ALIAS_CODE = "InvalidParameterValue.InvalidAlias"


def state_of(kms, key_id: str) -> str:
    return kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"]


def in_state(kms, new_key, state: str, **create) -> str:
    """A new key driven into ``state`` through the public actions."""
    if state == "PendingImport":
        return new_key(Type=2, **create)
    key_id = new_key(**create)
    drive_to_state(kms, key_id, state)
    return key_id


# ----------------------------------------------------------------- CreateKey


@pytest.mark.parametrize("alias", ["a", "Z", "7", "a_b-c", "1-_", "x" * 60, "kms_x", "kmsx"])
def test_create_key_accepts_documented_aliases(kms, alias):
    r = kms.CreateKey(Alias=alias)
    assert r["Alias"] == alias
    assert kms.DescribeKey(KeyId=r["KeyId"])["KeyMetadata"]["Alias"] == alias


@pytest.mark.parametrize(
    "alias", ["", "_a", "-a", "a b", "a.b", "a/b", "x" * 61, "别名", "a\n", "kms-x", "kms-"]
)
def test_create_key_refuses_bad_aliases(kms, fails, alias):
    assert fails(kms.CreateKey, Alias=alias).code == ALIAS_CODE
    assert kms.ListKeys()["TotalCount"] == 0


def test_alias_unique_per_account_and_region(kms, fails):
    kms.CreateKey(Alias="shared")
    assert fails(kms.CreateKey, Alias="shared").code == "InvalidParameterValue.AliasAlreadyExists"
    # the same alias is free in another region and in another account
    assert kms.in_region("ap-hongkong").CreateKey(Alias="shared")["Alias"] == "shared"
    other = kms.as_account(kms.create_account("b").uin)
    assert other.CreateKey(Alias="shared")["Alias"] == "shared"
    assert kms.ListKeys()["TotalCount"] == 1


def test_create_key_response_and_metadata(kms):
    now = int(kms.clock.now())
    r = kms.CreateKey(Alias="k", Description="hello")
    assert r["KeyState"] == "Enabled"
    assert r["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert r["CreateTime"] == now
    assert r["Description"] == "hello"
    meta = kms.DescribeKey(KeyId=r["KeyId"])["KeyMetadata"]
    uin = kms.default_uin
    assert meta["CreatorUin"] == uin
    assert meta["ResourceId"] == f"creatorUin/{uin}/{r['KeyId']}"
    assert meta["Origin"] == "TENCENT_KMS"
    assert meta["Owner"] == "user"
    assert meta["Type"] == 4  # ap-guangzhou is an SM region
    assert kms.in_region("ap-hongkong").CreateKey(Alias="f")["KeyId"]
    hk = kms.in_region("ap-hongkong")
    hk_id = hk.ListKeys()["Keys"][0]["KeyId"]
    assert hk.DescribeKey(KeyId=hk_id)["KeyMetadata"]["Type"] == 2  # FIPS


@pytest.mark.parametrize(
    ("tags", "msg"),
    [(None, "no tags to save"), ([{"TagKey": "team", "TagValue": "a"}], "ok")],
)
def test_create_key_tag_result(kms, tags, msg):
    r = kms.CreateKey(Alias="t", Tags=tags)
    assert (r["TagCode"], r["TagMsg"]) == (0, msg)


def test_create_key_refuses_duplicated_tag_keys_and_creates_nothing(kms, fails):
    tags = [{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}]
    err = fails(kms.CreateKey, Alias="t", Tags=tags)
    assert err.code == "InvalidParameterValue.TagKeysDuplicated"
    assert kms.ListKeyDetail(KeyUsage="ALL")["TotalCount"] == 0
    # the alias was not taken by the refused call
    assert kms.CreateKey(Alias="t")["Alias"] == "t"


@pytest.mark.parametrize(
    ("type_", "state", "origin"), [(1, "Enabled", "TENCENT_KMS"), (2, "PendingImport", "EXTERNAL")]
)
def test_create_key_type_sets_origin_and_state(kms, type_, state, origin):
    r = kms.CreateKey(Alias="x", Type=type_)
    assert r["KeyState"] == state
    meta = kms.DescribeKey(KeyId=r["KeyId"])["KeyMetadata"]
    assert (meta["KeyState"], meta["Origin"]) == (state, origin)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Type": 3}, "InvalidParameterValue.InvalidType"),
        ({"Type": 0}, "InvalidParameterValue.InvalidType"),
        ({"KeyUsage": "SIGN_EVERYTHING"}, "InvalidParameterValue.InvalidKeyUsage"),
        ({"Description": "d" * 1025}, "InvalidParameterValue"),
        ({"Description": "密" * 342}, "InvalidParameterValue"),  # 1026 UTF-8 bytes
        ({"HsmClusterId": "cls-hsm-12345678"}, "InvalidParameterValue.InvalidHsmClusterId"),
    ],
)
def test_create_key_refusals(kms, fails, params, code):
    assert fails(kms.CreateKey, Alias="x", **params).code == code
    assert kms.ListKeys()["TotalCount"] == 0


def test_create_key_description_limit_is_bytes(kms):
    assert kms.CreateKey(Alias="a", Description="d" * 1024)["Description"] == "d" * 1024
    assert kms.CreateKey(Alias="b", Description="密" * 341)["Description"] == "密" * 341


def test_cmk_limit(fails):
    from kmslab import KMS

    small = KMS(seed=1, cmk_limit=2)
    small.CreateKey(Alias="a")
    small.CreateKey(Alias="b")
    assert fails(small.CreateKey, Alias="c").code == "LimitExceeded.CmkLimitExceeded"


# ----------------------------------------------------------------- DescribeKey(s)


def test_describe_keys_in_request_order(kms, new_key):
    ids = [new_key() for _ in range(5)]
    order = [ids[3], ids[0], ids[4]]
    metas = kms.DescribeKeys(KeyIds=order)["KeyMetadatas"]
    assert [m["KeyId"] for m in metas] == order
    assert metas[0] == kms.DescribeKey(KeyId=ids[3])["KeyMetadata"]


@pytest.mark.parametrize(
    ("make_ids", "code"),
    [
        (lambda ids: [ids[0], ids[1], ids[0]], "InvalidParameterValue.DuplicatedKeyId"),
        (lambda ids: [f"{i:08x}-0000-1000-8000-000000000000" for i in range(101)],
         "InvalidParameterValue"),
        (lambda ids: [ids[0], "00000000-0000-1000-8000-000000000000"],
         "ResourceUnavailable.CmkNotFound"),
        (lambda ids: [ids[0], "not-a-key"], "InvalidParameterValue.InvalidKeyId"),
    ],
)  # fmt: skip
def test_describe_keys_refusals(kms, new_key, fails, make_ids, code):
    ids = [new_key() for _ in range(2)]
    assert fails(kms.DescribeKeys, KeyIds=make_ids(ids)).code == code


def test_describe_keys_accepts_100(kms, new_key):
    ids = [new_key() for _ in range(100)]
    assert len(kms.DescribeKeys(KeyIds=ids)["KeyMetadatas"]) == 100


@pytest.mark.parametrize(
    ("key_id", "code"),
    [
        ("00000000-0000-1000-8000-000000000000", "ResourceUnavailable.CmkNotFound"),
        ("bogus", "InvalidParameterValue.InvalidKeyId"),
    ],
)
def test_describe_missing_key(kms, fails, key_id, code):
    assert fails(kms.DescribeKey, KeyId=key_id).code == code


# ----------------------------------------------------------------- ListKeys


def test_list_keys_lists_only_enabled_disabled_pending_import(kms, new_key):
    made = {s: in_state(kms, new_key, s) for s in
            ("Enabled", "Disabled", "PendingDelete", "PendingImport", "Archived")}  # fmt: skip
    r = kms.ListKeys()
    assert r["TotalCount"] == 3
    listed = {k["KeyId"] for k in r["Keys"]}
    assert listed == {made["Enabled"], made["Disabled"], made["PendingImport"]}


def test_list_keys_paging(kms, new_key):
    ids = {new_key() for _ in range(25)}
    first = kms.ListKeys()
    assert first["TotalCount"] == 25
    assert len(first["Keys"]) == 10  # default Limit
    seen = []
    for offset in range(0, 25, 7):
        page = kms.ListKeys(Offset=offset, Limit=7)
        assert page["TotalCount"] == 25
        seen += [k["KeyId"] for k in page["Keys"]]
    assert len(seen) == 25 and set(seen) == ids
    assert kms.ListKeys(Offset=30)["Keys"] == []
    assert len(kms.ListKeys(Limit=200)["Keys"]) == 25


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Limit": 201}, "InvalidParameterValue"),
        ({"Role": 2}, "InvalidParameterValue"),
        ({"Limit": -1}, "InvalidParameter"),
        ({"Offset": "1"}, "InvalidParameter"),
        ({"HsmClusterId": "cls-hsm-1"}, "InvalidParameterValue.InvalidHsmClusterId"),
    ],
)
def test_list_keys_refusals(kms, fails, params, code):
    assert fails(kms.ListKeys, **params).code == code


def test_list_keys_role_1_lists_product_keys_only(kms, new_key):
    new_key()
    r = kms.ListKeys(Role=1)
    assert (r.get("Keys", []), r["TotalCount"]) == ([], 0)


# ----------------------------------------------------------------- ListKeyDetail


@pytest.fixture
def population(kms, new_key):
    """One key per state, two of them tagged, created one hour apart."""
    made = {}
    tags = {
        "Enabled": [{"TagKey": "team", "TagValue": "red"}, {"TagKey": "env", "TagValue": "prod"}],
        "Disabled": [{"TagKey": "team", "TagValue": "blue"}],
    }
    for state in ("Enabled", "Disabled", "PendingDelete", "PendingImport", "Archived"):
        made[state] = in_state(kms, new_key, state, Alias=f"alias-{state}", Tags=tags.get(state))
        kms.clock.advance(hours=1)
    return made


def detail_ids(kms, **params) -> list[str]:
    r = kms.ListKeyDetail(**params)
    ids = [m["KeyId"] for m in r.get("KeyMetadatas", [])]
    assert r["TotalCount"] >= len(ids)
    return ids


@pytest.mark.parametrize(
    ("key_state", "states"),
    [
        (0, ["Archived", "PendingImport", "PendingDelete", "Disabled", "Enabled"]),
        (1, ["Enabled"]),
        (2, ["Disabled"]),
        (3, ["PendingDelete"]),
        (4, ["PendingImport"]),
        (5, ["Archived"]),
    ],
)
def test_list_key_detail_key_state_filter(kms, population, key_state, states):
    assert detail_ids(kms, KeyState=key_state) == [population[s] for s in states]


def test_list_key_detail_default_is_all_states_newest_first(kms, population):
    order = ["Archived", "PendingImport", "PendingDelete", "Disabled", "Enabled"]
    assert detail_ids(kms) == [population[s] for s in order]
    assert detail_ids(kms, OrderType=0) == [population[s] for s in order]
    assert detail_ids(kms, OrderType=1) == [population[s] for s in reversed(order)]


def test_list_key_detail_search(kms, population):
    assert detail_ids(kms, SearchKeyAlias="Disabled") == [population["Disabled"]]
    assert len(detail_ids(kms, SearchKeyAlias="alias-")) == 5
    fragment = population["Archived"][:13]
    assert detail_ids(kms, SearchKeyAlias=fragment) == [population["Archived"]]
    assert detail_ids(kms, SearchKeyAlias="nothing-like-this") == []


@pytest.mark.parametrize(
    ("origin", "states"),
    [
        ("EXTERNAL", ["PendingImport"]),
        ("TENCENT_KMS", ["Archived", "PendingDelete", "Disabled", "Enabled"]),
        ("ALL", ["Archived", "PendingImport", "PendingDelete", "Disabled", "Enabled"]),
        ("", ["Archived", "PendingImport", "PendingDelete", "Disabled", "Enabled"]),
    ],
)
def test_list_key_detail_origin_filter(kms, population, origin, states):
    assert detail_ids(kms, Origin=origin) == [population[s] for s in states]


def test_list_key_detail_origin_is_case_sensitive(kms, fails):
    assert fails(kms.ListKeyDetail, Origin="external").code == "InvalidParameterValue"


def test_list_key_detail_key_usage_default_vs_all(kms, population):
    # No asymmetric usage may be built yet, so give one key another usage directly: the
    # filter only reads KeyMetadata.KeyUsage.
    key = kms.inspect.key(population["Enabled"])
    key.usage = "ASYMMETRIC_SIGN_VERIFY_SM2"
    put_key(kms, key)
    symmetric = ["Archived", "PendingImport", "PendingDelete", "Disabled"]
    assert detail_ids(kms) == [population[s] for s in symmetric]
    assert detail_ids(kms, KeyUsage="") == [population[s] for s in symmetric]
    assert detail_ids(kms, KeyUsage="ENCRYPT_DECRYPT") == [population[s] for s in symmetric]
    assert detail_ids(kms, KeyUsage="ASYMMETRIC_SIGN_VERIFY_SM2") == [population["Enabled"]]
    assert len(detail_ids(kms, KeyUsage="ALL")) == 5


@pytest.mark.parametrize(
    ("filters", "states"),
    [
        ([{"TagKey": "team"}], ["Disabled", "Enabled"]),
        ([{"TagKey": "team", "TagValue": ["red"]}], ["Enabled"]),
        ([{"TagKey": "team", "TagValue": ["red", "blue"]}], ["Disabled", "Enabled"]),
        ([{"TagKey": "team", "TagValue": ["green"]}], []),
        ([{"TagKey": "team"}, {"TagKey": "env", "TagValue": ["prod"]}], ["Enabled"]),
        ([{"TagKey": "owner"}], []),
    ],
)
def test_list_key_detail_tag_filters(kms, population, filters, states):
    assert detail_ids(kms, TagFilters=filters) == [population[s] for s in states]


def test_list_key_detail_role_and_paging(kms, population):
    r = kms.ListKeyDetail(Role=1)
    assert r["TotalCount"] == 0 and r.get("KeyMetadatas", []) == []
    all_ids = detail_ids(kms)
    page = kms.ListKeyDetail(Offset=1, Limit=2)
    assert page["TotalCount"] == 5
    assert [m["KeyId"] for m in page["KeyMetadatas"]] == all_ids[1:3]
    page = kms.ListKeyDetail(Offset=1, Limit=2, OrderType=1)
    assert [m["KeyId"] for m in page["KeyMetadatas"]] == list(reversed(all_ids))[1:3]
    filtered = kms.ListKeyDetail(KeyState=1, Limit=0)
    assert filtered["TotalCount"] == 1


@pytest.mark.parametrize(
    "params",
    [{"Limit": 201}, {"KeyState": 6}, {"OrderType": 2}, {"Role": 3}, {"Origin": "OTHER"}],
)
def test_list_key_detail_refusals(kms, fails, params):
    assert fails(kms.ListKeyDetail, **params).code == "InvalidParameterValue"


def test_list_key_detail_metadata_is_describe_key(kms, population):
    for meta in kms.ListKeyDetail(Limit=200)["KeyMetadatas"]:
        assert meta == kms.DescribeKey(KeyId=meta["KeyId"])["KeyMetadata"]


# ----------------------------------------------------------------- UpdateAlias / description


def test_update_alias_moves_the_alias(kms, new_key, fails):
    a = new_key(Alias="first")
    b = new_key(Alias="second")
    kms.UpdateAlias(KeyId=a, Alias="renamed")
    assert kms.DescribeKey(KeyId=a)["KeyMetadata"]["Alias"] == "renamed"
    kms.UpdateAlias(KeyId=a, Alias="renamed")  # its own alias again: fine
    assert new_key(Alias="first")  # the old alias is free again
    err = fails(kms.UpdateAlias, KeyId=b, Alias="renamed")
    assert err.code == "InvalidParameterValue.AliasAlreadyExists"
    assert kms.DescribeKey(KeyId=b)["KeyMetadata"]["Alias"] == "second"


@pytest.mark.parametrize("alias", ["", "kms-mine", "-x", "x" * 61, "a b"])
def test_update_alias_refuses_bad_aliases(kms, new_key, fails, alias):
    key_id = new_key(Alias="orig")
    assert fails(kms.UpdateAlias, KeyId=key_id, Alias=alias).code == ALIAS_CODE
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Alias"] == "orig"


def test_update_key_description(kms, new_key, fails):
    key_id = new_key(Description="old")
    kms.UpdateKeyDescription(KeyId=key_id, Description="密" * 341)
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Description"] == "密" * 341
    kms.UpdateKeyDescription(KeyId=key_id, Description="d" * 1024)
    for too_long in ("d" * 1025, "密" * 342):
        err = fails(kms.UpdateKeyDescription, KeyId=key_id, Description=too_long)
        assert err.code == "InvalidParameterValue"
    assert kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["Description"] == "d" * 1024


# ----------------------------------------------------------------- Enable / Disable


def test_enable_disable_single(kms, new_key):
    key_id = new_key()
    kms.DisableKey(KeyId=key_id)
    assert state_of(kms, key_id) == "Disabled"
    kms.DisableKey(KeyId=key_id)  # idempotent
    kms.EnableKey(KeyId=key_id)
    assert state_of(kms, key_id) == "Enabled"
    kms.EnableKey(KeyId=key_id)
    assert state_of(kms, key_id) == "Enabled"


def test_batch_enable_disable(kms, new_key):
    ids = [new_key() for _ in range(3)]
    kms.DisableKeys(KeyIds=ids)
    assert {state_of(kms, k) for k in ids} == {"Disabled"}
    kms.EnableKeys(KeyIds=ids[:2])
    assert [state_of(kms, k) for k in ids] == ["Enabled", "Enabled", "Disabled"]


def test_batch_of_100_and_limit(kms, new_key, fails):
    ids = [new_key() for _ in range(101)]
    kms.DisableKeys(KeyIds=ids[:100])
    assert fails(kms.EnableKeys, KeyIds=ids).code == "InvalidParameterValue"
    assert state_of(kms, ids[0]) == "Disabled"


BATCH_SPOILERS = [
    ("PendingDelete", "ResourceUnavailable.CmkStateNotSupport"),
    ("Archived", "ResourceUnavailable.CmkStateNotSupport"),
    ("missing", "ResourceUnavailable.CmkNotFound"),
    ("malformed", "InvalidParameterValue.InvalidKeyId"),
    ("duplicate", "InvalidParameterValue.DuplicatedKeyId"),
]


@pytest.mark.parametrize(
    ("action", "spoiler", "code"),
    [(a, s, c) for a in ("EnableKeys", "DisableKeys") for s, c in BATCH_SPOILERS]
    + [("DisableKeys", "bound", "FailedOperation.CmkUsedByCloudProduct")],
)
def test_batch_with_one_bad_key_changes_none(kms, new_key, fails, action, spoiler, code):
    start = "Disabled" if action == "EnableKeys" else "Enabled"
    good = [in_state(kms, new_key, start) for _ in range(3)]
    if spoiler in ("PendingDelete", "Archived"):
        bad = in_state(kms, new_key, spoiler)
    elif spoiler == "missing":
        bad = "00000000-0000-1000-8000-000000000000"
    elif spoiler == "malformed":
        bad = "nope"
    elif spoiler == "duplicate":
        bad = good[0]
    else:
        bad = new_key()
        kms.BindCloudResource(KeyId=bad, ProductId="cos", ResourceId="bucket-1")
    before = {k: kms.DescribeKey(KeyId=k)["KeyMetadata"] for k in good}
    err = fails(getattr(kms, action), KeyIds=[good[0], good[1], bad, good[2]])
    assert err.code == code
    assert {k: kms.DescribeKey(KeyId=k)["KeyMetadata"] for k in good} == before


def test_bound_key_may_be_enabled(kms, new_key):
    key_id = in_state(kms, new_key, "Disabled")
    kms.BindCloudResource(KeyId=key_id, ProductId="cos", ResourceId="bucket-1")
    kms.EnableKeys(KeyIds=[key_id])
    assert state_of(kms, key_id) == "Enabled"
