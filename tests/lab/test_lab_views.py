"""The pandas views read the service correctly, with proper dtypes and no secrets."""

from __future__ import annotations

import base64

import pandas as pd
import pytest

import kmslab
from kmslab.lab import blob_anatomy, call_records, key_table, key_versions, lifecycle, qps_latency
from kmslab.lab.experiment import run_qps_experiment


@pytest.fixture
def kms():
    service = kmslab.KMS(seed=5)
    a = service.CreateKey(Alias="alpha", Tags=[{"TagKey": "team", "TagValue": "red"}])["KeyId"]
    b = service.CreateKey(Alias="beta")["KeyId"]
    service.DisableKey(KeyId=b)
    service.ScheduleKeyDeletion(KeyId=b, PendingWindowInDays=7)
    service.ids = (a, b)
    return service


def test_key_table_dtypes_and_tags(kms):
    frame = key_table(kms)
    assert set(frame["Alias"]) == {"alpha", "beta"}
    assert isinstance(frame["KeyState"].dtype, pd.CategoricalDtype)
    assert str(frame["CreateTime"].dtype).startswith("datetime64")
    assert str(frame["CreateTime"].dt.tz) == "UTC"
    beta = frame[frame["Alias"] == "beta"].iloc[0]
    assert beta["KeyState"] == "PendingDelete"
    assert beta["DeletionDate"] > beta["CreateTime"]
    assert pd.isna(frame[frame["Alias"] == "alpha"].iloc[0]["DeletionDate"])
    assert frame.set_index("Alias").loc["alpha", "tag:team"] == "red"


@pytest.mark.parametrize(
    ("filters", "aliases"),
    [
        ({}, {"alpha", "beta"}),
        ({"KeyState": 1}, {"alpha"}),
        ({"KeyState": 3}, {"beta"}),
        ({"SearchKeyAlias": "alp"}, {"alpha"}),
        ({"TagFilters": [{"TagKey": "team", "TagValue": ["red"]}]}, {"alpha"}),
        ({"KeyUsage": "ASYMMETRIC_SIGN_VERIFY_SM2"}, set()),
    ],
)
def test_key_table_filters(kms, filters, aliases):
    assert set(key_table(kms, **filters)["Alias"]) == aliases


def test_key_table_pages_past_the_limit():
    service = kmslab.KMS(seed=6)
    for i in range(205):
        service.CreateKey(Alias=f"k{i}")
    assert len(key_table(service)) == 205


def test_key_versions_show_fingerprints_not_material(kms):
    a, _ = kms.ids
    kms.EnableKeyRotation(KeyId=a)
    kms.RotateKey(KeyId=a)
    frame = key_versions(kms)
    mine = frame[frame["KeyId"] == a]
    assert list(mine["version"]) == [1, 2]
    assert list(mine["current"]) == [False, True]
    assert mine["fingerprint"].nunique() == 2
    assert set(frame["root_key"]) == {kms.root_key.fingerprint}
    assert "wrapped" not in frame.columns
    key = kms.inspect.key(a)
    text = frame.to_string()
    assert base64.b64encode(key.versions[0].wrapped).decode()[:16] not in text


def test_call_records_outcomes(kms):
    with pytest.raises(kmslab.KMSError):
        kms.EnableKey(KeyId=kms.ids[1])
    frame = call_records(kms)
    assert list(frame["seq"]) == sorted(frame["seq"])
    last = frame.iloc[-1]
    assert (last["action"], last["outcome"]) == ("EnableKey", "error")
    assert last["error"] == "ResourceUnavailable.CmkStateNotSupport"
    assert str(frame["time"].dt.tz) == "UTC"


def test_qps_latency_counts_throttling():
    service = kmslab.KMS(seed=7)
    exp = run_qps_experiment(service, ["Encrypt"], n=400, mode="documented", rate=400)
    row = exp.summary.loc["Encrypt"]
    assert row["calls"] == 400
    assert row["throttled"] == 100  # 400 offered in one service second, limit 300
    assert row["ok"] == 300
    assert row["documented_qps"] == 300
    assert row["enforced_qps"] == 300
    assert row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert service.limiter.mode == "off"  # restored afterwards
    whole = qps_latency(service)
    assert whole.loc["Encrypt", "calls"] == 401  # plus the experiment's set-up Encrypt


@pytest.mark.parametrize(("mode", "throttled"), [("off", 0), (0.1, 140)])
def test_experiment_modes(mode, throttled):
    service = kmslab.KMS(seed=8)
    exp = run_qps_experiment(service, ["Encrypt"], n=200, mode=mode, rate=100)
    # 200 calls over 2 service seconds; at x0.1 the limit is 30/s, so 2 x 70 throttled
    assert exp.summary.loc["Encrypt", "throttled"] == throttled


def test_experiment_rejects_unknown_actions(kms):
    with pytest.raises(ValueError, match="choose actions"):
        run_qps_experiment(kms, ["DeleteEverything"], n=1)


def test_lifecycle_merges_calls_and_clock_events(kms):
    a, b = kms.ids
    kms.EnableKeyRotation(KeyId=a, RotateDays=7)
    kms.clock.advance(days=8)
    frame = lifecycle(kms, b)
    assert list(frame["what"]) == ["created", "disabled", "deletion scheduled", "deleted"]
    assert list(frame["source"]) == ["call", "call", "call", "clock"]
    assert "rotated" in list(lifecycle(kms, a)["what"])


def test_blob_anatomy(kms):
    a, _ = kms.ids
    blob = kms.Encrypt(KeyId=a, Plaintext=base64.b64encode(b"abc").decode())["CiphertextBlob"]
    frame = blob_anatomy(blob)
    assert list(frame["bytes"]) == [22, 12, 3 + 16]
    assert a in frame.loc[0, "holds"] and "version 1" in frame.loc[0, "holds"]


def test_blob_anatomy_shows_holds_in_full(kms):
    key_id = kms.CreateKey(Alias="a")["KeyId"]
    blob = kms.Encrypt(KeyId=key_id, Plaintext="aGk=")["CiphertextBlob"]
    frame = blob_anatomy(blob)
    header = frame.loc[0, "holds"]
    assert len(header) > 50  # longer than pandas' default column width
    for shown in (frame._repr_html_(), repr(frame)):
        assert header in shown and f"{key_id}, version 1" in shown
    assert header in frame.head(1)._repr_html_()  # derived frames display in full too


def test_deterministic_warning_is_exported_loud_and_silenced_in_one_line():
    import subprocess
    import sys

    assert kmslab.InsecureDeterministicModeWarning.__module__ == "kmslab.crypto.randomness"
    code = (
        "import warnings, kmslab\n"
        "kmslab.KMS(seed=1)\n"
        "warnings.simplefilter('ignore', kmslab.InsecureDeterministicModeWarning)\n"
        "kmslab.KMS(seed=2)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.count("InsecureDeterministicModeWarning") == 1  # loud until silenced
    assert "<string>:2" in out.stderr  # and it points at the user's KMS(seed=...) line


def test_instants_are_the_same_on_every_pandas():
    """Service-clock seconds become the same nanosecond instants on pandas 2 and 3:
    whole microseconds, NaT for "never" and for what is not a number (pandas 2's float
    path read uninitialised memory next to a NaN and raised FloatingPointError)."""
    from kmslab.lab.views import _utc, instants

    start = 1767225600  # 2026-01-01T00:00:00Z
    got = _utc(pd.Series([0, start, None, start + 1.9979999, "x"], dtype=object))
    assert str(got.dtype) == "datetime64[ns, UTC]"
    assert got.isna().tolist() == [True, False, True, False, True]
    assert got[3] - got[1] == pd.Timedelta(microseconds=1_998_000)
    half = pd.Timestamp(start * 10**9 + 5 * 10**8, tz="UTC")
    assert instants(pd.Series([start + 0.5]))[0] == half


def test_service_qps_counts_service_seconds_to_the_microsecond():
    kms = kmslab.KMS(seed=7)
    exp = run_qps_experiment(kms, ["Encrypt"], n=1000, mode="documented", rate=500)
    # 600 answered calls (300 a second, two windows) over 1.998 service seconds exactly.
    assert exp.summary.loc["Encrypt", "service_qps"] == 600 / 1.998
