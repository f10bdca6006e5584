"""The white-box attack lab: recover a white-box key the way an attacker with the SDK would.

A white-box without external encodings computes the standard cipher, so it falls to:

- :func:`dfa`, differential fault analysis (Piret-Quisquater for AES-256, last-round
  faults for SM4) through the client's fault hook, in well under a second;
- :func:`dca`, differential computation analysis (Bos et al.) of software traces of the
  table reads, in the bitwise and in the linear-mask form;

and :func:`key_absence_scan` checks the first claim of any white-box, that the key is
stored nowhere. Clean-room code written from the papers (docs/white-box.md lists them);
every attack verifies its answer against the white-box before returning it.
"""

from kmslab.whitebox.attacks.dca import DCAResult, dca, dca_details
from kmslab.whitebox.attacks.dfa import DFAResult, dfa, dfa_details
from kmslab.whitebox.attacks.scan import Finding, ScanReport, key_absence_scan

__all__ = [
    "DCAResult",
    "DFAResult",
    "Finding",
    "ScanReport",
    "dca",
    "dca_details",
    "dfa",
    "dfa_details",
    "key_absence_scan",
]
