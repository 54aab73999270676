"""Spending a rate-limit quota, bounded: at most limit + 1 requests, with a dedicated small-quota
key where the profile says how to make one, on a fresh window where the target's clock allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from conformance.client import ApiClient, ApiKeyBearer, Recorder
from conformance.contracts.models import RateLimit
from conformance.core import Exchange, jsonpointer
from conformance.drive.requests import fill_path_params

if TYPE_CHECKING:
    from conformance.targets import Target

MAX_PROBE_REQUESTS = 100  # a probe that would need more than this creates a small-quota key or skips


class ProbeUnavailable(LookupError):
    """The quota cannot be spent within bounds on this target; the message says what would help."""


@dataclass
class QuotaProbe:
    attempts: list[Exchange]
    limit: int
    client: ApiClient
    fresh: bool  # the window was unused when the probe started, so counts are exact
    dedicated: bool  # a key made for the probe spent the quota (the default credentials did not)
    seconds: float = 0.0  # how long the attempts took on the target's clock
    started: float = 0.0  # when the first attempt was sent, on the target's clock


def rate_limited_call(client: ApiClient) -> Exchange:
    """One call of the profile's rate-limited operation (its parameters and example body)."""
    rate = client.contract.profile.rate_limit
    if rate is None:
        raise ProbeUnavailable("the profile documents no rate limit")
    op = rate.operation
    kwargs: dict[str, Any] = {
        "params": dict(rate.operation_params) or None,
        "path_params": fill_path_params(client, op, {}),
    }
    if client.contract.operation(op).method in ("POST", "PUT"):
        kwargs["json"] = client.example(op) or {}
    return client.call(op, **kwargs)


def quota_client(target: Target, recorder: Recorder, client: ApiClient) -> tuple[ApiClient, int, bool]:
    """The client a probe spends quota with, its quota, and whether it is a key made for the probe
    (a small quota, where the profile says how to create one and the admin session allows it)."""
    rate = client.contract.profile.rate_limit
    if rate is None:
        raise ProbeUnavailable("the profile documents no rate limit")
    if rate.dedicated_key is not None:
        cookie = target.admin_cookie()
        if cookie:
            key = rate.dedicated_key
            created = client.call(key.operation, json=dict(key.body), headers={"Cookie": cookie}, auth=False)
            if not created.ok:
                raise ProbeUnavailable(f"could not create a probe key: {created.summary()}")
            secret = str(jsonpointer.get(client.unredacted_json(created), key.secret_pointer))
            return target.client(recorder, auth=ApiKeyBearer(secret), polite=False), key.limit, True
    return target.client(recorder, polite=False), rate.limit, False


def fresh_window(target: Target, client: ApiClient) -> None:
    """On a mock: get credentials first (a token call may count too), then let a whole window
    pass, so the counts that follow are exact."""
    rate = client.contract.profile.rate_limit
    if target.control is not None and rate is not None:
        rate_limited_call(client)
        target.control.advance(rate.window_seconds)


def until_refused(client: ApiClient, most: int) -> list[Exchange]:
    """The rate-limited call, until its first refusal (at most `most` calls)."""
    rate = client.contract.profile.rate_limit
    refused = rate.rules.quota_enforced.status if rate else [429]
    attempts: list[Exchange] = []
    for _ in range(most):
        attempts.append(rate_limited_call(client))
        if attempts[-1].status in refused:
            break
    return attempts


def spend_rate_limit(target: Target, recorder: Recorder, client: ApiClient) -> QuotaProbe:
    """Send the rate-limited operation until the first refusal (at most limit + 1 requests)."""
    rate = client.contract.profile.rate_limit
    if rate is None:
        raise ProbeUnavailable("the profile documents no rate limit")
    probe, limit, fresh, dedicated = (
        target.client(recorder, polite=False),
        rate.limit,
        target.control is not None,
        False,
    )
    if rate.dedicated_key is not None:
        cookie = target.admin_cookie()
        if cookie:
            key = rate.dedicated_key
            created = client.call(key.operation, json=dict(key.body), headers={"Cookie": cookie}, auth=False)
            if not created.ok:
                raise ProbeUnavailable(f"could not create a probe key: {created.summary()}")
            secret = str(jsonpointer.get(client.unredacted_json(created), key.secret_pointer))
            probe, limit, fresh, dedicated = (
                target.client(recorder, auth=ApiKeyBearer(secret), polite=False),
                key.limit,
                True,
                True,
            )
    if limit + 1 > MAX_PROBE_REQUESTS:
        name = client.contract.profile.config.admin_cookie or "an admin session"
        raise ProbeUnavailable(
            f"the quota is {limit} requests; set {name} so a probe key with a small quota can be created"
        )
    if fresh and target.control is not None and not dedicated:
        # get credentials first (a token call may count against the limit too), then start from a
        # fresh window on the mock's clock, so the count is exact
        rate_limited_call(probe)
        target.control.advance(rate.window_seconds)
    attempts: list[Exchange] = []
    started = target.clock()
    for _ in range(limit + 1):
        attempts.append(rate_limited_call(probe))
        if attempts[-1].status in rate.rules.quota_enforced.status:
            break
    seconds = target.clock() - started
    refused = attempts[-1].status in rate.rules.quota_enforced.status
    if not refused and _replenished(rate, seconds) >= 1:
        raise ProbeUnavailable(
            f"the target took {seconds:.1f} s (its clock) for {len(attempts)} requests: the quota refilled "
            "meanwhile, so requests sent one after another cannot reach the limit"
        )
    return QuotaProbe(attempts, limit, probe, fresh, dedicated, seconds, started)


def _replenished(rate: RateLimit, seconds: float) -> float:
    """How many requests the quota gave back during `seconds` (a window that passed gives all)."""
    if rate.policy == "token_bucket":
        return seconds * (rate.refill or rate.limit) / rate.window_seconds
    return float(rate.limit) if seconds >= rate.window_seconds else 0.0
