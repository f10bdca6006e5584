"""Generate ``kmslab/actions/catalog.py`` from the spec's ``api-catalog.md``.

The catalog lists 69 actions with hundreds of parameters; copying them by hand would
drift from the spec and hide typos such as ``PlainText`` versus ``Plaintext``. This
script reads sections 1 (summary table), 2 (per-action reference) and 3 (data
structures), cross-checks them against each other and writes a plain Python module,
failing loudly on anything it does not understand.

Usage, from the repository root::

    python tools/gen_catalog.py [path/to/api-catalog.md]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = "../shared/spec/api-catalog.md"  # relative to the repository root
OUTPUT = REPO_ROOT / "kmslab" / "actions" / "catalog.py"

# Catalog type spelling -> expression in the generated module (constants of spec.py).
SCALAR_TYPES = {
    "String": "STRING",
    "Integer (uint64)": "INTEGER",
    "Integer (int64)": "INTEGER_SIGNED",
    "Boolean": "BOOLEAN",
    "Array of String": "STRING_LIST",
}
REQUIRED = {"Yes": True, "Y": True, "No": False, "N": False}
LINE_LENGTH = 100  # the project's ruff line length; generated lines stay within it


class CatalogError(Exception):
    """The catalog text does not have the shape this script expects."""


@dataclass
class ParamRow:
    name: str
    type_expr: str
    required: bool
    doc: str


@dataclass
class ActionRow:
    name: str
    group: str
    in_doc: str
    qps: int | None
    summary: str
    params: list[ParamRow] = field(default_factory=list)
    response: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- parsing


def section(text: str, start: str, end: str) -> str:
    """The text between the heading line ``start`` and the heading line ``end``."""
    m1 = re.search(rf"^{re.escape(start)}.*$", text, re.MULTILINE)
    m2 = re.search(rf"^{re.escape(end)}.*$", text, re.MULTILINE)
    if not m1 or not m2 or m2.start() < m1.end():
        raise CatalogError(f"cannot find section {start!r} .. {end!r}")
    return text[m1.end() : m2.start()]


def split_row(line: str) -> list[str]:
    """Cells of one Markdown table row (the catalog never escapes ``|`` in cells)."""
    line = line.strip()
    if not (line.startswith("|") and line.endswith("|")):
        raise CatalogError(f"not a table row: {line!r}")
    return [c.strip() for c in line[1:-1].split("|")]


def table_after(block: str, marker: str) -> list[list[str]]:
    """Rows (header and separator dropped) of the first table following ``marker``."""
    idx = block.find(marker)
    if idx < 0:
        raise CatalogError(f"missing {marker!r}")
    lines = block[idx:].splitlines()
    if not marker.startswith("|"):  # a heading such as **Request parameters**
        lines = lines[1:]
    while lines and not lines[0].strip():
        lines.pop(0)
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append(split_row(line))
    if len(rows) < 2 or not set(rows[1][0]) <= set("-:"):
        raise CatalogError(f"no table after {marker!r}")
    return rows[2:]


def unquote(cell: str) -> str:
    """A name cell such as ```KeyId``` -> ``KeyId``."""
    m = re.fullmatch(r"`([^`]+)`", cell)
    if not m:
        raise CatalogError(f"expected a `name`, got {cell!r}")
    return m.group(1)


def map_type(cell: str) -> str:
    """A catalog type -> the expression naming it in the generated module."""
    if cell in SCALAR_TYPES:
        return SCALAR_TYPES[cell]
    m = re.fullmatch(r"([A-Z][A-Za-z]+) \(object\)", cell)
    if m:
        return repr_str(m.group(1))
    m = re.fullmatch(r"Array of ([A-Z][A-Za-z]+)", cell)
    if m:
        return repr_str(cell)
    raise CatalogError(f"unknown type {cell!r}")


def map_required(cell: str) -> bool:
    if cell not in REQUIRED:
        raise CatalogError(f"unknown Req. value {cell!r}")
    return REQUIRED[cell]


def parse_summary(text: str) -> dict[str, ActionRow]:
    """Section 1: one row per action, in catalog order."""
    block = section(text, "## 1.", "## 2.")
    out: dict[str, ActionRow] = {}
    for n, cells in enumerate(table_after(block, "| # |"), start=1):
        num, name, group, in_doc, qps, purpose = cells
        if int(num) != n:
            raise CatalogError(f"summary row {num} out of order")
        name = unquote(name)
        out[name] = ActionRow(
            name=name,
            group=group,
            in_doc=in_doc,
            qps=int(qps) if qps else None,
            summary=purpose,
        )
    return out


def parse_params(body: str) -> list[ParamRow]:
    """The request-parameter table of one action section."""
    if "**Request parameters:** none" in body:
        return []
    rows = table_after(body, "**Request parameters**")
    params = []
    for cells in rows:
        name, type_, req, doc, _src = cells
        params.append(ParamRow(unquote(name), map_type(type_), map_required(req), doc))
    return params


def parse_response(body: str) -> list[str]:
    """Response field names of one action section (``RequestId`` is never listed)."""
    if "**Response fields:** only `RequestId`." in body:
        return []
    return [unquote(cells[0]) for cells in table_after(body, "**Response fields**")]


def parse_errors(body: str) -> list[str]:
    """Codes of the **Errors** line, without the ``(SDK)`` source marker."""
    m = re.search(r"^\*\*Errors\*\*[^:]*:(.*)$", body, re.MULTILINE)
    if not m:
        raise CatalogError("missing **Errors** line")
    codes = []
    for item in m.group(1).split(","):
        codes.append(unquote(item.strip().removesuffix(" (SDK)")))
    return codes


def parse_actions(text: str, summary: dict[str, ActionRow]) -> dict[str, ActionRow]:
    """Section 2: the per-action reference, checked against section 1."""
    block = section(text, "## 2.", "## 3.")
    parts = re.split(r"^### `([A-Za-z0-9]+)`\s*$", block, flags=re.MULTILINE)
    names, bodies = parts[1::2], parts[2::2]
    if names != list(summary):
        raise CatalogError("section 2 actions differ from section 1 (names or order)")
    for name, body in zip(names, bodies, strict=True):
        row = summary[name]
        # Paragraphs: the header line, the purpose, optional bullet notes, the parameters.
        paras = body.strip().split("\n\n")
        head = re.fullmatch(
            r"group: \*\*(.+?)\*\* · in doc text: \*\*(.+?)\*\*"
            r"(?: · rate limit: \*\*(\d+) req/s\*\*)?",
            paras[0],
        )
        if not head:
            raise CatalogError(f"{name}: bad header line {paras[0]!r}")
        group, in_doc, qps = head.group(1), head.group(2), head.group(3)
        if (group, in_doc, int(qps) if qps else None) != (row.group, row.in_doc, row.qps):
            raise CatalogError(f"{name}: header disagrees with the summary table")
        if paras[1].strip() != row.summary:
            raise CatalogError(f"{name}: purpose differs between sections 1 and 2")
        if paras[2].startswith("* "):
            bullets = paras[2].splitlines()
            if not all(ln.startswith("* ") for ln in bullets):
                raise CatalogError(f"{name}: notes paragraph is not a bullet list")
            row.notes = [ln[2:].strip() for ln in bullets]
        row.params = parse_params(body)
        row.response = parse_response(body)
        row.errors = parse_errors(body)
    return summary


def parse_structs(text: str) -> dict[str, list[ParamRow]]:
    """Section 3: the structures a request may carry (direction "request" in the text)."""
    block = section(text, "## 3.", "## 4.")
    parts = re.split(r"^### `([A-Za-z0-9]+)`\s*$", block, flags=re.MULTILINE)
    out: dict[str, list[ParamRow]] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        m = re.search(r"Direction: ([a-z ]+)\.", body)
        if not m:
            raise CatalogError(f"struct {name}: no Direction")
        if "request" not in m.group(1):
            continue
        fields = []
        for cells in table_after(body, "| Field |"):
            fname, type_, req, doc, _src = cells
            fields.append(ParamRow(unquote(fname), map_type(type_), map_required(req), doc))
        out[name] = fields
    return out


# --------------------------------------------------------------------------- writing


def repr_str(s: str) -> str:
    """A string literal in the quote style ``ruff format`` keeps."""
    if '"' in s and "'" not in s:
        return "'" + s.replace("\\", "\\\\") + "'"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chunks(s: str, width: int) -> list[str]:
    """Split ``s`` after spaces into pieces whose literals are at most ``width`` columns."""
    pieces, cur = [], ""
    for word in re.split(r"(?<= )", s):
        if cur and len(repr_str(cur + word)) > width:
            pieces.append(cur)
            cur = ""
        cur += word
    if cur:
        pieces.append(cur)
    return pieces


def emit_str(s: str, indent: int, prefix: str = "") -> list[str]:
    """Lines for ``<prefix><string>,`` at ``indent``, laid out as ``ruff format`` keeps them.

    A literal that fits stays on one line; a longer one becomes an implicit concatenation
    in parentheses, one piece per line, so that no line exceeds the line length.
    """
    pad = " " * indent
    lit = repr_str(s)
    if indent + len(prefix) + len(lit) + 1 <= LINE_LENGTH:
        return [f"{pad}{prefix}{lit},"]
    inner = " " * (indent + 4)
    pieces = chunks(s, LINE_LENGTH - len(inner))
    return [f"{pad}{prefix}("] + [inner + repr_str(p) for p in pieces] + [f"{pad}),"]


def emit_str_tuple(items: list[str], indent: int, prefix: str) -> list[str]:
    """Lines for ``<prefix>(<items>),``: one line if a single item fits, else exploded."""
    pad = " " * indent
    if not items:
        return [f"{pad}{prefix}(),"]
    if len(items) == 1:
        one = f"{pad}{prefix}({repr_str(items[0])},),"
        if len(one) <= LINE_LENGTH:
            return [one]
    lines = [f"{pad}{prefix}("]
    for item in items:
        lines += emit_str(item, indent + 4)
    return [*lines, f"{pad}),"]


def emit_params(params: list[ParamRow], indent: int, prefix: str) -> list[str]:
    """Lines for ``<prefix>(Param(...), ...),`` with every Param exploded."""
    pad = " " * indent
    if not params:
        return [f"{pad}{prefix}(),"]
    inner = indent + 8
    lines = [f"{pad}{prefix}("]
    for p in params:
        lines.append(f"{pad}    Param(")
        lines += emit_str(p.name, inner)
        lines.append(f"{' ' * inner}{p.type_expr},")
        lines.append(f"{' ' * inner}required={p.required},")
        lines += emit_str(p.doc, inner, "doc=")
        lines.append(f"{pad}    ),")
    return [*lines, f"{pad}),"]


HEADER = '''\
# GENERATED FILE - DO NOT EDIT BY HAND.
# Source: {source}
# Source sha256: {digest}
# Regenerate from the repository root with: python tools/gen_catalog.py
"""The action table exactly as the spec's ``api-catalog.md`` states it, without limits.

Generated so that parameter names, types, required flags, response fields and error
lists cannot drift from the spec. :mod:`kmslab.actions.table` merges in the limits of
:mod:`kmslab.actions.limits`; the rest of kmslab should import that table, not this one.
"""

from __future__ import annotations

from kmslab.actions.spec import (
{imports}
)
'''


def render(
    actions: dict[str, ActionRow],
    structs: dict[str, list[ParamRow]],
    source_label: str,
    digest: str,
) -> str:
    """The text of the generated module."""
    used = {p.type_expr for a in actions.values() for p in a.params}
    used |= {p.type_expr for fields in structs.values() for p in fields}
    names = sorted(c for c in SCALAR_TYPES.values() if c in used)  # only the used ones
    names += ["ActionSpec", "Param", "Struct"]
    imports = "\n".join(f"    {n}," for n in names)
    out = HEADER.format(source=source_label, digest=digest, imports=imports).splitlines()
    out += ["", "# The request structures of section 3 (response-only ones are never validated)."]
    out.append("STRUCTS: dict[str, Struct] = {")
    for name, fields in structs.items():
        out.append(f"    {repr_str(name)}: Struct(")
        out += emit_str(name, 8, "name=")
        out += emit_params(fields, 8, "fields=")
        out.append("    ),")
    out += ["}", "", "# All actions of the official SDK, in catalog order (sections 1 and 2)."]
    out.append("ACTIONS: dict[str, ActionSpec] = {")
    for a in actions.values():
        out.append(f"    {repr_str(a.name)}: ActionSpec(")
        out += emit_str(a.name, 8, "name=")
        out += emit_str(a.group, 8, "group=")
        out += emit_str(a.in_doc, 8, "in_doc=")
        out.append(f"        qps={a.qps},")
        out += emit_str(a.summary, 8, "summary=")
        out += emit_params(a.params, 8, "params=")
        out += emit_str_tuple(a.response, 8, "response=")
        out += emit_str_tuple(a.errors, 8, "errors=")
        out += emit_str_tuple(a.notes, 8, "notes=")
        out.append("    ),")
    out.append("}")
    return "\n".join(out) + "\n"


def source_label_for(path: Path) -> str:
    """The source path as written relative to the repository root, for the header."""
    try:
        return os.path.relpath(path.resolve(), REPO_ROOT)
    except ValueError:  # another drive on Windows
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source",
        nargs="?",
        default=str(REPO_ROOT / DEFAULT_SOURCE),
        help=f"path to api-catalog.md (default: {DEFAULT_SOURCE} from the repository root)",
    )
    parser.add_argument("--output", default=str(OUTPUT), help="module to write")
    args = parser.parse_args(argv)

    source = Path(args.source)
    raw = source.read_bytes()
    text = raw.decode("utf-8")
    try:
        actions = parse_actions(text, parse_summary(text))
        structs = parse_structs(text)
    except CatalogError as exc:
        print(f"gen_catalog: {source}: {exc}", file=sys.stderr)
        return 1
    module = render(actions, structs, source_label_for(source), hashlib.sha256(raw).hexdigest())
    Path(args.output).write_text(module, encoding="utf-8")
    print(f"wrote {args.output}: {len(actions)} actions, {len(structs)} request structures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
