"""The one error type of kmslab, and how its messages are chosen.

Every refusal anywhere (validation, the key service, the wire endpoint) is a
:class:`KMSError` carrying a documented code, so the Python face, the wire envelope
and the notebook panels all report the same thing. The codes and their English and
Chinese messages live in :mod:`kmslab.actions.error_catalogue`.
"""

from __future__ import annotations

from kmslab.actions.error_catalogue import CATALOGUE

DEFAULT_LANGUAGE = "zh-CN"
LANGUAGES = ("zh-CN", "en-US")


class KMSError(Exception):
    """A documented KMS error: ``code`` (e.g. ``ResourceUnavailable.CmkNotFound``),
    a message in the request's language, and the ``request_id`` of the failed call.

    ``detail`` (English) and ``detail_zh`` (Chinese) say what exactly was wrong; they
    are appended to the catalogue's message for the code.
    """

    def __init__(
        self,
        code: str,
        detail: str = "",
        *,
        detail_zh: str | None = None,
        request_id: str = "",
        language: str = "en-US",
    ) -> None:
        if code not in CATALOGUE:
            raise ValueError(f"kmslab bug: error code {code!r} is not in the catalogue")
        self.code = code
        self.detail = detail
        self.detail_zh = detail_zh if detail_zh is not None else detail
        self.request_id = request_id
        self.language = language
        super().__init__(code)

    def message_in(self, language: str) -> str:
        """The message in ``language`` (``zh-CN`` or ``en-US``; anything else: English)."""
        en, zh = CATALOGUE[self.code]
        if language == "zh-CN":
            return f"{zh.rstrip('。')}：{self.detail_zh}" if self.detail_zh else zh
        return f"{en.rstrip('.')}: {self.detail}" if self.detail else en

    @property
    def message(self) -> str:
        return self.message_in(self.language)

    def __str__(self) -> str:
        rid = f" (RequestId {self.request_id})" if self.request_id else ""
        return f"[{self.code}] {self.message}{rid}"

    def to_response(self) -> dict:
        """The documented error envelope body (inside ``Response``)."""
        return {
            "Error": {"Code": self.code, "Message": self.message},
            "RequestId": self.request_id,
        }
