"""``kmslab serve --legacy-region NAME=REGION`` (issue 16, item 5): parsed, refused when
malformed, and applied by the running endpoint."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from legacy_client import LegacyClient

from kmslab.cli import legacy_regions, main


@pytest.mark.parametrize(
    "items, expected",
    [
        ([], {}),
        (["gz=ap-shanghai"], {"gz": "ap-shanghai"}),
        (
            ["gz=ap-shanghai", "cd=ap-beijing", "gz=ap-tokyo"],
            {"gz": "ap-tokyo", "cd": "ap-beijing"},
        ),
    ],
)
def test_parse(items, expected):
    assert legacy_regions(items) == expected


@pytest.mark.parametrize("item", ["gz", "=ap-shanghai", "gz=", " = "])
def test_malformed_option_is_a_usage_error(item, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--legacy-region", item])
    assert exc.value.code == 2 and "NAME=REGION" in capsys.readouterr().err


def _serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kmslab.cli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_unknown_target_region_exits_2():
    proc = _serve("--legacy-region", "gz=mars-1")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "mars-1" in err and "Traceback" not in err


def test_serve_maps_legacy_regions(tmp_path):
    proc = _serve("--legacy-region", "gz=ap-shanghai", "--path", str(tmp_path / "k.sqlite"))
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
        url = lines[0].split()[2]
        assert lines[3].startswith(f"Legacy API 2.0: {url}v2/index.php"), lines
        cred = json.loads(Path(lines[1].split("key pair in ")[1].rstrip(")\n")).read_text())
        host, port = url.split("//")[1].rstrip("/").rsplit(":", 1)
        handle = SimpleNamespace(host=host, port=int(port), https=False, endpoint=f"{host}:{port}")
        key = SimpleNamespace(secret_id=cred["SecretId"], secret_key=cred["SecretKey"])
        gz = LegacyClient(handle, key, host="kms-gz.api.qcloud.com")
        loop = LegacyClient(handle, key)
        made = gz.call("CreateKey", alias="mapped")
        assert made["code"] == 0, made
        key_id = made["keyMetadata"]["keyId"]
        assert gz.call("GetKeyAttributes", keyId=key_id)["code"] == 0
        assert loop.call("GetKeyAttributes", keyId=key_id)["code"] == 5000  # ap-guangzhou
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
