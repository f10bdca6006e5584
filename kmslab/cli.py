"""The ``kmslab`` command: open the workbench in JupyterLab."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kmslab`` command."""
    parser = argparse.ArgumentParser(prog="kmslab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    lab = sub.add_parser("lab", help="open JupyterLab on the tutorial notebooks")
    lab.add_argument("notebooks", nargs="?", default=None, help="notebook folder")
    args, rest = parser.parse_known_args(argv)
    if args.command == "lab":
        folder = args.notebooks or str(Path.cwd() / "notebooks")
        return subprocess.call([sys.executable, "-m", "jupyter", "lab", folder, *rest])
    return 2


if __name__ == "__main__":
    sys.exit(main())
