"""OAuth2-style clients and bearer tokens on the injected clock."""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class ClientRecord:
    client_id: str
    secret: str
    scopes: frozenset[str] = frozenset()
    subject: str = ""
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class IssuedToken:
    value: str
    client: ClientRecord
    scopes: frozenset[str]
    issued_at: float
    expires_at: float


@dataclass(frozen=True)
class TokenCheck:
    status: Literal["valid", "missing", "malformed", "unknown", "expired"]
    token: IssuedToken | None = None

    @property
    def ok(self) -> bool:
        return self.status == "valid"


class ClientRegistry:
    def __init__(self, clients: Iterable[ClientRecord] = ()) -> None:
        self._clients = {c.client_id: c for c in clients}

    def add(self, client: ClientRecord) -> None:
        self._clients[client.client_id] = client

    def authenticate(self, client_id: str | None, secret: str | None) -> ClientRecord | None:
        client = self._clients.get(client_id or "")
        if client is None or not secrets.compare_digest(client.secret, secret or ""):
            return None
        return client

    def __iter__(self) -> Iterator[ClientRecord]:
        return iter(self._clients.values())


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """`Authorization: Basic base64(id:secret)` -> (id, secret), or None when absent or malformed."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def parse_bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


class TokenIssuer:
    """Issues opaque bearer tokens and validates them against the clock."""

    def __init__(
        self,
        clock: Callable[[], float],
        lifetime_seconds: int,
        *,
        never_expire: bool = False,
        journal: list[str] | None = None,
    ) -> None:
        self.clock = clock
        self.journal = journal if journal is not None else []  # every value ever issued (secrets audits)
        self.lifetime = lifetime_seconds
        self.never_expire = never_expire
        self._tokens: dict[str, IssuedToken] = {}
        self._lock = threading.Lock()

    def issue(self, client: ClientRecord, scopes: Iterable[str] | None = None) -> IssuedToken:
        now = self.clock()
        token = IssuedToken(
            value=secrets.token_urlsafe(32),
            client=client,
            scopes=frozenset(client.scopes if scopes is None else scopes),
            issued_at=now,
            expires_at=now + self.lifetime,
        )
        with self._lock:
            self._tokens[token.value] = token
            self.journal.append(token.value)
        return token

    def check(self, authorization: str | None) -> TokenCheck:
        if not authorization:
            return TokenCheck("missing")
        value = parse_bearer(authorization)
        if value is None:
            return TokenCheck("malformed")
        with self._lock:
            token = self._tokens.get(value)
        if token is None:
            return TokenCheck("unknown")
        if not self.never_expire and self.clock() >= token.expires_at:
            return TokenCheck("expired", token)
        return TokenCheck("valid", token)

    @property
    def issued(self) -> list[IssuedToken]:
        with self._lock:
            return list(self._tokens.values())

    def reset(self) -> None:
        with self._lock:
            self._tokens.clear()


def missing_scope(granted: Iterable[str], required: str) -> bool:
    """True when `required` is not among the granted scopes."""
    return required not in set(granted)


def parse_scope_param(raw: str | None) -> list[str] | None:
    """A token request's `scope`: space-separated (a literal `%20` is accepted too); None if absent."""
    if raw is None:
        return None
    return [s for s in raw.replace("%20", " ").split() if s]


def oauth_error(status: int, error: str, description: str, headers: dict[str, str] | None = None) -> Any:
    """An RFC 6749 error answer (`{"error", "error_description"}`), raised as a MockHTTPError."""
    from conformance.mocks.blocks.errors import MockHTTPError

    return MockHTTPError(status, {"error": error, "error_description": description}, headers)


async def oauth_form(request: Any) -> dict[str, str]:
    """The form of a token request; RFC 6749 `invalid_request` if it is not a form."""
    from conformance.mocks.blocks.app import BodyError, read_form

    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        raise oauth_error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
    try:
        return await read_form(request)
    except BodyError as exc:
        raise oauth_error(400, "invalid_request", str(exc)) from None


async def oauth_form_any(request: Any) -> dict[str, str]:
    """A token request's body read as a form whatever its Content-Type (a fault's laxness)."""
    from urllib.parse import parse_qsl

    return dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
