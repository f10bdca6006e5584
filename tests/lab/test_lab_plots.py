"""The plots draw what the views hold, without a display."""

from __future__ import annotations

import matplotlib
import pytest

import kmslab
from kmslab.lab.experiment import run_qps_experiment
from kmslab.lab.plots import plot_latency, plot_lifecycle, plot_qps

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture
def kms():
    service = kmslab.KMS(seed=3)
    service.exp = run_qps_experiment(service, ["Encrypt", "GenerateRandom"], 300, rate=300)
    return service


def test_plot_qps_draws_rates_and_limits(kms):
    ax = plot_qps(kms, since=int(kms.exp.records["seq"].min()) - 1)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Encrypt limit 300/s" in labels and "GenerateRandom limit 150/s" in labels
    assert "GenerateRandom throttled" in labels and "Encrypt throttled" not in labels
    heights = {p.get_label(): max(p.get_data()[0]) for p in ax.patches}
    assert heights["Encrypt answered"] == 300
    assert heights["GenerateRandom answered"] == 150
    plt.close(ax.figure)


def test_plot_qps_limit_override_and_wall(kms):
    ax = plot_qps(kms, timebase="wall", limits={"Encrypt": 30})
    assert "Encrypt limit 30/s" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(ax.figure)
    with pytest.raises(ValueError):
        plot_qps(kms, timebase="sundial")


def test_plot_latency_one_box_per_action(kms):
    ax = plot_latency(kms)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "CreateKey",
        "Encrypt",
        "GenerateRandom",
        "ListKeyDetail",
    ]
    plt.close(ax.figure)


def _boxes(ax):
    ax.figure.canvas.draw()
    return [t.get_window_extent() for t in ax.texts]


def test_plot_lifecycle_marks_every_event(kms):
    key_id = kms.CreateKey(Alias="t")["KeyId"]
    kms.DisableKey(KeyId=key_id)
    kms.ScheduleKeyDeletion(KeyId=key_id, PendingWindowInDays=7)
    kms.clock.advance(days=8)
    ax = plot_lifecycle(kms, key_id)
    lines = [line for t in ax.texts for line in t.get_text().split("\n")]
    assert lines == ["created", "disabled", "deletion scheduled", "deleted"]
    assert len(ax.lines) >= 4  # one marker per event
    plt.close(ax.figure)


def test_plot_lifecycle_labels_never_overlap(kms):
    key_id = kms.CreateKey(Alias="t")["KeyId"]
    for _ in range(3):  # many events at one instant of the virtual clock
        kms.DisableKey(KeyId=key_id)
        kms.EnableKey(KeyId=key_id)
    kms.clock.advance(days=1)
    kms.ArchiveKey(KeyId=key_id)
    kms.CancelKeyArchive(KeyId=key_id)
    ax = plot_lifecycle(kms, key_id)
    boxes = _boxes(ax)
    assert len(boxes) == 2
    figure = ax.figure.get_window_extent()
    title = ax.title.get_window_extent()
    for box in boxes:  # inside the figure, clear of the title
        assert figure.contains(box.x0, box.y0) and figure.contains(box.x1, box.y1)
        assert not box.overlaps(title)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    plt.close(ax.figure)


def test_plot_qps_legend_is_outside_the_lines(kms):
    ax = plot_qps(kms, since=int(kms.exp.records["seq"].min()) - 1)
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert not legend.overlaps(ax.get_window_extent())
    assert ax.figure.get_window_extent().contains(legend.x1 - 1, legend.y0 + 1)  # not cut off
    plt.close(ax.figure)


def test_plot_latency_ticks_are_plain_microseconds(kms):
    ax = plot_latency(kms)
    ax.figure.canvas.draw()
    assert "µs" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_xticklabels(minor=True)]
    shown = [t for t in labels if t]
    assert shown and all(t.replace(",", "").replace(".", "").isdigit() for t in shown), shown
    plt.close(ax.figure)


def test_empty_service_plots_say_so():
    empty = kmslab.KMS(seed=4)
    for ax in (plot_qps(empty), plot_latency(empty), plot_lifecycle(empty, "nope")):
        assert ax.get_title().startswith(("no ", "nothing"))
        plt.close(ax.figure)
