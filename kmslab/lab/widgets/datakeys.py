"""The hosted-data-key section of the lifecycle panel: data keys with state badges, and a
button per data-key lifecycle action.

A data key is generated under a chosen CMK (GenerateDataKey with IsHostedByKms=1); its
plaintext is dropped at once and never shown. Every button calls the action on the
selected data key, and a refusal (say, enabling a key whose CMK is disabled) shows the
documented code and message. The list is re-read from ``ListDataKeyDetail`` each time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from kmslab.lab.views import data_key_table
from kmslab.lab.widgets.panel import Panel, badge, button, fill_key_selector, table, when

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

# button name -> (label, action)
ACTIONS = {
    "enable": ("Enable", "EnableDataKey"),
    "disable": ("Disable", "DisableDataKey"),
    "schedule_deletion": ("Schedule deletion", "ScheduleDataKeyDeletion"),
    "cancel_deletion": ("Cancel deletion", "CancelDataKeyDeletion"),
}


class DataKeyPanel(Panel):
    """Host data keys under a CMK and walk them through their states, through the service.

    ``cmk`` is the CMK selector, ``name`` the name of a new data key, ``size`` its length
    in bytes, ``data_keys`` the data-key selector, ``days`` the pending window,
    ``buttons`` the buttons by name (``generate``, ``enable``, ``disable``,
    ``schedule_deletion``, ``cancel_deletion``, ``refresh``), ``table`` the list and
    ``status`` the outcome of the last action.
    """

    def __init__(self, kms: KMS | AccountView) -> None:
        super().__init__(kms)
        self.cmk = w.Dropdown(description="CMK", options=[], layout=w.Layout(width="420px"))
        self.name = w.Text(placeholder="name of a new data key", layout=w.Layout(width="200px"))
        self.size = w.BoundedIntText(
            value=32, min=1, max=1024, description="Bytes", layout=w.Layout(width="150px")
        )
        self.data_keys = w.Dropdown(
            description="Data key", options=[], layout=w.Layout(width="420px")
        )
        self.days = w.IntText(
            value=7,
            description="Window (days)",
            style={"description_width": "initial"},
            layout=w.Layout(width="200px"),
        )
        self.table = w.HTML()
        self.buttons: dict[str, w.Button] = {
            "generate": button("Generate hosted data key", "success"),
            "refresh": button("Refresh"),
        }
        for name, (label, _) in ACTIONS.items():
            self.buttons[name] = button(label, "danger" if name == "schedule_deletion" else "")
        self.buttons["generate"].on_click(lambda _: self.generate())
        self.buttons["refresh"].on_click(lambda _: self.refresh())
        for name, (_, action) in ACTIONS.items():
            self.buttons[name].on_click(lambda _, a=action: self.run(a))
        self.widget = w.VBox(
            [
                w.HTML("<b>Hosted data keys</b>"),
                w.HBox([self.cmk, self.name, self.size, self.buttons["generate"]]),
                w.HBox([self.data_keys, self.days, self.buttons["refresh"]]),
                w.HBox([self.buttons[n] for n in ACTIONS]),
                self.status,
                self.table,
            ]
        )
        self.widget.add_class("kmslab-data-keys")
        self.refresh()

    def generate(self) -> None:
        """Host a new data key under the selected CMK; its plaintext is never kept."""
        if not self.cmk.value:
            self.status.value = "<i>create an Enabled symmetric CMK first</i>"
            return
        params = {
            "KeyId": self.cmk.value,
            "NumberOfBytes": self.size.value,
            "IsHostedByKms": 1,
            "DataKeyName": self.name.value.strip(),
        }
        result = self.call("GenerateDataKey", params)
        self.refresh(select=result["DataKeyId"] if result else None)

    def run(self, action: str) -> None:
        """Run a data-key lifecycle ``action`` on the selected data key and refresh."""
        if not self.data_keys.value:
            self.status.value = "<i>select a data key first</i>"
            return
        params = {"DataKeyId": self.data_keys.value}
        if action == "ScheduleDataKeyDeletion":
            params["PendingWindowInDays"] = self.days.value
        self.call(action, params)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Re-read the CMKs and data keys from the service and redraw."""
        fill_key_selector(self.kms, self.cmk, "ENCRYPT_DECRYPT")
        rows = [
            {
                "DataKeyName": meta["DataKeyName"],
                "DataKeyId": meta["DataKeyId"],
                "CMK": meta["KeyName"] or meta["KeyId"],
                "Bytes": meta["NumberOfBytes"],
                "Origin": meta["Origin"],
                "State_html": badge(str(meta["KeyState"])),
                "Created": when(meta.get("CreateTime")),
                "Deletion": when(meta.get("DeletionDate")),
            }
            for meta in data_key_table(self.kms).to_dict("records")
        ]
        columns = list(rows[0]) if rows else []
        self.table.value = table(rows, columns) if rows else "<i>no hosted data keys yet</i>"
        current = select or self.data_keys.value
        options = [(f"{r['DataKeyName']} ({r['DataKeyId'][:8]}…)", r["DataKeyId"]) for r in rows]
        self.data_keys.options = options
        ids = [v for _, v in options]
        if current in ids:
            self.data_keys.value = current
        elif ids:
            self.data_keys.value = ids[0]

    def state_of(self, data_key_id: str) -> str:
        """The data key's state as the service reports it (DescribeDataKey)."""
        meta = self.kms.call("DescribeDataKey", {"DataKeyId": data_key_id})["DataKeyMetadata"]
        return meta["KeyState"]
