"""Rate limits: the quota holds at the documented count, the refusal has the documented body and
headers, `Remaining` counts down, `Reset` and the retry hint agree with the window, keys are
independent, and requests succeed again after the window. Bounded: at most limit + 1 requests per
probe (a dedicated small-quota key where the profile says how to make one); on a mock's virtual
clock the window passes instantly."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import ProbeUnavailable, fill_path_params, spend_rate_limit

pytestmark = [pytest.mark.capability("rate_limit"), pytest.mark.writes, pytest.mark.rate_limit_probe]


def _probe(target, recorder, client):
    try:
        return spend_rate_limit(target, recorder, client)
    except ProbeUnavailable as exc:
        pytest.skip(str(exc))


def _refused(contract, probe):
    rate = contract.profile.rate_limit
    if probe.attempts[-1].status not in rate.rules.quota_enforced.status:
        pytest.skip(
            f"not applicable: no refusal within {len(probe.attempts)} requests (see test_quota_enforced)"
        )
    return probe.attempts[-1]


def _again(contract, probe_client):
    op = contract.profile.rate_limit.operation
    kwargs = {
        "path_params": fill_path_params(probe_client, op, {}),
        "params": dict(contract.profile.rate_limit.operation_params) or None,
    }
    if contract.operation(op).method in ("POST", "PUT"):
        kwargs["json"] = probe_client.example(op) or {}
    return probe_client.call(op, **kwargs)


def _needs_header_rule(rate, key, missing):
    """Skip as not documented unless the profile has rate-limit headers and `rules.<key>`."""
    if rate.headers is None or getattr(rate.rules, key) is None:
        pytest.skip(f"not applicable: not documented: {missing}")


def test_quota_enforced(contract, target, recorder, client, verify):
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_quota_enforced,
        "rate_limit.rules.quota_enforced",
        attempts=probe.attempts,
        limit=probe.limit,
        fresh_window=probe.fresh,
    )


def test_rejection_envelope(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    refused = _refused(contract, _probe(target, recorder, client))
    verify(
        checks.rate_limit.rate_limit_rejection_envelope,
        "rate_limit.rules.rejection_envelope",
        refused=refused,
        schema=contract.resolved_schema(rate.envelope),
        schema_name=rate.envelope,
    )


def test_headers_present(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    _needs_header_rule(rate, "headers_present", "the API promises no rate-limit headers")
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_headers_present,
        "rate_limit.rules.headers_present",
        attempts=probe.attempts,
        headers=rate.headers,
    )


def test_remaining_decreases(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    _needs_header_rule(rate, "remaining_decreases", "no remaining-count header")
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_remaining_decreases,
        "rate_limit.rules.remaining_decreases",
        attempts=probe.attempts,
        headers=rate.headers,
        limit=probe.limit,
        fresh_window=probe.fresh,
    )


def test_reset_consistent(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    _needs_header_rule(rate, "reset_consistent", "no reset header")
    probe = _probe(target, recorder, client)
    verify(
        checks.rate_limit.rate_limit_reset_consistent,
        "rate_limit.rules.reset_consistent",
        attempts=probe.attempts,
        headers=rate.headers,
        window_seconds=rate.window_seconds,
        retry_after_field=rate.retry_after_field,
    )


def test_per_key_independent(contract, target, recorder, client, verify):
    rate = contract.profile.rate_limit
    if rate.rules.per_key_independent is None:
        pytest.skip("not applicable: not documented: no per-key rule")
    probe = _probe(target, recorder, client)
    _refused(contract, probe)
    if not probe.dedicated:  # the default credentials spent it: use a second identity
        other = next((name for name in ("limited", "other") if target.has(*target.identity_keys(name))), None)
        if other is None:
            pytest.skip("needs a second client or key of the same API")
        second = target.client(recorder, identity=other)
    else:
        second = client  # a dedicated probe key spent it: the default key is the other one
    exact = probe.dedicated and target.control is not None  # the other key's window is fresh too
    verify(
        checks.rate_limit.rate_limit_per_key_independent,
        "rate_limit.rules.per_key_independent",
        other_key=_again(contract, second),
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
        "rate_limit.rules.recovers_after_window",
        after_window=_again(contract, probe.client),
    )
