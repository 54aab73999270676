"""OriginTrace API key workflows from the docs (seed 001, Managing API Keys and Rate Limiting;
CONTRACT-DECISIONS.md, origintrace): a key made with a small hourly limit and some scopes is used,
its `X-RateLimit-Remaining` falls with each request, the request past the limit is refused with 429
and `retry_after`, and once revoked the key gets 401 at once. A key without the read scope is
refused every GET (403). Every key a scenario makes is revoked before it ends.

Key management needs the admin session (CONFORMANCE_ORIGINTRACE_SESSION_COOKIE): without it the
scenarios skip, saying so."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.client import ApiKeyBearer
from conformance.drive import code_pointer

pytestmark = [pytest.mark.capability("rate_limit"), pytest.mark.writes, pytest.mark.only_api("origintrace")]

HOURLY_LIMIT = 3  # small: the scenario spends it in HOURLY_LIMIT + 1 requests


class Keys:
    """Given an admin session: make keys, hand out a client per key, revoke them all at the end."""

    def __init__(self, contract, target, recorder, client) -> None:
        cookie = target.admin_cookie()
        if not cookie:
            name = contract.profile.config.admin_cookie or "SESSION_COOKIE"
            pytest.skip(f"needs {', '.join(target.missing(name))} (an admin session for keys)")
        self.target, self.recorder, self.client = target, recorder, client
        self.admin = {"Cookie": str(cookie)}
        self.made: list[str] = []

    def create(self, name: str, scopes: list[str], limit: int):
        body = {**self.client.example("createApiKey"), "name": name, "scopes": scopes}
        body["rate_limit_per_hour"] = limit
        created = self.client.call("createApiKey", json=body, headers=self.admin, auth=False)
        assert created.status == 200, f"could not create a key: {created.summary()}"
        self.made.append(str(created.json_at("/key/id")))
        secret = str(self.client.unredacted_json(created)["secret"])
        # a 429 is the answer here, not something to wait out
        key_client = self.target.client(self.recorder, auth=ApiKeyBearer(secret), polite=False)
        return self.made[-1], key_client

    def revoke(self, key_id: str):
        revoked = self.client.call("revokeApiKey", params={"id": key_id}, headers=self.admin, auth=False)
        if revoked.ok:
            self.made.remove(key_id)
        return revoked

    def revoke_all(self) -> None:
        for key_id in list(self.made):
            self.revoke(key_id)


@pytest.fixture
def keys(contract, target, recorder, client):
    made = Keys(contract, target, recorder, client)
    yield made
    made.revoke_all()


def test_small_key_counts_down_to_429_then_revoked_gets_401(contract, keys, verify):
    rate = contract.profile.rate_limit
    # Given a new key with scopes read and write and a limit of HOURLY_LIMIT an hour
    key_id, key = keys.create("conformance scenario: small key", ["read", "write"], HOURLY_LIMIT)
    # When it lists batches HOURLY_LIMIT times, then once more
    attempts = [key.call("listBatches") for _ in range(HOURLY_LIMIT + 1)]
    # Then every answer carries the rate headers, Remaining falls by one to 0 ...
    verify(
        checks.rate_limit.rate_limit_headers_present,
        rate.rules.headers_present,
        attempts=attempts,
        headers=rate.headers,
    )
    verify(
        checks.rate_limit.rate_limit_remaining_decreases,
        rate.rules.remaining_decreases,
        attempts=attempts,
        headers=rate.headers,
        limit=HOURLY_LIMIT,
        fresh_window=True,
    )
    # ... and the request past the limit is refused with 429 and retry_after (seconds, in the window)
    verify(
        checks.rate_limit.rate_limit_quota_enforced,
        rate.rules.quota_enforced,
        attempts=attempts,
        limit=HOURLY_LIMIT,
        fresh_window=True,
    )
    verify(
        checks.rate_limit.rate_limit_rejection_envelope,
        rate.rules.rejection_envelope,
        refused=attempts[-1],
        schema=contract.resolved_schema(rate.envelope),
        schema_name=rate.envelope,
    )
    verify(
        checks.rate_limit.rate_limit_reset_consistent,
        rate.rules.reset_consistent,
        attempts=attempts,
        headers=rate.headers,
        window_seconds=rate.window_seconds,
        retry_after_field=rate.retry_after_field,
    )
    # When the key is revoked, Then it gets 401 at once
    revoked = keys.revoke(key_id)
    after = key.call("listBatches")
    verify(
        checks.auth.auth_revoked_key_rejected,
        contract.profile.auth.rules.revoked_credentials,
        before=attempts[0],
        revoke=revoked,
        after=after,
    )


def test_key_without_read_scope_is_refused_then_revoked(contract, keys, verify):
    # Given a new key with the write scope only
    key_id, key = keys.create("conformance scenario: write-only key", ["write"], HOURLY_LIMIT)
    # When it lists shipments, Then it is refused with 403 and the documented message
    refused = key.call("listShipments")
    verify(
        checks.auth.auth_scope_enforced,
        contract.profile.auth.rules.insufficient_scope,
        request=refused,
        code_pointer=code_pointer(contract),
    )
    # When it is revoked, Then the same request gets 401: revoked is checked before the scope
    revoked = keys.revoke(key_id)
    assert revoked.ok, f"could not revoke the key: {revoked.summary()}"
    after = key.call("listShipments")
    code = next(c for c in contract.profile.errors.codes if c.id == "unauthorized")
    verify(checks.errors.errors_status_matches, code, response=after)
    verify(checks.errors.errors_code_matches, code, response=after, code_pointer=code_pointer(contract))
