"""Rate-limit checks judged as rates: a token bucket's sustained refill, sliding and fixed windows,
refused attempts counted, every operation on one quota, the token endpoint exempt, refused (400)
requests counted, and the default quota. Each is judged on the attempts a suite sent on the
target's clock (a mock's virtual clock; a bounded real wait live)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from conformance.checks._helpers import status_was, statuses
from conformance.checks._registry import check
from conformance.contracts.models import RateLimitHeaders, Rule
from conformance.core import CheckFailure, Exchange


class SustainedRateWrong(CheckFailure):
    title = "Sustained rate is not the documented one"


class WindowNotSliding(CheckFailure):
    title = "Rate window gave fresh quota where a sliding window gives none"


class WindowNotFixed(CheckFailure):
    title = "Rate window is not a fixed window from the first request"


class RefusedAttemptsNotCounted(CheckFailure):
    title = "Refused attempts did not count against the window"


class OperationNotLimited(CheckFailure):
    title = "An operation escaped the rate limit"


class TokenEndpointLimited(CheckFailure):
    title = "The token endpoint is rate limited"


class InvalidRequestNotCounted(CheckFailure):
    title = "A refused (400) request did not count or carried no rate headers"


class DefaultQuotaWrong(CheckFailure):
    title = "The default quota is not the documented one"


def accepted_before_refusal(attempts: Sequence[Exchange], refused: Sequence[int]) -> int:
    """How many attempts succeeded before the first refusal (all of them when none was refused)."""
    count = 0
    for attempt in attempts:
        if attempt.status in refused:
            return count
        count += attempt.ok
    return count


@check("rate_limit", judges="rate_limit.rules.sustained_rate")
def rate_limit_sustained_rate(
    rule: Rule,
    windows: Sequence[Sequence[Exchange]],
    seconds: float,
    per_second: float,
    refused: Sequence[int],
) -> None:
    """Once the burst is spent, a token bucket gives back `refill` requests per window: after each
    pause of `seconds`, about `per_second * seconds` requests succeed before the next refusal (one
    either way for the bucket's phase), never the burst again."""
    expected = per_second * seconds
    counts = [accepted_before_refusal(w, refused) for w in windows]
    wrong = [c for c in counts if not expected - 1 <= c <= expected + 1]
    if wrong or not counts:
        raise SustainedRateWrong(
            f"{expected:g} (±1) requests accepted after each {seconds:g} s pause ({per_second:g}/s)",
            f"accepted per pause: {counts}",
            [w[-1] for w in windows if w][:3],
        )


@check("rate_limit", judges="rate_limit.rules.window_slides")
def rate_limit_window_slides(
    rule: Rule, later: Sequence[Exchange], limit: int, still_counted: int, refused: Sequence[int]
) -> None:
    """In a sliding window, the requests of the last `window` seconds still count when a fixed
    window would have started afresh: after the boundary only `limit - still_counted` succeed."""
    got = accepted_before_refusal(later, refused)
    if got > limit - still_counted:
        raise WindowNotSliding(
            f"at most {limit - still_counted} accepted ({still_counted} of the last window still count)",
            f"{got} accepted before the first refusal",
            list(later[-2:]),
        )


@check("rate_limit", judges="rate_limit.rules.attempts_counted")
def rate_limit_attempts_counted(
    rule: Rule, later: Sequence[Exchange], limit: int, still_counted: int, refused: Sequence[int]
) -> None:
    """Every attempt counts, refused ones too: a refusal sent inside the window still holds its
    slot, so after the boundary exactly `limit - still_counted` (refusals included) succeed."""
    got = accepted_before_refusal(later, refused)
    if got != limit - still_counted:
        raise RefusedAttemptsNotCounted(
            f"{limit - still_counted} accepted (the refused attempt still counted)",
            f"{got} accepted",
            list(later[-2:]),
        )


@check("rate_limit", judges="rate_limit.rules.window_fixed")
def rate_limit_window_fixed(
    rule: Rule,
    inside: Sequence[Exchange],
    after: Sequence[Exchange],
    limit: int,
    used_before: int,
    refused: Sequence[int],
) -> None:
    """A fixed window starts at the first request: later in it only the rest of the quota is left
    (whatever the wall clock's hour does), and once it has passed the whole quota is back."""
    left = accepted_before_refusal(inside, refused)
    fresh = accepted_before_refusal(after, refused)
    if left != limit - used_before or fresh != limit:
        raise WindowNotFixed(
            f"{limit - used_before} accepted later in the window, then {limit} once it has passed",
            f"{left} then {fresh}",
            [*inside[-1:], *after[-1:]],
        )


@check("rate_limit", judges="rate_limit.rules.every_operation")
def rate_limit_every_operation(rule: Rule, calls: Mapping[str, Exchange], refused: Sequence[int]) -> None:
    """Once the quota is spent, every operation is refused with the rate-limit status (the limit
    holds on all endpoints, not only the one that spent it)."""
    escaped = {op: ex for op, ex in calls.items() if ex.status not in refused}
    if escaped:
        op, ex = next(iter(escaped.items()))
        raise OperationNotLimited(
            f"HTTP {statuses(refused)} for every operation once the quota is spent",
            f"{', '.join(escaped)} answered; {op}: {status_was(ex)}",
            list(escaped.values())[:3],
        )


@check("rate_limit", judges="rate_limit.rules.token_endpoint_exempt")
def rate_limit_token_endpoint_exempt(rule: Rule, token: Exchange) -> None:
    """With the quota spent, a token request still succeeds: the token endpoint is not limited."""
    if not token.ok:
        raise TokenEndpointLimited("a 2xx token response", status_was(token), [token])


def _remaining(exchange: Exchange, headers: RateLimitHeaders) -> int | None:
    try:
        return int(exchange.header(headers.remaining) or "")
    except ValueError:
        return None


@check("rate_limit", judges="rate_limit.rules.invalid_requests_counted")
def rate_limit_invalid_requests_counted(
    rule: Rule, before: Exchange, invalid: Exchange, after: Exchange, headers: RateLimitHeaders
) -> None:
    """A request refused with 400 after the rate check counts against the window and carries the
    rate headers: Remaining drops by one across it."""
    values = [_remaining(e, headers) for e in (before, invalid, after)]
    if invalid.status != 400 or None in values or values != [values[0], values[0] - 1, values[0] - 2]:  # type: ignore[operator]
        raise InvalidRequestNotCounted(
            f"HTTP 400 for the invalid request; {headers.remaining} n, n-1, n-2 across it",
            f"{status_was(invalid)}; {headers.remaining} {values}",
            [before, invalid, after],
        )


@check("rate_limit", judges="rate_limit.rules.default_quota")
def rate_limit_default_quota(
    rule: Rule, attempts: Sequence[Exchange], limit: int, refused: Sequence[int]
) -> None:
    """A credential with no quota of its own gets the documented default: exactly `limit` requests
    in a fresh window, then a refusal."""
    got = accepted_before_refusal(attempts, refused)
    if got != limit or attempts[-1].status not in refused:
        raise DefaultQuotaWrong(
            f"{limit} accepted, then HTTP {statuses(refused)}",
            f"{got} accepted; last {status_was(attempts[-1])}",
            list(attempts[-2:]),
        )
