"""``kmslab lab``: copy the bundled tutorial notebooks into a working folder and run
JupyterLab on it, as root too, forwarding signals so Jupyter and its kernels stop cleanly.

The notebooks ship inside the package (``kmslab/notebooks``, a link to the repository's
``notebooks/`` that wheels and sdists store as real files). They are copied, never
opened in place: a user's edits live in the working folder and are never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_FOLDER = "~/kmslab-notebooks"
"""Where ``kmslab lab`` puts the notebooks unless ``--dir`` or ``KMSLAB_NOTEBOOKS`` says."""

MANIFEST = ".kmslab-notebooks.json"
"""File in the working folder recording the SHA-256 of each notebook as it was copied."""

FORWARDED = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


def bundled_notebooks() -> Path:
    """The folder of tutorial notebooks shipped with this kmslab (wheel or source tree)."""
    package = Path(__file__).resolve().parent
    for folder in (package / "notebooks", package.parent / "notebooks"):
        if folder.is_dir() and any(folder.glob("*.ipynb")):
            return folder
    raise FileNotFoundError(
        f"no tutorial notebooks next to {package}: this kmslab was installed without them"
    )


def working_folder(given: str | None) -> Path:
    """``given``, else ``$KMSLAB_NOTEBOOKS``, else ``~/kmslab-notebooks``; user-expanded."""
    return Path(given or os.environ.get("KMSLAB_NOTEBOOKS") or DEFAULT_FOLDER).expanduser()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync_notebooks(target: Path, source: Path | None = None) -> dict[str, list[str]]:
    """Copy the bundled notebooks into ``target``: missing ones are copied, ones still
    exactly as copied are updated to the bundled version, edited ones are left alone.

    Returns the file names by what happened: ``copied``, ``updated``, ``kept``
    (edited by the user, or not copied by kmslab), ``current``.
    """
    source = source or bundled_notebooks()
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
        if not isinstance(manifest, dict):
            manifest = {}
    except (OSError, ValueError):
        manifest = {}
    done: dict[str, list[str]] = {"copied": [], "updated": [], "kept": [], "current": []}
    for book in sorted(source.glob("*.ipynb")):
        mine = target / book.name
        bundled = _digest(book)
        if not mine.exists():
            outcome = "copied"
        elif _digest(mine) == bundled:
            outcome = "current"
        elif manifest.get(book.name) == _digest(mine):
            outcome = "updated"
        else:
            done["kept"].append(book.name)
            continue
        if outcome != "current":
            temporary = mine.with_name(f".{mine.name}.kmslab-tmp")
            shutil.copyfile(book, temporary)
            os.replace(temporary, mine)
        manifest[book.name] = bundled
        done[outcome].append(book.name)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return done


def running_as_root() -> bool:
    """Whether this process runs as root (POSIX uid 0), where Jupyter needs ``--allow-root``."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def jupyter_command(folder: Path, passthrough: Sequence[str]) -> list[str]:
    """The ``jupyter lab`` command line: the folder, ``--allow-root`` as root, and every
    option the user gave, unchanged and in order."""
    command = [sys.executable, "-m", "jupyter", "lab", *passthrough]
    if running_as_root() and "--allow-root" not in passthrough:
        command.append("--allow-root")
    if not any(a.startswith(("--notebook-dir", "--ServerApp.root_dir")) for a in passthrough):
        command.append(f"--ServerApp.root_dir={folder}")
    return command


def _shares_terminal_with_child() -> bool:
    """True when a terminal's Ctrl-C reaches Jupyter directly: we are its foreground group."""
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (AttributeError, OSError, ValueError):
        return False


def run_jupyter(command: list[str]) -> int:
    """Run ``command`` and wait until it exits, forwarding SIGTERM, SIGHUP and SIGQUIT.

    SIGINT is forwarded only when it cannot have reached Jupyter already: a Ctrl-C in the
    terminal goes to the whole foreground group, and Jupyter then asks its own question
    ("Shut down this Jupyter server?") undisturbed. Returns Jupyter's exit status.
    """
    terminal = _shares_terminal_with_child()
    child: list[subprocess.Popen] = []
    pending: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        if signum == signal.SIGINT and terminal:
            return
        if not child:
            pending.append(signum)  # arrived while Jupyter was starting: sent once it runs
        elif child[0].poll() is None:
            child[0].send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, *FORWARDED)}
    try:
        child.append(subprocess.Popen(command))
        for signum in pending:
            child[0].send_signal(signum)
        return child[0].wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def lab(folder: str | None, passthrough: Sequence[str]) -> int:
    """Copy the notebooks into the working folder and run JupyterLab on it until it stops."""
    target = working_folder(folder)
    try:
        done = sync_notebooks(target)
    except (FileNotFoundError, OSError) as exc:
        print(f"kmslab lab: {exc}", file=sys.stderr)
        return 1
    if done["copied"] or done["updated"]:
        print(
            f"kmslab lab: notebooks in {target} ({len(done['copied'])} copied, "
            f"{len(done['updated'])} updated)",
            flush=True,
        )
    if done["kept"]:
        print(f"kmslab lab: kept your edited {', '.join(done['kept'])}", flush=True)
    if running_as_root() and "--allow-root" not in passthrough:
        print(
            "kmslab lab: running as root (a container?): passing --allow-root to Jupyter",
            flush=True,
        )
    return run_jupyter(jupyter_command(target, passthrough))
