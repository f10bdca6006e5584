"""Every public method of ``KMS`` is safe while other threads call it (as the wire
endpoint's thread does beside a notebook): 12 threads of mixed actions and non-action
methods for 30 seconds on a seeded, SQLite-backed service, with 0 exceptions other than
documented ``KMSError`` refusals and 0 InternalError.
"""

from __future__ import annotations

import base64
import random
import threading
import time
from collections import Counter

from kmslab import KMS, KMSError
from kmslab.lab import call_records, key_table, lifecycle

SECONDS = 30.0
THREADS = 12
PLAIN = base64.b64encode(b"threads").decode()


def test_twelve_threads_of_mixed_calls_and_methods(tmp_path):
    kms = KMS(seed=41, path=tmp_path / "kms.db", root_key=b"t" * 32, durability="NORMAL")
    first = kms.CreateKey(Alias="first")["KeyId"]
    blob = kms.Encrypt(KeyId=first, Plaintext=PLAIN)["CiphertextBlob"]
    failures: list[BaseException] = []
    codes: Counter = Counter()
    done = Counter()
    deadline = time.monotonic() + SECONDS

    def worker(n: int) -> None:
        rng = random.Random(n)
        own: list[str] = []
        while time.monotonic() < deadline:
            choice = rng.randrange(16)
            try:
                if choice == 0:
                    own.append(kms.CreateKey(Alias=f"t{n}-{len(own)}")["KeyId"])
                elif choice == 1 and own:
                    kms.DisableKey(KeyId=rng.choice(own))
                elif choice == 2 and own:
                    kms.ScheduleKeyDeletion(KeyId=rng.choice(own), PendingWindowInDays=7)
                elif choice == 3 and own:
                    kms.CancelKeyDeletion(KeyId=rng.choice(own))
                elif choice == 4:
                    kms.Decrypt(CiphertextBlob=blob)
                elif choice == 5:
                    kms.ListKeyDetail(Limit=5, KeyUsage="ALL")
                elif choice == 6:
                    kms.save_snapshot(tmp_path / f"snap-{n}.json")
                elif choice == 7:
                    key_table(kms)
                elif choice == 8:
                    call_records(kms)
                elif choice == 9:
                    lifecycle(kms, first)
                elif choice == 10 and rng.random() < 0.2:
                    kms.create_account(f"acct-{n}")
                elif choice == 11 and rng.random() < 0.2:
                    kms.create_temporary_credential(duration=60)
                elif choice == 12:
                    kms.api_keys()
                    kms.lookup_secret_id(kms.api_keys()[0].secret_id)
                elif choice == 13:
                    kms.random.bytes(rng.randrange(1, 64))
                    kms.GenerateRandom(NumberOfBytes=16)
                elif choice == 14:
                    kms.clock.advance(minutes=rng.randrange(60))
                else:
                    kms.inspect.state()
                    kms.events  # noqa: B018 - the property takes the lock
                done[choice] += 1
            except KMSError as exc:
                codes[exc.code] += 1
                if exc.code == "InternalError":
                    failures.append(exc)
            except BaseException as exc:  # anything else is a thread-safety defect
                failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kms.close()
    assert failures == [], failures[:3]
    assert codes["InternalError"] == 0
    assert all(done[c] > 0 for c in range(16)), done  # every kind of operation really ran
