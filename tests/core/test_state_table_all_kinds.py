"""The key-state machine for every key kind: each (action, state) cell of the rows of
``STATE_TABLE`` that ``test_state_machine.py`` does not drive (asymmetric RSA/ECC/SM2,
post-quantum and key-import actions) is driven through the public actions.

A fresh key of the kind the row needs is brought into the state (SM2 keys in an SM
region, EXTERNAL keys for the import rows), the action is called with otherwise valid
parameters, and the cell is checked: allowed (with the resulting state) or refused with
exactly the cell's code and the key left exactly as it was. Cells whose state a key of
that kind can never reach are listed once, and the list is checked against the table.
"""

from __future__ import annotations

import base64
import importlib.util
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from state_drivers import drive_to_state

from kmslab import KMS
from kmslab.actions.errors import KMSError
from kmslab.core.states import COLUMNS, OK, RESTORE, STATE_TABLE
from kmslab.crypto import sm2

PLAIN = base64.b64encode(b"every kind").decode()
SM_REGION = "ap-guangzhou"
OAEP = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)

ROW_USAGE = {
    "GetPublicKey": "ASYMMETRIC_SIGN_VERIFY_ECC",
    "AsymmetricRsaDecrypt": "ASYMMETRIC_DECRYPT_RSA_2048",
    "AsymmetricSm2Decrypt": "ASYMMETRIC_DECRYPT_SM2",
    "SignByAsymmetricKey": "ASYMMETRIC_SIGN_VERIFY_SM2",
    "VerifyByAsymmetricKey": "ASYMMETRIC_SIGN_VERIFY_SM2",
    "PostQuantumCryptoSign": "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
    "PostQuantumCryptoVerify": "ASYMMETRIC_SIGN_VERIFY_DILITHIUM",
    "PostQuantumCryptoEncrypt": "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
    "PostQuantumCryptoDecrypt": "ASYMMETRIC_Encrypt_Decrypt_Kyber_AES",
    "GetParametersForImport": "EXTERNAL",
    "ImportKeyMaterial": "EXTERNAL",
    "DeleteImportedKeyMaterial": "EXTERNAL",
}
"""Every row this file drives, and the key kind it needs."""

UNREACHABLE = {
    (row, "PendingImport"): "only an EXTERNAL (imported-material) key waits for material; "
    f"a {usage} key is generated with its material and never reaches PendingImport"
    for row, usage in ROW_USAGE.items()
    if usage != "EXTERNAL"
}
"""Cells no key of the row's kind can reach, with the reason."""

MATERIAL = b"k" * 16  # an SM4 key: the SM region's symmetric suite


def _public(kms: KMS, key_id: str):
    der = base64.b64decode(kms.GetPublicKey(KeyId=key_id)["PublicKey"])
    return der


def _import(kms: KMS, key_id: str, token: dict | None = None) -> None:
    token = token or kms.GetParametersForImport(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    public = serialization.load_der_public_key(base64.b64decode(token["PublicKey"]))
    kms.ImportKeyMaterial(
        KeyId=key_id,
        ImportToken=token["ImportToken"],
        EncryptedKeyMaterial=base64.b64encode(public.encrypt(MATERIAL, OAEP)).decode(),
    )


def prepare(kms: KMS, row: str, state: str) -> tuple[str, dict]:
    """A key of the row's kind in ``state``, and the inputs made while it was Enabled."""
    usage = ROW_USAGE[row]
    inputs: dict = {}
    if usage == "EXTERNAL":
        key_id = kms.CreateKey(Alias="subject", Type=2)["KeyId"]
        if state != "PendingImport":
            _import(kms, key_id)
        # a valid token for ImportKeyMaterial, issued while the table allowed it
        inputs["token"] = kms.GetParametersForImport(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    else:
        key_id = kms.CreateKey(Alias="subject", KeyUsage=usage)["KeyId"]
        if row == "AsymmetricRsaDecrypt":
            public = serialization.load_der_public_key(_public(kms, key_id))
            inputs["ciphertext"] = public.encrypt(b"every kind", OAEP)
        elif row == "AsymmetricSm2Decrypt":
            public = sm2.load_public_der(_public(kms, key_id))
            inputs["ciphertext"] = sm2.encrypt_der(public, b"every kind", kms.random)
        elif row == "VerifyByAsymmetricKey":
            inputs["signature"] = kms.SignByAsymmetricKey(
                KeyId=key_id, Algorithm="SM2DSA", Message=PLAIN
            )["Signature"]
        elif row == "PostQuantumCryptoVerify":
            inputs["signature"] = kms.PostQuantumCryptoSign(KeyId=key_id, Message=PLAIN)[
                "Signature"
            ]
        elif row == "PostQuantumCryptoDecrypt":
            inputs["blob"] = kms.PostQuantumCryptoEncrypt(KeyId=key_id, PlainText=PLAIN)[
                "CiphertextBlob"
            ]
    drive_to_state(kms, key_id, state)
    return key_id, inputs


def invoke(kms: KMS, row: str, key_id: str, inputs: dict) -> dict:
    """Call the row's action on the key with otherwise valid parameters."""
    single = {"KeyId": key_id}
    if row == "ImportKeyMaterial":
        token = inputs["token"]
        public = serialization.load_der_public_key(base64.b64decode(token["PublicKey"]))
        encrypted = base64.b64encode(public.encrypt(MATERIAL, OAEP)).decode()
        return kms.call(
            row, {**single, "ImportToken": token["ImportToken"], "EncryptedKeyMaterial": encrypted}
        )
    b64 = lambda data: base64.b64encode(data).decode()  # noqa: E731
    params = {
        "GetPublicKey": lambda: single,
        "AsymmetricRsaDecrypt": lambda: {
            **single,
            "Ciphertext": b64(inputs["ciphertext"]),
            "Algorithm": "RSAES_OAEP_SHA_256",
        },
        "AsymmetricSm2Decrypt": lambda: {**single, "Ciphertext": b64(inputs["ciphertext"])},
        "SignByAsymmetricKey": lambda: {**single, "Algorithm": "SM2DSA", "Message": PLAIN},
        "VerifyByAsymmetricKey": lambda: {
            **single,
            "Algorithm": "SM2DSA",
            "Message": PLAIN,
            "SignatureValue": inputs["signature"],
        },
        "PostQuantumCryptoSign": lambda: {**single, "Message": PLAIN},
        "PostQuantumCryptoVerify": lambda: {
            **single,
            "Message": PLAIN,
            "SignatureValue": inputs["signature"],
        },
        "PostQuantumCryptoEncrypt": lambda: {**single, "PlainText": PLAIN},
        "PostQuantumCryptoDecrypt": lambda: {"CiphertextBlob": inputs["blob"]},
        "GetParametersForImport": lambda: {
            **single,
            "WrappingAlgorithm": "RSAES_OAEP_SHA_256",
            "WrappingKeySpec": "RSA_2048",
        },
        "DeleteImportedKeyMaterial": lambda: single,
    }[row]()
    return kms.call(row, params)


def check_result(row: str, result: dict, kms: KMS, key_id: str, inputs: dict) -> None:
    """The allowed call did its work (not just passed the state gate)."""
    if row in ("AsymmetricRsaDecrypt", "AsymmetricSm2Decrypt"):
        assert base64.b64decode(result["Plaintext"]) == b"every kind"
    elif row in ("VerifyByAsymmetricKey", "PostQuantumCryptoVerify"):
        assert result["SignatureValid"] is True
    elif row in ("SignByAsymmetricKey", "PostQuantumCryptoSign"):
        assert result["Signature"]
    elif row == "PostQuantumCryptoDecrypt":
        assert result["PlainText"] == PLAIN
    elif row == "PostQuantumCryptoEncrypt":
        assert result["CiphertextBlob"]
    elif row == "GetPublicKey":
        assert result["PublicKey"] and result["PublicKeyPem"].startswith("-----BEGIN")
    elif row == "GetParametersForImport":
        assert result["ImportToken"] and result["PublicKey"]
    key = kms.inspect.key(key_id)
    if row == "ImportKeyMaterial":
        assert len(key.versions) == 1
    if row == "DeleteImportedKeyMaterial":
        assert key.versions == []


CELLS = [
    pytest.param(row, state, STATE_TABLE[row][state], id=f"{row}-{state}")
    for row in ROW_USAGE
    for state in COLUMNS
]


def skip_reason(row: str, state: str) -> str | None:
    """Why the cell cannot be driven (its state is unreachable for the kind), or None."""
    return UNREACHABLE.get((row, state))


@pytest.mark.parametrize(("row", "state", "cell"), CELLS)
def test_state_table_cell_of_every_kind(row, state, cell):
    reason = skip_reason(row, state)
    if reason:
        pytest.skip(reason)
    kms = KMS(seed=13, region=SM_REGION)
    key_id, inputs = prepare(kms, row, state)
    key = kms.inspect.key(key_id)
    before = key.to_record()

    if cell == OK or cell.startswith("->"):
        result = invoke(kms, row, key_id, inputs)
        after = kms.DescribeKey(KeyId=key_id)["KeyMetadata"]["KeyState"]
        assert cell != RESTORE  # no row of these kinds restores a state
        assert after == (state if cell == OK else cell[2:])
        check_result(row, result, kms, key_id, inputs)
        return

    with pytest.raises(KMSError) as info:
        invoke(kms, row, key_id, inputs)
    assert info.value.code == cell
    assert kms.inspect.key(key_id).to_record() == before


def test_skipped_cells_are_exactly_the_unreachable_ones():
    skipped = {(p.values[0], p.values[1]) for p in CELLS if skip_reason(*p.values[:2])}
    assert skipped == set(UNREACHABLE)
    assert skipped == {(row, "PendingImport") for row, u in ROW_USAGE.items() if u != "EXTERNAL"}


@pytest.mark.parametrize("usage", sorted({u for u in ROW_USAGE.values() if u != "EXTERNAL"}))
def test_generated_kinds_cannot_reach_pending_import(usage):
    """The skips are honest: no public action puts a generated key into PendingImport."""
    kms = KMS(seed=14, region=SM_REGION)
    with pytest.raises(KMSError):
        kms.CreateKey(Alias="ext", KeyUsage=usage, Type=2)
    key_id = kms.CreateKey(Alias="gen", KeyUsage=usage)["KeyId"]
    with pytest.raises(KMSError) as info:
        kms.DeleteImportedKeyMaterial(KeyId=key_id)
    assert info.value.code == "UnsupportedOperation.NotExternalCmk"
    with pytest.raises(KMSError):
        kms.GetParametersForImport(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )


def _load(name: str):
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_meta_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_row_of_the_table_is_covered_by_a_table_test():
    symmetric = set(_load("test_state_machine").ISSUE_2_ROWS)
    assert set(STATE_TABLE) == symmetric | set(ROW_USAGE)
    assert not symmetric & set(ROW_USAGE)  # each row is driven by exactly one table test
