"""Building searches in a profile's grammar (`search.grammar`) and sending them: comparisons and
junctions as the API spells them, values taken from what a listing holds, walked across pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.client import ApiClient
from conformance.contracts.models import Grammar, Pagination, SearchField, SearchOperation
from conformance.contracts.models.search import Kind
from conformance.core import Exchange, jsonpointer
from conformance.drive.pages import walk_pages

ORDERED_KINDS = ("numeric", "date", "date_time")


def comparison(
    grammar: Grammar, field: SearchField, kind: Kind, method: str | None, value: Any, *, by_key: bool = False
) -> dict[str, Any]:
    """One comparison of `field` (by its pointer, or by its deprecated key)."""
    spec = grammar.comparison(kind)
    if spec is None:
        raise LookupError(f"the grammar has no {kind} comparison")
    wrapper = grammar.key_field if by_key and grammar.key_field else grammar.pointer_field
    name = field.key if by_key and field.key else field.pointer
    node: dict[str, Any] = {
        grammar.type_member: spec.type,
        grammar.field_member: {grammar.type_member: wrapper.type, wrapper.member: name},
        grammar.value_member: {grammar.type_member: grammar.value.type, grammar.value.member: value},
    }
    if method is not None:
        node[grammar.method_member] = method
    return node


def junction(grammar: Grammar, every: bool, *conditions: dict[str, Any]) -> dict[str, Any]:
    """All of (`every`) or any of `conditions`."""
    kind = grammar.all_of if every else grammar.any_of
    return {grammar.type_member: kind, grammar.children: list(conditions)}


def values_of(items: Sequence[Any], field: SearchField, kind: Kind) -> list[Any]:
    """The distinct values of `field` the items carry, as a query of `kind` would name them, sorted."""
    found = set()
    for item in items:
        raw = jsonpointer.get(item, field.location)
        if (
            (kind == "text" and isinstance(raw, str))
            or (kind == "numeric" and isinstance(raw, int | float) and not isinstance(raw, bool))
            or (kind == "boolean" and isinstance(raw, bool))
        ):
            found.add(raw)
        elif kind == "date" and isinstance(raw, str) and len(raw) >= 10 and raw[4] == "-" and raw[7] == "-":
            found.add(raw[:10])
        elif kind == "date_time" and isinstance(raw, str) and "T" in raw:
            found.add(raw)
    return sorted(found)


def probe_value(values: Sequence[Any], kind: Kind, operator: str) -> Any:
    """A value that splits the items: the median one, or a part of it for substring operators."""
    middle = values[len(values) // 2]
    if kind != "text" or operator not in ("contains", "not_contains", "starts_with"):
        return middle
    if operator == "starts_with":
        return middle[: max(1, len(middle) // 2)]
    return middle[1:-1] if len(middle) > 2 else middle


def search_pages(
    client: ApiClient,
    operation: SearchOperation,
    grammar: Grammar,
    pagination: Pagination,
    size: int,
    condition: dict[str, Any] | None,
) -> list[Exchange]:
    """Walk a search with `condition` (None: no condition, everything) page after page."""
    extra = {grammar.condition_pointer: condition} if condition is not None else {}
    return walk_pages(client, operation.operation, pagination, size, items=operation.items, extra=extra)


def listed(pages: Sequence[Exchange], operation: SearchOperation) -> list[Any]:
    """Every item of a walk."""
    return [i for p in pages for i in (jsonpointer.get(p.json(), operation.items) or [])]
