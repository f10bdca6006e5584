"""The encryption playground: Encrypt and Decrypt with an EncryptionContext, and the
anatomy of the resulting ``CiphertextBlob``.

The blob box is editable on purpose: change a character, or the context, and Decrypt
refuses with the documented error instead of returning wrong plaintext. The plaintext
shown is only the learner's own message; no key material is ever shown.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

import ipywidgets as w

from kmslab.crypto.blob import MalformedBlob
from kmslab.lab.anatomy import blob_anatomy
from kmslab.lab.widgets.panel import Panel, button, esc, fill_key_selector, table

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS


class EncryptionPlayground(Panel):
    """Encrypt a message under a chosen key and context; decrypt a blob; dissect it.

    Widgets: ``keys``, ``plaintext``, ``context`` (JSON text, may be empty), ``blob``,
    ``buttons`` (``encrypt``, ``decrypt``, ``refresh``), ``anatomy``, ``result``.
    """

    def __init__(self, kms: KMS | AccountView, message: str = "hello, kmslab") -> None:
        super().__init__(kms)
        self.keys = w.Dropdown(description="Key", options=[], layout=w.Layout(width="420px"))
        self.plaintext = w.Textarea(value=message, description="Message")
        self.context = w.Text(value='{"purpose":"demo"}', description="Context")
        self.blob = w.Textarea(description="Blob", layout=w.Layout(width="90%", height="60px"))
        self.anatomy = w.HTML()
        self.result = w.HTML()
        self.outputs = [self.result, self.anatomy]
        self.buttons = {
            "encrypt": button("Encrypt", "primary"),
            "decrypt": button("Decrypt"),
            "refresh": button("Refresh keys"),
        }
        self.buttons["encrypt"].on_click(lambda _: self.encrypt())
        self.buttons["decrypt"].on_click(lambda _: self.decrypt())
        self.buttons["refresh"].on_click(lambda _: self.refresh())
        self.widget = w.VBox(
            [
                w.HTML("<b>Encryption playground</b>"),
                w.HBox([self.keys, self.buttons["refresh"]]),
                self.plaintext,
                self.context,
                w.HBox([self.buttons["encrypt"], self.buttons["decrypt"]]),
                self.blob,
                self.status,
                self.result,
                self.anatomy,
            ]
        )
        self.widget.add_class("kmslab-playground")
        self.refresh()

    def refresh(self) -> None:
        """List the Enabled symmetric keys (ListKeyDetail) in the selector."""
        fill_key_selector(self.kms, self.keys, "ENCRYPT_DECRYPT")

    def _context(self) -> dict:
        text = self.context.value.strip()
        return {"EncryptionContext": text} if text else {}

    def encrypt(self) -> str | None:
        """Encrypt the message under the selected key; show the blob and its anatomy.

        A refusal clears the blob box too, so no earlier blob passes for this one's."""
        if not self.keys.value:
            self.refuse("create a key first (CreateKey), then Refresh keys")
            self.blob.value = ""
            return None
        data = base64.b64encode(self.plaintext.value.encode()).decode()
        result = self.call(
            "Encrypt", {"KeyId": self.keys.value, "Plaintext": data, **self._context()}
        )
        if result is None:
            self.blob.value = ""
            return None
        self.blob.value = result["CiphertextBlob"]
        self.result.value = ""
        self.show_anatomy()
        return result["CiphertextBlob"]

    def decrypt(self) -> str | None:
        """Decrypt the blob in the box with the context in the box; show the message.

        The blob's anatomy is shown either way: it is what was sent."""
        result = self.call(
            "Decrypt", {"CiphertextBlob": self.blob.value.strip(), **self._context()}
        )
        self.show_anatomy()
        if result is None:
            return None
        try:
            message = base64.b64decode(result["Plaintext"]).decode()
        except (binascii.Error, UnicodeDecodeError):
            message = f"<{len(base64.b64decode(result['Plaintext']))} bytes, not UTF-8>"
        self.result.value = (
            f"Decrypted with key <code>{esc(result['KeyId'])}</code>: "
            f'<span class="kmslab-plaintext">{esc(message)}</span>'
        )
        return message

    def show_anatomy(self) -> None:
        """Show the blob's segments (header: key id, version; nonce; sealed bytes)."""
        try:
            frame = blob_anatomy(self.blob.value.strip())
        except MalformedBlob as exc:
            self.anatomy.value = f"<i>not a well-formed blob: {esc(exc)}</i>"
            return
        self.anatomy.value = table(
            frame.to_dict("records"), ["segment", "base64_chars", "bytes", "holds"]
        )
