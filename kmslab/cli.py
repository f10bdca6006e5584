"""The kmslab command: open the workbench in JupyterLab, or serve the API endpoint."""

from __future__ import annotations

import argparse
import sys

DEFAULT_PORT = 8654
"""The port ``kmslab serve`` listens on unless told otherwise (fixed, for CI and containers)."""

LAB_HELP = """\
Copy the tutorial notebooks into a working folder (first run; later runs update only
notebooks you have not edited) and open JupyterLab on it. Every option not listed here
goes to Jupyter unchanged, e.g. kmslab lab --port 8899 --no-browser. As root (containers,
CI) it passes --allow-root and says so. SIGTERM, SIGHUP and SIGQUIT are forwarded to
Jupyter, and kmslab lab waits until Jupyter and its kernels have stopped.
"""


SERVE_HELP = f"""\
Serve the Tencent Cloud KMS API 3.0 (version 2019-01-18) in the foreground until
interrupted, on port {DEFAULT_PORT} unless --port says otherwise. Credentials: --secret-id
and --secret-key (or KMSLAB_SECRET_ID and KMSLAB_SECRET_KEY), else a generated pair
written to a private file (mode 0600) whose path is printed. When it is ready it prints a
line starting with "kmslab ready:", and GET /healthz answers {{"Status": "ok"}} without
credentials. Unknown options are refused.
"""


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar, plain text only (help output is not reStructuredText)."""
    parser = argparse.ArgumentParser(
        prog="kmslab",
        description="kmslab: Tencent Cloud KMS as a local, simulated service. "
        "Open the notebook workbench (lab) or serve the API 3.0 endpoint (serve).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    lab = sub.add_parser(
        "lab",
        help="open JupyterLab on the tutorial notebooks",
        description=LAB_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    lab.add_argument(
        "--dir",
        default=None,
        metavar="FOLDER",
        help="working folder for the notebooks (default: $KMSLAB_NOTEBOOKS, "
        "else ~/kmslab-notebooks)",
    )
    serve = sub.add_parser(
        "serve",
        help="serve the API 3.0 endpoint (SDKs and tccli) and the legacy API 2.0",
        description=SERVE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0: a free one)",
    )
    serve.add_argument("--https", action="store_true", help="HTTPS with a generated certificate")
    serve.add_argument("--seed", default=None, help="deterministic (INSECURE) mode seed")
    serve.add_argument("--path", default=None, help="SQLite file to persist the service in")
    serve.add_argument(
        "--secret-id",
        default=None,
        help="SecretId clients sign with (default: $KMSLAB_SECRET_ID, else a generated one)",
    )
    serve.add_argument(
        "--secret-key",
        default=None,
        help="SecretKey of --secret-id (default: $KMSLAB_SECRET_KEY)",
    )
    serve.add_argument(
        "--region",
        default=None,
        help="default region of the service (default: ap-guangzhou)",
    )
    serve.add_argument(
        "--qps",
        default="off",
        help="throttling: off (default), documented (Tencent's limits) or a factor of them",
    )
    serve.add_argument(
        "--legacy-region",
        action="append",
        default=[],
        metavar="NAME=REGION",
        help="map a legacy API 2.0 region (the Host kms-NAME...) to a kmslab region, "
        "e.g. gz=ap-guangzhou (repeatable; default gz, sh, bj to ap-guangzhou, "
        "ap-shanghai, ap-beijing)",
    )
    return parser


def legacy_regions(items: list[str]) -> dict[str, str]:
    """``--legacy-region NAME=REGION`` options as a mapping (``ValueError`` if malformed)."""
    mapping: dict[str, str] = {}
    for item in items:
        name, eq, region = item.partition("=")
        if not eq or not name.strip() or not region.strip():
            raise ValueError(f"--legacy-region takes NAME=REGION, not {item!r}")
        mapping[name.strip()] = region.strip()
    return mapping


def main(argv: list[str] | None = None) -> int:
    """Entry point of the kmslab command."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "serve":
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        from kmslab.server.cli import ServeOptions, serve_forever

        try:
            options = ServeOptions.from_args(args)
        except ValueError as exc:
            parser.error(str(exc))
        return serve_forever(options)
    from kmslab.launcher import lab

    return lab(args.dir, rest)


if __name__ == "__main__":
    sys.exit(main())
