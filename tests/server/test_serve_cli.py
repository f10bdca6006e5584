"""``kmslab serve`` for CI and containers: fixed default port, the caller's credentials
(options or environment), region and QPS options, a readiness line, a health answer,
and refusal of anything it does not understand."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.kms.v20190118 import models
from tencentcloud.kms.v20190118.kms_client import KmsClient

from kmslab import cli
from kmslab.server.cli import DEFAULT_PORT, READY, ServeOptions

SID = "AKIDci1234567890abcdefghijklmnopqr"
SKEY = "ci-secret-key-0123456789"


def _serve(*argv: str, env: dict | None = None):
    proc = subprocess.Popen(
        [sys.executable, "-m", "kmslab.cli", "serve", "--port", "0", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    lines = []
    while True:
        line = proc.stdout.readline()
        if not line:
            proc.kill()
            raise AssertionError(f"no readiness line: {lines} {proc.stderr.read()}")
        lines.append(line)
        if line.startswith(READY):
            return proc, lines, line.split()[2]


def _client(url: str, sid: str, skey: str, region: str) -> KmsClient:
    endpoint = url.split("//")[1].rstrip("/")
    http = HttpProfile(protocol="http", endpoint=endpoint)
    return KmsClient(credential.Credential(sid, skey), region, ClientProfile(httpProfile=http))


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--secret-id", SID, "--secret-key", SKEY], {}),
        ([], {"KMSLAB_SECRET_ID": SID, "KMSLAB_SECRET_KEY": SKEY}),
    ],
)
def test_ci_server_with_chosen_credentials_region_and_health(argv, env):
    proc, lines, url = _serve(*argv, "--region", "ap-shanghai", "--qps", "documented", env=env)
    try:
        text = "".join(lines)
        assert SKEY not in text and f"SecretId: {SID}" in text
        assert "Region: ap-shanghai; QPS limits: documented" in text
        with urllib.request.urlopen(url + "healthz", timeout=5) as answer:
            assert json.loads(answer.read()) == {
                "Status": "ok",
                "Service": "kmslab",
                "Region": "ap-shanghai",
            }
        c = _client(url, SID, SKEY, "ap-shanghai")
        key_id = c.CreateKey(_alias("ci")).KeyId
        assert c.DescribeKey(_describe(key_id)).KeyMetadata.Alias == "ci"
        with pytest.raises(TencentCloudSDKException) as info:
            _client(url, SID, "not-the-key", "ap-shanghai").ListKeys(models.ListKeysRequest())
        assert info.value.code == "AuthFailure.SignatureFailure"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_health_is_only_the_unsigned_get():
    """POST /healthz or a GET with a query is an API request, refused as unsigned."""
    proc, _, url = _serve()
    try:
        for request in (
            urllib.request.Request(url + "healthz", data=b"{}", method="POST"),
            urllib.request.Request(url + "healthz?Action=ListKeys"),
        ):
            with urllib.request.urlopen(request, timeout=5) as answer:
                body = json.loads(answer.read())
            assert body["Response"]["Error"]["Code"] == "MissingParameter", body
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def _alias(alias: str) -> models.CreateKeyRequest:
    r = models.CreateKeyRequest()
    r.Alias = alias
    return r


def _describe(key_id: str) -> models.DescribeKeyRequest:
    r = models.DescribeKeyRequest()
    r.KeyId = key_id
    return r


def test_the_default_port_is_fixed_and_documented(capsys):
    args = cli.build_parser().parse_args(["serve"])
    assert args.port == DEFAULT_PORT == 8654
    assert ServeOptions.from_args(args, {}).port == 8654
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    assert f"on port {DEFAULT_PORT}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus"], "unrecognized arguments"),
        (["--reg", "ap-shanghai"], "unrecognized arguments"),  # no abbreviations
        (["--qps", "fast"], "--qps is off, documented or a positive factor"),
        (["--qps", "-1"], "--qps is off, documented or a positive factor"),
        (["--qps", "nan"], "--qps is off, documented or a positive factor"),
        (["--region", "mars-1"], "unknown --region 'mars-1'"),
        (["--secret-id", SID], "give both --secret-id and --secret-key"),
        (["--port", "70000"], "--port must be 0 to 65535"),
        (["--port", "eighty"], "invalid int value"),
    ],
)
def test_bad_options_are_refused(capsys, monkeypatch, argv, message):
    monkeypatch.delenv("KMSLAB_SECRET_ID", raising=False)
    monkeypatch.delenv("KMSLAB_SECRET_KEY", raising=False)
    with pytest.raises(SystemExit) as info:
        cli.main(["serve", *argv])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_secret_key_from_the_environment_needs_its_id(monkeypatch):
    args = cli.build_parser().parse_args(["serve"])
    with pytest.raises(ValueError, match="give both"):
        ServeOptions.from_args(args, {"KMSLAB_SECRET_KEY": SKEY})
    chosen = ServeOptions.from_args(args, {"KMSLAB_SECRET_ID": SID, "KMSLAB_SECRET_KEY": SKEY})
    assert (chosen.secret_id, chosen.secret_key) == (SID, SKEY)
    flags = cli.build_parser().parse_args(["serve", "--secret-id", "AKIDflag", "--secret-key", "k"])
    assert (
        ServeOptions.from_args(
            flags, {"KMSLAB_SECRET_ID": SID, "KMSLAB_SECRET_KEY": SKEY}
        ).secret_id
        == "AKIDflag"
    )


def test_a_persisted_secret_id_with_another_key_is_refused(tmp_path):
    db = str(tmp_path / "k.sqlite")
    proc, _, _ = _serve("--path", db, "--secret-id", SID, "--secret-key", SKEY)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "kmslab.cli",
            "serve",
            "--port",
            "0",
            "--path",
            db,
            "--secret-id",
            SID,
            "--secret-key",
            "different",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2 and "is stored in" in again.stdout
    assert "different" not in again.stdout


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_right_after_the_first_line_is_clean(sig):
    proc = subprocess.Popen(
        [sys.executable, "-m", "kmslab.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().startswith("kmslab endpoint:")
    proc.send_signal(sig)
    assert proc.wait(timeout=10) == 0, proc.stderr.read()
