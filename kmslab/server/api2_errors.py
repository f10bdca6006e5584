"""The legacy API 2.0 error codes, and how every kmslab error maps onto one.

The legacy endpoint answers with the generic API 2.0 integer ``code`` (spec
``legacy-api-v2.md`` section 6) and puts the API 3.0 code in ``codeDesc``, so a legacy client
gets the code it expects and a reader still sees exactly what was refused. A refusal that
only the legacy dialect makes (a replayed nonce, an expired timestamp) is a
:class:`LegacyError`, a :class:`~kmslab.KMSError` that names its legacy code itself.
"""

from __future__ import annotations

from kmslab.actions.error_catalogue import CATALOGUE
from kmslab.actions.errors import KMSError

__all__ = ["LEGACY_CODES", "LegacyError", "legacy_code"]

LEGACY_CODES: dict[int, str] = {
    0: "success",
    4000: "invalid request parameters (missing or badly formatted)",
    4100: "authentication failed (signature)",
    4101: "not authorised for the API",
    4104: "the SecretId does not exist",
    4105: "token error",
    4106: "MFA check failed",
    4200: "request expired",
    4300: "access denied",
    4400: "quota or rate exceeded",
    4500: "replay attack (Nonce repeated or Timestamp too far from server time)",
    4600: "protocol not supported",
    5000: "resource does not exist",
    5100: "resource operation failed",
    6000: "internal server error",
    6200: "API temporarily unavailable",
}
"""The generic API 2.0 codes kmslab answers with, and what each means."""

_EXACT: dict[str, int] = {
    "AuthFailure.SecretIdNotFound": 4104,
    "AuthFailure.InvalidSecretId": 4104,
    "AuthFailure.TokenFailure": 4105,
    "AuthFailure.MFAFailure": 4106,
    "AuthFailure.UnauthorizedOperation": 4101,
    "AuthFailure.SignatureExpire": 4200,
    "UnauthorizedOperation": 4101,
    "IpInBlacklist": 4300,
    "IpNotInWhitelist": 4300,
    "NoSuchProduct": 4300,
    "ResourceUnavailable.NotPurchased": 4300,
    "UnsupportedProtocol": 4600,
    "ResourceNotFound": 5000,
    "ResourceUnavailable.CmkNotFound": 5000,
    "ResourceUnavailable.DataKeyNotFound": 5000,
    "ResourceUnavailable.CloudResourceBindingNotFound": 5000,
    "InternalError": 6000,
    "ResponseSizeLimitExceeded": 6000,
    "ServiceUnavailable": 6200,
    "ActionOffline": 6200,
    "UnsupportedOperation.ServiceTemporaryUnavailable": 6200,
}

_BY_CLASS: dict[str, int] = {
    "InvalidParameter": 4000,
    "InvalidParameterValue": 4000,
    "MissingParameter": 4000,
    "UnknownParameter": 4000,
    "InvalidAction": 4000,
    "InvalidRequest": 4000,
    "NoSuchVersion": 4000,
    "UnsupportedRegion": 4000,
    "RequestSizeLimitExceeded": 4000,
    "DryRunOperation": 4000,
    "AuthFailure": 4100,
    "RequestLimitExceeded": 4400,
    "LimitExceeded": 4400,
    "ResourceUnavailable": 5100,
    "ResourceInUse": 5100,
    "ResourceInsufficient": 5100,
    "FailedOperation": 5100,
    "UnsupportedOperation": 5100,
}


class LegacyError(KMSError):
    """A :class:`~kmslab.KMSError` (``code`` the nearest API 3.0 code) whose legacy
    code the dialect chose itself, where the API 3.0 code alone would not tell."""

    def __init__(self, legacy: int, code: str, detail: str, *, detail_zh: str) -> None:
        if legacy not in LEGACY_CODES:
            raise ValueError(f"kmslab bug: {legacy} is not a legacy API 2.0 code")
        super().__init__(code, detail, detail_zh=detail_zh)
        self.legacy = legacy


def legacy_code(error: KMSError) -> int:
    """The API 2.0 ``code`` of ``error``: its own for a :class:`LegacyError`, else by its
    API 3.0 code (exact, then by class, the part before the first dot)."""
    if isinstance(error, LegacyError):
        return error.legacy
    code = error.code
    if code in _EXACT:
        return _EXACT[code]
    return _BY_CLASS.get(code.split(".", 1)[0], 6000)


def _check_catalogue() -> None:
    """Every catalogue code has a mapping (a new code cannot silently become 6000)."""
    missing = [c for c in CATALOGUE if c not in _EXACT and c.split(".", 1)[0] not in _BY_CLASS]
    if missing:
        raise RuntimeError(f"kmslab bug: no API 2.0 code for {missing}")


_check_catalogue()
