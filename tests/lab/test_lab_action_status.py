"""docs/action-status.md lists every documented action with its true status."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kmslab.actions.table import ACTIONS
from kmslab.core.assembly import built_actions

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "gen_action_status", ROOT / "tools/gen_action_status.py"
)
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


def test_the_committed_page_is_the_generated_one():
    page = (ROOT / "docs" / "action-status.md").read_text(encoding="utf-8")
    assert page == gen.render(), "run python tools/gen_action_status.py"


def test_page_has_all_69_actions():
    text = gen.render()
    assert len(ACTIONS) == 69
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == 69


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_status_matches_handlers(name):
    row = next(line for line in gen.render().splitlines() if line.startswith(f"| `{name}` |"))
    assert ("| built |" in row) == (name in built_actions())
