"""Rate limits: the quota holds at the documented count, the refusal has the documented body and
headers, `Remaining` counts down, `Reset` and the retry hint agree with the window, keys are
independent, and requests succeed again after the window. Bounded: at most limit + 1 requests per
probe (a dedicated small-quota key where the profile says how to make one); on a mock's virtual
clock the window passes instantly."""

from __future__ import annotations

import pytest

from conformance import checks, documented, not_applicable
from conformance.drive import (
    ProbeUnavailable,
    example_body,
    fill_path_params,
    fresh_window,
    quota_client,
    rate_limited_call,
    spend_rate_limit,
    until_refused,
)

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
        now=probe.started if probe.fresh else None,
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


def _refusal(rate):
    return rate.rules.quota_enforced.status


def _needs_wait(target, seconds):
    if target.control is None and seconds > target.max_wait_seconds:
        pytest.skip(
            f"this needs {seconds:g} s of the target's time; the longest real wait is "
            f"{target.max_wait_seconds:g} s (--max-expiry-wait)"
        )


def _timed(target, window, send):
    """`send()`'s attempts, skipping when they took a noticeable part of the window (a slow
    target: the window moved under them, so counts against it mean nothing)."""
    started = target.clock()
    attempts = send()
    if target.clock() - started > 0.1 * window:
        pytest.skip(
            f"the target took {target.clock() - started:.2f} s of its clock for {len(attempts)} requests: "
            f"too slow to measure a {window:g} s window"
        )
    return attempts


def test_sustained_rate(contract, target, recorder, client, verify):
    """Once the burst is spent, three pauses shorter than a refill of the whole burst: each gives
    back what the documented rate refills in it (a bucket that refills faster or slower fails)."""
    rate = contract.profile.rate_limit
    rule = documented(rate.rules.sustained_rate, "rate_limit.rules.sustained_rate")
    if rate.policy != "token_bucket" or not rate.refill:
        not_applicable(f"a {rate.policy} has no sustained refill rate")
    per_second = rate.refill / rate.window_seconds
    pause = min(1.0, 0.5 * rate.limit / per_second)  # never long enough to refill the whole burst
    _needs_wait(target, 3 * pause)
    probe = _probe(target, recorder, client)
    _refused(contract, probe)
    windows, seconds = [], []
    for _ in range(3):
        started = target.clock()
        target.let_time_pass(pause)
        windows.append(_timed(target, pause, lambda: until_refused(probe.client, rate.limit + 1)))
        seconds.append(target.clock() - started)
    verify(
        checks.rate_windows.rate_limit_sustained_rate,
        rule,
        windows=windows,
        seconds=max(seconds),
        per_second=per_second,
        refused=_refusal(rate),
    )


def test_window_slides(contract, target, recorder, client, verify):
    """Half the quota, then the rest three quarters of a window later (and one refusal), then a
    quarter past the first window's end: the second half and its refusal still count."""
    rate = contract.profile.rate_limit
    if rate.policy != "sliding_window":
        not_applicable(f"the window is a {rate.policy}")
    slides = documented(rate.rules.window_slides, "rate_limit.rules.window_slides")
    _needs_wait(target, 2.5 * rate.window_seconds)
    probe, limit, _ = quota_client(target, recorder, client)
    fresh_window(target, probe)
    half, window = limit // 2, rate.window_seconds
    _timed(target, window, lambda: [rate_limited_call(probe) for _ in range(half)])
    target.let_time_pass(0.75 * window)
    second = _timed(target, window, lambda: until_refused(probe, limit + 1))
    accepted = sum(1 for a in second if a.ok)
    target.let_time_pass(0.5 * window)
    later = _timed(target, window, lambda: until_refused(probe, limit + 1))
    refused = _refusal(rate)
    verify(
        checks.rate_windows.rate_limit_window_slides,
        slides,
        later=later,
        limit=limit,
        still_counted=accepted,
        refused=refused,
    )
    if rate.rules.attempts_counted is not None:
        verify(
            checks.rate_windows.rate_limit_attempts_counted,
            rate.rules.attempts_counted,
            later=later,
            limit=limit,
            still_counted=accepted + (second[-1].status in refused),
            refused=refused,
        )


def test_window_fixed(contract, target, recorder, client, verify):
    """The window starts at the key's first request (not at a round hour): later in it only the
    rest of the quota is left, and just after it the whole quota is back."""
    rate = contract.profile.rate_limit
    if rate.policy != "fixed_window":
        not_applicable(f"the window is a {rate.policy}")
    rule = documented(rate.rules.window_fixed, "rate_limit.rules.window_fixed")
    _needs_wait(target, 1.5 * rate.window_seconds)
    probe, limit, dedicated = quota_client(target, recorder, client)
    if target.control is None and not dedicated:
        pytest.skip("needs a fresh key with a small quota (the admin session creates one)")
    if target.control is not None:
        fresh_window(target, probe)
        target.let_time_pass(0.3 * rate.window_seconds)  # off the round hour of the mock's start
    rate_limited_call(probe)
    target.let_time_pass(0.9 * rate.window_seconds)
    inside = until_refused(probe, limit + 1)
    target.let_time_pass(0.11 * rate.window_seconds)
    after = until_refused(probe, limit + 1)
    verify(
        checks.rate_windows.rate_limit_window_fixed,
        rule,
        inside=inside,
        after=after,
        limit=limit,
        used_before=1,
        refused=_refusal(rate),
    )


def test_every_operation_limited(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    rule = documented(rate.rules.every_operation, "rate_limit.rules.every_operation")
    if rate.applies_to != "all":
        not_applicable(f"only {rate.operation} is limited (rate_limit.applies_to)")
    probe = _probe(target, recorder, client)
    _refused(contract, probe)
    token = contract.profile.auth.token_operation
    calls = {
        op: probe.client.call(
            op, path_params=fill_path_params(probe.client, op, {}), **example_body(probe.client, op)
        )
        for op in contract.operations
        if op not in (token, rate.operation)
    }
    verify(checks.rate_windows.rate_limit_every_operation, rule, calls=calls, refused=_refusal(rate))


def test_token_endpoint_exempt(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    rule = documented(rate.rules.token_endpoint_exempt, "rate_limit.rules.token_endpoint_exempt")
    probe = _probe(target, recorder, client)
    _refused(contract, probe)
    verify(checks.rate_windows.rate_limit_token_endpoint_exempt, rule, token=probe.client.token_call())


def test_invalid_requests_counted(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    rule = documented(rate.rules.invalid_requests_counted, "rate_limit.rules.invalid_requests_counted")
    headers = documented(rate.headers, "rate_limit.headers")
    probe, _, _ = quota_client(target, recorder, client)
    fresh_window(target, probe)
    before = rate_limited_call(probe)
    invalid = probe.call(
        rate.operation,
        params=dict(rate.invalid_request_params),
        path_params=fill_path_params(probe, rate.operation, {}),
    )
    after = rate_limited_call(probe)
    verify(
        checks.rate_windows.rate_limit_invalid_requests_counted,
        rule,
        before=before,
        invalid=invalid,
        after=after,
        headers=headers,
    )


@pytest.mark.control_plane
def test_default_quota(contract, target, recorder, control, verify):
    """The default credentials' whole quota, on a mock only (a real key's would be spent)."""
    rate = contract.profile.rate_limit
    rule = documented(rate.rules.default_quota, "rate_limit.rules.default_quota")
    default = target.client(recorder, polite=False)
    fresh_window(target, default)
    attempts = until_refused(default, rate.limit + 1)
    verify(
        checks.rate_windows.rate_limit_default_quota,
        rule,
        attempts=attempts,
        limit=rate.limit,
        refused=_refusal(rate),
    )
