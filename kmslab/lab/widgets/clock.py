"""The clock control: advance the virtual clock and see what fell due.

Time travel is how a notebook shows automatic rotation and scheduled deletion without
waiting a week; the events listed are the ones the service's clock jobs produced.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import ipywidgets as w

from kmslab.lab.views import scope
from kmslab.lab.widgets.panel import Panel, button, changed, esc, table

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS


MAX_DAYS = 3660
"""The longest single advance: ten years runs every rotation due in a moment, while a
typo of a few more zeros would run millions of jobs or pass the year 9999."""


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


class ClockControl(Panel):
    """Advance the service's virtual clock by ``days`` and list the events that fell due.

    ``on_advance``: callables run after each advance (for example another panel's
    ``refresh``), so every view on the page moves with the clock.
    """

    def __init__(
        self, kms: KMS | AccountView, on_advance: list[Callable[[], None]] | None = None
    ) -> None:
        super().__init__(kms)
        self.service, _, _ = scope(kms)
        self.on_advance = list(on_advance or [])
        self.days = w.FloatText(
            value=1,
            description="Days",
            tooltip=f"0 to {MAX_DAYS}",
            layout=w.Layout(width="160px"),
        )
        self.now = w.HTML()
        self.events = w.HTML()
        self.outputs = [self.events]
        self.last_events: list = []
        self.buttons = {"advance": button("Advance", "primary")}
        self.buttons["advance"].on_click(lambda _: self.advance())
        self.widget = w.VBox(
            [
                w.HTML("<b>Virtual clock</b>"),
                w.HBox([self.days, self.buttons["advance"], self.now]),
                self.status,
                self.events,
            ]
        )
        self.widget.add_class("kmslab-clock")
        self._show_now()

    def _show_now(self) -> None:
        self.now.value = f"<code>now: {esc(_iso(self.service.clock.now()))}</code>"

    def advance(self, days: float | None = None) -> list:
        """Move the clock forward; show and return the events (rotations, deletions...).

        ``days`` must be a number from 0 to :data:`MAX_DAYS`; anything else is refused
        with a message and the clock does not move.
        """
        days = self.days.value if days is None else days
        if not self.service.clock.virtual:
            self.refuse("this service runs on real time; use KMS(seed=...) or clock='virtual'")
            return []
        why = _refusal(days, self.service.clock.now())
        if why:
            self.refuse(why)
            self._show_now()
            return []
        try:
            self.last_events = self.service.clock.advance(days=days)  # type: ignore[attr-defined]
        except (ValueError, OverflowError) as exc:
            self.refuse(f"the clock could not advance {days:g} day(s): {exc}")
            self._show_now()
            return []
        self.status.value = f"advanced {days:g} day(s): {len(self.last_events)} event(s)"
        rows = [
            {"time": _iso(e.time), "event": e.kind, "KeyId": e.key_id, "detail": e.detail}
            for e in self.last_events
        ]
        self.events.value = table(rows, ["time", "event", "KeyId", "detail"]) if rows else ""
        self._show_now()
        for hook in self.on_advance:
            hook()
        changed(self.kms)
        return self.last_events


def _refusal(days: object, now: float) -> str:
    """Why ``days`` cannot be advanced from ``now`` ("" if it can)."""
    if isinstance(days, bool) or not isinstance(days, (int, float)) or not math.isfinite(days):
        return f"days must be a number from 0 to {MAX_DAYS}, not {days!r}"
    if days < 0:
        return "the virtual clock never goes backwards"
    if days > MAX_DAYS:
        return f"at most {MAX_DAYS} days (ten years) per step, not {days:g}"
    try:
        datetime.fromtimestamp(now + days * 86400, timezone.utc)
    except (ValueError, OverflowError, OSError):
        return f"{days:g} days from now is past the last date Python can represent"
    return ""
