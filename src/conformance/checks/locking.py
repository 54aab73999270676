"""Optimistic-locking checks: stale writes refused, versions counted, one winner under contention."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.checks.base import NotApplicable, check, failure, status_was, statuses
from conformance.client.recording import Exchange
from conformance.contracts.models import Rule, StatusRule

StaleWriteAccepted = failure("StaleWriteAccepted", "Write with a stale version accepted")
StaleWriteChangedEntity = failure("StaleWriteChangedEntity", "Refused stale write still changed the entity")
VersionNotIncremented = failure("VersionNotIncremented", "Version not incremented as documented")
MalformedVersionAccepted = failure("MalformedVersionAccepted", "Malformed version accepted")
UnconditionalWriteRefused = failure("UnconditionalWriteRefused", "Write without If-Match refused")
LostUpdate = failure("LostUpdate", "Concurrent writes with one version: not exactly one winner")


def _version(exchange: Exchange, field: str) -> Any:
    body = exchange.json()
    return body.get(field) if isinstance(body, dict) else None


def _ok(exchange: Exchange) -> bool:
    return 200 <= exchange.status < 300


@check("locking")
def locking_stale_version_rejected(
    rule: StatusRule, stale_write: Exchange, after: Exchange, before: Exchange, version_field: str
) -> None:
    """A write carrying an outdated version is refused and leaves the entity as it was.

    Profile: locking.rules.stale_version_rejected.
    """
    if stale_write.status not in rule.status:
        raise StaleWriteAccepted(
            f"HTTP {statuses(rule.status)} for If-Match {stale_write.request_header('if-match')}",
            status_was(stale_write),
            [before, stale_write, after],
        )
    if after.json() != before.json():
        raise StaleWriteChangedEntity(
            "the entity as it was before the refused write",
            f"version {_version(before, version_field)} -> {_version(after, version_field)}",
            [before, stale_write, after],
        )


@check("locking")
def locking_version_incremented(
    rule: Rule, created: Exchange, updated: Exchange, version_field: str, initial_version: int, increment: int
) -> None:
    """A new entity has the initial version; each accepted update adds the increment.

    Profile: locking.initial_version, locking.increment, locking.rules.version_incremented.
    """
    first, second = _version(created, version_field), _version(updated, version_field)
    if not _ok(updated):
        raise NotApplicable(f"the update itself failed: {status_was(updated)}")
    if first != initial_version or second != initial_version + increment:
        raise VersionNotIncremented(
            f"{version_field} {initial_version} then {initial_version + increment}",
            f"{first} then {second}",
            [created, updated],
        )


@check("locking")
def locking_malformed_version_rejected(rule: StatusRule, write: Exchange) -> None:
    """A write whose If-Match is not a version number is refused.

    Profile: locking.rules.malformed_version_rejected.
    """
    if write.status not in rule.status:
        raise MalformedVersionAccepted(
            f"HTTP {statuses(rule.status)} for If-Match {write.request_header('if-match')!r}",
            status_was(write),
            [write],
        )


@check("locking")
def locking_absent_if_match_accepted(rule: Rule, write: Exchange) -> None:
    """A write without If-Match is accepted (the profile says `if_match_required: false`).

    Profile: locking.if_match_required, locking.rules.absent_if_match_accepted.
    """
    if not _ok(write):
        raise UnconditionalWriteRefused("a 2xx", status_was(write), [write])


@check("locking")
def locking_concurrent_single_winner(
    rule: Rule,
    writes: Sequence[Exchange],
    final: Exchange,
    version_field: str,
    stale_status: Sequence[int],
    start_version: int,
    increment: int,
) -> None:
    """Of N concurrent writes holding the same version exactly one wins, the rest get the stale
    status, and the stored entity is the winner's.

    Profile: locking.rules.concurrent_single_winner.
    """
    winners = [w for w in writes if _ok(w)]
    others = [w for w in writes if not _ok(w)]
    odd = [w for w in others if w.status not in stale_status]
    if len(winners) != 1 or odd:
        raise LostUpdate(
            f"exactly 1 of {len(writes)} accepted, {len(writes) - 1} with HTTP {statuses(stale_status)}",
            f"{len(winners)} accepted; other statuses {sorted({w.status for w in others})}",
            (winners[:3] + odd[:2]) or list(writes[:3]),
        )
    winner = winners[0]
    if final.json() != winner.json() or _version(final, version_field) != start_version + increment:
        raise LostUpdate(
            f"the stored entity equal to the winner's response, version {start_version + increment}",
            f"stored version {_version(final, version_field)}; equal to winner: "
            f"{final.json() == winner.json()}",
            [winner, final],
        )
