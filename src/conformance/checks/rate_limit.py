"""Rate-limit checks: the quota holds at the documented count, the refusal is documented, it recovers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.checks.base import NotApplicable, check, failure, status_was, statuses
from conformance.checks.errors import schema_problems
from conformance.client.recording import Exchange
from conformance.contracts.models import Rule, StatusRule

QuotaNotEnforced = failure("QuotaNotEnforced", "Rate limit not enforced at the documented quota")
QuotaTooStrict = failure("QuotaTooStrict", "Requests refused before the documented quota")
RateLimitEnvelopeViolated = failure("RateLimitEnvelopeViolated", "429 body does not match the envelope")
RateLimitNeverRecovers = failure("RateLimitNeverRecovers", "Requests still refused after the window")


def _ok(exchange: Exchange) -> bool:
    return 200 <= exchange.status < 300


@check("rate_limit")
def rate_limit_quota_enforced(
    rule: StatusRule, attempts: Sequence[Exchange], limit: int, fresh_window: bool
) -> None:
    """Within one window the first `limit` requests succeed and the next is refused with 429.

    Profile: rate_limit.limit, rate_limit.rules.quota_enforced.
    """
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
    unexpected = [ex for ex in attempts[:first] if not _ok(ex)]
    if fresh_window and unexpected:
        raise NotApplicable(
            f"requests before the quota failed for other reasons: {status_was(unexpected[0])}"
        )


@check("rate_limit")
def rate_limit_rejection_envelope(
    rule: Rule, refused: Exchange, schema: dict[str, Any], schema_name: str
) -> None:
    """A refused request's body has the documented envelope.

    Profile: rate_limit.envelope, rate_limit.rules.rejection_envelope.
    """
    body = refused.json()
    problems = schema_problems(schema, body) if body is not None else ["not JSON"]
    if problems:
        raise RateLimitEnvelopeViolated(f"a body matching {schema_name}", "; ".join(problems[:3]), [refused])


@check("rate_limit")
def rate_limit_recovers_after_window(rule: Rule, after_window: Exchange) -> None:
    """Once the window has passed, requests succeed again.

    Profile: rate_limit.window_seconds, rate_limit.rules.recovers_after_window.
    """
    if not _ok(after_window):
        raise RateLimitNeverRecovers(
            "a 2xx once the window has passed", status_was(after_window), [after_window]
        )
