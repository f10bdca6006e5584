"""A writer for the crash test: mutates an SQLite-backed KMS forever, announcing each call.

Before a call it prints ``{"intent": change}``; after the call returns it prints
``{"done": change}``. The test SIGKILLs it at some moment and checks that every ``done``
change survived (the one ``intent`` without a ``done`` may or may not have).
Usage: ``python crash_writer.py DB_PATH RUN_TAG WORKLOAD_SEED``.
"""

from __future__ import annotations

import base64
import json
import random
import sys

from kmslab.core.service import KMS


def say(kind: str, change: dict) -> None:
    sys.stdout.write(json.dumps({kind: change}) + "\n")
    sys.stdout.flush()


def main() -> None:
    db, tag, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pick = random.Random(seed)  # only chooses the workload; kmslab draws its own randomness
    kms = KMS(path=db)
    say("done", {"op": "open"})
    keys: dict[str, dict] = {}  # this run's keys: id -> {"state", "alias"}
    n = 0
    while True:
        n += 1
        ops = ["create"] if len(keys) < 3 else ["create", "state", "alias", "encrypt", "datakey"]
        op = pick.choice(ops)
        if op == "create":
            alias = f"{tag}-{n}"
            say("intent", {"op": "create", "alias": alias})
            kid = kms.CreateKey(Alias=alias, Description=f"run {tag}")["KeyId"]
            keys[kid] = {"state": "Enabled", "alias": alias}
            say("done", {"op": "create", "key": kid, "state": "Enabled", "alias": alias})
            continue
        kid = pick.choice(sorted(keys))
        if op == "state":
            new = "Disabled" if keys[kid]["state"] == "Enabled" else "Enabled"
            say("intent", {"op": "state", "key": kid, "state": new})
            if new == "Disabled":
                kms.DisableKey(KeyId=kid)
            else:
                kms.EnableKey(KeyId=kid)
            keys[kid]["state"] = new
            say("done", {"op": "state", "key": kid, "state": new})
        elif op == "alias":
            alias = f"{tag}-{n}-renamed"
            say("intent", {"op": "alias", "key": kid, "alias": alias})
            kms.UpdateAlias(KeyId=kid, Alias=alias)
            keys[kid]["alias"] = alias
            say("done", {"op": "alias", "key": kid, "alias": alias})
        elif keys[kid]["state"] == "Enabled":
            if op == "encrypt":
                plain = base64.b64encode(f"{tag} message {n}".encode()).decode()
                blob = kms.Encrypt(KeyId=kid, Plaintext=plain)["CiphertextBlob"]
            else:
                dk = kms.GenerateDataKey(KeyId=kid, KeySpec="AES_256")
                plain, blob = dk["Plaintext"], dk["CiphertextBlob"]
            say("done", {"op": "blob", "key": kid, "blob": blob, "plain": plain})


if __name__ == "__main__":
    main()
