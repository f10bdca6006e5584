"""What every panel shares: calling the service, reporting the outcome, HTML helpers.

A panel never lets an exception escape into the notebook: a refused call is shown
with its documented code and message, which is the lesson a learner needs.
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from kmslab.actions.errors import KMSError

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

STATE_COLORS = {
    "Enabled": "#1a7f37",
    "Disabled": "#6e7781",
    "PendingDelete": "#cf222e",
    "PendingImport": "#9a6700",
    "Archived": "#8250df",
}


def esc(value: Any) -> str:
    """HTML-escape anything for display."""
    return html.escape(str(value))


def when(value: Any, seconds: bool = True) -> str:
    """A timestamp from a view (pandas Timestamp, or None/NaT for "never") as table text."""
    if value is None or value != value:  # None or NaT
        return ""
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def badge(state: str) -> str:
    """A coloured state badge; the class names let a browser test find it."""
    color = STATE_COLORS.get(state, "#57606a")
    return (
        f'<span class="kmslab-badge kmslab-state-{esc(state)}" style="background:{color};'
        f'color:white;border-radius:8px;padding:1px 8px;font-size:85%">{esc(state)}</span>'
    )


def table(rows: list[dict], columns: list[str], css: str = "kmslab-table") -> str:
    """A small HTML table; values are escaped unless the column name ends with ``_html``."""
    head = "".join(
        f"<th style='text-align:left'>{esc(c.removesuffix('_html'))}</th>" for c in columns
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='padding:2px 8px'>"
            f"{r.get(c, '') if c.endswith('_html') else esc(r.get(c, ''))}</td>"
            for c in columns
        )
        + "</tr>"
        for r in rows
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


_LISTENERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
READ_ONLY_PREFIXES = ("Describe", "List", "Get")
"""Actions named so only read; the rest may change the service and notify listeners."""


def _service(kms: Any) -> Any:
    return getattr(kms, "kms", kms)


def subscribe(kms: KMS | AccountView, callback: Callable[[], None]) -> None:
    """Call ``callback`` (a bound method, held weakly) after any panel changes ``kms``'s
    service: every panel's call and every clock advance go through :func:`changed`."""
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else (lambda: callback)
    _LISTENERS.setdefault(_service(kms), []).append(ref)


def changed(kms: KMS | AccountView) -> None:
    """Tell every subscribed panel that the service may have changed."""
    refs = _LISTENERS.get(_service(kms), [])
    alive = []
    for ref in list(refs):
        callback = ref()
        if callback is not None:
            alive.append(ref)
            callback()
    refs[:] = alive


class Panel:
    """Base of the panels: holds the service, the status line and the root widget."""

    def __init__(self, kms: KMS | AccountView) -> None:
        self.kms = kms
        self.status = w.HTML(value="")
        self.last_error: KMSError | None = None
        self.widget: w.Widget = w.VBox()
        self.outputs: list[w.Widget] = []
        """Widgets showing the last result; cleared whenever an action is refused."""

    def clear_outputs(self) -> None:
        """Blank every result widget, so no earlier result stands next to a refusal."""
        for out in self.outputs:
            if isinstance(out, w.Image):
                out.value = b""
                out.layout.display = "none"
            else:
                out.value = ""

    def refuse(self, why: str) -> None:
        """Show ``why`` as a refusal (red) and clear the results."""
        self.clear_outputs()
        self.status.value = f'<span class="kmslab-error" style="color:#cf222e">{esc(why)}</span>'

    def call(self, action: str, params: dict) -> dict | None:
        """Run ``action``; show and return its result, or show its error, clear the
        results and return None."""
        try:
            result = self.kms.call(action, params)
        except KMSError as exc:
            self.last_error = exc
            self.clear_outputs()
            self.status.value = (
                f'<span class="kmslab-error" style="color:#cf222e"><b>{esc(action)} refused: '
                f"{esc(exc.code)}</b> {esc(exc.message)}</span>"
            )
            return None
        self.last_error = None
        self.status.value = (
            f'<span class="kmslab-ok" style="color:#1a7f37"><b>{esc(action)}</b> ok</span>'
        )
        if not action.startswith(READ_ONLY_PREFIXES):
            changed(self.kms)
        return result

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def key_label(alias: str, key_id: str) -> str:
    """``alias (…last 12 of the id)``: key ids are time-based UUIDs, so keys made at one
    instant share their first characters; the random node at the end tells them apart."""
    return f"{alias or '(no alias)'} (…{key_id[-12:]})"


def fill_key_selector(kms, selector: w.Dropdown, usage: str) -> None:
    """Offer the Enabled keys of ``usage`` (via ListKeyDetail), keeping the current choice
    when it is still offered: the panels' key pickers all refresh this way."""
    found = kms.call("ListKeyDetail", {"KeyState": 1, "KeyUsage": usage, "Limit": 200})
    current = selector.value
    selector.options = [
        (key_label(m["Alias"], m["KeyId"]), m["KeyId"]) for m in found["KeyMetadatas"]
    ]
    ids = [m["KeyId"] for m in found["KeyMetadatas"]]
    if ids:
        selector.value = current if current in ids else ids[0]


def close_all(widgets) -> None:
    """Close widgets and everything inside them: a redraw that replaces rows must free
    the old ones, or the kernel and the page keep every widget ever drawn."""
    for widget in list(widgets):
        close_all(getattr(widget, "children", ()))
        for part in ("layout", "style"):  # widgets of their own, one per widget
            inner = getattr(widget, part, None)
            if isinstance(inner, w.Widget):
                inner.close()
        widget.close()


def button(description: str, style: str = "") -> w.Button:
    """A compact button."""
    return w.Button(description=description, button_style=style, layout=w.Layout(width="auto"))
