"""kmslab: the whole Tencent Cloud KMS as a local, simulated service with real cryptography.

Start with ``kms = kmslab.KMS()`` (or ``KMS(seed=1)`` for reproducible notebooks) and
call actions by their names: ``kms.CreateKey(Alias="demo")``.

A seeded service warns (:class:`InsecureDeterministicModeWarning`) on every creation. A
notebook that is deterministic on purpose silences it in one line:
``warnings.simplefilter("ignore", kmslab.InsecureDeterministicModeWarning)``.
"""

from kmslab.actions.errors import KMSError
from kmslab.core.clock import Clock, VirtualClock
from kmslab.core.service import KMS, ApiKey
from kmslab.crypto.randomness import InsecureDeterministicModeWarning

__all__ = ["KMS", "ApiKey", "Clock", "InsecureDeterministicModeWarning", "KMSError", "VirtualClock"]
__version__ = "0.1.0"
