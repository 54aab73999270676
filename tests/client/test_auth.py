"""The auth providers: what they send, token caching until expires_in, refresh after."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs

import httpx
import pytest

from conformance.client import (
    ApiKeyBearer,
    BearerPlusApiKey,
    OAuth2ClientCredentials,
    TokenCache,
    TokenError,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TokenServer:
    """Issues tok-1, tok-2, ...; records what the token endpoint and the API were sent."""

    def __init__(self, *, wrapped: bool = False, status: int = 200) -> None:
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.wrapped = wrapped
        self.status = status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            self.token_requests.append(request)
            if self.status != 200:
                return httpx.Response(self.status, json={"error": "invalid_client"})
            token = {
                "access_token": f"tok-{len(self.token_requests)}",
                "token_type": "bearer",
                "expires_in": 60,
            }
            return httpx.Response(200, json={"status": 200, "data": token} if self.wrapped else token)
        self.api_requests.append(request)
        return httpx.Response(200, json={"ok": True})


def _client(auth: httpx.Auth, server: TokenServer) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(server), auth=auth, base_url="http://api.test")


def test_oauth2_form_sends_credentials_and_scopes_in_the_body():
    server = TokenServer()
    auth = OAuth2ClientCredentials(
        "http://auth.test/token",
        "cid",
        "csecret",
        scopes=["inventory.green", "inventory.roast"],
        client_auth="form",
    )
    _client(auth, server).get("/x")
    form = parse_qs(server.token_requests[0].content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["cid"],
        "client_secret": ["csecret"],
        "scope": ["inventory.green inventory.roast"],
    }
    assert "authorization" not in server.token_requests[0].headers
    assert server.api_requests[0].headers["authorization"] == "Bearer tok-1"


def test_oauth2_basic_sends_credentials_as_http_basic():
    server = TokenServer()
    auth = OAuth2ClientCredentials(
        "http://auth.test/token", "cid", "csecret", scopes=["read"], client_auth="basic"
    )
    _client(auth, server).get("/x")
    request = server.token_requests[0]
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert parse_qs(request.content.decode()) == {"grant_type": ["client_credentials"], "scope": ["read"]}


def test_token_is_cached_until_expires_in_then_refreshed():
    server, clock = TokenServer(), FakeClock()
    auth = OAuth2ClientCredentials("http://auth.test/token", "cid", "s", cache=TokenCache(clock))
    client = _client(auth, server)
    client.get("/a")
    clock.now += 30
    client.get("/b")
    assert len(server.token_requests) == 1
    clock.now += 31  # past expires_in (60 s)
    client.get("/c")
    assert len(server.token_requests) == 2
    assert [r.headers["authorization"] for r in server.api_requests] == [
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-2",
    ]


def test_token_refused_raises_token_error():
    auth = OAuth2ClientCredentials("http://auth.test/token", "cid", "bad")
    with pytest.raises(TokenError, match="HTTP 401"):
        _client(auth, TokenServer(status=401)).get("/x")


def test_static_api_key_is_sent_as_bearer():
    server = TokenServer()
    _client(ApiKeyBearer("ot_live_key"), server).get("/x")
    assert server.api_requests[0].headers["authorization"] == "Bearer ot_live_key"
    assert server.token_requests == []


def test_bearer_plus_api_key_gets_token_from_json_call_and_sends_both():
    server = TokenServer(wrapped=True)
    auth = BearerPlusApiKey("http://api.test/v1/auth/token", "cid", "csecret", "gw-key")
    _client(auth, server).get("/v1/menu/read")
    token_request = server.token_requests[0]
    assert json.loads(token_request.content) == {"client_id": "cid", "client_secret": "csecret"}
    assert token_request.headers["x-api-key"] == "gw-key"
    api = server.api_requests[0]
    assert api.headers["authorization"] == "Bearer tok-1"
    assert api.headers["x-api-key"] == "gw-key"


def test_request_headers_of_the_profile_go_with_the_token_call_and_every_request():
    """CartonCloud's shape: Basic client auth, and Accept-Version on the token call (token_headers)
    and on every API call (the transport's required headers) — data, not a vendor class."""
    server = TokenServer()
    auth = OAuth2ClientCredentials(
        "http://api.test/uaa/oauth/token",
        "cid",
        "csecret",
        client_auth="basic",
        token_headers={"Accept-Version": "1"},
        request_headers={"Accept-Version": "1"},
    )
    _client(auth, server).get("/uaa/userinfo")
    assert server.token_requests[0].headers["accept-version"] == "1"
    assert server.token_requests[0].headers["authorization"].startswith("Basic ")
    assert server.api_requests[0].headers["accept-version"] == "1"
    assert server.api_requests[0].headers["authorization"] == "Bearer tok-1"
