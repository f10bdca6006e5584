"""``pqc_compare``: one row per parameter set with the standard sizes and live rates, the
classical keys beside them, the method stated; its plot has one marker set per family."""

from __future__ import annotations

import math

import matplotlib
import pytest

from kmslab.crypto import pqc_families as fam
from kmslab.lab import comparison, plot_pqc_compare, pqc_compare

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

pytest.importorskip("pqcrypto")

CLASSICAL = {
    "RSA-2048 OAEP": ("KEM", 256),
    "RSA-2048 PKCS#1 v1.5": ("signature", 256),
    "P-256 ECDH": ("KEM", 65),
    "P-256 ECDSA": ("signature", 64),
    "SM2 encryption": ("KEM", 128),
    "SM2DSA": ("signature", 64),
}


@pytest.fixture(scope="module")
def table():
    return pqc_compare(seconds=0)


def test_every_parameter_set_and_the_classical_keys(table):
    names = list(table["parameter_set"])
    assert names == [p.name for p in fam.PARAMETER_SETS] + list(CLASSICAL)
    assert list(table.columns) == list(comparison.COLUMNS)
    assert "perf_counter" in table.attrs["method"]


@pytest.mark.parametrize("p", fam.PARAMETER_SETS, ids=lambda p: p.name)
def test_pq_rows_carry_the_table_sizes_and_only_their_rates(table, p):
    row = table.set_index("parameter_set").loc[p.name]
    assert row["nist_level"] == p.nist_level
    assert (row["public_key_bytes"], row["secret_key_bytes"], row["output_bytes"]) == (
        p.public_key_size,
        p.secret_key_size,
        p.output_size,
    )
    present = ("encaps", "decaps") if p.kind == "kem" else ("sign", "verify")
    for op in comparison.OPERATIONS:
        value = row[f"{op}_per_s"]
        if op == "keygen" or op in present:
            assert value > 0
        else:
            assert math.isnan(value)


@pytest.mark.parametrize(("name", "expected"), list(CLASSICAL.items()))
def test_classical_rows(table, name, expected):
    kind, output = expected
    row = table.set_index("parameter_set").loc[name]
    assert row["kind"] == kind and row["nist_level"] == 0
    assert row["output_bytes"] == output


def test_rate_runs_at_least_min_runs_and_for_the_time():
    calls = []
    assert comparison.rate(lambda: calls.append(1), seconds=0, min_runs=5) > 0
    assert len(calls) == 6  # one warm-up
    calls.clear()
    comparison.rate(lambda: calls.append(1), seconds=0.02)
    assert len(calls) > 10


@pytest.mark.parametrize("kwargs", [{"only": ["ML-KEM-999"]}, {"seconds": -1}, {"min_runs": 0}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        pqc_compare(**kwargs)


def test_only_restricts_rows():
    df = pqc_compare(seconds=0, only=["ML-KEM-512", "P-256 ECDSA"])
    assert list(df["parameter_set"]) == ["ML-KEM-512", "P-256 ECDSA"]


def test_plot_one_marker_set_per_family_on_log_scales(table):
    ax = plot_pqc_compare(table, size="output_bytes", speed="sign_per_s")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["ML-DSA", "SLH-DSA", "RSA", "P-256", "SM2"]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    points = sum(len(c.get_offsets()) for c in ax.collections)
    assert points == len(table.dropna(subset=["sign_per_s"]))
    markers = {c.get_paths()[0].vertices.tobytes() for c in ax.collections}
    assert len(markers) == len(labels)
    kem = plot_pqc_compare(table, size="public_key_bytes", speed="encaps_per_s", label=False)
    assert [t.get_text() for t in kem.get_legend().get_texts()][:4] == [
        "ML-KEM",
        "HQC",
        "Classic McEliece",
        "NTRU Prime",
    ]
    assert not kem.texts
    plt.close("all")
    with pytest.raises(ValueError):
        plot_pqc_compare(table, speed="nonsense")
