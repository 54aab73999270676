"""Optimistic-locking checks: stale writes refused, versions counted, one winner under contention."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.checks._helpers import status_was, statuses
from conformance.checks._registry import check
from conformance.contracts.models import Rule, StatusRule
from conformance.core import CheckFailure, Exchange, NotApplicable


class StaleWriteAccepted(CheckFailure):
    title = "Write with a stale version accepted"


class StaleWriteChangedEntity(CheckFailure):
    title = "Refused stale write still changed the entity"


class VersionNotIncremented(CheckFailure):
    title = "Version not incremented as documented"


class MalformedVersionAccepted(CheckFailure):
    title = "Malformed version accepted"


class UnconditionalWriteRefused(CheckFailure):
    title = "Write without If-Match refused"


class LostUpdate(CheckFailure):
    title = "Concurrent writes with one version: not exactly one winner"


class EntityWithoutVersion(CheckFailure):
    title = "Entity answered without its integer version"


def _version(exchange: Exchange, field: str) -> Any:
    body = exchange.json()
    return body.get(field) if isinstance(body, dict) else None


def _ok(exchange: Exchange) -> bool:
    return exchange.ok


@check("locking", judges="locking.rules.stale_version_rejected")
def locking_stale_version_rejected(
    rule: StatusRule, stale_write: Exchange, after: Exchange, before: Exchange, version_field: str
) -> None:
    """A write carrying an outdated version is refused and leaves the entity as it was (both reads
    of it answered: an unreadable entity cannot be shown unchanged)."""
    if stale_write.status not in rule.status:
        raise StaleWriteAccepted(
            f"HTTP {statuses(rule.status)} for If-Match {stale_write.request_header('if-match')}",
            status_was(stale_write),
            [before, stale_write, after],
        )
    unread = [e for e in (before, after) if not e.ok]
    if unread:
        raise StaleWriteChangedEntity(
            "the entity read (2xx) before and after the refused write", status_was(unread[0]), unread
        )
    if after.json() != before.json():
        raise StaleWriteChangedEntity(
            "the entity as it was before the refused write",
            f"version {_version(before, version_field)} -> {_version(after, version_field)}",
            [before, stale_write, after],
        )


@check("locking", judges="locking.rules.version_incremented")
def locking_version_incremented(
    rule: Rule, created: Exchange, updated: Exchange, version_field: str, initial_version: int, increment: int
) -> None:
    """A new entity has the initial version; each accepted update adds the increment."""
    first, second = _version(created, version_field), _version(updated, version_field)
    if not updated.ok:
        raise NotApplicable(f"the update itself failed: {status_was(updated)}")
    if first != initial_version or second != initial_version + increment:
        raise VersionNotIncremented(
            f"{version_field} {initial_version} then {initial_version + increment}",
            f"{first} then {second}",
            [created, updated],
        )


@check("locking", judges="locking.rules.malformed_version_rejected")
def locking_malformed_version_rejected(rule: StatusRule, write: Exchange) -> None:
    """A write whose If-Match is not a version number is refused."""
    if write.status not in rule.status:
        raise MalformedVersionAccepted(
            f"HTTP {statuses(rule.status)} for If-Match {write.request_header('if-match')!r}",
            status_was(write),
            [write],
        )


@check("locking", judges="locking.rules.absent_if_match_accepted")
def locking_absent_if_match_accepted(rule: Rule, write: Exchange) -> None:
    """A write without If-Match is accepted (the profile says `if_match_required: false`)."""
    if not write.ok:
        raise UnconditionalWriteRefused("a 2xx", status_was(write), [write])


@check("locking", judges="locking.rules.concurrent_single_winner")
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
    """
    winners = [w for w in writes if w.ok]
    others = [w for w in writes if not w.ok]
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


@check("locking", judges="locking.rules.version_present")
def locking_version_present(rule: Rule, response: Exchange, version_field: str) -> None:
    """Every entity an answer carries has its version as an integer (locking.rules.version_present;
    CONTRACT-DECISIONS, cartoncloud: "every entity has integer `version`")."""
    if not response.ok:
        raise NotApplicable(f"not an entity: {status_was(response)}")
    body = response.json()
    if not isinstance(body, dict):
        raise NotApplicable("the answer is not a JSON object (no entity)")
    version = body.get(version_field)
    if isinstance(version, bool) or not isinstance(version, int):
        raise EntityWithoutVersion(
            f"{version_field} an integer",
            f"{version_field} = {version!r} ({status_was(response)})",
            [response],
        )
