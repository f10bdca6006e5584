"""The Python snippets of the docs run as written, in order, in one session."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(name: str) -> list[str]:
    return BLOCK.findall((DOCS / name).read_text())


@pytest.mark.skipif(shutil.which("tccli") is None, reason="tccli comes with the [test] extra")
def test_wire_endpoint_snippets_run_in_order(capsys):
    blocks = _blocks("wire-endpoint.md")
    assert len(blocks) >= 4
    namespace: dict = {}
    for i, code in enumerate(blocks):
        exec(compile(code, f"wire-endpoint.md block {i + 1}", "exec"), namespace)
    assert "True" in capsys.readouterr().out  # the SDK block printed ServiceEnabled
    assert not namespace["tls"].running and not namespace["endpoint"].running
    assert namespace["kms"].ListKeyDetail(Limit=10)["TotalCount"] == 1  # tccli made one key


def test_tccli_environment_docstring_matches_what_it_does(tmp_path, monkeypatch):
    import kmslab

    monkeypatch.setenv("HOME", str(tmp_path))
    with kmslab.KMS().serve(https=True) as tls:
        env = tls.tccli_environment()
    assert not (tmp_path / ".tccli").exists()  # it writes no profile
    assert "writes no tccli profile" in type(tls).tccli_environment.__doc__
    assert {"KMSLAB_CA_BUNDLE", "PYTHONPATH", "TENCENTCLOUD_SECRET_ID"} <= set(env)
