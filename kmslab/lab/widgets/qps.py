"""The QPS experiment panel: N calls of chosen actions under a chosen limit mode, then
the per-action QPS and latency view and the QPS plot.

On a virtual clock the offered rate is simulated exactly, so which calls are throttled
is reproducible; the latencies are real and vary.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import ipywidgets as w
import matplotlib.pyplot as plt

from kmslab.lab.experiment import EXPERIMENT_ACTIONS, Experiment, run_qps_experiment
from kmslab.lab.plots import plot_qps
from kmslab.lab.views import scope
from kmslab.lab.widgets.panel import Panel, button, esc

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

MODES = [("off", "off"), ("documented", "documented"), ("x0.1", 0.1), ("x0.01", 0.01)]


class QpsPanel(Panel):
    """Choose actions, N, the limit mode and an offered rate; run; see the results.

    ``result`` holds the last :class:`~kmslab.lab.experiment.Experiment`; ``summary``
    (HTML) its per-action view; ``plot`` (an Image) its QPS plot as PNG.
    """

    def __init__(self, kms: KMS | AccountView) -> None:
        super().__init__(kms)
        service, _, _ = scope(kms)
        self.actions = w.SelectMultiple(
            options=list(EXPERIMENT_ACTIONS), value=("Encrypt",), description="Actions", rows=6
        )
        self.n = w.IntText(value=600, description="N per action")
        self.mode = w.Dropdown(options=MODES, value="documented", description="Limits")
        self.rate = w.IntText(
            value=500 if service.clock.virtual else 0,
            description="Offered/s",
            tooltip="calls per service second per action (virtual clock); 0: all at once",
        )
        self.summary = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(display="none"))  # none until a run
        self.outputs = [self.summary, self.plot]
        self.result: Experiment | None = None
        self.buttons = {"run": button("Run experiment", "primary")}
        self.buttons["run"].on_click(lambda _: self.run())
        self.widget = w.VBox(
            [
                w.HTML("<b>QPS experiment</b>"),
                w.HBox([self.actions, w.VBox([self.n, self.mode, self.rate, self.buttons["run"]])]),
                self.status,
                self.summary,
                self.plot,
            ]
        )
        self.widget.add_class("kmslab-qps-panel")

    def run(self) -> Experiment | None:
        """Run the experiment as set up, then show the view and the plot."""
        try:
            self.result = run_qps_experiment(
                self.kms,
                self.actions.value,
                n=self.n.value,
                mode=self.mode.value,
                rate=self.rate.value or None,
            )
        except ValueError as exc:
            self.result = None
            self.refuse(str(exc))
            return None
        s = self.result.summary
        ax = plot_qps(
            self.kms,
            since=int(self.result.records["seq"].min()) - 1,
            limits=s["enforced_qps"].dropna().to_dict(),
        )
        png = io.BytesIO()
        figure = ax.get_figure(root=True)
        assert figure is not None
        figure.savefig(png, format="png", dpi=80)
        plt.close(figure)
        # The plot first, the words last: whoever waits for the status line (a reader, a
        # browser test) then finds the view and the plot already in place.
        self.plot.value = png.getvalue()
        self.plot.layout.display = None
        self.summary.value = s.to_html(float_format=lambda v: f"{v:.3g}", classes="kmslab-qps")
        self.status.value = (
            f"{int(s['calls'].sum())} calls, {int(s['throttled'].sum())} throttled "
            f"(limits: {esc(self.mode.label)}); latencies are real time"
        )
        return self.result
