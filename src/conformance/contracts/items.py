"""The collections of profile items a suite test can be parametrised over: one test case per
documented error code, list operation, filter, locking resource, required header, webhook event,
search operation and searchable field.

A suite test asks for one by naming it as an argument (e.g. `list_operation`); the plugin makes one
case per item of each selected API (`cartoncloud:pagination:searchConsignments`), or one
"not applicable" case for an API whose profile lists none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from conformance.contracts.models import Profile, Resource, Rule, SearchField, SearchOperation

R = TypeVar("R", bound=Rule)


@dataclass(frozen=True)
class NamedResource:
    """A resource of `operations.resources` with its name; `decided`: the decision that puts it
    under the locking rules, where no document does (its rules are then judged as SHOULD)."""

    name: str
    resource: Resource
    decided: str | None = None

    def rule(self, rule: R) -> R:
        """`rule` as it applies to this resource: as is, or as the decision it is here."""
        if self.decided is None:
            return rule
        source = f"{self.decided} (for {self.name})"
        return rule.model_copy(update={"severity": "SHOULD", "x_source": "decision", "source": source})


@dataclass(frozen=True)
class SearchFieldCase:
    """One field of one search operation (`search.operations[].fields[]`)."""

    search: SearchOperation
    field: SearchField


@dataclass(frozen=True)
class ItemKind:
    name: str  # the argument a suite test names
    description: str  # what a profile without any lists ("… lists no <description>")
    items: Callable[[Profile], list[tuple[str, Any]]]  # (case id, item) in profile order


def _resources(profile: Profile) -> list[tuple[str, Any]]:
    if profile.locking is None:
        return []
    named = profile.operations.resources
    decided = profile.locking.by_decision
    return [(name, NamedResource(name, named[name], decided.get(name))) for name in profile.locking.resources]


def _search_fields(profile: Profile) -> list[tuple[str, Any]]:
    if profile.search is None:
        return []
    return [
        (f"{op.operation}:{f.pointer.strip('/').replace('/', '.')}", SearchFieldCase(op, f))
        for op in profile.search.operations
        for f in op.fields
    ]


ITEM_KINDS: dict[str, ItemKind] = {
    kind.name: kind
    for kind in (
        ItemKind(
            "error_code",
            "error codes (errors.codes)",
            lambda p: [(c.id, c) for c in p.errors.codes] if p.errors else [],
        ),
        ItemKind(
            "list_operation",
            "list operations (pagination.list_operations)",
            lambda p: [(op.operation, op) for op in p.pagination.list_operations] if p.pagination else [],
        ),
        ItemKind(
            "page_filter",
            "filters (pagination.filters)",
            lambda p: (
                [(f"{f.operation}:{f.parameter}={f.value}", f) for f in p.pagination.filters]
                if p.pagination
                else []
            ),
        ),
        ItemKind("locking_resource", "locking resources (locking.resources)", _resources),
        ItemKind(
            "required_header",
            "required headers (transport.required_headers)",
            lambda p: [(h.name, h) for h in p.transport.required_headers] if p.transport else [],
        ),
        ItemKind(
            "search_operation",
            "search operations (search.operations)",
            lambda p: [(op.operation, op) for op in p.search.operations] if p.search else [],
        ),
        ItemKind("search_field", "search fields (search.operations[].fields)", _search_fields),
        ItemKind(
            "webhook_event",
            "webhook events (webhooks.events)",
            lambda p: [(e.name, e) for e in p.webhooks.events] if p.webhooks else [],
        ),
    )
}
