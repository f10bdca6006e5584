"""Text the wire cannot encode as UTF-8 (a JSON-escaped lone surrogate) still gets the
documented envelope with HTTP 200, in every message language."""

from __future__ import annotations

import json

import pytest
import requests
from wire_helpers import tc3_headers


@pytest.mark.parametrize("language", ["en-US", "zh-CN"])
@pytest.mark.parametrize(
    "action, body",
    [
        ("UpdateKeyDescription", '{"KeyId":"%s","Description":"\\ud800"}'),
        (
            "Encrypt",
            '{"KeyId":"%s","Plaintext":"eA==","EncryptionContext":"{\\"a\\":\\"\\\\ud800\\"}"}',
        ),
        ("UnbindCloudResource", '{"KeyId":"%s","ProductId":"\\ud800","ResourceId":"r"}'),
    ],
)
def test_lone_surrogate_gets_the_error_envelope(wire_kms, http_endpoint, language, action, body):
    key_id = wire_kms.CreateKey(Alias=f"sur-{action}-{language}")["KeyId"]
    data = (body % key_id).encode()
    host = f"127.0.0.1:{http_endpoint.port}"
    key = wire_kms.api_keys()[0]
    headers = tc3_headers(key, host, action, data, **{"X-TC-Language": language})
    resp = requests.post(http_endpoint.url, data=data, headers=headers, timeout=10)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json"
    error = json.loads(resp.content)["Response"]["Error"]
    assert error["Code"] == "InvalidParameter"
