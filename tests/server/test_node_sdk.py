"""A second-language client: the official Node.js SDK (``tencentcloud-sdk-nodejs``, pinned
in ``tests/node/package-lock.json``, installed by ``tools/install-node-sdk.sh``) against
the endpoint over HTTP and HTTPS, signing with TC3 and with HmacSHA256.

Its TC3 credential scope names the service ``127`` (the first dot-label of
``127.0.0.1:PORT``), not ``kms``: these tests are what shows that the endpoint takes the
scope those SDKs send. Every value it returns is checked against the service itself.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kmslab.crypto import sm2

NODE = shutil.which("node")
NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SDK = NODE_DIR / "node_modules" / "tencentcloud-sdk-nodejs"

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not on PATH: the Node.js SDK tests need Node.js 18 or later"
)


def test_the_node_sdk_is_installed():
    assert SDK.is_dir(), "the Node.js SDK is missing: run bash tools/install-node-sdk.sh"


def _run(endpoint, key, sign_method: str, req_method: str, alias: str) -> dict:
    cfg = {
        "endpoint": endpoint.endpoint,
        "protocol": f"{endpoint.scheme}://",
        "ca": endpoint.cert_path,
        "secretId": key.secret_id,
        "secretKey": key.secret_key,
        "region": "ap-guangzhou",
        "signMethod": sign_method,
        "reqMethod": req_method,
        "alias": alias,
        "plaintext": "node says 你好",
        "message": "signed by the Node.js SDK",
    }
    proc = subprocess.run(
        [NODE, str(NODE_DIR / "kms_calls.js"), json.dumps(cfg)],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("tls", "sign_method", "req_method"),
    [
        (False, "TC3-HMAC-SHA256", "POST"),
        (False, "HmacSHA256", "POST"),
        (True, "TC3-HMAC-SHA256", "POST"),
        (True, "HmacSHA256", "POST"),
        (False, "HmacSHA256", "GET"),
        (True, "TC3-HMAC-SHA256", "GET"),
    ],
)
def test_node_sdk(wire_kms, http_endpoint, https_endpoint, tls, sign_method, req_method):
    if not SDK.is_dir():
        pytest.fail("the Node.js SDK is missing: run bash tools/install-node-sdk.sh")
    endpoint = https_endpoint if tls else http_endpoint
    alias = f"node-{endpoint.scheme}-{sign_method}-{req_method}".replace("HMAC-", "")
    out = _run(endpoint, wire_kms.api_keys()[0], sign_method, req_method, alias)
    kms = wire_kms
    # CreateKey made a real key, described by the service
    meta = kms.DescribeKey(KeyId=out["keyId"])["KeyMetadata"]
    assert meta["Alias"] == alias and meta["Description"] == "from Node.js"
    # Encrypt / Decrypt: the blob opens with the Python face too
    assert out["decrypted"] == "node says 你好"
    opened = kms.Decrypt(CiphertextBlob=out["blob"])["Plaintext"]
    assert base64.b64decode(opened).decode() == "node says 你好"
    # GenerateDataKey: the blob seals exactly the returned data key
    data_key = base64.b64decode(out["dataKey"]["plaintext"])
    assert len(data_key) == 32
    assert (
        kms.Decrypt(CiphertextBlob=out["dataKey"]["blob"])["Plaintext"]
        == (out["dataKey"]["plaintext"])
    )
    # GetPublicKey and SignByAsymmetricKey (SM2): the signature verifies from the PEM alone
    assert out["publicKeyPem"] == kms.GetPublicKey(KeyId=out["sm2KeyId"])["PublicKeyPem"]
    public = sm2.load_public_pem(out["publicKeyPem"].encode())
    signature = base64.b64decode(out["signature"])
    assert sm2.verify(public, signature, b"signed by the Node.js SDK")
    assert not sm2.verify(public, signature, b"signed by the Node.js SDK!")
    # the error case: the SDK raises the documented code with the request id
    assert out["error"]["code"] == "InvalidParameterValue.InvalidCiphertext"
    assert out["error"]["requestId"]
