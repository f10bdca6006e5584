"""The key lifecycle panel: keys with state badges, and a button per lifecycle action.

Each button calls the action on the selected key; a refusal (say, archiving a key that
is pending deletion) shows the documented code and message. The list is re-read from
``ListKeyDetail`` after every action, so the panel always shows the service's truth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from kmslab.lab.views import key_table
from kmslab.lab.widgets.datakeys import DataKeyPanel
from kmslab.lab.widgets.panel import Panel, badge, button, key_label, table, when

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

# button name -> (label, action)
ACTIONS = {
    "enable": ("Enable", "EnableKey"),
    "disable": ("Disable", "DisableKey"),
    "archive": ("Archive", "ArchiveKey"),
    "cancel_archive": ("Cancel archive", "CancelKeyArchive"),
    "enable_rotation": ("Enable rotation", "EnableKeyRotation"),
    "rotate": ("Rotate now", "RotateKey"),
    "schedule_deletion": ("Schedule deletion", "ScheduleKeyDeletion"),
    "cancel_deletion": ("Cancel deletion", "CancelKeyDeletion"),
}


class LifecyclePanel(Panel):
    """Create keys and walk them through their states, through the service.

    ``keys`` is the key selector, ``alias`` the alias for a new key, ``days`` the
    pending window for deletion, ``buttons`` the buttons by name (``create``,
    ``enable``, ``disable``, ``archive``, ``cancel_archive``, ``enable_rotation``,
    ``rotate``, ``schedule_deletion``, ``cancel_deletion``, ``refresh``), ``table`` the
    key list and ``status`` the outcome of the last action. ``data_keys`` is the section
    for hosted data keys (:class:`~kmslab.lab.widgets.datakeys.DataKeyPanel`).
    """

    def __init__(self, kms: KMS | AccountView) -> None:
        super().__init__(kms)
        self.alias = w.Text(placeholder="alias of a new key", layout=w.Layout(width="200px"))
        self.keys = w.Dropdown(description="Key", options=[], layout=w.Layout(width="420px"))
        self.days = w.IntText(
            value=7,
            description="Window (days)",
            style={"description_width": "initial"},
            layout=w.Layout(width="200px"),
        )
        self.table = w.HTML()
        self.buttons: dict[str, w.Button] = {
            "create": button("Create key", "success"),
            "refresh": button("Refresh"),
        }
        for name, (label, _) in ACTIONS.items():
            self.buttons[name] = button(label, "danger" if name == "schedule_deletion" else "")
        self.buttons["create"].on_click(lambda _: self.create())
        self.buttons["refresh"].on_click(lambda _: self.refresh())
        for name, (_, action) in ACTIONS.items():
            self.buttons[name].on_click(lambda _, a=action: self.run(a))
        self.data_keys = DataKeyPanel(kms)
        self.widget = w.VBox(
            [
                w.HTML("<b>Key lifecycle</b>"),
                w.HBox([self.alias, self.buttons["create"], self.buttons["refresh"]]),
                w.HBox([self.keys, self.days]),
                w.HBox([self.buttons[n] for n in ACTIONS]),
                self.status,
                self.table,
                self.data_keys.widget,
            ]
        )
        self.widget.add_class("kmslab-lifecycle")
        self.refresh()

    def create(self) -> None:
        """Create a symmetric key with the alias typed (CreateKey), then select it."""
        result = self.call("CreateKey", {"Alias": self.alias.value.strip()})
        self.refresh(select=result["KeyId"] if result else None)

    def run(self, action: str) -> None:
        """Run a lifecycle ``action`` on the selected key and refresh."""
        if not self.keys.value:
            self.status.value = "<i>select a key first</i>"
            return
        params = {"KeyId": self.keys.value}
        if action == "ScheduleKeyDeletion":
            params["PendingWindowInDays"] = self.days.value
        self.call(action, params)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Re-read the keys from the service and redraw the list and selector."""
        frame = key_table(self.kms)
        rows = []
        for meta in frame.to_dict("records"):
            state = str(meta["KeyState"])
            rows.append(
                {
                    "Alias": meta["Alias"],
                    "KeyId": meta["KeyId"],
                    "KeyUsage": meta["KeyUsage"],
                    "State_html": badge(state),
                    "Created": when(meta.get("CreateTime")),
                    "Rotation": f"every {meta['RotateDays']} days"
                    if meta.get("KeyRotationEnabled")
                    else "off",
                    "Deletion": when(meta.get("DeletionDate")),
                }
            )
        columns = ["Alias", "KeyId", "KeyUsage", "State_html", "Created", "Rotation", "Deletion"]
        self.table.value = table(rows, columns) if rows else "<i>no keys yet</i>"
        current = select or self.keys.value
        options = [(key_label(r["Alias"], r["KeyId"]), r["KeyId"]) for r in rows]
        self.keys.options = options
        ids = [v for _, v in options]
        if current in ids:
            self.keys.value = current
        elif ids:
            self.keys.value = ids[0]
        self.data_keys.refresh()  # a CMK's state decides what its data keys can do

    def state_of(self, key_id: str) -> str:
        """The key's state as the service reports it (DescribeKey), for tests and cells."""
        return self.kms.call("DescribeKey", {"KeyId": key_id})["KeyMetadata"]["KeyState"]
