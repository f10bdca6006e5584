"""``kmslab lab``: options pass through, root works, notebooks are copied without losing
edits, and a signal to kmslab stops Jupyter and its kernels (nothing orphaned)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kmslab import cli, launcher

REPO = Path(__file__).resolve().parents[2]
ARTIFACT_DIR = REPO / "test-artifacts"


def _capture(monkeypatch) -> list:
    seen: list = []
    monkeypatch.setattr(launcher, "run_jupyter", lambda command: seen.append(command) or 0)
    return seen


@pytest.mark.parametrize(
    ("argv", "expected_tail"),
    [
        (["lab", "--port", "8899"], ["--port", "8899"]),
        (["lab", "--port=8899", "--no-browser"], ["--port=8899", "--no-browser"]),
        (
            ["lab", "--ip", "0.0.0.0", "--ServerApp.token=x"],
            ["--ip", "0.0.0.0", "--ServerApp.token=x"],
        ),
    ],
)
def test_jupyter_options_pass_through(monkeypatch, tmp_path, argv, expected_tail):
    seen = _capture(monkeypatch)
    monkeypatch.setattr(launcher, "running_as_root", lambda: False)
    assert cli.main([*argv, "--dir", str(tmp_path / "work")]) == 0
    (command,) = seen
    assert command[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert command[4 : 4 + len(expected_tail)] == expected_tail
    assert f"--ServerApp.root_dir={tmp_path / 'work'}" in command
    assert "--allow-root" not in command
    assert sorted(p.name for p in (tmp_path / "work").glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "notebooks").glob("*.ipynb")
    )


def test_as_root_it_allows_root_and_says_so(monkeypatch, tmp_path, capsys):
    seen = _capture(monkeypatch)
    monkeypatch.setattr(launcher, "running_as_root", lambda: True)
    assert cli.main(["lab", "--dir", str(tmp_path)]) == 0
    assert seen[0].count("--allow-root") == 1
    assert "running as root" in capsys.readouterr().out
    seen.clear()
    cli.main(["lab", "--dir", str(tmp_path), "--allow-root"])
    assert seen[0].count("--allow-root") == 1  # not doubled


def test_default_folder_and_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("KMSLAB_NOTEBOOKS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert launcher.working_folder(None) == tmp_path / "kmslab-notebooks"
    monkeypatch.setenv("KMSLAB_NOTEBOOKS", str(tmp_path / "env"))
    assert launcher.working_folder(None) == tmp_path / "env"
    assert launcher.working_folder(str(tmp_path / "given")) == tmp_path / "given"


def test_runs_from_any_folder(monkeypatch, tmp_path):
    seen = _capture(monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KMSLAB_NOTEBOOKS", raising=False)
    assert cli.main(["lab"]) == 0
    assert (tmp_path / "home" / "kmslab-notebooks" / "01-quick-start.ipynb").is_file()
    assert seen


def test_bundled_notebooks_are_the_repository_notebooks():
    bundled = launcher.bundled_notebooks()
    assert bundled.resolve() == (REPO / "notebooks").resolve()
    assert (REPO / "kmslab" / "notebooks").resolve() == (REPO / "notebooks").resolve()


def test_edits_are_never_overwritten(tmp_path):
    source = tmp_path / "bundle"
    source.mkdir()
    (source / "a.ipynb").write_text("a1")
    (source / "b.ipynb").write_text("b1")
    work = tmp_path / "work"
    assert launcher.sync_notebooks(work, source)["copied"] == ["a.ipynb", "b.ipynb"]
    (work / "a.ipynb").write_text("my edits")
    (source / "a.ipynb").write_text("a2")
    (source / "b.ipynb").write_text("b2")
    done = launcher.sync_notebooks(work, source)
    assert done["kept"] == ["a.ipynb"] and done["updated"] == ["b.ipynb"]
    assert (work / "a.ipynb").read_text() == "my edits"
    assert (work / "b.ipynb").read_text() == "b2"  # unedited: follows the new release
    (work / "b.ipynb").unlink()
    assert launcher.sync_notebooks(work, source)["copied"] == ["b.ipynb"]
    assert launcher.sync_notebooks(work, source)["current"] == ["b.ipynb"]


def test_a_notebook_the_user_made_is_kept(tmp_path):
    source = tmp_path / "bundle"
    source.mkdir()
    (source / "a.ipynb").write_text("ours")
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.ipynb").write_text("theirs, before kmslab ever ran")
    (work / ".kmslab-notebooks.json").write_text("[not a manifest")
    assert launcher.sync_notebooks(work, source)["kept"] == ["a.ipynb"]
    assert (work / "a.ipynb").read_text().startswith("theirs")


def test_serve_refuses_unknown_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--prot", "1"])
    assert "unrecognized arguments" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["lab", "--help"], ["serve", "--help"]])
def test_help_is_plain_text(capsys, argv):
    with pytest.raises(SystemExit):
        cli.main(argv)
    out = capsys.readouterr().out
    assert "``" not in out and ":class:" not in out and "usage: kmslab" in out


# -- a real Jupyter: signals reach it, and nothing outlives kmslab --------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_mentioning(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                text = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
            except OSError:
                continue
            if marker.encode() in text:
                found.append(int(entry.name))
    return found


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_jupyter_and_its_kernels(tmp_path, signum):
    port = _free_port()
    marker = f"kmslab-signal-test-{port}"
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / marker),
        KMSLAB_TEST_MARKER=marker,
        PYTHONPATH=str(REPO),
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kmslab.cli",
            "lab",
            "--dir",
            str(tmp_path / "work"),
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--ServerApp.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return urllib.request.urlopen(f"{base}/api/status", timeout=2).status == 200
            except OSError:
                return False

        assert _wait_for(up, 90), proc.stdout.read1().decode(errors="replace")
        request = urllib.request.Request(
            f"{base}/api/kernels", data=b'{"name":"python3"}', method="POST"
        )
        kernel = json.load(urllib.request.urlopen(request, timeout=30))
        assert kernel["id"]
        assert _wait_for(lambda: len(_processes_mentioning(marker)) >= 3, 30)  # kmslab, lab, kernel
        proc.send_signal(signum)
        assert proc.wait(timeout=60) == 0  # Jupyter stopped cleanly, and kmslab waited
        assert not up()
        assert _wait_for(lambda: not _processes_mentioning(marker), 15), _processes_mentioning(
            marker
        )
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _processes_mentioning(marker):
            os.kill(pid, signal.SIGKILL)
        proc.stdout.close()


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc and ptys")
def test_ctrl_c_in_a_terminal_lets_jupyter_ask_and_stop(tmp_path):
    """Ctrl-C in the terminal: no traceback, Jupyter's own question undisturbed, and on
    "y" Jupyter stops and kmslab exits cleanly after it. (Kernels are stopped on Jupyter's
    shutdown path, which the SIGTERM/SIGINT test above covers with a live kernel.)"""
    import fcntl
    import pty
    import select
    import termios

    port = _free_port()
    marker = f"kmslab-ctrl-c-test-{port}"
    master, slave = pty.openpty()

    def controlling_terminal() -> None:  # runs in the child, after setsid
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / marker),
        PYTHONPATH=str(REPO),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "kmslab.cli", "lab", "--dir", str(tmp_path / "work"),
         "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.token=",
         "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True"],
        stdin=slave, stdout=slave, stderr=slave, env=env,
        start_new_session=True, preexec_fn=controlling_terminal,
    )  # fmt: skip
    os.close(slave)
    seen = b""

    def read_until(needle: bytes, timeout: float) -> bool:
        nonlocal seen
        end = time.monotonic() + timeout
        while needle not in seen and time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        return needle in seen

    try:

        def up() -> bool:
            read_until(b"\0", 0.3)  # keep draining the terminal
            try:
                return urllib.request.urlopen(f"{base}/api/status", timeout=2).status == 200
            except OSError:
                return False

        base = f"http://127.0.0.1:{port}"
        assert _wait_for(up, 90), seen.decode(errors="replace")
        os.write(master, b"\x03")  # Ctrl-C, as the terminal driver sends it
        assert read_until(b"Shut down this Jupyter server", 30), seen.decode(errors="replace")
        assert proc.poll() is None  # kmslab did not die mid-question
        os.write(master, b"y\n")
        assert proc.wait(timeout=60) == 0
        read_until(b"\0", 1)
        ARTIFACT_DIR.mkdir(exist_ok=True)
        (ARTIFACT_DIR / "ctrl-c-terminal.txt").write_bytes(seen)
        assert b"Traceback" not in seen, seen.decode(errors="replace")
        assert _wait_for(lambda: not _processes_mentioning(marker), 15)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _processes_mentioning(marker):
            os.kill(pid, signal.SIGKILL)
        os.close(master)


def test_the_sdist_carries_every_notebook_inside_the_package(tmp_path):
    """Builds store kmslab/notebooks (a link to notebooks/) as real files, so a wheel made
    from the sdist, as pip does from PyPI, has the notebooks `kmslab lab` copies."""
    import tarfile

    pytest.importorskip("setuptools")
    tree = tmp_path / "src"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")
    shutil.copytree(REPO / "kmslab", tree / "kmslab", symlinks=True, ignore=ignore)
    shutil.copytree(REPO / "notebooks", tree / "notebooks", ignore=ignore)
    assert (tree / "kmslab" / "notebooks").is_symlink()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import setuptools; setuptools.setup()",
            "-q",
            "sdist",
            "-d",
            "dist",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    (archive,) = (tree / "dist").glob("kmslab-*.tar.gz")
    with tarfile.open(archive) as tar:
        members = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
    for book in (REPO / "notebooks").glob("*.ipynb"):
        member = members.get(f"kmslab/notebooks/{book.name}")
        assert member is not None and member.isfile(), book.name  # a file, not a link
