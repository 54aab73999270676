"""Auth providers for the auth kinds a profile can name, as `httpx.Auth` classes.

Tokens are cached until `expires_in` (on an injectable clock, so a mock's virtual clock
drives expiry) and fetched again after. The token call goes through the same client and
transport as everything else, so it is recorded, redacted, like any other exchange.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass

import httpx

Clock = Callable[[], float]
EXPIRY_SKEW_SECONDS = 5.0


class TokenError(RuntimeError):
    """The token endpoint did not issue a token."""

    def __init__(self, url: str, status: int, detail: str) -> None:
        super().__init__(f"token request to {url} failed with HTTP {status}: {detail}")
        self.status = status


@dataclass
class _CachedToken:
    value: str
    expires_at: float


class TokenCache:
    """Tokens per (token URL, client, scopes), valid until their `expires_in` on `clock`."""

    def __init__(self, clock: Clock = time.time) -> None:
        self.clock = clock
        self._tokens: dict[tuple[str, ...], _CachedToken] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> str | None:
        with self._lock:
            cached = self._tokens.get(key)
            if cached and cached.expires_at - EXPIRY_SKEW_SECONDS > self.clock():
                return cached.value
            self._tokens.pop(key, None)
            return None

    def put(self, key: tuple[str, ...], value: str, expires_in: float) -> None:
        with self._lock:
            self._tokens[key] = _CachedToken(value, self.clock() + expires_in)

    def drop(self, key: tuple[str, ...]) -> None:
        with self._lock:
            self._tokens.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


class _TokenAuth(httpx.Auth):
    """A bearer token obtained from a token call; subclasses say how to ask and how to read."""

    requires_response_body = True

    def __init__(self, token_url: str, cache: TokenCache | None = None) -> None:
        self.token_url = token_url
        self.cache = cache or TokenCache()

    def cache_key(self) -> tuple[str, ...]:
        raise NotImplementedError

    def build_token_request(self) -> httpx.Request:
        raise NotImplementedError

    def read_token(self, response: httpx.Response) -> tuple[str, float]:
        data = response.json()
        return str(data["access_token"]), float(data.get("expires_in", 3600))

    def decorate(self, request: httpx.Request) -> None:
        """Headers every authenticated request carries besides the bearer token."""

    def unauthenticated_headers(self) -> dict[str, str]:
        """Headers a request sent without user credentials still carries (e.g. a gateway key)."""
        return {}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.cache.get(self.cache_key())
        if token is None:
            response = yield self.build_token_request()
            if response.status_code != 200:
                raise TokenError(self.token_url, response.status_code, response.text[:200])
            try:
                token, expires_in = self.read_token(response)
            except (KeyError, TypeError, ValueError) as exc:
                raise TokenError(self.token_url, response.status_code, f"no token in body ({exc})") from None
            self.cache.put(self.cache_key(), token, expires_in)
        request.headers["Authorization"] = f"Bearer {token}"
        self.decorate(request)
        yield request

    def invalidate(self) -> None:
        """Forget the cached token: the next request fetches a new one."""
        self.cache.drop(self.cache_key())


class OAuth2ClientCredentials(_TokenAuth):
    """RFC 6749 client credentials; client authentication in the form body or as HTTP Basic."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scopes: list[str] | None = None,
        client_auth: str = "form",
        token_headers: dict[str, str] | None = None,
        request_headers: dict[str, str] | None = None,
        cache: TokenCache | None = None,
    ) -> None:
        super().__init__(token_url, cache)
        if client_auth not in ("form", "basic"):
            raise ValueError(f"client_auth must be 'form' or 'basic', not {client_auth!r}")
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = list(scopes or [])
        self.client_auth = client_auth
        self.token_headers = dict(token_headers or {})
        self.request_headers = dict(request_headers or {})

    def decorate(self, request: httpx.Request) -> None:
        for name, value in self.request_headers.items():
            request.headers.setdefault(name, value)

    def cache_key(self) -> tuple[str, ...]:
        return (self.token_url, self.client_id, " ".join(sorted(self.scopes)))

    def build_token_request(self) -> httpx.Request:
        form = {"grant_type": "client_credentials"}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        headers = {"Accept": "application/json", **self.token_headers}
        if self.client_auth == "form":
            form |= {"client_id": self.client_id, "client_secret": self.client_secret}
            return httpx.Request("POST", self.token_url, data=form, headers=headers)
        basic = httpx.BasicAuth(self.client_id, self.client_secret)
        request = httpx.Request("POST", self.token_url, data=form, headers=headers)
        return next(basic.auth_flow(request))


class ApiKeyBearer(httpx.Auth):
    """A static API key sent as `Authorization: Bearer <key>` (OriginTrace)."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.api_key}"
        yield request


class BearerPlusApiKey(_TokenAuth):
    """A bearer token from a JSON token call, plus `x-api-key` on every request (Grafterr)."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        api_key: str,
        *,
        cache: TokenCache | None = None,
    ) -> None:
        super().__init__(token_url, cache)
        self.client_id = client_id
        self.client_secret = client_secret
        self.api_key = api_key

    def cache_key(self) -> tuple[str, ...]:
        return (self.token_url, self.client_id, self.api_key[:4])

    def build_token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            json={"client_id": self.client_id, "client_secret": self.client_secret},
            headers={"x-api-key": self.api_key, "Accept": "application/json"},
        )

    def read_token(self, response: httpx.Response) -> tuple[str, float]:
        data = response.json()
        inner = data.get("data", data)
        return str(inner["access_token"]), float(inner.get("expires_in", 3600))

    def decorate(self, request: httpx.Request) -> None:
        if "x-api-key" not in request.headers:  # an explicit (e.g. deliberately wrong) key wins
            request.headers["x-api-key"] = self.api_key

    def unauthenticated_headers(self) -> dict[str, str]:
        # "unauthenticated" drops the bearer token; the gateway key is not a user credential
        return {"x-api-key": self.api_key}
