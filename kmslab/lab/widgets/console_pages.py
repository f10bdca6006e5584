"""The data-key and white-box-key pages of the key console: for each kind its filters,
its table columns, its row actions with the reason a state refuses one, and the facts
its detail pane shows.

Reasons come from the kind's rules: a hosted data key's from its state table and its
CMK table (:mod:`kmslab.core.datakey`), a white-box key's from :data:`WHITE_BOX_RULES`,
the documented rules of its three actions. Pages read through the public API (the
``data_key_table`` and ``whitebox_key_table`` views) and ``kms.inspect``, read-only;
never an EncryptKey, DecryptKey or plaintext.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from kmslab.core.datakey import CMK_TABLE, DATA_KEY_STATES, RESTORE
from kmslab.core.datakey import OK as DK_OK
from kmslab.core.datakey import STATE_TABLE as DATA_KEY_TABLE
from kmslab.core.model import DISABLED, ENABLED
from kmslab.core.whitebox_key import WHITE_BOX_STATES
from kmslab.lab.views import data_key_table, scope, whitebox_key_table
from kmslab.lab.widgets.panel import when

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

OK = "ok"
# fmt: off
WHITE_BOX_RULES: dict[str, dict[str, str]] = {
    #                      Enabled          Disabled
    "EnableWhiteBoxKey":  {ENABLED: OK,            DISABLED: "->Enabled"},
    "DisableWhiteBoxKey": {ENABLED: "->Disabled",  DISABLED: OK},
    "DeleteWhiteBoxKey":  {ENABLED: "FailedOperation", DISABLED: "->(deleted)"},
}
# fmt: on
"""White-box action x status, as documented: enabling or disabling a key already there
is a no-op, and a key is deleted (at once, no pending window) only once Disabled."""


def tag_filters(text: str) -> list[dict]:
    """``key`` or ``key=value`` as the ``TagFilters`` of a list action (``[]`` if blank)."""
    text = text.strip()
    if not text:
        return []
    name, _, value = text.partition("=")
    return [{"TagKey": name.strip(), **({"TagValue": [value.strip()]} if value else {})}]


def frame_tags(meta: dict) -> dict[str, str]:
    """The ``tag:<TagKey>`` columns of a view's row that hold a value."""
    return {k[4:]: v for k, v in meta.items() if k.startswith("tag:") and v is not None and v == v}


def data_key_why_not(action: str, meta: dict, cmk_state: str | None, restore_to: str) -> str:
    """Why ``action`` cannot run on the data key ``meta`` ("" if it can).

    The data-key state table decides for its state; a move to Enabled (EnableDataKey, or
    CancelDataKeyDeletion restoring ``restore_to``) also needs a CMK, in ``cmk_state``
    (None: gone), that the CMK table allows."""
    state = str(meta["KeyState"])
    cell = DATA_KEY_TABLE[action][state]
    if cell != DK_OK and not cell.startswith("->"):
        return f"not while {state}: {cell}"
    target = (restore_to or DISABLED) if cell == RESTORE else cell[2:] if cell != DK_OK else ""
    if target == ENABLED and action in CMK_TABLE:
        if cmk_state is None:
            return f"its CMK {meta['KeyId']} is gone: ResourceUnavailable.CmkNotFound"
        cmk_cell = CMK_TABLE[action][cmk_state]
        if cmk_cell != DK_OK:
            return f"its CMK is {cmk_state}: {cmk_cell}"
    return ""


def white_box_why_not(action: str, meta: dict) -> str:
    """Why ``action`` cannot run on the white-box key ``meta`` ("" if it can)."""
    status = str(meta["Status"])
    cell = WHITE_BOX_RULES[action][status]
    if cell == OK or cell.startswith("->"):
        return ""
    return f"not while {status}: {cell} (DisableWhiteBoxKey first)"


class DataKeyPage:
    """Hosted data keys: filters state, CMK, length, origin, name and tag."""

    kind = "data keys"
    id_field = "DataKeyId"
    state_field = "KeyState"
    columns = ("Name", "DataKeyId", "CMK", "Bytes", "State", "Created")
    state_column = "State"
    note = "Hosted data keys, as ListDataKeyDetail lists them; Delete… uses the window below."
    actions = {
        "enable": ("Enable", "EnableDataKey"),
        "disable": ("Disable", "DisableDataKey"),
        "schedule_deletion": ("Delete…", "ScheduleDataKeyDeletion"),
        "cancel_deletion": ("Cancel deletion", "CancelDataKeyDeletion"),
    }
    uses_window = True

    def __init__(self) -> None:
        wide = {"description_width": "initial"}
        self.filters = {
            "state": w.Dropdown(options=["all", *DATA_KEY_STATES], description="State", style=wide),
            "origin": w.Dropdown(
                options=["all", "TENCENT_KMS", "EXTERNAL"], description="Origin", style=wide
            ),
            "cmk": w.Text(description="CMK", placeholder="KeyId", style=wide),
            "length": w.IntText(value=0, description="Bytes (0: any)", style=wide),
            "search": w.Text(description="Name", placeholder="search", style=wide),
            "tag": w.Text(description="Tag", placeholder="key or key=value", style=wide),
        }
        f = self.filters
        self.filter_rows = [
            w.HBox([f["state"], f["origin"], f["length"]]),
            w.HBox([f["cmk"], f["search"], f["tag"]]),
        ]

    def params(self) -> dict:
        """The ``ListDataKeyDetail`` filters the controls set."""
        f = self.filters
        params: dict = {}
        if f["state"].value != "all":
            params["KeyState"] = DATA_KEY_STATES.index(f["state"].value) + 1  # 0 means all
        if f["origin"].value != "all":
            params["Origin"] = f["origin"].value
        if f["cmk"].value.strip():
            params["KeyId"] = f["cmk"].value.strip()
        if f["length"].value:
            params["DataKeyLen"] = f["length"].value
        if f["search"].value.strip():
            params["SearchKeyAlias"] = f["search"].value.strip()
        if tag_filters(f["tag"].value):
            params["TagFilters"] = tag_filters(f["tag"].value)
        return params

    def load(self, kms: KMS | AccountView) -> dict[str, dict]:
        """The data keys the filters pick, by id (may raise the service's KMSError)."""
        frame = data_key_table(kms, **self.params())
        return {m["DataKeyId"]: m for m in frame.to_dict("records")}

    def reasons(self, kms: KMS | AccountView, metas: dict[str, dict]) -> dict[str, dict]:
        """For each key, action -> why not ("" if allowed)."""
        service, uin, region = scope(kms)
        stored = {d.data_key_id: d for d in service.inspect.resources("data_key", uin, region)}
        cmk_states: dict[str, str | None] = {}
        out = {}
        for data_key_id, meta in metas.items():
            cmk = meta["KeyId"]
            if cmk not in cmk_states:
                try:
                    cmk_states[cmk] = service.inspect.key(cmk, uin, region).state
                except KeyError:
                    cmk_states[cmk] = None
            dk = stored.get(data_key_id)
            restore_to = dk.state_before_deletion if dk is not None else ""
            out[data_key_id] = {
                action: data_key_why_not(action, meta, cmk_states[cmk], restore_to)
                for _, action in self.actions.values()
            }
        return out

    def action_params(self, action: str, key_id: str, window: int) -> dict:
        """The request of a row action."""
        params: dict = {"DataKeyId": key_id}
        if action == "ScheduleDataKeyDeletion":
            params["PendingWindowInDays"] = window
        return params

    @staticmethod
    def label(meta: dict) -> str:
        """The row's name button."""
        return meta.get("DataKeyName") or "(no name)"

    @staticmethod
    def cells(meta: dict) -> list[str]:
        """The row's cells after the name."""
        cmk = meta.get("KeyName") or meta["KeyId"]
        return [
            meta["DataKeyId"],
            cmk,
            str(meta.get("NumberOfBytes", "")),
            str(meta["KeyState"]),
            when(meta.get("CreateTime"), seconds=False),
        ]

    @staticmethod
    def facts(meta: dict) -> dict[str, str]:
        """The detail pane: metadata only, never the data key."""
        return {
            "DataKeyId": meta["DataKeyId"],
            "Name": meta.get("DataKeyName", ""),
            "Description": meta.get("Description", "") or "",
            "State": str(meta["KeyState"]),
            "CMK": f"{meta['KeyId']} ({meta.get('KeyName') or 'no alias'})",
            "Length": f"{meta.get('NumberOfBytes')} bytes",
            "Origin": meta.get("Origin", ""),
            "Created": when(meta.get("CreateTime"), seconds=False),
            "Deletion date": when(meta.get("DeletionDate"), seconds=False) or "not scheduled",
            "Tags": ", ".join(f"{k}={v}" for k, v in frame_tags(meta).items()) or "none",
        }


class WhiteBoxPage:
    """White-box keys: filters status and tag."""

    kind = "white-box keys"
    id_field = "KeyId"
    state_field = "Status"
    columns = ("Alias", "KeyId", "Algorithm", "Status", "Devices", "Created")
    state_column = "Status"
    note = "White-box keys, as DescribeWhiteBoxKeyDetails lists them; deletion is at once."
    actions = {
        "enable": ("Enable", "EnableWhiteBoxKey"),
        "disable": ("Disable", "DisableWhiteBoxKey"),
        "delete": ("Delete", "DeleteWhiteBoxKey"),
    }
    uses_window = False

    def __init__(self) -> None:
        wide = {"description_width": "initial"}
        self.filters = {
            "status": w.Dropdown(
                options=["all", *WHITE_BOX_STATES], description="Status", style=wide
            ),
            "tag": w.Text(description="Tag", placeholder="key or key=value", style=wide),
        }
        self.filter_rows = [w.HBox([self.filters["status"], self.filters["tag"]])]

    def params(self) -> dict:
        """The ``DescribeWhiteBoxKeyDetails`` filters the controls set."""
        params: dict = {}
        status = self.filters["status"].value
        if status != "all":
            params["KeyStatus"] = 1 if status == ENABLED else 0
        if tag_filters(self.filters["tag"].value):
            params["TagFilters"] = tag_filters(self.filters["tag"].value)
        return params

    def load(self, kms: KMS | AccountView) -> dict[str, dict]:
        """The white-box keys the filters pick, by id (may raise the service's KMSError)."""
        frame = whitebox_key_table(kms, **self.params())
        return {m["KeyId"]: m for m in frame.to_dict("records")}

    def reasons(self, kms: KMS | AccountView, metas: dict[str, dict]) -> dict[str, dict]:
        """For each key, action -> why not ("" if allowed)."""
        return {
            key_id: {a: white_box_why_not(a, meta) for _, a in self.actions.values()}
            for key_id, meta in metas.items()
        }

    @staticmethod
    def action_params(action: str, key_id: str, window: int) -> dict:
        """The request of a row action."""
        return {"KeyId": key_id}

    @staticmethod
    def label(meta: dict) -> str:
        """The row's name button."""
        return meta.get("Alias") or "(no alias)"

    @staticmethod
    def cells(meta: dict) -> list[str]:
        """The row's cells after the alias."""
        return [
            meta["KeyId"],
            meta["Algorithm"],
            str(meta["Status"]),
            str(meta["devices"]),
            when(meta.get("CreateTime"), seconds=False),
        ]

    @staticmethod
    def facts(meta: dict) -> dict[str, str]:
        """The detail pane: never the EncryptKey or DecryptKey."""
        return {
            "KeyId": meta["KeyId"],
            "Alias": meta["Alias"],
            "Description": meta.get("Description", "") or "",
            "Algorithm": meta["Algorithm"],
            "Status": str(meta["Status"]),
            "Created": when(meta.get("CreateTime"), seconds=False),
            "Bound devices": str(meta["devices"]),
            "Tags": ", ".join(f"{k}={v}" for k, v in frame_tags(meta).items()) or "none",
        }


PAGES = (DataKeyPage, WhiteBoxPage)
"""The console's kinds besides CMKs."""
