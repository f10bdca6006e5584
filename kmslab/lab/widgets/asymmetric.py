"""The asymmetric panel: sign and verify, and encrypt to a public key then decrypt, for
RSA, ECC and SM2 keys.

Signing, verifying and decrypting are service calls. Encrypting to a public key is,
as in the real service, the client's job: the panel fetches the key with GetPublicKey
and encrypts locally (RSA with ``cryptography``; SM2 with ``gmalg``, C1C3C2 in the
ASN.1 form AsymmetricSm2Decrypt takes). Private keys never leave the service.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import ipywidgets as w
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kmslab.core.assembly import built_actions
from kmslab.lab.widgets.panel import Panel, button, esc, fill_key_selector

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

SIGN_ALGORITHMS = {
    "ASYMMETRIC_SIGN_VERIFY_RSA_2048": ("RSA_PSS_SHA_256", "RSA_PKCS1_SHA_256"),
    "ASYMMETRIC_SIGN_VERIFY_ECC": ("ECC_P256_R1",),
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
    """SM2-encrypt ``message`` to a DER SubjectPublicKeyInfo, as C1C3C2 in ASN.1 (DER)."""
    import gmalg
    from pyasn1.codec.der import encoder
    from pyasn1.type import namedtype, univ

    point = public_der[-65:]  # the uncompressed point 04 || x || y ends the SPKI
    raw = gmalg.SM2(pk=point).encrypt(message)  # 04 || x || y || C3 (32) || C2

    class Cipher(univ.Sequence):
        componentType = namedtype.NamedTypes(
            namedtype.NamedType("x", univ.Integer()),
            namedtype.NamedType("y", univ.Integer()),
            namedtype.NamedType("hash", univ.OctetString()),
            namedtype.NamedType("cipher", univ.OctetString()),
        )

    seq = Cipher()
    seq["x"] = int.from_bytes(raw[1:33], "big")
    seq["y"] = int.from_bytes(raw[33:65], "big")
    seq["hash"] = raw[65:97]
    seq["cipher"] = raw[97:]
    return encoder.encode(seq)


class AsymmetricPanel(Panel):
    """Create an asymmetric key of a chosen usage; sign/verify or encrypt/decrypt with it.

    Widgets: ``usage``, ``algorithm``, ``keys``, ``message``, ``signature``,
    ``buttons`` (``create``, ``sign``, ``verify``, ``encrypt_decrypt``, ``refresh``),
    ``result``. ``public_key`` shows the PEM of the selected key (public, safe).
    """

    def __init__(self, kms: KMS | AccountView) -> None:
        super().__init__(kms)
        self.usage = w.Dropdown(options=list(USAGES), description="Usage")
        self.algorithm = w.Dropdown(options=USAGES[self.usage.value], description="Algorithm")
        self.keys = w.Dropdown(options=[], description="Key", layout=w.Layout(width="420px"))
        self.message = w.Text(value="hello, kmslab", description="Message")
        self.signature = w.Textarea(description="Signature", layout=w.Layout(width="90%"))
        self.public_key = w.HTML()
        self.result = w.HTML()
        self.buttons = {
            "create": button("Create key", "success"),
            "refresh": button("Refresh"),
            "sign": button("Sign", "primary"),
            "verify": button("Verify"),
            "encrypt_decrypt": button("Encrypt to public key, then Decrypt", "primary"),
        }
        self.usage.observe(lambda _: self._usage_changed(), names="value")
        self.buttons["create"].on_click(lambda _: self.create())
        self.buttons["refresh"].on_click(lambda _: self.refresh())
        self.buttons["sign"].on_click(lambda _: self.sign())
        self.buttons["verify"].on_click(lambda _: self.verify())
        self.buttons["encrypt_decrypt"].on_click(lambda _: self.encrypt_decrypt())
        missing = missing_actions()
        note = f"<i>not built in this kmslab yet: {esc(', '.join(missing))}</i>" if missing else ""
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
        self.refresh()

    def _usage_changed(self) -> None:
        self.algorithm.options = USAGES[self.usage.value]
        self.refresh()

    def refresh(self) -> None:
        """List the Enabled keys of the chosen usage."""
        fill_key_selector(self.kms, self.keys, self.usage.value)

    def create(self, alias: str | None = None) -> str | None:
        """Create a key of the chosen usage and select it."""
        alias = alias or f"{self.usage.value.split('_')[-1].lower()}-{len(self.keys.options) + 1}"
        result = self.call("CreateKey", {"Alias": alias, "KeyUsage": self.usage.value})
        self.refresh()
        if result:
            self.keys.value = result["KeyId"]
            self._show_public_key()
            return result["KeyId"]
        return None

    def _show_public_key(self) -> bytes | None:
        result = self.call("GetPublicKey", {"KeyId": self.keys.value})
        if result is None:
            return None
        self.public_key.value = f"<pre>{esc(result['PublicKeyPem'])}</pre>"
        return base64.b64decode(result["PublicKey"])

    def _message(self) -> str:
        return base64.b64encode(self.message.value.encode()).decode()

    def sign(self) -> str | None:
        """SignByAsymmetricKey over the message (RAW); show the signature."""
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
        public = self._show_public_key()
        if public is None:
            return None
        data = self.message.value.encode()
        if self.usage.value == "ASYMMETRIC_DECRYPT_SM2":
            try:
                ciphertext = sm2_encrypt_asn1(public, data)
            except ImportError as exc:
                self.status.value = f"<i>SM2 encryption needs gmalg and pyasn1: {esc(exc)}</i>"
                return None
            action, params = "AsymmetricSm2Decrypt", {}
        else:
            key = serialization.load_der_public_key(public)
            assert isinstance(key, rsa.RSAPublicKey)
            ciphertext = key.encrypt(data, _rsa_padding(self.algorithm.value))
            action, params = "AsymmetricRsaDecrypt", {"Algorithm": self.algorithm.value}
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
