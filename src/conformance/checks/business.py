"""Business-rule checks from the docs' workflows: soft delete, batch reads, entry isolation.
Each is judged on the exchanges a scenario suite recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conformance.checks._helpers import (
    at,
    documented_refusal,
    error_code,
    items_of,
    refused_as_documented,
    status_was,
)
from conformance.checks._registry import check
from conformance.contracts.models import Rule, StatusRule
from conformance.core import CheckFailure, Exchange


class WrongOutcome(CheckFailure):
    title = "Documented outcome not met"


class DeletedEntryListed(CheckFailure):
    title = "Soft-deleted entry still listed"


class DeletedEntryMissing(CheckFailure):
    title = "Soft-deleted entry not shown with include_deleted"


class BatchOrderWrong(CheckFailure):
    title = "Batch read not in request order"


@check("business", judges="business.*")
def business_outcome_as_documented(
    rule: StatusRule, response: Exchange, code: str | None = None, code_pointer: str | None = None
) -> None:
    """A documented workflow step answers with the documented status (and error code)."""
    if code is not None and code_pointer is not None:
        if response.status not in rule.status or error_code(response, code_pointer) != code:
            raise WrongOutcome(
                f"HTTP {rule.status} with {code_pointer} {code!r}", status_was(response), [response]
            )
        return
    if not refused_as_documented(rule, response, code_pointer):
        raise WrongOutcome(documented_refusal(rule, code_pointer), status_was(response), [response])


@check("business", judges="business.*")
def business_entry_hidden(rule: Rule, listings: Sequence[Exchange], items: str, entry_id: str) -> None:
    """A soft-deleted entry appears in no list or batch read made without include_deleted."""
    for listing in listings:
        if any(isinstance(i, dict) and str(i.get("id")) == entry_id for i in items_of(listing, items)):
            raise DeletedEntryListed(
                f"no entry {entry_id}", f"listed by {listing.method} {listing.path}", [listing]
            )


@check("business", judges="business.*")
def business_entry_shown(rule: Rule, listings: Sequence[Exchange], items: str, entry_id: str) -> None:
    """With include_deleted, a soft-deleted entry is returned (marked deleted)."""
    for listing in listings:
        found = [i for i in items_of(listing, items) if isinstance(i, dict) and str(i.get("id")) == entry_id]
        if not found or found[0].get("deleted") is not True:
            raise DeletedEntryMissing(
                f"entry {entry_id} with deleted: true",
                f"{found[0] if found else 'absent'} in {listing.method} {listing.path}",
                [listing],
            )


@check("business", judges="business.*")
def business_batch_in_request_order(
    rule: Rule, response: Exchange, items: str, expected_ids: Sequence[str]
) -> None:
    """A batch read answers the known, live ids in the order they were asked for, leaving out unknown
    and deleted ones.
    """
    got = [str(i.get("id")) for i in items_of(response, items) if isinstance(i, dict)]
    if response.status != 200 or got != list(expected_ids):
        raise BatchOrderWrong(
            f"HTTP 200 with ids {list(expected_ids)}", f"HTTP {response.status} with ids {got}", [response]
        )


class StateNotAsDocumented(CheckFailure):
    title = "Data read back is not what the documented operation leaves"


@check("business", judges="business.*")
def business_state_as_documented(
    rule: Rule,
    write: Exchange,
    read: Exchange,
    entity: Any,
    expected: Mapping[str, Any],
    absent: Sequence[str] = (),
) -> None:
    """After a documented operation (`write`), the entity read back (`read`) holds what the documents
    say: the values at `expected`, nothing at `absent`."""
    problems = [] if write.ok else [f"the operation answered {status_was(write)}"]
    if entity is None:
        problems.append("the entity was not found in the read")
    else:
        problems += [
            f"{p} is {at(entity, p)!r}, not {v!r}" for p, v in expected.items() if at(entity, p) != v
        ]
        problems += [f"{p} is still {at(entity, p)!r}" for p in absent if at(entity, p) is not None]
    if problems:
        wanted = ", ".join(f"{p} = {v!r}" for p, v in expected.items())
        if absent:
            wanted += ("; " if wanted else "") + f"no {', '.join(absent)}"
        raise StateNotAsDocumented(wanted or "the documented state", "; ".join(problems[:4]), [write, read])


class KeyPrefixWrong(CheckFailure):
    title = "A key's prefix is not the start of its secret"


class SecretNotFull(CheckFailure):
    title = "The secret shown on creation is not the full key"


@check("business", judges="business.*")
def business_key_prefix_matches_secret(rule: Rule, created: Exchange, prefix: Any, secret_start: str) -> None:
    """A new key's `key_prefix` is the first characters of its secret (`secret_start`, as many as
    the documents say; the rest of the secret never reaches a check or a report)."""
    if prefix != secret_start:
        raise KeyPrefixWrong(
            f"key_prefix = the secret's first {len(secret_start)} characters",
            f"key_prefix {prefix!r} ({'a different string' if isinstance(prefix, str) else 'not a string'})",
            [created],
        )


@check("business", judges="business.*")
def business_secret_full_length(rule: Rule, created: Exchange, secret_length: int, length: int) -> None:
    """The secret a key's creation shows is the whole key: `length` characters (the seed's
    full-64-char-key)."""
    if secret_length != length:
        raise SecretNotFull(f"a secret of {length} characters", f"{secret_length} characters", [created])
