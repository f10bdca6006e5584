"""The facet indexes behind ListKeys and ListKeyDetail answer exactly what a full sort
and filter of every key would, whatever sequence of creations and state changes came
before (a property test against a naive model)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmslab import KMS, KMSError

STATE_FILTER = {
    0: None,
    1: "Enabled",
    2: "Disabled",
    3: "PendingDelete",
    4: "PendingImport",
    5: "Archived",
}
OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "create",
                "create-ext",
                "create-sign",
                "disable",
                "enable",
                "delete",
                "cancel",
                "archive",
                "unarchive",
                "tick",
            ]
        ),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=40,
)
FILTERS = st.fixed_dictionaries(
    {
        "KeyState": st.sampled_from(list(STATE_FILTER)),
        "Origin": st.sampled_from(["", "ALL", "TENCENT_KMS", "EXTERNAL"]),
        "KeyUsage": st.sampled_from(["", "ALL", "ENCRYPT_DECRYPT", "ASYMMETRIC_SIGN_VERIFY_ECC"]),
        "OrderType": st.sampled_from([0, 1]),
        "Offset": st.integers(0, 12),
        "Limit": st.integers(1, 15),
    }
)


def apply(kms: KMS, ops) -> None:
    made: list[str] = []
    actions = {
        "disable": "DisableKey",
        "enable": "EnableKey",
        "archive": "ArchiveKey",
        "unarchive": "CancelKeyArchive",
        "cancel": "CancelKeyDeletion",
    }
    for op, n in ops:
        try:
            if op == "create":
                made.append(kms.CreateKey(Alias=f"k{len(made)}")["KeyId"])
            elif op == "create-ext":
                made.append(kms.CreateKey(Alias=f"k{len(made)}", Type=2)["KeyId"])
            elif op == "create-sign":
                usage = "ASYMMETRIC_SIGN_VERIFY_ECC"
                made.append(kms.CreateKey(Alias=f"k{len(made)}", KeyUsage=usage)["KeyId"])
            elif op == "tick":
                kms.clock.advance(seconds=n)
            elif made:
                key_id = made[n % len(made)]
                if op == "delete":
                    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
                else:
                    kms.call(actions[op], {"KeyId": key_id})
        except KMSError:
            pass  # a refusal in this state: the model below reads the real states


def naive(kms: KMS, params: dict) -> tuple[int, list[str]]:
    keys = kms.inspect.keys()  # oldest first, by creation
    state = STATE_FILTER[params["KeyState"]]
    usage = params["KeyUsage"] or "ENCRYPT_DECRYPT"
    matches = [
        k
        for k in keys
        if (state is None or k.state == state)
        and (params["Origin"] in ("", "ALL") or k.origin == params["Origin"])
        and (usage == "ALL" or k.usage == usage)
    ]
    if params["OrderType"] != 1:
        matches.reverse()
    page = matches[params["Offset"] : params["Offset"] + params["Limit"]]
    return len(matches), [k.key_id for k in page]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS, st.lists(FILTERS, min_size=1, max_size=6))
def test_list_key_detail_matches_a_full_sort(ops, filters):
    kms = KMS(seed=61)
    apply(kms, ops)
    for params in filters:
        out = kms.ListKeyDetail(**params)
        assert (out["TotalCount"], [m["KeyId"] for m in out["KeyMetadatas"]]) == naive(kms, params)
    listed = [
        k
        for k in reversed(kms.inspect.keys())
        if k.state in ("Enabled", "Disabled", "PendingImport")
    ]
    out = kms.ListKeys(Limit=200)
    assert out["TotalCount"] == len(listed)
    assert [k["KeyId"] for k in out["Keys"]] == [k.key_id for k in listed]


def test_lists_after_a_reopen_see_changes_made_before_the_first_list(tmp_path):
    """A reopened store builds its list indexes on first use; changes made before that
    (and after) must all show, in creation order."""
    path = tmp_path / "kms.db"
    kms = KMS(seed=62, path=path, root_key=b"l" * 32, durability="NORMAL")
    ids = [kms.CreateKey(Alias=f"k{i}")["KeyId"] for i in range(6)]
    kms.close()
    kms = KMS(seed=62, path=path, root_key=b"l" * 32, durability="NORMAL")
    kms.DisableKey(KeyId=ids[1])  # before any list: the indexes are not built yet
    kms.ScheduleKeyDeletion(KeyId=ids[1], PendingWindowInDays=7)
    ids.append(kms.CreateKey(Alias="after-reopen")["KeyId"])
    for params in ({"KeyState": 0}, {"KeyState": 3}, {"KeyState": 1, "OrderType": 1}):
        full = {"Origin": "", "KeyUsage": "", "OrderType": 0, "Offset": 0, "Limit": 15, **params}
        out = kms.ListKeyDetail(**full)
        assert (out["TotalCount"], [m["KeyId"] for m in out["KeyMetadatas"]]) == naive(kms, full)
    kms.DisableKey(KeyId=ids[2])  # and after: maintained incrementally
    out = kms.ListKeys(Limit=200)
    assert [k["KeyId"] for k in out["Keys"]] == [i for i in reversed(ids) if i != ids[1]]
    kms.close()
