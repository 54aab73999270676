"""Secrets are masked at the moment an exchange is recorded."""

from __future__ import annotations

import httpx

from conformance.client import MASK, Recorder, Redactor


def test_headers_urls_and_bodies_are_redacted_by_name_and_by_value():
    redactor = Redactor(["super-secret-value"])
    recorder = Recorder(redactor)
    request = httpx.Request(
        "POST",
        "https://user:pw@api.test/x?api_key=abc123&page=2",
        headers={"Authorization": "Bearer abcdefgh", "x-api-key": "k-123456", "Cookie": "session=zzz"},
        json={"client_secret": "cs-999999", "note": "contains super-secret-value inside"},
    )
    response = httpx.Response(
        200,
        json={"access_token": "issued-token-42", "token_type": "bearer"},
        headers={"Set-Cookie": "sid=abc"},
    )
    exchange = recorder.record(request, response, 0.01)
    text = repr(exchange.to_dict())
    for secret in (
        "abcdefgh",
        "k-123456",
        "session=zzz",
        "cs-999999",
        "super-secret-value",
        "issued-token-42",
        "abc123",
        "user:pw",
        "sid=abc",
    ):
        assert secret not in text, secret
    assert exchange.request_header("authorization") == f"Bearer {MASK}"
    assert "page=2" in exchange.url


def test_issued_tokens_are_learned_and_masked_in_later_exchanges():
    recorder = Recorder(Redactor())
    recorder.record(
        httpx.Request("POST", "https://a.test/token"),
        httpx.Response(200, json={"access_token": "tok-abcdef-123"}),
        0.0,
    )
    later = recorder.record(
        httpx.Request("GET", "https://a.test/echo"), httpx.Response(200, text="you sent tok-abcdef-123"), 0.0
    )
    assert "tok-abcdef-123" not in later.response_body
    assert MASK in later.response_body


def test_form_bodies_are_redacted():
    recorder = Recorder(Redactor())
    request = httpx.Request(
        "POST",
        "https://a.test/token",
        data={"grant_type": "client_credentials", "client_id": "cid-1", "client_secret": "s3cr3t!"},
    )
    exchange = recorder.record(request, httpx.Response(401, json={"error": "invalid_client"}), 0.0)
    assert "s3cr3t" not in exchange.request_body and "cid-1" not in exchange.request_body
    assert "grant_type=client_credentials" in exchange.request_body
    assert "s3cr3t" not in exchange.to_curl()
