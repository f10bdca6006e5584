"""The asymmetric panel: sign and verify, and encrypt to a public key then decrypt, for
RSA, ECC and SM2 keys.

Signing, verifying and decrypting are service calls. Encrypting to a public key is,
as in the real service, the client's job: the panel fetches the key with GetPublicKey
and encrypts locally (RSA with ``cryptography``; SM2 with kmslab's SM2 backend, C1C3C2 in
the ASN.1 form AsymmetricSm2Decrypt takes). Private keys never leave the service.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import ipywidgets as w
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kmslab.actions.errors import KMSError
from kmslab.core.assembly import built_actions
from kmslab.crypto import sm2
from kmslab.crypto.randomness import RandomSource
from kmslab.lab.widgets.panel import Panel, button, esc, fill_key_selector

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

SIGN_ALGORITHMS = {
    "ASYMMETRIC_SIGN_VERIFY_RSA_2048": ("RSA_PSS_SHA_256", "RSA_PKCS1_SHA_256"),
    "ASYMMETRIC_SIGN_VERIFY_ECC": ("ECC_P256_R1",),
    "ASYMMETRIC_SIGN_VERIFY_ECDSA384": ("ECDSA_P384_SHA_384",),
    "ASYMMETRIC_SIGN_VERIFY_SM2": ("SM2DSA",),
}
DECRYPT_ALGORITHMS = {
    "ASYMMETRIC_DECRYPT_RSA_2048": ("RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1", "RSAES_PKCS1_V1_5"),
    "ASYMMETRIC_DECRYPT_SM2": ("SM2",),
}
USAGES = {**SIGN_ALGORITHMS, **DECRYPT_ALGORITHMS}
REQUIRED_ACTIONS = (
    "GetPublicKey",
    "SignByAsymmetricKey",
    "VerifyByAsymmetricKey",
    "AsymmetricRsaDecrypt",
    "AsymmetricSm2Decrypt",
)


def missing_actions() -> list[str]:
    """The actions this panel needs that this kmslab does not build yet."""
    return [a for a in REQUIRED_ACTIONS if a not in built_actions()]


def _rsa_padding(algorithm: str) -> padding.AsymmetricPadding:
    if algorithm == "RSAES_PKCS1_V1_5":
        return padding.PKCS1v15()
    digest = hashes.SHA1() if algorithm == "RSAES_OAEP_SHA_1" else hashes.SHA256()
    return padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)


def sm2_encrypt_asn1(public_der: bytes, message: bytes) -> bytes:
    """SM2-encrypt ``message`` to a DER SubjectPublicKeyInfo, as C1C3C2 in ASN.1 (DER), the
    way a client would: with the operating system's randomness, not the service's."""
    return sm2.encrypt_der(sm2.load_public_der(public_der), message, RandomSource())


class AsymmetricPanel(Panel):
    """Create an asymmetric key of a chosen usage; sign/verify or encrypt/decrypt with it.

    Widgets: ``usage``, ``algorithm``, ``keys``, ``message``, ``signature``,
    ``buttons`` (``create``, ``sign``, ``verify``, ``encrypt_decrypt``, ``refresh``),
    ``result``. ``public_key`` shows the PEM of the selected key (public, safe) and
    follows the selection. Buttons that do not fit the usage are disabled, with the reason
    as their tooltip.
    """

    def __init__(self, kms: KMS | AccountView) -> None:
        super().__init__(kms)
        wide = {"description_width": "initial"}
        self.usage = w.Dropdown(
            options=list(USAGES), description="Usage", style=wide, layout=w.Layout(width="auto")
        )
        self.algorithm = w.Dropdown(
            options=USAGES[self.usage.value], description="Algorithm", style=wide
        )
        self.keys = w.Dropdown(options=[], description="Key", layout=w.Layout(width="420px"))
        self.message = w.Text(value="hello, kmslab", description="Message")
        self.signature = w.Textarea(description="Signature", layout=w.Layout(width="90%"))
        self.public_key = w.HTML()
        self.result = w.HTML()
        self.outputs = [self.result]
        self.buttons = {
            "create": button("Create key", "success"),
            "refresh": button("Refresh"),
            "sign": button("Sign", "primary"),
            "verify": button("Verify"),
            "encrypt_decrypt": button("Encrypt to public key, then Decrypt", "primary"),
        }
        self.usage.observe(lambda _: self._usage_changed(), names="value")
        self.keys.observe(lambda _: self._show_public_key(quiet=True), names="value")
        self.buttons["create"].on_click(lambda _: self.create())
        self.buttons["refresh"].on_click(lambda _: self.refresh())
        self.buttons["sign"].on_click(lambda _: self.sign())
        self.buttons["verify"].on_click(lambda _: self.verify())
        self.buttons["encrypt_decrypt"].on_click(lambda _: self.encrypt_decrypt())
        missing = missing_actions()
        note = f"<i>not built in this kmslab yet: {esc(', '.join(missing))}</i>" if missing else ""
        note += f' <span class="kmslab-sm2-backend">(SM2 backend: {esc(sm2.BACKEND)})</span>'
        self.widget = w.VBox(
            [
                w.HTML(f"<b>Asymmetric keys</b> {note}"),
                w.HBox([self.usage, self.algorithm, self.buttons["create"]]),
                w.HBox([self.keys, self.buttons["refresh"]]),
                self.message,
                w.HBox(
                    [self.buttons["sign"], self.buttons["verify"], self.buttons["encrypt_decrypt"]]
                ),
                self.signature,
                self.status,
                self.result,
                self.public_key,
            ]
        )
        self.widget.add_class("kmslab-asymmetric")
        self._usage_changed()

    def _signing(self) -> bool:
        return self.usage.value in SIGN_ALGORITHMS

    def _usage_changed(self) -> None:
        self.algorithm.options = USAGES[self.usage.value]
        signing = self._signing()
        for name in ("sign", "verify"):
            self.buttons[name].disabled = not signing
            self.buttons[name].tooltip = "" if signing else "a decryption key does not sign"
        self.buttons["encrypt_decrypt"].disabled = signing
        self.buttons["encrypt_decrypt"].tooltip = (
            "a signing key does not decrypt: choose an ASYMMETRIC_DECRYPT_* usage"
            if signing
            else ""
        )
        self.clear_outputs()
        self.signature.value = ""  # a signature of another usage's key means nothing here
        self.refresh()

    def refresh(self) -> None:
        """List the Enabled keys of the chosen usage, and show the selected one's public key."""
        fill_key_selector(self.kms, self.keys, self.usage.value)
        self._show_public_key(quiet=True)

    def create(self, alias: str | None = None) -> str | None:
        """Create a key of the chosen usage and select it."""
        alias = alias or f"{self.usage.value.split('_')[-1].lower()}-{len(self.keys.options) + 1}"
        result = self.call("CreateKey", {"Alias": alias, "KeyUsage": self.usage.value})
        self.refresh()
        if result:
            self.keys.value = result["KeyId"]
            self._show_public_key(quiet=True)
            return result["KeyId"]
        return None

    def _show_public_key(self, quiet: bool = False) -> bytes | None:
        """Show the selected key's PEM; ``quiet``: without touching the status line."""
        if not self.keys.value:
            self.public_key.value = ""
            return None
        params = {"KeyId": self.keys.value}
        result: dict | None
        if quiet:
            try:
                result = self.kms.call("GetPublicKey", params)
            except KMSError:
                self.public_key.value = ""
                return None
        else:
            result = self.call("GetPublicKey", params)
            if result is None:
                self.public_key.value = ""
                return None
        self.public_key.value = (
            f'<pre class="kmslab-public-key" data-key-id="{esc(result["KeyId"])}">'
            f"{esc(result['PublicKeyPem'])}</pre>"
        )
        return base64.b64decode(result["PublicKey"])

    def _message(self) -> str:
        return base64.b64encode(self.message.value.encode()).decode()

    def _need_key(self) -> bool:
        if self.keys.value:
            return True
        self.refuse("create a key of this usage first (Create key)")
        return False

    def sign(self) -> str | None:
        """SignByAsymmetricKey over the message (RAW); show the signature."""
        if not self._signing():
            self.refuse(f"{self.usage.value} keys decrypt; they do not sign")
            return None
        if not self._need_key():
            return None
        result = self.call(
            "SignByAsymmetricKey",
            {
                "KeyId": self.keys.value,
                "Algorithm": self.algorithm.value,
                "Message": self._message(),
            },
        )
        if result:
            self.signature.value = result["Signature"]
            self.result.value = f"signature: {len(base64.b64decode(result['Signature']))} bytes"
            return result["Signature"]
        return None

    def verify(self) -> bool | None:
        """VerifyByAsymmetricKey: the signature in the box against the message in the box."""
        if not self._signing():
            self.refuse(f"{self.usage.value} keys decrypt; they do not verify signatures")
            return None
        if not self._need_key():
            return None
        result = self.call(
            "VerifyByAsymmetricKey",
            {
                "KeyId": self.keys.value,
                "Algorithm": self.algorithm.value,
                "Message": self._message(),
                "SignatureValue": self.signature.value.strip(),
            },
        )
        if result is None:
            return None
        valid = bool(result["SignatureValid"])
        self.result.value = f'<span class="kmslab-verify">SignatureValid: {valid}</span>'
        return valid

    def encrypt_decrypt(self) -> str | None:
        """Encrypt the message locally to the key's public key, then decrypt in the service."""
        if self._signing():
            self.refuse(
                f"{self.usage.value} keys sign and verify; encrypting to a public key needs "
                "an ASYMMETRIC_DECRYPT_RSA_2048 or ASYMMETRIC_DECRYPT_SM2 key"
            )
            return None
        if not self._need_key():
            return None
        self.clear_outputs()
        public = self._show_public_key()
        if public is None:
            return None
        data = self.message.value.encode()
        try:
            if self.usage.value == "ASYMMETRIC_DECRYPT_SM2":
                ciphertext = sm2_encrypt_asn1(public, data)
                action, params = "AsymmetricSm2Decrypt", {}
            else:
                key = serialization.load_der_public_key(public)
                if not isinstance(key, rsa.RSAPublicKey):
                    raise ValueError("the public key is not an RSA key")
                ciphertext = key.encrypt(data, _rsa_padding(self.algorithm.value))
                action, params = "AsymmetricRsaDecrypt", {"Algorithm": self.algorithm.value}
        except (ValueError, TypeError, UnsupportedAlgorithm, sm2.SM2Error) as exc:
            self.refuse(f"encrypting {len(data)} bytes to this public key failed: {exc}")
            return None
        result = self.call(
            action,
            {
                "KeyId": self.keys.value,
                "Ciphertext": base64.b64encode(ciphertext).decode(),
                **params,
            },
        )
        if result is None:
            return None
        message = base64.b64decode(result["Plaintext"]).decode(errors="replace")
        self.result.value = (
            f"{len(ciphertext)}-byte ciphertext decrypted by {esc(action)}: "
            f'<span class="kmslab-plaintext">{esc(message)}</span>'
        )
        return message
