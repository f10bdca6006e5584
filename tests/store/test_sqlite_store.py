"""SQLite persistence: a service opened on a file, closed and reopened, carries on exactly
where it stopped (keys, versions, aliases, states, tags, bindings, rotation schedule,
accounts, the virtual clock and its due jobs)."""

from __future__ import annotations

import base64
import os
import sqlite3

import pytest

from kmslab.actions.errors import KMSError
from kmslab.core.service import KMS
from kmslab.store.base import WrongRootKey
from kmslab.store.sqlite import SQLiteStore

DAY = 86400
FIPS, SM = "ap-hongkong", "ap-guangzhou"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def metadata(kms, key_id: str, region: str = SM) -> dict:
    return kms.in_region(region).DescribeKey(KeyId=key_id)["KeyMetadata"]


def build_world(kms: KMS) -> dict:
    """Give ``kms`` keys in every interesting condition; return what to check after reopen."""
    sm, fips = kms.in_region(SM), kms.in_region(FIPS)
    w: dict = {"blobs": []}
    rot = sm.CreateKey(Alias="rotating", Description="turns every week")["KeyId"]
    w["blobs"].append((SM, sm.Encrypt(KeyId=rot, Plaintext=b64(b"v1 data"))["CiphertextBlob"]))
    sm.EnableKeyRotation(KeyId=rot, RotateDays=7)
    kms.clock.advance(days=1)
    sm.RotateKey(KeyId=rot)
    w["blobs"].append((SM, sm.Encrypt(KeyId=rot, Plaintext=b64(b"v2 data"))["CiphertextBlob"]))
    tagged = fips.CreateKey(
        Alias="tagged",
        Tags=[{"TagKey": "team", "TagValue": "crypto"}, {"TagKey": "env", "TagValue": "lab"}],
    )["KeyId"]
    ctx = '{"b":"2","a":"1"}'
    blob = fips.Encrypt(KeyId=tagged, Plaintext=b64(b"fips data"), EncryptionContext=ctx)
    w["ctx_blob"] = (FIPS, blob["CiphertextBlob"], ctx)
    fips.BindCloudResource(KeyId=tagged, ProductId="cos", ResourceId="bucket-1")
    doomed = sm.CreateKey(Alias="doomed")["KeyId"]
    sm.DisableKey(KeyId=doomed)
    sm.ScheduleKeyDeletion(KeyId=doomed, PendingWindowInDays=7)
    renamed = sm.CreateKey(Alias="before")["KeyId"]
    sm.UpdateAlias(KeyId=renamed, Alias="after")
    sm.UpdateKeyDescription(KeyId=renamed, Description="new words")
    archived = sm.CreateKey(Alias="archived")["KeyId"]
    sm.ArchiveKey(KeyId=archived)
    dk = fips.GenerateDataKey(KeyId=tagged, KeySpec="AES_256")
    w["blobs"].append((FIPS, dk["CiphertextBlob"]))
    w.update(rot=rot, tagged=tagged, doomed=doomed, renamed=renamed, archived=archived)
    w["plaintexts"] = {dk["CiphertextBlob"]: dk["Plaintext"]}
    w["meta"] = {
        (r, k): metadata(kms, k, r)
        for r, k in [(SM, rot), (FIPS, tagged), (SM, doomed), (SM, renamed), (SM, archived)]
    }
    w["now"] = kms.clock.now()
    return w


@pytest.fixture
def db(tmp_path):
    return tmp_path / "kms.db"


def test_reopen_keeps_everything(db):
    kms = KMS(path=db, clock="virtual")
    w = build_world(kms)
    keys_before = {r: kms.in_region(r).ListKeys(Limit=200)["Keys"] for r in (SM, FIPS)}
    kms.close()
    assert (db.parent / "kms.db.rootkey").exists()

    kms = KMS(path=db, clock="virtual")
    assert kms.clock.now() == w["now"]
    for (region, key_id), before in w["meta"].items():
        assert metadata(kms, key_id, region) == before
    assert {r: kms.in_region(r).ListKeys(Limit=200)["Keys"] for r in (SM, FIPS)} == keys_before
    sm, fips = kms.in_region(SM), kms.in_region(FIPS)
    plain = [sm.Decrypt(CiphertextBlob=w["blobs"][i][1])["Plaintext"] for i in (0, 1)]
    assert plain == [b64(b"v1 data"), b64(b"v2 data")]
    dk_blob = w["blobs"][2][1]
    assert fips.Decrypt(CiphertextBlob=dk_blob)["Plaintext"] == w["plaintexts"][dk_blob]
    region, blob, ctx = w["ctx_blob"]
    assert fips.Decrypt(CiphertextBlob=blob, EncryptionContext=ctx)["Plaintext"] == b64(
        b"fips data"
    )
    assert len(kms.inspect.key(w["rot"], region=SM).versions) == 2
    # Tags: ListKeyDetail's tag filter still finds the key.
    found = fips.ListKeyDetail(TagFilters=[{"TagKey": "team", "TagValue": ["crypto"]}])
    assert [m["KeyId"] for m in found["KeyMetadatas"]] == [w["tagged"]]
    # Aliases: the old alias is free again, the new one taken.
    sm.CreateKey(Alias="before")
    with pytest.raises(KMSError) as err:
        sm.CreateKey(Alias="after")
    assert err.value.code == "InvalidParameterValue.AliasAlreadyExists"
    # Bindings still protect the key.
    with pytest.raises(KMSError) as err:
        fips.DisableKey(KeyId=w["tagged"])
    assert err.value.code == "FailedOperation.CmkUsedByCloudProduct"
    # The state machine continues from the stored states.
    sm.CancelKeyArchive(KeyId=w["archived"])
    assert metadata(kms, w["archived"])["KeyState"] == "Enabled"
    kms.close()


def test_clock_jobs_fall_due_after_reopen(db):
    kms = KMS(path=db, clock="virtual")
    w = build_world(kms)
    rotate_at = w["meta"][(SM, w["rot"])]["NextRotateTime"]
    delete_at = w["meta"][(SM, w["doomed"])]["DeletionDate"]
    kms.clock.advance(days=2)  # no job due: only the clock moves, and it must persist
    moved_to = kms.clock.now()
    kms.close()

    kms = KMS(path=db, clock="virtual")
    assert kms.clock.now() == moved_to
    assert moved_to < rotate_at < delete_at
    events = kms.clock.set(rotate_at - 1)
    assert events == []
    events = kms.clock.set(delete_at + 1)
    kinds = [(e.kind, e.key_id, e.time) for e in events]
    assert ("rotated", w["rot"], rotate_at) in kinds
    assert ("deleted", w["doomed"], delete_at) in kinds
    kms.close()

    # The jobs' results were persisted too.
    kms = KMS(path=db, clock="virtual")
    with pytest.raises(KMSError) as err:
        kms.in_region(SM).DescribeKey(KeyId=w["doomed"])
    assert err.value.code == "ResourceUnavailable.CmkNotFound"
    meta = metadata(kms, w["rot"])
    assert meta["LastRotateTime"] == rotate_at
    assert meta["NextRotateTime"] == rotate_at + 7 * DAY
    assert len(kms.inspect.key(w["rot"], region=SM).versions) == 3
    kms.close()


def test_accounts_and_credentials_survive(db):
    kms = KMS(path=db)
    other = kms.create_account("tenant-b")
    temp = kms.create_temporary_credential(other.uin, duration=600)
    key_b = kms.as_account(other.uin).CreateKey(Alias="b-key")["KeyId"]
    before = {uin: kms.api_keys(uin) for uin in kms.accounts}
    default = kms.default_uin
    kms.close()

    kms = KMS(path=db)
    assert kms.default_uin == default
    assert {uin: kms.api_keys(uin) for uin in kms.accounts} == before
    assert kms.lookup_secret_id(other.secret_id) == other
    assert kms.lookup_secret_id(temp.secret_id) == temp
    assert kms.as_account(other.uin).DescribeKey(KeyId=key_b)["KeyMetadata"]["Alias"] == "b-key"
    with pytest.raises(KMSError) as err:  # still isolated from the default account
        kms.DescribeKey(KeyId=key_b)
    assert err.value.code == "ResourceUnavailable.CmkNotFound"
    kms.close()


@pytest.mark.parametrize(
    "opener",
    [
        pytest.param(lambda db: KMS(path=db, root_key=os.urandom(32)), id="other-key-bytes"),
        pytest.param(lambda db: KMS(path=db, seed=1), id="seeded-root"),
    ],
)
def test_wrong_root_key_is_refused(db, opener):
    KMS(path=db).close()
    with pytest.raises(WrongRootKey):
        opener(db)
    # The refused open left the file usable with the right key.
    kms = KMS(path=db)
    kms.CreateKey(Alias="still-fine")
    kms.close()


def test_root_key_file_can_be_given(tmp_path):
    keyfile = tmp_path / "elsewhere.key"
    kms = KMS(path=tmp_path / "a.db", root_key=keyfile)
    kid = kms.CreateKey(Alias="k")["KeyId"]
    kms.close()
    assert keyfile.exists() and not (tmp_path / "a.db.rootkey").exists()
    assert oct(keyfile.stat().st_mode & 0o777) == "0o600"
    kms = KMS(path=tmp_path / "a.db", root_key=keyfile)
    assert kms.DescribeKey(KeyId=kid)["KeyMetadata"]["Alias"] == "k"
    kms.close()


def _seeded_session(db) -> list:
    kms = KMS(path=db, seed=7)
    kid = kms.CreateKey(Alias="seeded")["KeyId"]
    out = [kid, kms.Encrypt(KeyId=kid, Plaintext=b64(b"x"))["CiphertextBlob"]]
    kms.clock.advance(days=1)
    kms.close()
    kms = KMS(path=db, seed=7)
    assert kms.DescribeKey(KeyId=kid)["KeyMetadata"]["Alias"] == "seeded"
    assert kms.Decrypt(CiphertextBlob=out[1])["Plaintext"] == b64(b"x")
    kid2 = kms.CreateKey(Alias="second")["KeyId"]
    out += [kid2, kms.Encrypt(KeyId=kid, Plaintext=b64(b"x"))["CiphertextBlob"]]
    out.append(kms.GenerateRandom(NumberOfBytes=32)["Plaintext"])
    kms.close()
    return out


def test_deterministic_mode_with_path(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _seeded_session(tmp_path / "a" / "kms.db")
    second = _seeded_session(tmp_path / "b" / "kms.db")
    assert first == second  # reopen included, the same seed reproduces every output
    assert not list(tmp_path.glob("*/*.rootkey"))  # the root key derives from the seed
    nonce = [blob.split("-k-")[1] for blob in (first[1], first[3])]
    assert nonce[0] != nonce[1]  # the reopened session did not replay the first's stream


def test_close_checkpoints_the_wal(db):
    kms = KMS(path=db)
    for i in range(20):
        kms.CreateKey(Alias=f"k{i}")
    wal = db.parent / "kms.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    kms.close()
    assert not wal.exists() or wal.stat().st_size == 0
    kms.close()  # closing twice is harmless
    # Everything is in the main file: a plain reader with no WAL sees all keys.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert con.execute("SELECT count(*) FROM keys").fetchone()[0] == 20
    con.close()


def test_synchronous_setting(db):
    keyfile = db.parent / "kms.db.rootkey"
    kms = KMS(store=SQLiteStore(db, synchronous="NORMAL"), root_key=keyfile)
    kid = kms.CreateKey(Alias="n")["KeyId"]
    kms.close()
    assert KMS(path=db).DescribeKey(KeyId=kid)["KeyMetadata"]["Alias"] == "n"
    with pytest.raises(ValueError):
        SQLiteStore(db, synchronous="OFF")


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ValueError, match="not a kmslab SQLite store"):
        KMS(path=junk)


def test_listing_order_survives_updates(db):
    kms = KMS(path=db, clock="virtual")  # every key created in the same second
    ids = [kms.CreateKey(Alias=f"k{i}")["KeyId"] for i in range(6)]
    for kid in ids[::2]:  # rewriting a row must not move it
        kms.UpdateKeyDescription(KeyId=kid, Description="touched")
    before = kms.ListKeys(Limit=200)["Keys"]
    assert [k["KeyId"] for k in before] == ids[::-1]
    kms.close()
    kms = KMS(path=db, clock="virtual")
    assert kms.ListKeys(Limit=200)["Keys"] == before
    kms.close()
