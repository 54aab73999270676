"""The reference model of OriginTrace's API keys and their hourly window (seed 001;
CONTRACT-DECISIONS.md, origintrace): keys created with scopes and a small `rate_limit_per_hour`,
used (also with a bad `limit`, a 400 that counts), revoked, listed; on a mock, an hour passes on its
clock. It predicts each answer — 401 for a revoked key, 403 without `read`, 429 with `retry_after`
once the window is spent — and `X-RateLimit-Remaining` / `X-RateLimit-Reset` on every 2xx and 429:
Remaining counts down from the key's limit, Reset stays the end of the window (fixed, from the
key's first request) until the window ends.

The key list is compared with the model's keys as one of the rules (it grows with every key the
organisation ever had). Live, the traffic is bounded: each key's limit is at most 2 and it is used
at most once past it; the hour passes only where a control plane moves the clock. Key management
needs the admin session (CONFORMANCE_ORIGINTRACE_SESSION_COOKIE): without it the model does not
apply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from conformance.client import ApiClient, ApiKeyBearer
from conformance.core.prediction import Match, Prediction, absent, between, equal, not_equal, text
from conformance.stateful import ModelMachine

pytestmark = [pytest.mark.capability("stateful"), pytest.mark.writes, pytest.mark.only_api("origintrace")]

PICK = st.integers(0, 50)
SCOPES = st.sampled_from([["read"], ["read", "write"], ["write"], []])
LISTS = ("listBatches", "listShipments", "listFarms")
WINDOW = 3600


@dataclass
class Key:
    number: int
    id: str
    client: ApiClient
    scopes: list[str]
    limit: int
    used: int = 0  # requests counted in the current window
    reset: str | None = None  # X-RateLimit-Reset of the current window, once seen
    renewed: bool = False  # the window ended since the last use: the next one starts afresh
    revoked: bool = False
    refused: int = 0  # 429s seen in this window (live: at most one)

    @property
    def reads(self) -> bool:
        return "read" in self.scopes


class ApiKeyModel(ModelMachine):
    def __init__(self) -> None:
        super().__init__()
        cookie = self.target.admin_cookie()
        if not cookie:
            name = self.contract.profile.config.admin_cookie or "SESSION_COOKIE"
            self.not_applicable(f"needs {', '.join(self.target.missing(name))} (an admin session for keys)")
        self.admin = {"Cookie": str(cookie)}
        rate = self.contract.profile.rate_limit
        assert rate is not None and rate.headers is not None
        self.remaining, self.reset_header = rate.headers.remaining, rate.headers.reset
        self.keys: list[Key] = []

    def _pick(self, index: int, pool: list[Key]) -> Key:
        return pool[index % len(pool)]

    def _usable(self) -> list[Key]:
        return [k for k in self.keys if k.refused == 0 or self.target.control is not None]

    # -- rules -------------------------------------------------------------------------------------

    @rule(scopes=SCOPES, limit=st.integers(1, 2))
    def create_key(self, scopes: list[str], limit: int) -> None:
        number = len(self.keys) + 1
        name = f"{self.prefix} key {number}"
        body = {**self.client.example("createApiKey"), "name": name, "scopes": scopes}
        body["rate_limit_per_hour"] = limit
        answer = self.client.call("createApiKey", json=body, headers=self.admin, auth=False)
        granted = scopes or ["read"]
        secret = self.client.unredacted_json(answer).get("secret") if answer.status == 200 else None
        prefix = Match(
            "the secret's first 8 characters", lambda v: isinstance(secret, str) and v == secret[:8]
        )
        fields = {"/key/id": text(), "/key/name": name, "/key/scopes": granted, "/secret": text()}
        fields["/key/key_prefix"] = prefix
        why = f"scopes {scopes or '(none: read)'}, {limit} an hour"
        label = f"create key #{number} with scopes {scopes}, {limit} an hour"
        self.expect(label, answer, Prediction((200,), fields, why=why), "stateful.rules.keys_as_created")
        client = self.target.client(self.world.recorder, auth=ApiKeyBearer(str(secret)), polite=False)
        self.world.on_close(client.close)
        self.keys.append(Key(number, str(answer.json_at("/key/id")), client, granted, limit))

    @precondition(lambda self: self._usable())
    @rule(index=PICK, operation=st.sampled_from(LISTS), bad_limit=st.booleans(), times=st.integers(1, 3))
    def use_key(self, index: int, operation: str, bad_limit: bool, times: int) -> None:
        key = self._pick(index, self._usable())
        for _ in range(times):
            if key.refused and self.target.control is None:
                return  # live: one 429 per key is enough
            self._use(key, operation, bad_limit)

    def _use(self, key: Key, operation: str, bad_limit: bool) -> None:
        answer = key.client.call(operation, params={"limit": "-1"} if bad_limit else None)
        label = f"key #{key.number}: {operation}" + (" with limit=-1" if bad_limit else "")
        if key.revoked:
            refused = Prediction((401,), {"/error": text()}, why="the key was revoked")
            self.expect(label, answer, refused, "auth.rules.revoked_credentials")
            return
        if not key.reads:
            refused = Prediction((403,), {"/error": text()}, why="the key lacks the read scope")
            self.expect(label, answer, refused, "auth.rules.insufficient_scope")
            return
        reset: Any = key.reset if key.reset is not None else between(0, 10**11)
        if key.used >= key.limit:
            why = f"the window's {key.limit} requests are spent"
            headers = {self.remaining: equal(0), self.reset_header: reset}
            fields = {"/error": text(), "/retry_after": between(1, WINDOW)}
            self.expect(
                label, answer, Prediction((429,), fields, headers, why), "rate_limit.rules.quota_enforced"
            )
            key.refused += 1
            return
        left = key.limit - key.used - 1
        headers = {self.remaining: equal(left), self.reset_header: reset}
        status = 400 if bad_limit else 200
        why = f"{key.used + 1} of {key.limit} this window" + (", the 400 counted" if bad_limit else "")
        if bad_limit:
            cited = "stateful.rules.bad_requests_counted"
        elif key.renewed:
            cited = "rate_limit.rules.recovers_after_window"
        else:
            cited = "rate_limit.rules.remaining_decreases"
        self.expect(label, answer, Prediction((status,), headers=headers, why=why), cited)
        key.used, key.renewed = key.used + 1, False
        key.reset = answer.header(self.reset_header)

    @precondition(lambda self: any(not k.revoked for k in self.keys))
    @rule(index=PICK)
    def revoke_key(self, index: int) -> None:
        key = self._pick(index, [k for k in self.keys if not k.revoked])
        answer = self.client.call("revokeApiKey", params={"id": key.id}, headers=self.admin, auth=False)
        done = Prediction((200,), {"/success": True}, why="revoked: 401 from now on")
        self.expect(f"revoke key #{key.number}", answer, done, "auth.rules.revoked_credentials")
        key.revoked = True

    @precondition(lambda self: self.keys and self.target.control is not None)
    @rule()
    def an_hour_passes(self) -> None:
        self.target.let_time_pass(WINDOW + 1)
        self.step("an hour passes (the mock's clock)")
        for key in self.keys:
            key.renewed = key.renewed or key.used > 0 or key.refused > 0
            key.used, key.reset, key.refused = 0, None, 0

    @precondition(lambda self: self.keys)
    @rule()
    def list_keys(self) -> None:
        """A rule, not an invariant: the list holds every key the organisation ever had (revoked ones
        too), so listing it after every step would cost the square of the keys made."""
        answer = self.client.call("listApiKeys", headers=self.admin, auth=False)
        active = {
            k.id: {"/status": "active", "/scopes": k.scopes, "/secret": absent}
            for k in self.keys
            if not k.revoked
        }
        revoked = {k.id: {"/status": not_equal("active"), "/secret": absent} for k in self.keys if k.revoked}
        action = "list the keys (admin)"
        self.expect_listing(
            action, [answer], "stateful.rules.keys_as_created", items="/keys", present=active, maybe=revoked
        )


def test_api_keys_answer_as_modelled(run_model):
    run_model(ApiKeyModel)
