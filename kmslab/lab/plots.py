"""matplotlib plots of the service: QPS against the limits, latencies, a key's lifecycle.

They draw on the pandas views, so they show only what the views show. Each returns its
``Axes`` and takes an optional one to draw into; nothing needs a display (Agg is fine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from kmslab.actions.table import ACTIONS
from kmslab.lab.views import call_records, lifecycle, scope

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS


def _axes(ax: Axes | None, size: tuple[float, float] = (8, 3.5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def plot_qps(
    kms: KMS | AccountView,
    *,
    since: int = 0,
    timebase: str = "service",
    bin_seconds: float = 1.0,
    actions: list[str] | None = None,
    limits: dict[str, float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Answered calls per second per action over time, with the limit as a dotted line.

    ``timebase="service"`` bins by the service clock (what the limiter counts, and
    reproducible on a virtual clock); ``"wall"`` bins by real time (what the machine
    achieved). Throttled calls are drawn faintly, dashed. ``limits`` (action -> calls
    per second) overrides the limit lines, which default to the limiter's current limits,
    else the documented ones.
    """
    if timebase not in ("service", "wall"):
        raise ValueError("timebase is 'service' or 'wall'")
    records = call_records(kms, since)
    service, _, _ = scope(kms)
    ax = _axes(ax)
    if records.empty:
        ax.set_title("no calls recorded")
        return ax
    if timebase == "service":
        t = (records["time"] - records["time"].min()).dt.total_seconds()
    else:
        t = records["wall"] - records["wall"].min()
    records = records.assign(t=np.floor(t / bin_seconds) * bin_seconds)
    names = actions or sorted(records["action"].unique())
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, name in enumerate(names):
        color = colors[i % len(colors)]
        mine = records[records["action"] == name]
        bins = np.arange(records["t"].min(), records["t"].max() + bin_seconds, bin_seconds)
        answered = mine[mine["outcome"] != "throttled"].groupby("t").size()
        throttled = mine[mine["outcome"] == "throttled"].groupby("t").size()
        rate = answered.reindex(bins, fill_value=0) / bin_seconds
        edges = np.append(bins, bins[-1] + bin_seconds)
        ax.stairs(rate.values, edges, color=color, lw=2, label=f"{name} answered")
        if len(throttled):
            t_rate = throttled.reindex(bins, fill_value=0) / bin_seconds
            ax.stairs(
                t_rate.values, edges, color=color, alpha=0.5, ls="--", label=f"{name} throttled"
            )
        limit = (limits or {}).get(name) or service.limiter.limits.get(name)
        limit = limit or (ACTIONS[name].qps if name in ACTIONS else 0)
        if limit:
            ax.axhline(limit, color=color, ls=":", lw=1.5, label=f"{name} limit {limit:g}/s")
    ax.set_xlabel(f"{timebase} time (s)")
    ax.set_ylabel("calls per second")
    ax.set_title(f"QPS per action ({timebase} clock)")
    # Outside the axes, on the right: inside, it would hide the throttled lines it names.
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return ax


def plot_latency(kms: KMS | AccountView, *, since: int = 0, ax: Axes | None = None) -> Axes:
    """The distribution of real latencies (µs) of answered calls, one box per action.

    Latencies are measured, not simulated: they differ from run to run and machine to
    machine, even in deterministic mode.
    """
    records = call_records(kms, since)
    records = records[records["outcome"] != "throttled"]
    ax = _axes(ax, (8, 0.5 + 0.45 * max(1, records["action"].nunique())))
    if records.empty:
        ax.set_title("no answered calls recorded")
        return ax
    names = sorted(records["action"].unique())
    data = [records.loc[records["action"] == n, "latency"].to_numpy() * 1e6 for n in names]
    ax.boxplot(data, orientation="horizontal", tick_labels=names, showfliers=False)
    ax.set_xscale("log")
    # Plain numbers in µs (10, 100, 1000), not 10^-2 ms or 3x10^-3 on minor ticks.
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("latency (µs, real time, log scale)")
    ax.set_title("latency per action")
    return ax


_MARKERS = {
    "created": ("o", "tab:green"),
    "enabled": ("^", "tab:green"),
    "disabled": ("v", "tab:gray"),
    "archived": ("s", "tab:purple"),
    "deletion scheduled": ("X", "tab:orange"),
    "deletion cancelled": ("P", "tab:blue"),
    "deleted": ("X", "tab:red"),
    "rotated": ("D", "tab:cyan"),
    "rotated (on demand)": ("D", "tab:cyan"),
}


def plot_lifecycle(kms: KMS | AccountView, key_id: str, *, ax: Axes | None = None) -> Axes:
    """A key's life on the service clock: creation, rotations, state changes, deletion."""
    frame = lifecycle(kms, key_id)
    tallest = int(frame.groupby("time").size().max()) if len(frame) else 1
    # Room for the tallest label above and below the axis line (about 11 points a line).
    ax = _axes(ax, (9, max(2.6, 1.1 + 2 * (11 * tallest + 16) / 72)))
    if frame.empty:
        ax.set_title(f"nothing recorded for {key_id}")
        return ax
    times = frame["time"].dt.tz_localize(None)
    # Events at one instant (say created, disabled and scheduled in one cell on a virtual
    # clock) share one label, one line each; successive instants alternate above and
    # below the axis so neighbouring labels do not collide either.
    groups: dict = {}
    for when, what in zip(times, frame["what"], strict=True):
        groups.setdefault(when, []).append(what)
    for i, (when, whats) in enumerate(groups.items()):
        for what in whats:
            marker, color = _MARKERS.get(what, ("o", "tab:gray"))
            ax.plot([when], [0], marker=marker, color=color, ms=9, ls="", alpha=0.8)
        above = i % 2 == 0
        ax.annotate(
            "\n".join(whats),
            (when, 0),
            xytext=(0, 12 if above else -12),
            textcoords="offset points",
            ha="center",
            va="bottom" if above else "top",
            fontsize="small",
        )
    ax.axhline(0, color="black", lw=0.5)
    ax.set_yticks([])
    ax.set_ylim(-1.5, 1.5)
    ax.margins(x=0.15)
    ax.set_title(f"lifecycle of {key_id} (service clock, UTC)")
    ax.figure.autofmt_xdate()
    return ax
