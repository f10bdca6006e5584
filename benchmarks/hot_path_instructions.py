"""Instructions per hot-path call, counted by valgrind: an A/B that machine noise cannot move.

On a shared 2-core machine two timing runs of the same code differ by 20%; counting
the instructions one Encrypt, Decrypt or GenerateDataKey executes (valgrind's callgrind
``Ir``, the difference between a run of 2N calls and one of N) differs by about 2%. Use
it to judge a change to the hot path; rates against moto still come from
``bench_vs_moto.py``. Run::

    python benchmarks/hot_path_instructions.py [--against /path/to/other/checkout] [--calls N]

Needs ``valgrind`` on PATH; takes about a minute per tree and action.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ("Encrypt", "Decrypt", "GenerateDataKey")
CHILD = """
import base64, sys
sys.path.insert(0, sys.argv[1])
from kmslab import KMS
kms = KMS(region="ap-hongkong")
key = kms.CreateKey(Alias="bench")["KeyId"]
plain = base64.b64encode(bytes(range(32))).decode()
blob = kms.Encrypt(KeyId=key, Plaintext=plain)["CiphertextBlob"]
calls = {
    "Encrypt": lambda: kms.Encrypt(KeyId=key, Plaintext=plain),
    "Decrypt": lambda: kms.Decrypt(CiphertextBlob=blob),
    "GenerateDataKey": lambda: kms.GenerateDataKey(KeyId=key, KeySpec="AES_256"),
}
call = calls[sys.argv[2]]
for _ in range(50):
    call()
import gc
gc.freeze()  # what start-up allocated is not traversed again by the calls' collections
for _ in range(int(sys.argv[3])):
    call()
"""


def instructions(tree: Path, action: str, calls: int) -> int:
    """Instructions the child executes for ``calls`` calls (after 50 warm-up calls)."""
    python = os.path.realpath(sys.executable)  # not a pyenv shim: valgrind runs the binary
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        python,
        "-c",
        CHILD,
        str(tree),
        action,
        str(calls),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dict layouts in every run
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stderr
    match = re.search(r"Collected : (\d+)", out)
    if match is None:
        raise RuntimeError(f"valgrind printed no instruction count:\n{out[-2000:]}")
    return int(match.group(1))


def per_call(tree: Path, action: str, calls: int) -> float:
    """The slope between a run of ``calls`` and one of twice as many: start-up and exit,
    which vary by a few million instructions from run to run, cancel out."""
    return (instructions(tree, action, 2 * calls) - instructions(tree, action, calls)) / calls


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout of kmslab to compare")
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    trees = [ROOT] + ([args.against.resolve()] if args.against else [])
    print(f"{'action':<16}" + "".join(f"{str(t)[-28:]:>30}" for t in trees))
    for action in ACTIONS:
        counts = [per_call(tree, action, args.calls) for tree in trees]
        line = f"{action:<16}" + "".join(f"{c:>30,.0f}" for c in counts)
        if len(counts) == 2:
            line += f"   {counts[0] / counts[1] - 1:+.1%}"
        print(line)


if __name__ == "__main__":
    main()
