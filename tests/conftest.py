"""Makes the suite's shared helpers (``tests/action_samples.py``) importable from every
test folder, however pytest is started."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
