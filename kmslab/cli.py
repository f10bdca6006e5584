"""The ``kmslab`` command: open the workbench in JupyterLab, or serve the API endpoint."""

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
    serve = sub.add_parser("serve", help="serve the API 3.0 endpoint (SDKs and tccli)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    serve.add_argument("--https", action="store_true", help="HTTPS with a generated certificate")
    serve.add_argument("--seed", default=None, help="deterministic (INSECURE) mode seed")
    serve.add_argument("--path", default=None, help="SQLite file to persist the service in")
    args, rest = parser.parse_known_args(argv)
    if args.command == "serve":
        from kmslab.server.cli import serve_forever

        return serve_forever(args.host, args.port, args.https, args.seed, args.path)
    if args.command == "lab":
        folder = args.notebooks or str(Path.cwd() / "notebooks")
        return subprocess.call([sys.executable, "-m", "jupyter", "lab", folder, *rest])
    return 2


if __name__ == "__main__":
    sys.exit(main())
