"""Rate-limit checks: the quota holds at the documented count, the refusal is documented, it recovers."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from conformance.checks._helpers import schema_problems, status_was, statuses
from conformance.checks._registry import check
from conformance.contracts.models import RateLimitHeaders, Rule, StatusRule
from conformance.core import CheckFailure, Exchange, NotApplicable


class QuotaNotEnforced(CheckFailure):
    title = "Rate limit not enforced at the documented quota"


class QuotaTooStrict(CheckFailure):
    title = "Requests refused before the documented quota"


class RateLimitEnvelopeViolated(CheckFailure):
    title = "429 body does not match the envelope"


class RateLimitNeverRecovers(CheckFailure):
    title = "Requests still refused after the window"


def _ok(exchange: Exchange) -> bool:
    return exchange.ok


@check("rate_limit", judges="rate_limit.rules.quota_enforced")
def rate_limit_quota_enforced(
    rule: StatusRule, attempts: Sequence[Exchange], limit: int, fresh_window: bool
) -> None:
    """Within one window the first `limit` requests succeed and the next is refused with 429."""
    refused = [i for i, ex in enumerate(attempts) if ex.status in rule.status]
    if not refused:
        raise QuotaNotEnforced(
            f"HTTP {statuses(rule.status)} by request {limit + 1}",
            f"{len(attempts)} requests, none refused (last: {status_was(attempts[-1])})",
            list(attempts[-2:]),
        )
    first = refused[0]
    if fresh_window and first < limit:
        raise QuotaTooStrict(
            f"{limit} requests accepted before the first {statuses(rule.status)}",
            f"refused at request {first + 1}",
            [attempts[first]],
        )
    if first > limit:
        raise QuotaNotEnforced(
            f"HTTP {statuses(rule.status)} at request {limit + 1}",
            f"first refusal at request {first + 1}",
            [attempts[limit], attempts[first]],
        )
    unexpected = [ex for ex in attempts[:first] if not ex.ok]
    if fresh_window and unexpected:
        raise NotApplicable(
            f"requests before the quota failed for other reasons: {status_was(unexpected[0])}"
        )


@check("rate_limit", judges="rate_limit.rules.rejection_envelope")
def rate_limit_rejection_envelope(
    rule: Rule, refused: Exchange, schema: dict[str, Any], schema_name: str
) -> None:
    """A refused request's body has the documented envelope."""
    body = refused.json()
    problems = schema_problems(schema, body) if body is not None else ["not JSON"]
    if problems:
        raise RateLimitEnvelopeViolated(f"a body matching {schema_name}", "; ".join(problems[:3]), [refused])


@check("rate_limit", judges="rate_limit.rules.recovers_after_window")
def rate_limit_recovers_after_window(rule: Rule, after_window: Exchange) -> None:
    """Once the window has passed, requests succeed again."""
    if not after_window.ok:
        raise RateLimitNeverRecovers(
            "a 2xx once the window has passed", status_was(after_window), [after_window]
        )


class RateHeadersMissing(CheckFailure):
    title = "Rate-limit headers missing"


class RemainingNotDecreasing(CheckFailure):
    title = "Remaining count does not count down"


class ResetInconsistent(CheckFailure):
    title = "Reset time and retry hint disagree with the window"


class LimitSharedBetweenKeys(CheckFailure):
    title = "One key's quota spent another's"


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@check("rate_limit", judges="rate_limit.rules.headers_present")
def rate_limit_headers_present(rule: Rule, attempts: Sequence[Exchange], headers: RateLimitHeaders) -> None:
    """Every accepted (2xx) and refused (429) answer carries the rate-limit headers as integers."""
    for attempt in attempts:
        if not (attempt.ok or attempt.status == 429):
            continue
        values = {name: attempt.header(name) for name in (headers.remaining, headers.reset)}
        if any(_int(v) is None for v in values.values()):
            raise RateHeadersMissing(
                f"{headers.remaining} and {headers.reset} as integers",
                f"{values} on {status_was(attempt)}",
                [attempt],
            )


@check("rate_limit", judges="rate_limit.rules.remaining_decreases")
def rate_limit_remaining_decreases(
    rule: Rule, attempts: Sequence[Exchange], headers: RateLimitHeaders, limit: int, fresh_window: bool
) -> None:
    """`Remaining` drops by one with each accepted request and reaches 0 at the quota."""
    accepted = [a for a in attempts if a.ok]
    raw = [_int(a.header(headers.remaining)) for a in accepted]
    values = [v for v in raw if v is not None]
    if not values or len(values) != len(raw):
        raise NotApplicable(f"no {headers.remaining} to follow (see rate_limit_headers_present)")
    steps = [b - a for a, b in itertools.pairwise(values)]
    if any(step != -1 for step in steps) or (fresh_window and values[0] != limit - 1):
        raise RemainingNotDecreasing(
            f"{limit - 1}, {limit - 2}, … 0" if fresh_window else "a countdown by one",
            f"{values}",
            accepted[:3],
        )


@check("rate_limit", judges="rate_limit.rules.reset_consistent")
def rate_limit_reset_consistent(
    rule: Rule,
    attempts: Sequence[Exchange],
    headers: RateLimitHeaders,
    window_seconds: float,
    retry_after_field: str | None,
    now: float | None = None,
) -> None:
    """`Reset` is the end of the window in Unix seconds: one value for the whole window, after the
    time the window's first request was answered (`now`, the target's clock) and at most one window
    later; a refusal's retry hint points inside it."""
    resets = {_int(a.header(headers.reset)) for a in attempts if a.ok or a.status == 429}
    if None in resets or not resets:
        raise NotApplicable(f"no {headers.reset} to compare (see rate_limit_headers_present)")
    if len(resets) > 1:
        raise ResetInconsistent(
            f"one {headers.reset} for the whole window",
            f"{sorted(resets)}",  # type: ignore[type-var]
            list(attempts[:2]),
        )
    reset = next(iter(resets))
    if now is not None and reset is not None and not now < reset <= now + window_seconds + 1:
        raise ResetInconsistent(
            f"{headers.reset} in ({int(now)}, {int(now + window_seconds)}]: the window's end in Unix seconds",
            f"{reset}",
            list(attempts[:1]),
        )
    refused = [a for a in attempts if a.status == 429]
    if refused and retry_after_field:
        retry = refused[-1].json_at(retry_after_field)
        if not isinstance(retry, int) or not 0 < retry <= window_seconds:
            raise ResetInconsistent(
                f"{retry_after_field} in (0, {int(window_seconds)}] seconds", f"{retry!r}", refused[-1:]
            )


@check("rate_limit", judges="rate_limit.rules.per_key_independent")
def rate_limit_per_key_independent(
    rule: Rule, other_key: Exchange, headers: RateLimitHeaders | None = None, other_limit: int | None = None
) -> None:
    """Once one key has spent its quota, another key's request is still accepted, and (with a fresh
    window and a remaining-count header) counts only its own requests.
    """
    if not other_key.ok:
        raise LimitSharedBetweenKeys("a 2xx for the other key", status_was(other_key), [other_key])
    if headers is not None and other_limit is not None:
        remaining = _int(other_key.header(headers.remaining))
        if remaining != other_limit - 1:
            expected = f"{headers.remaining} {other_limit - 1} on the other key's first request"
            raise LimitSharedBetweenKeys(expected, f"{remaining}", [other_key])
