"""Device binding through the service, the documented caveat, the library seed's
persistence across an SQLite reopen, and the real key nowhere it must not be."""

from __future__ import annotations

import base64
import sqlite3

import pytest
from wb_helpers import FP_A, FP_B
from wb_service import PLAIN, code_of, real_material, sdk_for, service

from kmslab import KMS
from kmslab.store.base import WrongRootKey
from kmslab.whitebox import DEVICE_NOT_BOUND, FINGERPRINT_ENV, SDK, WhiteBoxError, decrypt, keyblob
from kmslab.whitebox import schedules as sch

ALGORITHMS = ["AES_256", "SM4"]


def fingerprints(*identities: str) -> list[dict]:
    return [{"Identity": fp, "Description": f"device {i}"} for i, fp in enumerate(identities)]


def as_device(monkeypatch: pytest.MonkeyPatch, fingerprint: str) -> None:
    monkeypatch.setenv(FINGERPRINT_ENV, fingerprint)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_binding_reissues_the_decrypt_key_and_the_old_one_keeps_working(monkeypatch, algorithm):
    kms = service()
    out = kms.CreateWhiteBoxKey(Alias="bound", Algorithm=algorithm)
    key_id, before = out["KeyId"], out["DecryptKey"]
    sdk = sdk_for(kms, before)
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id, DeviceFingerprints=fingerprints(FP_A))
    info = kms.DescribeWhiteBoxKey(KeyId=key_id)["KeyInfo"]
    after = info["DecryptKey"]
    assert info["DeviceFingerprintBind"] is True
    assert info["EncryptKey"] == out["EncryptKey"]  # the EncryptKey is never bound
    assert after != before
    assert kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"] == after  # stable reads
    assert kms.DescribeWhiteBoxDeviceFingerprints(KeyId=key_id)["DeviceFingerprints"] == [
        {"Identity": FP_A, "Description": "device 0"}
    ]
    blob = keyblob.parse(base64.b64decode(after), sdk.blob_key, sdk.library_id)
    assert len(blob.slots) == 1
    enc = kms.EncryptByWhiteBox(KeyId=key_id, PlainText=PLAIN)
    iv, ct = enc["InitializationVector"], enc["CipherText"]

    as_device(monkeypatch, FP_A)
    assert base64.b64encode(decrypt(sdk, after, iv, ct)).decode() == PLAIN
    as_device(monkeypatch, FP_B)
    with pytest.raises(WhiteBoxError) as info_err:
        decrypt(sdk, after, iv, ct)
    assert info_err.value.code == DEVICE_NOT_BOUND == "01000016"
    # Tencent's caveat: a DecryptKey downloaded before the binding works anywhere.
    assert base64.b64encode(decrypt(sdk, before, iv, ct)).decode() == PLAIN


def test_rebinding_moves_the_key_and_an_empty_list_unbinds(monkeypatch):
    kms = service()
    out = kms.CreateWhiteBoxKey(Alias="moving", Algorithm="SM4")
    key_id = out["KeyId"]
    sdk = sdk_for(kms, out["DecryptKey"])
    enc = kms.EncryptByWhiteBox(KeyId=key_id, PlainText=PLAIN)
    args = (enc["InitializationVector"], enc["CipherText"])
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id, DeviceFingerprints=fingerprints(FP_A))
    first = kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"]
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id, DeviceFingerprints=fingerprints(FP_B))
    second = kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"]
    assert second != first
    as_device(monkeypatch, FP_A)
    assert code_of_wb(decrypt, sdk, second, *args) == DEVICE_NOT_BOUND
    as_device(monkeypatch, FP_B)
    assert decrypt(sdk, second, *args)
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id, DeviceFingerprints=[])
    info = kms.DescribeWhiteBoxKey(KeyId=key_id)["KeyInfo"]
    assert info["DeviceFingerprintBind"] is False
    assert info["DecryptKey"] == out["DecryptKey"]  # unbound blobs are deterministic
    assert kms.DescribeWhiteBoxDeviceFingerprints(KeyId=key_id)["DeviceFingerprints"] == []
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id, DeviceFingerprints=fingerprints(FP_A))
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id)  # absent list: unbind too
    assert not kms.DescribeWhiteBoxKey(KeyId=key_id)["KeyInfo"]["DeviceFingerprintBind"]


def test_decrypt_can_play_a_device_without_the_environment(monkeypatch):
    monkeypatch.setenv(FINGERPRINT_ENV, FP_B)
    kms = service()
    out = kms.CreateWhiteBoxKey(Alias="played", Algorithm="AES_256")
    kms.OverwriteWhiteBoxDeviceFingerprints(
        KeyId=out["KeyId"], DeviceFingerprints=fingerprints(FP_A)
    )
    bound = kms.DescribeWhiteBoxDecryptKey(KeyId=out["KeyId"])["DecryptKey"]
    enc = kms.EncryptByWhiteBox(KeyId=out["KeyId"], PlainText=PLAIN)
    args = (sdk_for(kms, bound), bound, enc["InitializationVector"], enc["CipherText"])
    assert base64.b64encode(decrypt(*args, fingerprint=FP_A)).decode() == PLAIN
    with pytest.raises(WhiteBoxError) as info:
        decrypt(*args)  # the environment says FP_B
    assert info.value.code == DEVICE_NOT_BOUND


def code_of_wb(call, *args) -> str:
    try:
        call(*args)
    except WhiteBoxError as exc:
        return exc.code
    raise AssertionError("no WhiteBoxError")


def test_two_hundred_devices_bind_and_each_decrypts(monkeypatch):
    kms = service()
    out = kms.CreateWhiteBoxKey(Alias="fleet", Algorithm="AES_256")
    fps = [f"{i:08x}-" + "-".join([f"{i:014x}"] * 3) + f"-{i:016x}" for i in range(200)]
    kms.OverwriteWhiteBoxDeviceFingerprints(
        KeyId=out["KeyId"], DeviceFingerprints=[{"Identity": fp} for fp in fps]
    )
    listed = kms.DescribeWhiteBoxDeviceFingerprints(KeyId=out["KeyId"])["DeviceFingerprints"]
    assert [d["Identity"] for d in listed] == fps
    assert all(d["Description"] == "" for d in listed)
    dec = kms.DescribeWhiteBoxDecryptKey(KeyId=out["KeyId"])["DecryptKey"]
    enc = kms.EncryptByWhiteBox(KeyId=out["KeyId"], PlainText=PLAIN)
    sdk = sdk_for(kms, dec)
    for fp in (fps[0], fps[123], fps[199]):
        as_device(monkeypatch, fp)
        assert decrypt(sdk, dec, enc["InitializationVector"], enc["CipherText"])


@pytest.mark.parametrize(
    ("devices", "code"),
    [
        ([{"Identity": FP_A}] * 2, "InvalidParameterValue"),
        ([{"Identity": FP_A.upper()}], "InvalidParameterValue"),
        ([{"Identity": FP_A[:-1]}], "InvalidParameterValue"),
        ([{"Identity": FP_A + "0"}], "InvalidParameterValue"),
        ([{"Identity": FP_A.replace("-", "_")}], "InvalidParameterValue"),
        ([{"Identity": FP_A, "Description": "x" * 1025}], "InvalidParameterValue"),
        ([{"Description": "no identity"}], "MissingParameter"),
        ([{"Identity": FP_A, "Extra": 1}], "UnknownParameter"),
        ([FP_A], "InvalidParameter"),
        (
            [
                {"Identity": f"{i:08x}-" + "-".join(["0" * 14] * 3) + "-" + "0" * 16}
                for i in range(201)
            ],
            "LimitExceeded.FingerprintsLimitExceeded",
        ),
    ],
)
def test_overwrite_refuses_bad_fingerprints_and_changes_nothing(devices, code):
    kms = service()
    key_id = kms.CreateWhiteBoxKey(Alias="strict", Algorithm="SM4")["KeyId"]
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=key_id, DeviceFingerprints=fingerprints(FP_B))
    before = kms.inspect.state()
    decrypt_key = kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"]
    assert (
        code_of(kms.OverwriteWhiteBoxDeviceFingerprints, KeyId=key_id, DeviceFingerprints=devices)
        == code
    )
    assert kms.inspect.state() == before
    assert kms.DescribeWhiteBoxDecryptKey(KeyId=key_id)["DecryptKey"] == decrypt_key


# -- persistence ---------------------------------------------------------------------------


def test_sqlite_reopen_regenerates_the_library_and_old_decrypt_keys_work(tmp_path, monkeypatch):
    path = tmp_path / "wb.sqlite"
    root = bytes(range(32))
    kms = KMS(path=path, root_key=root)
    made = {a: kms.CreateWhiteBoxKey(Alias=f"p-{a}", Algorithm=a) for a in ALGORITHMS}
    sm4_id = made["SM4"]["KeyId"]
    kms.OverwriteWhiteBoxDeviceFingerprints(KeyId=sm4_id, DeviceFingerprints=fingerprints(FP_A))
    bound = kms.DescribeWhiteBoxDecryptKey(KeyId=sm4_id)["DecryptKey"]
    library_id = kms.whitebox_sdk(tmp_path / "sdk").library_id
    infos = {a: kms.DescribeWhiteBoxKey(KeyId=o["KeyId"])["KeyInfo"] for a, o in made.items()}
    kms.close()

    again = KMS(path=path, root_key=root)
    assert again.whitebox_sdk().library_id == library_id
    assert {
        a: again.DescribeWhiteBoxKey(KeyId=o["KeyId"])["KeyInfo"] for a, o in made.items()
    } == infos
    device_sdk = SDK.load(tmp_path / "sdk")  # the SDK downloaded before the restart
    as_device(monkeypatch, FP_A)
    for algorithm, out in made.items():
        enc = again.EncryptByWhiteBox(KeyId=out["KeyId"], PlainText=PLAIN)
        for key in {out["DecryptKey"], bound if algorithm == "SM4" else out["DecryptKey"]}:
            plain = decrypt(device_sdk, key, enc["InitializationVector"], enc["CipherText"])
            assert base64.b64encode(plain).decode() == PLAIN
    # The new service keeps making keys of the same library.
    out = again.CreateWhiteBoxKey(Alias="after", Algorithm="AES_256")
    assert base64.b64decode(out["DecryptKey"])[8:24] == library_id
    again.close()


def test_a_refused_first_create_stores_no_library_seed():
    kms = service()
    before = kms.inspect.state()
    tags = [{"TagKey": "t", "TagValue": "1"}, {"TagKey": "t", "TagValue": "2"}]
    assert code_of(kms.CreateWhiteBoxKey, Alias="x", Algorithm="SM4", Tags=tags)
    assert kms.inspect.state() == before
    assert kms.inspect.resources("whitebox_library", 0, "") == []


def test_the_sdk_download_makes_the_library_once_and_is_a_copy():
    kms = service()
    first = kms.whitebox_sdk()
    assert len(kms.inspect.all("whitebox_library")) == 1
    first.tables()[sorted(first.tables())[0]].flat[0] ^= 0xFF  # a notebook faults a table
    second = kms.whitebox_sdk()
    assert second.library_id == first.library_id
    out = kms.CreateWhiteBoxKey(Alias="after-sdk", Algorithm="SM4")
    assert base64.b64decode(out["DecryptKey"])[8:24] == first.library_id
    enc = kms.EncryptByWhiteBox(KeyId=out["KeyId"], PlainText=PLAIN)
    assert decrypt(second, out["DecryptKey"], enc["InitializationVector"], enc["CipherText"])
    assert len(kms.inspect.all("whitebox_library")) == 1


# -- the key is nowhere ---------------------------------------------------------------------


def _forms(material: bytes, algorithm: str) -> list[bytes]:
    """The real key and its round keys, raw, in hex and in Base64."""
    if algorithm == "AES_256":
        rounds = sch.aes256_round_keys(material)
    else:
        rounds = [rk.to_bytes(4, "big") for rk in sch.sm4_round_keys(material)]
        rounds = [b"".join(rounds[i : i + 4]) for i in range(0, 32, 4)]
    out = []
    for item in [material, *rounds]:
        out += [item, item.hex().encode(), base64.b64encode(item)]
    return out


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_the_real_key_is_in_no_blob_table_record_or_file(tmp_path, algorithm):
    path = tmp_path / "absent.sqlite"
    kms = KMS(path=path, root_key=bytes(32))
    out = kms.CreateWhiteBoxKey(Alias="hidden", Algorithm=algorithm)
    kms.OverwriteWhiteBoxDeviceFingerprints(
        KeyId=out["KeyId"], DeviceFingerprints=fingerprints(FP_A)
    )
    info = kms.DescribeWhiteBoxKey(KeyId=out["KeyId"])["KeyInfo"]
    material = real_material(kms, out["KeyId"])
    sdk = kms.whitebox_sdk()
    haystacks = [
        base64.b64decode(out["EncryptKey"]),
        base64.b64decode(out["DecryptKey"]),
        base64.b64decode(info["DecryptKey"]),
        repr(kms.inspect.state()).encode(),
        repr(kms.inspect.all("whitebox_key")).encode(),
        repr(kms.inspect.call_records()).encode(),
        b"".join(t.tobytes() for t in sdk.tables().values()),
    ]
    kms.close()
    haystacks.append(path.read_bytes())
    with sqlite3.connect(path) as db:
        haystacks += [row[0].encode() for row in db.execute("SELECT record FROM whitebox_keys")]
    for needle in _forms(material, algorithm):
        assert not any(needle in hay for hay in haystacks)


def test_the_library_seed_is_stored_only_sealed(tmp_path):
    path = tmp_path / "seed.sqlite"
    kms = KMS(path=path, root_key=bytes(32))
    kms.CreateWhiteBoxKey(Alias="s", Algorithm="SM4")
    (record,) = kms.inspect.all("whitebox_library")
    with kms.lock:
        seed = kms.root_key.unwrap(
            record.wrapped_seed,
            purpose="whitebox-library-seed",
            account="",
            region="",
            key_id="library",
        )
    assert len(seed) == 32
    kms.close()
    data = path.read_bytes()
    for form in (seed, seed.hex().encode(), base64.b64encode(seed)):
        assert form not in data
    with pytest.raises(WrongRootKey):
        KMS(path=path, root_key=bytes([1]) * 32)
