"""The key console: the key table with filters, per-row actions valid in each key's state,
and a detail pane, like the KMS console of Tencent Cloud, as ipywidgets.

Built from widgets and traitlets, not HTML strings: the filters are observed widgets,
``selected`` and ``revision`` are traits, and a row is a box of labels and buttons. An
action a key's state does not allow is disabled, its tooltip saying why (the state
table's error code). The ``kind`` selector switches to the hosted data keys and the
white-box keys, whose filters, actions and details are their pages
(:mod:`kmslab.lab.widgets.console_pages`). The console redraws when another panel or the
clock changes the service, and after each notebook cell that did.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from kmslab.actions.errors import KMSError
from kmslab.core.groups import KNOWN_USAGES
from kmslab.core.model import STATES
from kmslab.core.states import STATE_TABLE
from kmslab.lab.views import key_extras, key_table, service_revision
from kmslab.lab.widgets.console_pages import PAGES, tag_filters
from kmslab.lab.widgets.panel import STATE_COLORS, Panel, button, close_all, esc, subscribe, when

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

ROW_ACTIONS = {
    # name: (label, action)
    "enable": ("Enable", "EnableKey"),
    "disable": ("Disable", "DisableKey"),
    "archive": ("Archive", "ArchiveKey"),
    "cancel_archive": ("Unarchive", "CancelKeyArchive"),
    "schedule_deletion": ("Delete…", "ScheduleKeyDeletion"),
    "cancel_deletion": ("Cancel deletion", "CancelKeyDeletion"),
    "enable_rotation": ("Rotation on", "EnableKeyRotation"),
    "disable_rotation": ("Rotation off", "DisableKeyRotation"),
    "rotate": ("Rotate now", "RotateKey"),
}
ROTATION_ACTIONS = ("EnableKeyRotation", "DisableKeyRotation", "RotateKey")
BOUND_REFUSES = ("DisableKey", "ArchiveKey", "ScheduleKeyDeletion")
"""Actions the service refuses for a key a cloud product depends on."""


def why_not(action: str, meta: dict, bindings: list | tuple = ()) -> str:
    """Why ``action`` cannot run on the key described by ``meta`` ("" if it can).

    The state table decides for the state; a key bound to a cloud resource cannot be
    disabled, archived or deleted; rotation also needs a symmetric key with kmslab-made
    material, and RotateKey needs rotation turned on."""
    state = str(meta["KeyState"])
    cell = STATE_TABLE[action].get(state, "")
    if cell.startswith(("ResourceUnavailable", "UnsupportedOperation")):
        return f"not while {state}: {cell}"
    if bindings and action in BOUND_REFUSES and cell.startswith("->"):
        product, resource = bindings[0]
        return (
            f"bound to {product}:{resource}; UnbindCloudResource first "
            "(FailedOperation.CmkUsedByCloudProduct)"
        )
    if action in ROTATION_ACTIONS:
        if meta.get("KeyUsage") != "ENCRYPT_DECRYPT" or meta.get("Origin") != "TENCENT_KMS":
            return "only symmetric keys with kmslab-made material rotate"
        enabled = bool(meta.get("KeyRotationEnabled"))
        if action == "RotateKey" and not enabled:
            return "turn rotation on first (EnableKeyRotation)"
        if action == "EnableKeyRotation" and enabled:
            return "rotation is already on"
        if action == "DisableKeyRotation" and not enabled:
            return "rotation is already off"
    return ""


def _rotation(meta: dict) -> str:
    if not meta.get("KeyRotationEnabled"):
        return "off"
    following = when(meta.get("NextRotateTime"), seconds=False)
    return f"every {meta.get('RotateDays')} days, next {following}"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


class KeyConsole(Panel, traitlets.HasTraits):
    """The key table (filters ``state``, ``usage``, ``search``, ``tag``), a row per key
    with its actions (``rows[key_id].buttons[name]``), and the ``detail`` pane of the
    ``selected`` key. With ``kind`` set to ``"data keys"`` or ``"white-box keys"`` the
    table is that kind's, filtered by ``pages[kind].filters``.

    ``revision`` counts redraws. ``window`` is the pending window ScheduleKeyDeletion uses.
    """

    selected = traitlets.Unicode("", help="the KeyId shown in the detail pane")
    revision = traitlets.Int(0, help="bumped at every redraw of the table")

    def __init__(self, kms: KMS | AccountView) -> None:
        Panel.__init__(self, kms)
        traitlets.HasTraits.__init__(self)
        wide = {"description_width": "initial"}
        self.state = w.Dropdown(options=["all", *STATES], description="State", style=wide)
        self.usage = w.Dropdown(options=["all", *KNOWN_USAGES], description="Usage", style=wide)
        self.search = w.Text(description="Alias", placeholder="search", style=wide)
        self.tag = w.Text(description="Tag", placeholder="key or key=value", style=wide)
        self.window = w.BoundedIntText(
            value=7, min=7, max=30, description="Deletion window (days)", style=wide
        )
        self.pages = {page.kind: page() for page in PAGES}
        self.kind = w.ToggleButtons(options=["CMKs", *self.pages], value="CMKs")
        self.kind_note = w.HTML()
        self.cmk_filters = [w.HBox([self.state, self.usage]), w.HBox([self.search, self.tag])]
        self.filter_box = w.VBox(self.cmk_filters)
        self.table = w.VBox()
        self.detail = w.VBox()
        self.rows: dict[str, w.HBox] = {}
        self.metas: dict[str, dict] = {}
        self.outputs = []
        self._seen: tuple | None = None
        self._shown = ""  # the kind of the rows on show
        self.buttons = {"refresh": button("Refresh")}
        self.buttons["refresh"].on_click(lambda _: self.refresh())
        controls = [self.state, self.usage, self.search, self.tag]
        controls += [c for page in self.pages.values() for c in page.filters.values()]
        for control in controls:
            control.observe(lambda _: self.refresh(), names="value")
        self.kind.observe(lambda _: self._switch_kind(), names="value")
        self.observe(lambda change: self._show_detail(), names="selected")
        self.widget = w.VBox(
            [
                w.HTML("<b>Key console</b>"),
                self.kind,
                self.kind_note,
                self.filter_box,
                self.buttons["refresh"],
                self.window,
                self.status,
                self.table,
                self.detail,
            ]
        )
        self.widget.add_class("kmslab-console")
        subscribe(kms, self.refresh)
        _after_each_cell(self)
        self.refresh()

    # -- the table -----------------------------------------------------------------------

    def _filters(self) -> dict:
        params: dict = {}
        if self.state.value != "all":
            params["KeyState"] = STATES.index(self.state.value) + 1  # 0 means all
        if self.usage.value != "all":
            params["KeyUsage"] = self.usage.value
        if self.search.value.strip():
            params["SearchKeyAlias"] = self.search.value.strip()
        if tag_filters(self.tag.value):
            params["TagFilters"] = tag_filters(self.tag.value)
        return params

    def _switch_kind(self) -> None:
        """Show the filters of the chosen kind (and the deletion window if it has one)."""
        page = self.pages.get(self.kind.value)
        self.filter_box.children = self.cmk_filters if page is None else page.filter_rows
        self.window.layout.display = "" if page is None or page.uses_window else "none"
        self.selected = ""
        self.refresh()

    def refresh(self) -> None:
        """Re-read the keys with the filters set, redraw the rows and the detail pane."""
        try:
            self._redraw()
        finally:  # after the redraw's own reads, which the call records count too
            self._seen = service_revision(self.kms)

    def _redraw(self) -> None:
        if self.kind.value in self.pages:
            self._redraw_page(self.pages[self.kind.value])
            return
        self.kind_note.value = ""
        try:
            frame = key_table(self.kms, **self._filters())
        except KMSError as exc:  # a filter the service refuses: show it, keep the old rows
            self._refused(exc)
            return
        self.metas = {m["KeyId"]: m for m in frame.to_dict("records")}
        self._shown = "CMKs"
        close_all(self.table.children)
        self.rows = {key_id: self._row(meta) for key_id, meta in self.metas.items()}
        header = self._line(
            [w.HTML(f"<b>{name}</b>") for name in ("Alias", "KeyId", "Usage", "State", "Created")]
        )
        rows = list(self.rows.values()) or [w.HTML("<i>no keys match</i>")]
        self.table.children = [header, *rows]
        if self.selected not in self.metas:
            self.selected = next(iter(self.metas), "")
        self._show_detail()
        self.revision += 1

    def _refused(self, exc: KMSError) -> None:
        """Show a refused filter; keep the rows only if they are of the kind shown."""
        self.last_error = exc
        if self._shown != self.kind.value:  # never another kind's rows under this kind
            close_all(self.table.children)
            close_all(self.detail.children)
            self.table.children, self.detail.children = [], []
            self.rows, self.metas, self._shown = {}, {}, self.kind.value
        self.status.value = (
            f'<span class="kmslab-error" style="color:#cf222e"><b>filter refused: '
            f"{esc(exc.code)}</b> {esc(exc.message)}</span>"
        )

    def _redraw_page(self, page: Any) -> None:
        """The table of a kind besides CMKs, from its page (:mod:`console_pages`)."""
        self.kind_note.value = f"<i>{esc(page.note)}</i>"
        try:
            metas = page.load(self.kms)
        except KMSError as exc:  # a filter the service refuses: show it, keep the old rows
            self._refused(exc)
            return
        self.metas, self._shown = metas, page.kind
        reasons = page.reasons(self.kms, metas)
        close_all(self.table.children)
        self.rows = {
            key_id: self._page_row(page, m, reasons[key_id]) for key_id, m in metas.items()
        }
        header = self._line([w.HTML(f"<b>{name}</b>") for name in page.columns])
        rows = list(self.rows.values()) or [w.HTML(f"<i>no {esc(page.kind)} match</i>")]
        self.table.children = [header, *rows]
        if self.selected not in self.metas:
            self.selected = next(iter(self.metas), "")
        self._show_detail()
        self.revision += 1

    def _page_row(self, page: Any, meta: dict, reasons: dict[str, str]) -> w.VBox:
        key_id, state = meta[page.id_field], str(meta[page.state_field])
        pick = w.Button(description=page.label(meta), tooltip="show details")
        pick.on_click(lambda _, k=key_id: setattr(self, "selected", k))
        badge = w.Label(
            value=state,
            style={"text_color": STATE_COLORS.get(state, "#57606a"), "font_weight": "bold"},
        )
        badge.add_class(f"kmslab-state-{state}")
        cells = [w.Label(value=v) for v in page.cells(meta)]
        cells[page.columns.index(page.state_column) - 1] = badge
        return self._row_box(key_id, [pick, *cells], page.actions, reasons)

    def _row_box(
        self, key_id: str, cells: list[w.Widget], actions: dict, reasons: dict[str, str]
    ) -> w.VBox:
        """A row: its cells, then a button per action (disabled, the tooltip the reason,
        where the key's state refuses it)."""
        buttons = {}
        for name, (label, action) in actions.items():
            reason = reasons[action]
            b = w.Button(description=label, disabled=bool(reason), tooltip=reason or action)
            b.layout.width = "auto"
            b.on_click(lambda _, a=action, k=key_id: self.run(a, k))
            buttons[name] = b
        actions_box = w.HBox(list(buttons.values()), layout=w.Layout(flex_flow="row wrap"))
        row = w.VBox(
            [self._line(cells), actions_box], layout=w.Layout(border_bottom="1px solid #d0d7de")
        )
        row.buttons = buttons
        row.pick = cells[0]
        row.add_class("kmslab-console-row")
        return row

    @staticmethod
    def _line(cells: list[w.Widget]) -> w.HBox:
        widths = ["150px", "320px", "300px", "120px", "130px", "130px"]
        for cell, width in zip(cells, widths, strict=False):
            cell.layout.width = width
        return w.HBox(cells)

    def _row(self, meta: dict) -> w.VBox:
        key_id, state = meta["KeyId"], str(meta["KeyState"])
        bindings = key_extras(self.kms, key_id)["bindings"]
        pick = w.Button(description=meta["Alias"] or "(no alias)", tooltip="show details")
        pick.on_click(lambda _, k=key_id: setattr(self, "selected", k))
        color = STATE_COLORS.get(state, "#57606a")
        badge = w.Label(value=state, style={"text_color": color, "font_weight": "bold"})
        badge.add_class(f"kmslab-state-{state}")
        reasons = {action: why_not(action, meta, bindings) for _, action in ROW_ACTIONS.values()}
        cells = [
            pick,
            w.Label(value=key_id),
            w.Label(value=meta["KeyUsage"]),
            badge,
            w.Label(value=when(meta.get("CreateTime"), seconds=False)),
        ]
        return self._row_box(key_id, cells, ROW_ACTIONS, reasons)

    def run(self, action: str, key_id: str) -> dict | None:
        """Run a row's ``action`` on ``key_id`` (the service has the last word), then redraw."""
        page = self.pages.get(self.kind.value)
        if page is not None:
            self.selected = key_id
            return self.call(action, page.action_params(action, key_id, self.window.value))
        params: dict = {"KeyId": key_id}
        if action == "ScheduleKeyDeletion":
            params["PendingWindowInDays"] = self.window.value
        self.selected = key_id
        # A success redraws every subscribed panel, this one included (once: a second
        # redraw would replace the rows again under the user's next click); a refusal
        # changed nothing.
        return self.call(action, params)

    def refresh_if_changed(self) -> bool:
        """Redraw if the service changed since the last redraw; whether it did."""
        if service_revision(self.kms) == self._seen:
            return False
        self.refresh()
        return True

    # -- the detail pane ------------------------------------------------------------------

    def _show_detail(self) -> None:
        meta = self.metas.get(self.selected)
        close_all(self.detail.children)
        if meta is None:
            self.detail.children = []
            return
        page = self.pages.get(self.kind.value)
        if page is not None:
            facts = page.facts(meta)
            self.detail.children = [w.HTML(f"<b>{esc(page.label(meta))}</b>"), _grid(facts)]
            return
        extras = key_extras(self.kms, self.selected)
        facts = {
            "KeyId": meta["KeyId"],
            "Alias": meta["Alias"],
            "Description": meta.get("Description", ""),
            "State": str(meta["KeyState"]),
            "Usage": meta["KeyUsage"],
            "Origin": meta.get("Origin", ""),
            "Created": when(meta.get("CreateTime"), seconds=False),
            "Rotation": _rotation(meta),
            "Deletion date": when(meta.get("DeletionDate"), seconds=False) or "not scheduled",
            "Bindings": ", ".join(f"{p}:{r}" for p, r in extras["bindings"]) or "none",
            "Tags": ", ".join(f"{k}={v}" for k, v in extras["tags"].items()) or "none",
        }
        grid = _grid(facts)
        versions = w.GridBox(
            [w.HTML("<b>version</b>"), w.HTML("<b>created</b>"), w.HTML("<b>fingerprint</b>")]
            + [
                x
                for v in extras["versions"]
                for x in (
                    w.Label(value=str(v["version"])),
                    w.Label(value=_iso(v["created"])),
                    w.Label(value=v["fingerprint"]),
                )
            ],
            layout=w.Layout(grid_template_columns="80px 200px auto"),
        )
        versions.add_class("kmslab-console-versions")
        self.detail.children = [w.HTML(f"<b>{esc(meta['Alias'])}</b>"), grid, versions]


def _grid(facts: dict) -> w.GridBox:
    """The detail pane's name/value grid."""
    return w.GridBox(
        [x for k, v in facts.items() for x in (w.Label(value=k), w.Label(value=str(v)))],
        layout=w.Layout(grid_template_columns="140px auto"),
    )


def _after_each_cell(console: KeyConsole) -> None:
    """In IPython, redraw after every cell that changed the service (a plain ``kms.X()``
    call in a cell reaches no panel); held weakly, so a dropped console stops listening."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipywidgets brings IPython
        return
    shell = get_ipython()
    if shell is None:
        return
    import weakref

    ref = weakref.ref(console)

    def hook(*_args: object) -> None:
        alive = ref()
        if alive is None:
            shell.events.unregister("post_run_cell", hook)
        else:
            alive.refresh_if_changed()

    shell.events.register("post_run_cell", hook)
