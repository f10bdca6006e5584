"""Every refusal in the key-state table uses a code its action documents, or is one of
the deliberate, written-down exceptions of ``docs/state-codes.md``."""

from __future__ import annotations

from pathlib import Path

from kmslab.actions.table import ACTIONS
from kmslab.core.states import OK, RESTORE, STATE_TABLE

DOC = Path(__file__).resolve().parents[2] / "docs" / "state-codes.md"


def undocumented_cells() -> set[tuple[str, str, str]]:
    out = set()
    for action, cells in STATE_TABLE.items():
        for state, cell in cells.items():
            if cell in (OK, RESTORE) or cell.startswith("->"):
                continue
            if cell not in ACTIONS[action].errors:
                out.add((action, state, cell))
    return out


def deliberate_cells() -> set[tuple[str, str, str]]:
    rows = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[2].startswith("ResourceUnavailable."):
            rows.add((cells[0], cells[1], cells[2]))
    return rows


def test_every_state_table_row_is_an_action():
    assert set(STATE_TABLE) <= set(ACTIONS)


def test_undocumented_refusals_are_exactly_the_written_exceptions():
    assert deliberate_cells(), "the exceptions table was not read"
    assert undocumented_cells() == deliberate_cells()
