"""Rate limits: the quota holds at the documented count, the refusal has the documented body,
and requests succeed again after the window. Bounded: at most limit + 1 requests per test."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import fill_path_params

pytestmark = [pytest.mark.capability("rate_limit"), pytest.mark.writes, pytest.mark.rate_limit_probe]


def _spend_quota(contract, client):
    rate = contract.profile.rate_limit
    op = rate.operation
    body = client.example(op)
    path_params = fill_path_params(client, op, {})
    attempts = []
    for _ in range(rate.limit + 1):
        attempts.append(client.call(op, json=body, path_params=path_params))
        if attempts[-1].status in rate.rules.quota_enforced.status:
            break
    return rate, attempts


def test_quota_enforced(contract, target, client, verify):
    rate, attempts = _spend_quota(contract, client)
    verify(
        checks.rate_limit.rate_limit_quota_enforced,
        "rate_limit.rules.quota_enforced",
        attempts=attempts,
        limit=rate.limit,
        fresh_window=target.control is not None,
    )


def test_rejection_envelope(contract, client, verify):
    rate, attempts = _spend_quota(contract, client)
    refused = attempts[-1]
    if refused.status not in rate.rules.quota_enforced.status:
        pytest.skip(f"not applicable: no refusal within {len(attempts)} requests (see test_quota_enforced)")
    verify(
        checks.rate_limit.rate_limit_rejection_envelope,
        "rate_limit.rules.rejection_envelope",
        refused=refused,
        schema=contract.resolved_schema(rate.envelope),
        schema_name=rate.envelope,
    )


@pytest.mark.control_plane
def test_recovers_after_window(contract, client, control, verify):
    rate, attempts = _spend_quota(contract, client)
    if attempts[-1].status not in rate.rules.quota_enforced.status:
        pytest.skip(f"not applicable: no refusal within {len(attempts)} requests (see test_quota_enforced)")
    control.advance(rate.window_seconds + 1)
    op = rate.operation
    after = client.call(op, json=client.example(op), path_params=fill_path_params(client, op, {}))
    verify(
        checks.rate_limit.rate_limit_recovers_after_window,
        "rate_limit.rules.recovers_after_window",
        after_window=after,
    )
