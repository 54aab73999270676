"""Rate limits: the quota holds at the documented count, the refusal has the documented body and
headers, `Remaining` counts down, `Reset` and the retry hint agree with the window, keys are
independent, and requests succeed again after the window. Bounded: at most limit + 1 requests per
probe (a dedicated small-quota key where the profile says how to make one); on a mock's virtual
clock the window passes instantly."""

from __future__ import annotations

import pytest

from conformance import checks, documented, not_applicable
from conformance.drive import ProbeUnavailable, rate_limited_call, spend_rate_limit

pytestmark = [pytest.mark.capability("rate_limit"), pytest.mark.writes, pytest.mark.rate_limit_probe]


def _probe(target, recorder, client):
    try:
        return spend_rate_limit(target, recorder, client)
    except ProbeUnavailable as exc:
        pytest.skip(str(exc))


def _refused(contract, probe):
    rate = contract.profile.rate_limit
    if probe.attempts[-1].status not in rate.rules.quota_enforced.status:
        not_applicable(f"no refusal within {len(probe.attempts)} requests (see test_quota_enforced)")
    return probe.attempts[-1]


def _header_rule(rate, key):
    """`rate_limit.rules.<key>`, where the profile documents rate-limit headers and that rule."""
    documented(rate.headers, "the API promises no rate-limit headers (rate_limit.headers)")
    return documented(getattr(rate.rules, key), f"rate_limit.rules.{key}")


def test_quota_enforced(contract, target, recorder, client, verify):
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_quota_enforced,
        contract.profile.rate_limit.rules.quota_enforced,
        attempts=probe.attempts,
        limit=probe.limit,
        fresh_window=probe.fresh,
    )


def test_rejection_envelope(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    refused = _refused(contract, _probe(target, recorder, client))
    verify(
        checks.rate_limit.rate_limit_rejection_envelope,
        contract.profile.rate_limit.rules.rejection_envelope,
        refused=refused,
        schema=contract.resolved_schema(rate.envelope),
        schema_name=rate.envelope,
    )


def test_headers_present(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    rule = _header_rule(rate, "headers_present")
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_headers_present,
        rule,
        attempts=probe.attempts,
        headers=rate.headers,
    )


def test_remaining_decreases(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    rule = _header_rule(rate, "remaining_decreases")
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_remaining_decreases,
        rule,
        attempts=probe.attempts,
        headers=rate.headers,
        limit=probe.limit,
        fresh_window=probe.fresh,
    )


def test_reset_consistent(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    rule = _header_rule(rate, "reset_consistent")
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_reset_consistent,
        rule,
        attempts=probe.attempts,
        headers=rate.headers,
        window_seconds=rate.window_seconds,
        retry_after_field=rate.retry_after_field,
    )


def test_per_key_independent(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    rule = documented(rate.rules.per_key_independent, "rate_limit.rules.per_key_independent")
    probe = _probe(target, recorder, client)
    _refused(contract, probe)
    if not probe.dedicated:  # the default credentials spent it: use a second identity
        other = next((name for name in ("limited", "other") if target.has(*target.identity_keys(name))), None)
        if other is None:
            pytest.skip("needs a second client or key of the same API")
        second = target.client(recorder, identity=other, polite=False)  # a 429 is the answer, not retried
    else:
        # a dedicated probe key spent it: the default key is the other one
        second = target.client(recorder, polite=False)
    exact = probe.dedicated and target.control is not None  # the other key's window is fresh too
    verify(
        checks.rate_limit.rate_limit_per_key_independent,
        rule,
        other_key=rate_limited_call(second),
        headers=rate.headers,
        other_limit=rate.limit if exact else None,
    )


@pytest.mark.control_plane
def test_recovers_after_window(contract, target, recorder, client, control, verify):
    rate = contract.profile.rate_limit
    probe = _probe(target, recorder, client)
    _refused(contract, probe)
    control.advance(rate.window_seconds + 1)
    verify(
        checks.rate_limit.rate_limit_recovers_after_window,
        contract.profile.rate_limit.rules.recovers_after_window,
        after_window=rate_limited_call(probe.client),
    )
