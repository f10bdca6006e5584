"""Generate ``kmslab/actions/shapes.py``: every action's response fields with their wire
types and whether they are always present, and the fields of every data structure,
from the spec's ``api-catalog.md`` (sections 2 and 3).

The typed Python API and the response-shape tests read this module, so neither can
drift from the spec. Run from the repository root: ``python tools/gen_shapes.py``.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_catalog as catalog  # noqa: E402

OUTPUT = catalog.REPO_ROOT / "kmslab" / "actions" / "shapes.py"

HEADER = '''\
# GENERATED FILE - DO NOT EDIT BY HAND.
# Source: {source}
# Source sha256: {digest}
# Regenerate from the repository root with: python tools/gen_shapes.py
"""Response shapes exactly as the spec's ``api-catalog.md`` states them.

``RESPONSES[action]`` lists ``(field, wire type, always present)``; ``STRUCTURES[name]``
lists ``(field, wire type)``. Wire types: ``String``, ``Integer``, ``Boolean``, a
structure name, or ``Array of <type>``.
"""

from __future__ import annotations

'''


def wire_type(text: str) -> str:
    """``Integer (uint64)`` -> ``Integer``; ``KeyMetadata (object)`` -> ``KeyMetadata``."""
    text = re.sub(r"\s*\((?:u?int64|object)\)", "", text.strip())
    return text


def parse(text: str) -> tuple[dict, dict]:
    block = catalog.section(text, "## 2.", "## 3.")
    parts = re.split(r"^### `([A-Za-z0-9]+)`\s*$", block, flags=re.MULTILINE)
    responses: dict[str, list] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        rows = []
        if "**Response fields:** only `RequestId`." not in body:
            for cells in catalog.table_after(body, "**Response fields**"):
                rows.append((catalog.unquote(cells[0]), wire_type(cells[1]), cells[2] == "Y"))
        responses[name] = rows
    block = catalog.section(text, "## 3.", "## 4.")
    parts = re.split(r"^### `([A-Za-z0-9]+)`\s*$", block, flags=re.MULTILINE)
    structures: dict[str, list] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        structures[name] = [
            (catalog.unquote(cells[0]), wire_type(cells[1]))
            for cells in catalog.table_after(body, "| Field |")
        ]
    return responses, structures


def render(responses: dict, structures: dict, source: str, digest: str) -> str:
    out = HEADER.format(source=source, digest=digest).splitlines()
    out.append("RESPONSES: dict[str, tuple[tuple[str, str, bool], ...]] = {")
    for name, rows in responses.items():
        if not rows:
            out.append(f'    "{name}": (),')
            continue
        out.append(f'    "{name}": (')
        out += [f'        ("{f}", "{t}", {a}),' for f, t, a in rows]
        out.append("    ),")
    out += ["}", "", "STRUCTURES: dict[str, tuple[tuple[str, str], ...]] = {"]
    for name, rows in structures.items():
        out.append(f'    "{name}": (')
        out += [f'        ("{f}", "{t}"),' for f, t in rows]
        out.append("    ),")
    out.append("}")
    return "\n".join(out) + "\n"


def formatted(text: str, path: Path) -> str:
    """``text`` as ``ruff format`` writes it, so the file is stable under the formatter."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def main() -> int:
    source = catalog.REPO_ROOT / catalog.DEFAULT_SOURCE
    raw = source.read_bytes()
    responses, structures = parse(raw.decode("utf-8"))
    text = render(
        responses, structures, catalog.source_label_for(source), hashlib.sha256(raw).hexdigest()
    )
    OUTPUT.write_text(formatted(text, OUTPUT), encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(responses)} actions, {len(structures)} structures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
