"""Accounts (tenants) and their API credentials.

Every SecretKey and temporary token is wrapped under the root key with the account
and SecretId as associated data, so neither an SQLite file nor a snapshot holds one in
the clear. A new credential is written to the store before it enters memory, so a
failed write leaves no credential that the store does not know.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from kmslab.actions.errors import KMSError
from kmslab.core.model import Account, Credential
from kmslab.crypto.randomness import RandomSource
from kmslab.crypto.wrapping import RootKey
from kmslab.store.base import Store

_ALNUM = string.ascii_letters + string.digits
_CHOSEN = re.compile(r"[!-~]{1,128}")


@dataclass(frozen=True)
class ApiKey:
    """An account's API key pair in the clear, as the console would show it to its owner.

    ``token`` and ``expires`` are set for temporary credentials.
    """

    uin: int
    secret_id: str
    secret_key: str
    token: str = ""
    expires: int = 0

    def __repr__(self) -> str:  # never print the secret
        return f"ApiKey(uin={self.uin}, secret_id={self.secret_id!r}, secret_key=<hidden>)"


def store_failed(exc: BaseException) -> KMSError:
    """The answer when the store could not commit: the change did not happen."""
    return KMSError(
        "InternalError",
        f"the store could not commit the change ({type(exc).__name__}); nothing was changed",
        detail_zh="存储写入失败，本次变更未生效",
    )


class AccountBook:
    """The accounts of one service and the index from SecretId to credential."""

    def __init__(self, root: RootKey, random: RandomSource, store: Store) -> None:
        self.root = root
        self.random = random
        self.store = store
        self.accounts: dict[int, Account] = {}
        self._secret_ids: dict[str, tuple[int, Credential]] = {}

    def load(self, account: Account) -> None:
        """Enter an account read from the store."""
        self.accounts[account.uin] = account
        for cred in account.credentials:
            self._secret_ids[cred.secret_id] = (account.uin, cred)

    def _text(self, length: int) -> str:
        return "".join(_ALNUM[self.random.randbelow(62)] for _ in range(length))

    def _wrap(self, uin: int, secret_id: str, purpose: str, text: str) -> bytes:
        return self.root.wrap(
            text.encode(), purpose=purpose, account=str(uin), region="", key_id=secret_id
        )

    def _persist(self, account: Account) -> None:
        try:
            self.store.write_accounts([account])
        except Exception as exc:
            raise store_failed(exc) from exc

    def create(self, name: str) -> ApiKey:
        """Open a new account with one API key pair, and return that pair."""
        uin = 100000000000 + self.random.randbelow(900000000000)
        while uin in self.accounts:
            uin = 100000000000 + self.random.randbelow(900000000000)
        app_id = 1250000000 + self.random.randbelow(100000000)
        return self._issue(Account(uin, app_id, name), "", 0)

    def issue(self, uin: int, token: str = "", expires: int = 0) -> ApiKey:
        """A new key pair for an existing account (a temporary one with ``token``)."""
        return self._issue(self.get(uin), token, expires)

    def _issue(self, account: Account, token: str, expires: int) -> ApiKey:
        secret_id = "AKID" + self._text(32)
        secret_key = self._text(32)
        cred = Credential(
            secret_id,
            self._wrap(account.uin, secret_id, "secret-key", secret_key),
            self._wrap(account.uin, secret_id, "session-token", token) if token else b"",
            expires,
        )
        changed = Account(account.uin, account.app_id, account.name, [*account.credentials, cred])
        self._persist(changed)
        self.load(changed)
        return ApiKey(account.uin, secret_id, secret_key, token, expires)

    def add(self, uin: int, secret_id: str, secret_key: str) -> ApiKey:
        """Give account ``uin`` a key pair chosen by the caller (a CI job's fixed
        credentials); ValueError if the SecretId is taken or either text is unusable."""
        for label, text in (("SecretId", secret_id), ("SecretKey", secret_key)):
            if not isinstance(text, str) or not _CHOSEN.fullmatch(text):
                raise ValueError(
                    f"the {label} must be 1 to 128 printable ASCII characters without spaces"
                )
        if secret_id in self._secret_ids:
            raise ValueError(f"SecretId {secret_id!r} is already in use")
        account = self.get(uin)
        cred = Credential(
            secret_id, self._wrap(account.uin, secret_id, "secret-key", secret_key), b"", 0
        )
        changed = Account(account.uin, account.app_id, account.name, [*account.credentials, cred])
        self._persist(changed)
        self.load(changed)
        return ApiKey(account.uin, secret_id, secret_key)

    def new_token(self) -> str:
        """A session token for a temporary credential."""
        return self._text(64)

    def get(self, uin: int | None) -> Account:
        """The account ``uin``; ValueError if there is none."""
        try:
            return self.accounts[uin]  # type: ignore[index]
        except (KeyError, TypeError):
            raise ValueError(f"no account {uin}") from None

    def reveal(self, uin: int, cred: Credential) -> ApiKey:
        """The key pair in the clear (for its owner, or the endpoint's signature check)."""
        secret = self.root.unwrap(
            cred.wrapped_secret_key,
            purpose="secret-key",
            account=str(uin),
            region="",
            key_id=cred.secret_id,
        )
        token = ""
        if cred.wrapped_token:
            token = self.root.unwrap(
                cred.wrapped_token,
                purpose="session-token",
                account=str(uin),
                region="",
                key_id=cred.secret_id,
            ).decode()
        return ApiKey(uin, cred.secret_id, secret.decode(), token, cred.expires)

    def lookup(self, secret_id: str) -> ApiKey | None:
        """The key pair behind ``secret_id``, if any."""
        found = self._secret_ids.get(secret_id)
        return self.reveal(*found) if found else None
