"""The Python snippets of docs/legacy-api.md run as written, in order, in one session."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "legacy-api.md"


def test_legacy_api_snippets_run_in_order(capsys, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", "")  # restored afterwards (the snippet sets it)
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    for i, code in enumerate(blocks):
        exec(compile(code, f"legacy-api.md block {i + 1}", "exec"), namespace)
    out = capsys.readouterr().out.splitlines()
    assert out == ["0 Enabled", "legacy-demo", "1"]
    assert not namespace["endpoint"].running and not namespace["tls"].running


def test_every_legacy_action_is_in_the_mapping_table():
    from kmslab.server.api2_actions import ACTIONS

    text = DOC.read_text()
    for name, action in ACTIONS.items():
        assert re.search(rf"^\| `{name}` \|.*\| `{action.core}`", text, re.M), name
