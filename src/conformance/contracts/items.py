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

from conformance.contracts.loader import Contract
from conformance.contracts.models import (
    Profile,
    RequiredHeader,
    Resource,
    Rule,
    ScopeProbe,
    SearchField,
    SearchOperation,
)

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
    # items that need the OpenAPI document too (operation paths): given the contract instead
    from_contract: Callable[[Contract], list[tuple[str, Any]]] | None = None

    def of(self, contract: Contract) -> list[tuple[str, Any]]:
        """The items of one contract, in profile order."""
        if self.from_contract is not None:
            return self.from_contract(contract)
        return self.items(contract.profile)


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


@dataclass(frozen=True)
class HeaderProbe:
    """A required header probed on one operation (one per path family)."""

    header: RequiredHeader
    operation: str


@dataclass(frozen=True)
class HeaderValue:
    """One documented value of a required header."""

    header: RequiredHeader
    value: str


def _family(path: str) -> str:
    """A path's family: its first literal segment below any tenant prefix (`inbound-orders`)."""
    literal = [p for p in path.strip("/").split("/") if p and not p.startswith("{")]
    if literal and literal[0] == "tenants":
        literal = literal[1:]
    return literal[0] if literal else "/"


def _header_probes(contract: Contract) -> list[tuple[str, Any]]:
    """(header, operation) for one operation per path family: one that answers 2xx with its example
    and no entity (a list or search before a create, an id-less path before one with an id), so a
    header the target ignores shows as a success, never as a 404 or a body error."""
    profile = contract.profile
    if profile.transport is None:
        return []
    tenant = set(profile.path_params)

    def rank(op: str) -> tuple[bool, bool, bool, str]:
        spec = contract.operations[op]
        has_id = any(n not in tenant for n in spec.path_parameter_names())
        return (has_id, not contract.is_read(op), spec.method != "GET", spec.path)

    out: list[tuple[str, Any]] = []
    for header in profile.transport.required_headers:
        chosen: dict[str, str] = {}
        for op in sorted(contract.operations, key=rank):
            if op not in header.except_operations:
                chosen.setdefault(_family(contract.operations[op].path), op)
        out += [(f"{header.name}:{fam}", HeaderProbe(header, op)) for fam, op in sorted(chosen.items())]
    return out


def _header_values(profile: Profile) -> list[tuple[str, Any]]:
    if profile.transport is None:
        return []
    return [
        (f"{h.name}={v}", HeaderValue(h, v))
        for h in profile.transport.required_headers
        for v in h.supported_values
    ]


def _scope_probes(profile: Profile) -> list[tuple[str, Any]]:
    rule = profile.auth.rules.insufficient_scope
    if rule is None:
        return []
    first = ScopeProbe(operation=rule.operation or profile.auth.probe_operation, granted=rule.granted)
    return [(p.operation, p) for p in (first, *rule.also)]


def _methods(profile: Profile) -> list[tuple[str, Any]]:
    rule = profile.transport.method_not_allowed if profile.transport else None
    return [(m, m) for m in (rule.method, *rule.also)] if rule else []


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
            "accepted_input",
            "documented valid inputs (errors.accepted)",
            lambda p: [(a.id, a) for a in p.errors.accepted] if p.errors else [],
        ),
        ItemKind(
            "header_probe",
            "required headers (transport.required_headers), one operation per path family",
            lambda p: [],
            _header_probes,
        ),
        ItemKind("scope_probe", "scope probes (auth.rules.insufficient_scope)", _scope_probes),
        ItemKind("disallowed_method", "methods probed (transport.method_not_allowed)", _methods),
        ItemKind(
            "header_value", "documented header values (required_headers[].supported_values)", _header_values
        ),
        ItemKind(
            "webhook_event",
            "webhook events (webhooks.events)",
            lambda p: [(e.name, e) for e in p.webhooks.events] if p.webhooks else [],
        ),
    )
}
