"""kmslab: the whole Tencent Cloud KMS as a local, simulated service with real cryptography.

Start with ``kms = kmslab.KMS()`` (or ``KMS(seed=1)`` for reproducible notebooks) and
call actions by their names: ``kms.CreateKey(Alias="demo")``.
"""

from kmslab.actions.errors import KMSError
from kmslab.core.clock import Clock, VirtualClock
from kmslab.core.service import KMS, ApiKey

__all__ = ["KMS", "ApiKey", "Clock", "KMSError", "VirtualClock"]
__version__ = "0.1.0"
