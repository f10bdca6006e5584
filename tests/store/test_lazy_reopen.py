"""Reopening a durable store parses a record only when something reads it.

The SQLite store keeps a *brief* beside each record (name, creation time, facet key,
soonest job), so a reopened service builds its indexes and job queue without parsing.
These tests pin that down: answers after a reopen equal the answers before it, only
read resources are parsed, resources with pending jobs are parsed and queued at once,
and files whose briefs are missing (older kmslab) or stale are parsed and re-briefed.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import uuid

import pytest
from core.internals import unread
from core.test_list_indexes import OPS, apply
from hypothesis import HealthCheck, given, settings

from kmslab import KMS
from kmslab.core.cmk import CMK
from kmslab.core.datakey import DATA_KEY, DataKey
from kmslab.core.model import STATES, Key
from kmslab.core.resources import Repository
from kmslab.core.whitebox_key import WHITE_BOX_KEY

ROOT = b"z" * 32
LIST_FILTERS = [
    {"KeyState": s, "Origin": o, "KeyUsage": u, "OrderType": order, "Limit": 50}
    for s, o, u, order in itertools.product(
        (0, 1, 2, 3, 4, 5), ("", "EXTERNAL"), ("", "ENCRYPT_DECRYPT"), (0, 1)
    )
]


def open_db(path, seed: int = 7) -> KMS:
    return KMS(seed=seed, path=path, root_key=ROOT, durability="NORMAL")


def answers(kms: KMS) -> list:
    out = [kms.ListKeys(Limit=200)]
    out += [kms.ListKeyDetail(**f) for f in LIST_FILTERS]
    for answer in out:
        answer.pop("RequestId")
    return out


def test_only_what_is_read_gets_parsed(tmp_path):
    path = tmp_path / "kms.db"
    kms = open_db(path)
    ids = [kms.CreateKey(Alias=f"k{i}")["KeyId"] for i in range(5)]
    blob = kms.Encrypt(KeyId=ids[0], Plaintext="aGVsbG8=")["CiphertextBlob"]
    kms.close()

    kms = open_db(path)
    assert unread(kms) == 5
    assert kms.Decrypt(CiphertextBlob=blob)["Plaintext"] == "aGVsbG8="
    assert unread(kms) == 4
    assert kms.DescribeKey(KeyId=ids[3])["KeyMetadata"]["KeyId"] == ids[3]
    assert unread(kms) == 3
    page = kms.ListKeyDetail(Limit=1, OrderType=0)["KeyMetadatas"]  # newest first
    assert [m["KeyId"] for m in page] == [ids[4]]
    assert unread(kms) == 2
    assert kms.ListKeys(Limit=1)["TotalCount"] == 5  # counts need no parsing
    kms.DisableKey(KeyId=ids[1])  # a writable unit copies a parsed key
    assert kms.DescribeKey(KeyId=ids[1])["KeyMetadata"]["KeyState"] == "Disabled"
    assert unread(kms) == 1
    kms.close()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS)
def test_a_reopened_store_answers_as_before(tmp_path_factory, ops):
    path = tmp_path_factory.mktemp("lazy") / "kms.db"
    kms = open_db(path, seed=11)
    apply(kms, ops)
    before = answers(kms)
    described = {k.key_id: k for k in kms.inspect.keys()}
    pending = kms.inspect.pending_jobs()
    kms.close()

    kms = open_db(path, seed=11)
    assert kms.inspect.pending_jobs() == pending  # queued from briefs and parsed keys
    assert answers(kms) == before  # before anything else parsed the keys
    assert {k.key_id: k for k in kms.inspect.keys()} == described
    kms.close()


def test_keys_with_clock_jobs_are_parsed_and_queued_at_once(tmp_path):
    path = tmp_path / "kms.db"
    kms = open_db(path)
    rotating = kms.CreateKey(Alias="rotating")["KeyId"]
    kms.EnableKeyRotation(KeyId=rotating)
    doomed = kms.CreateKey(Alias="doomed")["KeyId"]
    kms.DisableKey(KeyId=doomed)
    kms.ScheduleKeyDeletion(KeyId=doomed, PendingWindowInDays=7)
    idle = kms.CreateKey(Alias="idle")["KeyId"]
    kms.close()

    kms = open_db(path)
    assert unread(kms) == 1  # only the key with no job waits
    queued = {ref[3] for _, ref in kms.inspect.pending_jobs()}
    assert queued == {rotating, doomed}
    kms.clock.advance(days=8)
    assert doomed not in {k.key_id for k in kms.inspect.keys()}  # deleted on time
    assert kms.DescribeKey(KeyId=idle)["KeyMetadata"]["KeyState"] == "Enabled"
    kms.close()


def _rows(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT key_id, name, created, brief, due FROM keys").fetchall()


def test_a_file_without_briefs_is_parsed_then_briefed(tmp_path):
    """A file an older kmslab wrote has only (key_id, uin, region, record) columns."""
    path = tmp_path / "kms.db"
    kms = open_db(path)
    ids = [kms.CreateKey(Alias=f"k{i}")["KeyId"] for i in range(4)]
    kms.DisableKey(KeyId=ids[2])
    before = answers(kms)
    kms.close()
    with sqlite3.connect(path) as db:  # rebuild the table as the old schema had it
        db.execute("ALTER TABLE keys RENAME TO new_keys")
        db.execute(
            "CREATE TABLE keys (key_id TEXT PRIMARY KEY, uin INTEGER NOT NULL, "
            "region TEXT NOT NULL, record TEXT NOT NULL)"
        )
        db.execute(
            "INSERT INTO keys SELECT key_id, uin, region, record FROM new_keys ORDER BY rowid"
        )
        db.execute("DROP TABLE new_keys")

    kms = open_db(path)
    assert unread(kms) == 0  # nothing to go by: every record was parsed
    assert answers(kms) == before
    kms.close()
    assert all(None not in row for row in _rows(path))  # and briefed on the way
    kms = open_db(path)
    assert unread(kms) == 4
    assert answers(kms) == before
    kms.close()


def test_a_stale_brief_is_not_trusted(tmp_path):
    """A brief stamped by another format or other job kinds may say the wrong facets."""
    path = tmp_path / "kms.db"
    kms = open_db(path)
    key = kms.CreateKey(Alias="k")["KeyId"]
    kms.close()
    with sqlite3.connect(path) as db:  # claim, under a foreign stamp, that it is Archived
        db.execute("UPDATE keys SET brief = 'deadbeef#0|Archived|TENCENT_KMS|ENCRYPT_DECRYPT'")

    kms = open_db(path)
    assert unread(kms) == 0
    assert kms.ListKeyDetail(KeyState=1)["TotalCount"] == 1  # Enabled, as the record says
    assert kms.ListKeyDetail(KeyState=5)["TotalCount"] == 0
    kms.close()
    (brief,) = {row[3] for row in _rows(path)}
    assert not brief.startswith("deadbeef") and brief.endswith(
        "|Enabled|TENCENT_KMS|ENCRYPT_DECRYPT"
    )
    kms = open_db(path)
    assert unread(kms) == 1 and kms.DescribeKey(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    kms.close()


def _key(state: str, origin: str, usage: str, owner: str) -> Key:
    return Key(1, "ap-guangzhou", str(uuid.uuid1()), "", "", 1, state, usage, origin, 4, owner)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("origin", ["TENCENT_KMS", "EXTERNAL"])
@pytest.mark.parametrize("usage", ["ENCRYPT_DECRYPT", "ASYMMETRIC_SIGN_VERIFY_SM2"])
@pytest.mark.parametrize("owner", ["user", "cos"])
def test_cmk_facet_keys_give_back_the_facets(state, origin, usage, owner):
    key = _key(state, origin, usage, owner)
    assert CMK.facets_from_key(CMK.facet_key(key)) == CMK.facets(key)


@pytest.mark.parametrize("state", ["Enabled", "Disabled", "PendingDelete"])
@pytest.mark.parametrize("owner", ["user", "cos"])
def test_data_key_facet_keys_give_back_the_facets(state, owner):
    key = DataKey(
        uin=1,
        region="ap-guangzhou",
        data_key_id=str(uuid.uuid4()),
        name="dk",
        description="",
        key_id=str(uuid.uuid1()),
        create_time=1,
        state=state,
        origin="TENCENT_KMS",
        number_of_bytes=32,
        blob="",
        owner=owner,
    )
    assert DATA_KEY.facets_from_key(DATA_KEY.facet_key(key)) == DATA_KEY.facets(key)


@pytest.mark.parametrize("status", ["Enabled", "Disabled"])
def test_white_box_facet_keys_give_back_the_facets(status):
    class Stub:
        pass

    key = Stub()
    key.status = status
    assert WHITE_BOX_KEY.facets_from_key(WHITE_BOX_KEY.facet_key(key)) == WHITE_BOX_KEY.facets(key)


def test_replacing_and_deleting_an_unread_resource_keeps_the_indexes():
    repo = Repository(CMK)
    first = _key("Enabled", "TENCENT_KMS", "ENCRYPT_DECRYPT", "user")
    first.alias = "old-name"
    second = _key("Enabled", "TENCENT_KMS", "ENCRYPT_DECRYPT", "user")
    second.alias = "other"
    for key in (first, second):
        repo.load_unread(
            (1, "ap-guangzhou"),
            key.key_id,
            key.alias,
            key.create_time,
            CMK.facet_key(key),
            json.dumps(key.to_record()),
        )
    scope = (1, "ap-guangzhou")
    renamed = repo.get(scope, first.key_id).copy()
    renamed.alias, renamed.state = "new-name", "Disabled"
    repo.put(renamed)
    assert repo.owner_of_name(scope, "old-name") is None
    assert repo.owner_of_name(scope, "new-name") == first.key_id
    repo.delete(second)  # never parsed
    assert repo.owner_of_name(scope, "other") is None and repo.get(scope, second.key_id) is None
    assert [k.key_id for k in repo.page(scope, ("detail", 0, None, None, None), 0, 10)] == [
        first.key_id
    ]
    assert repo.facet_size(scope, ("detail", 0, "Disabled", None, None)) == 1


def test_hosted_data_keys_reopen_unparsed_and_list_as_before(tmp_path):
    path = tmp_path / "kms.db"
    kms = open_db(path)
    cmks = [kms.CreateKey(Alias=f"c{i}")["KeyId"] for i in range(2)]
    made = [
        kms.GenerateDataKey(
            KeyId=cmks[i % 2], NumberOfBytes=16 + 16 * (i % 3), IsHostedByKms=1, DataKeyName=f"d{i}"
        )
        for i in range(6)
    ]
    kms.DisableDataKey(DataKeyId=made[1]["DataKeyId"])
    filters = [
        {"KeyId": cmk, "DataKeyLen": size, "KeyState": state, "Limit": 50}
        for cmk in ("", *cmks)
        for size in (0, 16, 32)
        for state in (0, 1, 2)
    ]

    def lists(service):
        out = [service.ListDataKeyDetail(**{k: v for k, v in f.items() if v}) for f in filters]
        return [{k: v for k, v in o.items() if k != "RequestId"} for o in out]

    before = lists(kms)
    kms.close()
    kms = open_db(path)
    assert unread(kms, "data_key") == 6
    assert lists(kms) == before
    plain = kms.GetDataKeyPlaintext(DataKeyId=made[2]["DataKeyId"])["Plaintext"]
    assert plain == made[2]["Plaintext"]
    kms.close()
