"""The white-box panel: create keys, bind devices, encrypt on the service, and decrypt
offline as one device or another.

Every service step is a white-box action (a refusal shows its documented code); the
offline step uses only the downloaded SDK and the DecryptKey, as a device would, and a
device not bound to the key shows Tencent's SDK code ``01000016``. The panel never shows
an EncryptKey or DecryptKey, only the SHA-256 prefix of the DecryptKey in the key table.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import ipywidgets as w

from kmslab.actions.errors import KMSError
from kmslab.lab.views import scope, whitebox_key_table
from kmslab.lab.widgets.panel import Panel, badge, button, esc, table
from kmslab.whitebox import SDK, WhiteBoxError, decrypt, device_fingerprint, is_fingerprint

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

ACTIONS = {
    "enable": ("Enable", "EnableWhiteBoxKey"),
    "disable": ("Disable", "DisableWhiteBoxKey"),
    "delete": ("Delete", "DeleteWhiteBoxKey"),
}


class WhiteBoxPanel(Panel):
    """White-box keys through the service, and the device side offline.

    Widgets: ``alias`` and ``algorithm`` for a new key, ``keys`` the key selector,
    ``devices`` (one fingerprint per line) for binding, ``plaintext``, ``device`` (the
    fingerprint the offline decryption plays; empty: this machine's), ``output`` (the IV
    and ciphertext of the last encryption), ``result`` (the offline outcome), ``table``,
    and ``buttons`` by name: ``create``, ``enable``, ``disable``, ``delete``, ``bind``,
    ``encrypt``, ``decrypt``, ``refresh``.
    """

    def __init__(self, kms: KMS | AccountView) -> None:
        super().__init__(kms)
        self.alias = w.Text(placeholder="alias of a new key", layout=w.Layout(width="200px"))
        self.algorithm = w.Dropdown(options=["SM4", "AES_256"], value="SM4", description="Alg")
        self.keys = w.Dropdown(description="Key", options=[], layout=w.Layout(width="420px"))
        self.devices = w.Textarea(placeholder="device fingerprints, one per line (empty: unbind)")
        self.plaintext = w.Textarea(value="a secret for the device", description="Plaintext")
        self.device = w.Text(
            placeholder="fingerprint to play (empty: this device)",
            description="Device",
            layout=w.Layout(width="640px"),
        )
        self.output = w.HTML()
        self.result = w.HTML()
        self.table = w.HTML()
        self.buttons: dict[str, w.Button] = {
            "create": button("Create white-box key", "success"),
            "refresh": button("Refresh"),
            "bind": button("Bind devices (re-issues the DecryptKey)", "warning"),
            "encrypt": button("EncryptByWhiteBox"),
            "decrypt": button("Decrypt offline"),
        }
        for name, (label, _) in ACTIONS.items():
            self.buttons[name] = button(label, "danger" if name == "delete" else "")
        self.buttons["create"].on_click(lambda _: self.create())
        self.buttons["refresh"].on_click(lambda _: self.refresh())
        self.buttons["bind"].on_click(lambda _: self.bind())
        self.buttons["encrypt"].on_click(lambda _: self.encrypt())
        self.buttons["decrypt"].on_click(lambda _: self.decrypt_offline())
        for name, (_, action) in ACTIONS.items():
            self.buttons[name].on_click(lambda _, a=action: self.run(a))
        self._sdk: SDK | None = None
        self._last: dict | None = None
        self.widget = w.VBox(
            [
                w.HTML("<b>White-box keys</b>"),
                w.HBox(
                    [self.alias, self.algorithm, self.buttons["create"], self.buttons["refresh"]]
                ),
                w.HBox([self.keys, *(self.buttons[n] for n in ACTIONS)]),
                w.HBox([self.devices, self.buttons["bind"]]),
                w.HBox([self.plaintext, self.buttons["encrypt"]]),
                self.output,
                w.HBox([self.device, self.buttons["decrypt"]]),
                self.result,
                self.status,
                self.table,
            ]
        )
        self.widget.add_class("kmslab-whitebox")
        self.refresh()

    def create(self) -> None:
        """CreateWhiteBoxKey with the alias and algorithm chosen, then select the key."""
        params = {"Alias": self.alias.value.strip(), "Algorithm": self.algorithm.value}
        result = self.call("CreateWhiteBoxKey", params)
        self.refresh(select=result["KeyId"] if result else None)

    def _selected(self) -> str | None:
        if not self.keys.value:
            self.status.value = "<i>select a key first</i>"
            return None
        return self.keys.value

    def run(self, action: str) -> None:
        """Enable, disable or delete the selected key."""
        key_id = self._selected()
        if key_id:
            self.call(action, {"KeyId": key_id})
            self.refresh()

    def bind(self) -> None:
        """OverwriteWhiteBoxDeviceFingerprints with the fingerprints typed."""
        key_id = self._selected()
        if key_id:
            lines = [line.strip() for line in self.devices.value.splitlines() if line.strip()]
            devices = [{"Identity": fp, "Description": "lab panel"} for fp in lines]
            self.call(
                "OverwriteWhiteBoxDeviceFingerprints",
                {"KeyId": key_id, "DeviceFingerprints": devices},
            )
            self.refresh()

    def encrypt(self) -> None:
        """EncryptByWhiteBox the plaintext with a service-drawn IV; keep the result."""
        key_id = self._selected()
        if not key_id:
            return
        data = base64.b64encode(self.plaintext.value.encode()).decode()
        result = self.call("EncryptByWhiteBox", {"KeyId": key_id, "PlainText": data})
        if result:
            self._last = {"KeyId": key_id, **result}
            self.output.value = (
                f"<code>IV {esc(result['InitializationVector'])}</code><br>"
                f"<code>CipherText {esc(result['CipherText'])}</code>"
            )

    def sdk(self) -> SDK:
        """The white-box SDK, downloaded once (``kms.whitebox_sdk()``)."""
        if self._sdk is None:
            self._sdk = scope(self.kms)[0].whitebox_sdk()
        return self._sdk

    def decrypt_offline(self) -> None:
        """Decrypt the last ciphertext with the SDK and the current DecryptKey only, as the
        device in ``device`` (or this one)."""
        if self._last is None:
            self.result.value = "<i>encrypt something first</i>"
            return
        fingerprint = self.device.value.strip() or device_fingerprint()
        if not is_fingerprint(fingerprint):
            self.result.value = "<i>a fingerprint is 8-14-14-14-16 lowercase hex groups</i>"
            return
        found = self.call("DescribeWhiteBoxDecryptKey", {"KeyId": self._last["KeyId"]})
        if not found:
            return
        try:
            plain = decrypt(
                self.sdk(),
                found["DecryptKey"],
                self._last["InitializationVector"],
                self._last["CipherText"],
                fingerprint=fingerprint,
            )
        except WhiteBoxError as exc:
            self.result.value = (
                f'<span class="kmslab-error" style="color:#cf222e"><b>device refused: '
                f"{esc(exc.code)}</b> {esc(exc.message)}</span>"
            )
            return
        self.result.value = (
            f'<span class="kmslab-ok" style="color:#1a7f37">decrypted offline: '
            f'<span class="kmslab-plaintext">{esc(plain.decode(errors="replace"))}</span></span>'
        )

    def refresh(self, select: str | None = None) -> None:
        """Re-read the keys (DescribeWhiteBoxKeyDetails) and redraw list and selector."""
        try:
            frame = whitebox_key_table(self.kms)
        except KMSError as exc:  # not purchased, strict region: show the refusal
            self.table.value = f"<i>{esc(exc.code)}: {esc(exc.message)}</i>"
            self.keys.options = []
            return
        rows = [
            {
                "Alias": r["Alias"],
                "KeyId": r["KeyId"],
                "Algorithm": r["Algorithm"],
                "Status_html": badge(str(r["Status"])),
                "Devices": r["devices"],
                "DecryptKey SHA-256": r["decrypt_key_sha256"],
            }
            for r in frame.to_dict("records")
        ]
        columns = ["Alias", "KeyId", "Algorithm", "Status_html", "Devices", "DecryptKey SHA-256"]
        self.table.value = table(rows, columns) if rows else "<i>no white-box keys yet</i>"
        current = select or self.keys.value
        options = [(f"{r['Alias']} ({r['KeyId'][:8]}…)", r["KeyId"]) for r in rows]
        self.keys.options = options
        ids = [v for _, v in options]
        if current in ids:
            self.keys.value = current
        elif ids:
            self.keys.value = ids[0]
