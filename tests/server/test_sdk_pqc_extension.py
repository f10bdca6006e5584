"""The PQC extension over the wire: the official SDK parses ListAlgorithms with the
extension usages (no unknown fields), creates extension keys and runs the PQC actions
with them; a service without the extension refuses the usage with the documented code."""

from __future__ import annotations

import base64
import json
import warnings

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.kms.v20190118 import models

import kmslab

pytest.importorskip("pqcrypto")
from kmslab.crypto import pqc_families as fam  # noqa: E402


def call(client, action: str, **params) -> dict:
    """One SDK call through the generated request model; the response as a dict."""
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    return json.loads(getattr(client, action)(request).to_json_string())


@pytest.fixture(scope="module")
def ext_endpoint():
    handle = kmslab.KMS(extensions=["pqc"]).serve()
    yield handle
    handle.stop()


def test_sdk_lists_and_uses_extension_keys(ext_endpoint):
    client = ext_endpoint.sdk_client()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the SDK warns about fields it does not know
        # ... but on Python 3.12+ it also signs with datetime.utcfromtimestamp: not ours.
        warnings.filterwarnings(
            "ignore", r"datetime\.datetime\.utcfromtimestamp", DeprecationWarning
        )
        listed = call(client, "ListAlgorithms")
    usages = {a["KeyUsage"] for a in listed["AsymmetricAlgorithms"]}
    usages |= {a["KeyUsage"] for a in listed["AsymmetricSignVerifyAlgorithms"]}
    assert "KMSLAB_EXT_PQC_KEM_HQC_128" in usages
    assert "KMSLAB_EXT_PQC_SIGN_SLH_DSA_SHA2_128F" in usages

    kem = call(client, "CreateKey", Alias="wire-hqc", KeyUsage="KMSLAB_EXT_PQC_KEM_HQC_128")
    text = base64.b64encode("über den Draht".encode()).decode()
    blob = call(client, "PostQuantumCryptoEncrypt", KeyId=kem["KeyId"], PlainText=text)
    back = call(client, "PostQuantumCryptoDecrypt", CiphertextBlob=blob["CiphertextBlob"])
    assert back["PlainText"] == text

    usage = "KMSLAB_EXT_PQC_SIGN_SLH_DSA_SHA2_128F"
    sig_key = call(client, "CreateKey", Alias="wire-slh", KeyUsage=usage)["KeyId"]
    signature = call(client, "PostQuantumCryptoSign", KeyId=sig_key, Message=text)["Signature"]
    public = base64.b64decode(call(client, "GetPublicKey", KeyId=sig_key)["PublicKey"])
    p = fam.BY_NAME["SLH-DSA-SHA2-128f"]
    assert p.verify(p.decode_public(public), base64.b64decode(text), base64.b64decode(signature))
    answer = call(
        client, "PostQuantumCryptoVerify", KeyId=sig_key, Message=text, SignatureValue=signature
    )
    assert answer["SignatureValid"] is True


def test_sdk_without_the_extension_gets_invalid_key_usage(http_endpoint):
    client = http_endpoint.sdk_client()
    with pytest.raises(TencentCloudSDKException) as info:
        call(client, "CreateKey", Alias="wire-off", KeyUsage="KMSLAB_EXT_PQC_KEM_ML_KEM_512")
    assert info.value.code == "InvalidParameterValue.InvalidKeyUsage"
