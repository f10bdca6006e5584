"""White-box actions at the edges: a failed store write leaves no key and no library seed,
snapshots keep old DecryptKeys working, and arbitrary request values get documented codes."""

from __future__ import annotations

import base64
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wb_service import PLAIN, service

from kmslab import KMS, KMSError
from kmslab.whitebox import decrypt

ROOT = bytes(range(32))


def fail_writes(monkeypatch, kms: KMS) -> None:
    """Make every transaction of the service's SQLite store fail as a full disk would."""

    def broken(statements):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(kms.store, "_transaction", broken)


MUTATIONS = {
    "CreateWhiteBoxKey": lambda k, key_id: k.CreateWhiteBoxKey(Alias="fresh", Algorithm="SM4"),
    "DisableWhiteBoxKey": lambda k, key_id: k.DisableWhiteBoxKey(KeyId=key_id),
    "DisableWhiteBoxKeys": lambda k, key_id: k.DisableWhiteBoxKeys(KeyIds=[key_id]),
    "OverwriteWhiteBoxDeviceFingerprints": lambda k, key_id: k.OverwriteWhiteBoxDeviceFingerprints(
        KeyId=key_id,
        DeviceFingerprints=[
            {"Identity": "a" * 8 + "-" + "-".join(["b" * 14] * 3) + "-" + "c" * 16}
        ],
    ),
}


def test_a_failed_first_create_stores_neither_key_nor_seed(tmp_path, monkeypatch):
    kms = KMS(seed=5, path=tmp_path / "wb.db", root_key=ROOT)
    before = kms.inspect.state()
    with monkeypatch.context() as patch:
        fail_writes(patch, kms)
        with pytest.raises(KMSError) as info:
            kms.CreateWhiteBoxKey(Alias="first", Algorithm="AES_256")
        assert info.value.code == "InternalError"
        assert kms.inspect.state() == before
        assert kms.inspect.all("whitebox_library") == []
        with pytest.raises(KMSError):
            kms.whitebox_sdk()
        assert kms.inspect.all("whitebox_library") == []
    out = kms.CreateWhiteBoxKey(Alias="first", Algorithm="AES_256")
    library_id = base64.b64decode(out["DecryptKey"])[8:24]
    kms.close()
    again = KMS(seed=5, path=tmp_path / "wb.db", root_key=ROOT)
    assert again.whitebox_sdk().library_id == library_id
    again.close()


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_a_failed_write_changes_nothing(tmp_path, monkeypatch, name):
    kms = KMS(seed=5, path=tmp_path / "wb.db", root_key=ROOT)
    key_id = kms.CreateWhiteBoxKey(Alias="subject", Algorithm="SM4")["KeyId"]
    decrypt_key = kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"]
    before = kms.inspect.state()
    with monkeypatch.context() as patch:
        fail_writes(patch, kms)
        with pytest.raises(KMSError) as info:
            MUTATIONS[name](kms, key_id)
        assert info.value.code == "InternalError"
        assert kms.inspect.state() == before
    assert kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"] == decrypt_key
    MUTATIONS[name](kms, key_id)
    assert kms.inspect.state() != before
    kms.close()


def test_a_snapshot_keeps_the_library_and_the_keys(tmp_path):
    kms = service()
    out = kms.CreateWhiteBoxKey(Alias="snap", Algorithm="AES_256")
    sdk = kms.whitebox_sdk()
    kms.save_snapshot(tmp_path / "snap.json")
    loaded = KMS.load_snapshot(tmp_path / "snap.json", root_key=kms.export_root_key())
    assert loaded.whitebox_sdk().library_id == sdk.library_id
    enc = loaded.EncryptByWhiteBox(KeyId=out["KeyId"], PlainText=PLAIN)
    plain = decrypt(sdk, out["DecryptKey"], enc["InitializationVector"], enc["CipherText"])
    assert base64.b64encode(plain).decode() == PLAIN
    assert (
        loaded.DescribeWhiteBoxKey(KeyId=out["KeyId"])["KeyInfo"]
        == (kms.DescribeWhiteBoxKey(KeyId=out["KeyId"])["KeyInfo"])
    )


DOCUMENTED = {
    "EncryptByWhiteBox": {"InvalidParameter", "InvalidParameterValue", "MissingParameter"},
    "OverwriteWhiteBoxDeviceFingerprints": {
        "InvalidParameter",
        "InvalidParameterValue",
        "LimitExceeded.FingerprintsLimitExceeded",
        "MissingParameter",
        "UnknownParameter",
    },
}
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)
_fingerprint_items = st.lists(
    st.fixed_dictionaries(
        {"Identity": st.text(alphabet="0123456789abcdef-", min_size=60, max_size=75)},
        optional={"Description": st.text(max_size=30)},
    )
    | _json,
    max_size=4,
)


@pytest.fixture(scope="module")
def target():
    kms = service()
    return kms, kms.CreateWhiteBoxKey(Alias="fuzz", Algorithm="SM4")["KeyId"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plain=st.text(max_size=60) | _json, iv=st.none() | st.text(max_size=40) | _json)
def test_encrypt_gets_only_documented_codes(target, plain, iv):
    kms, key_id = target
    try:
        out = kms.EncryptByWhiteBox(KeyId=key_id, PlainText=plain, InitializationVector=iv)
    except KMSError as exc:
        assert exc.code in DOCUMENTED["EncryptByWhiteBox"], exc
        return
    assert len(base64.b64decode(out["InitializationVector"])) == 16
    raw = base64.b64decode(plain, validate=True)
    assert 1 <= len(raw) <= 4096


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(devices=_fingerprint_items | _json)
def test_overwrite_gets_only_documented_codes_and_never_half_changes(target, devices):
    kms, key_id = target
    before = kms.DescribeWhiteBoxDeviceFingerprints(KeyId=key_id)["DeviceFingerprints"]
    try:
        kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id, DeviceFingerprints=devices)
    except KMSError as exc:
        assert exc.code in DOCUMENTED["OverwriteWhiteBoxDeviceFingerprints"], exc
        after = kms.DescribeWhiteBoxDeviceFingerprints(KeyId=key_id)["DeviceFingerprints"]
        assert after == before
        return
    listed = kms.DescribeWhiteBoxDeviceFingerprints(KeyId=key_id)["DeviceFingerprints"]
    assert [d["Identity"] for d in listed] == [d["Identity"] for d in (devices or [])]


def test_the_service_keeps_its_library_only_in_its_own_secret_cache():
    from kmslab.whitebox import library as wb_library

    wb_library._build.cache_clear()
    kms = KMS(seed=97)
    kms.CreateWhiteBoxKey(Alias="cached", Algorithm="AES_256")
    kms.CreateWhiteBoxKey(Alias="cached2", Algorithm="SM4")
    assert wb_library._build.cache_info().currsize == 0  # nothing per process
    assert len(kms.state.secrets) > 0
    kms.close()
    assert len(kms.state.secrets) == 0
