"""The API explorer: forms from the action table, calls, and a signed request that the
real endpoint accepts byte for byte (and refuses once altered)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import pytest

import kmslab
from kmslab.actions.table import ACTIONS
from kmslab.lab.widgets import ApiExplorer
from kmslab.lab.widgets.explorer import describe_limits


@pytest.fixture
def kms():
    return kmslab.KMS(seed=31)


def test_every_action_gets_a_form_from_the_table(kms):
    explorer = ApiExplorer(kms)
    assert len(explorer.action.options) == len(ACTIONS) == 69
    for name, spec in ACTIONS.items():
        explorer.action.value = name
        assert list(explorer.fields) == [p.name for p in spec.params]
        for param in spec.params:
            label = explorer.fields[param.name].description
            assert label.endswith(" *") == param.required, (name, param.name)
        assert f"X-TC-Action: {name}" in explorer.request.value


@pytest.mark.parametrize(
    ("action", "param", "expected"),
    [
        ("CreateKey", "Alias", "1-60 characters"),
        ("GenerateRandom", "NumberOfBytes", "1..1024"),
        ("ScheduleKeyDeletion", "PendingWindowInDays", "7..30"),
        ("ListKeyDetail", "KeyState", "one of 0, 1, 2, 3, 4, 5"),
        ("CreateKey", "Tags", "JSON"),
    ],
)
def test_limits_are_shown(action, param, expected):
    assert expected in describe_limits(ACTIONS[action].param(param))


def test_call_shows_response_then_error_without_stale_response(kms):
    explorer = ApiExplorer(kms)
    explorer.action.value = "CreateKey"
    explorer.fields["Alias"].value = "explored"
    explorer.fields["Tags"].value = '[{"TagKey": "team", "TagValue": "a"}]'
    explorer.buttons["call"].click()
    assert '"Alias": "explored"' in explorer.response.value.replace("&quot;", '"')
    assert kms.ListKeyDetail(SearchKeyAlias="explored")["TotalCount"] == 1
    explorer.buttons["call"].click()  # the alias is taken now
    assert explorer.last_error is not None
    assert explorer.last_error.code in explorer.response.value
    assert "kmslab-explorer-error" in explorer.response.value
    assert "KeyState" not in explorer.response.value  # not the earlier success


@pytest.mark.parametrize(
    ("action", "fields", "code"),
    [
        ("GenerateRandom", {}, "MissingParameter"),
        ("GenerateRandom", {"NumberOfBytes": "abc"}, "InvalidParameter"),
        ("GenerateRandom", {"NumberOfBytes": "5000"}, "InvalidParameter"),
        ("CreateKey", {"Alias": "ok", "Tags": "[not json"}, "InvalidParameter"),
        ("Encrypt", {"KeyId": "nope", "Plaintext": "aGk="}, "InvalidParameterValue.InvalidKeyId"),
    ],
)
def test_bad_input_meets_the_documented_error(kms, action, fields, code):
    explorer = ApiExplorer(kms)
    explorer.action.value = action
    for name, value in fields.items():
        explorer.fields[name].value = value
    assert explorer.call_action() is None
    assert explorer.last_error.code.startswith(code), explorer.last_error.code
    assert explorer.last_error.code in explorer.response.value


def _send(url: str, signed: dict, body: str | None = None) -> dict:
    data = (signed["body"] if body is None else body).encode()
    headers = {k: v for k, v in signed["headers"].items() if k != "Content-Length"}
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    return json.load(urllib.request.urlopen(request, timeout=10))["Response"]


def test_the_signed_request_is_what_the_endpoint_accepts(kms):
    with kms.serve(wall_clock=True) as endpoint:
        explorer = ApiExplorer(kms, endpoint=endpoint)
        explorer.action.value = "CreateKey"
        explorer.fields["Alias"].value = "over-the-wire"
        explorer.fields["Description"].value = "sent as shown"
        signed = explorer.signed_request()
        assert signed["headers"]["Host"] == endpoint.endpoint
        assert signed["headers"]["Authorization"].startswith("TC3-HMAC-SHA256 Credential=")
        assert signed["headers"]["Content-Length"] == str(len(signed["body"].encode()))
        answer = _send(endpoint.url, signed)
        assert "Error" not in answer, answer
        assert kms.ListKeyDetail(SearchKeyAlias="over-the-wire")["TotalCount"] == 1
        altered = signed["body"].replace("over-the-wire", "over-the-wirf")
        refused = _send(endpoint.url, signed, body=altered)
        assert refused["Error"]["Code"] == "AuthFailure.SignatureFailure"


def test_python_snippet_runs_as_shown(kms):
    with kms.serve(wall_clock=True) as endpoint:
        explorer = ApiExplorer(kms, endpoint=endpoint)
        explorer.action.value = "GenerateRandom"
        explorer.fields["NumberOfBytes"].value = "16"
        code = explorer.python_snippet()
        assert kms.api_keys()[0].secret_key not in code  # credentials by name only
        key = kms.api_keys()[0]
        env = dict(
            os.environ, TENCENTCLOUD_SECRET_ID=key.secret_id, TENCENTCLOUD_SECRET_KEY=key.secret_key
        )
        code = code.replace("HttpProfile(endpoint=", 'HttpProfile(protocol="http", endpoint=')
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr
        assert len(json.loads(out.stdout)["Plaintext"]) == 24  # Base64 of 16 bytes


def test_tccli_snippet_quotes_values(kms):
    explorer = ApiExplorer(kms)
    explorer.action.value = "CreateKey"
    explorer.fields["Alias"].value = "a b"
    explorer.fields["Tags"].value = '[{"TagKey": "t", "TagValue": "v w"}]'
    snippet = explorer.tccli_snippet()
    import shlex

    words = shlex.split(snippet)
    assert words[:3] == ["tccli", "kms", "CreateKey"]
    assert words[words.index("--Alias") + 1] == "a b"
    assert json.loads(words[words.index("--Tags") + 1]) == [{"TagKey": "t", "TagValue": "v w"}]
