"""Evaluating a parsed search condition (`_grammar`) against an entity as the API shows it.

A pointer to a field the entity lacks (or holds null) never matches, whatever the method
(CONTRACT-DECISIONS, cartoncloud); a value of another type than the comparison's never matches
either. Text comparisons are case-sensitive (the mock's choice where the documents are silent;
the `caseless` persona folds case instead).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from conformance.core import jsonpointer
from conformance.mocks.cartoncloud._grammar import Comparison, Condition, Junction, parse_value

_ABSENT = object()
_ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "EQUAL_TO": operator.eq,
    "NOT_EQUAL_TO": operator.ne,
    "GREATER_THAN": operator.gt,
    "GREATER_THAN_OR_EQUAL_TO": operator.ge,
    "LESS_THAN": operator.lt,
    "LESS_THAN_OR_EQUAL_TO": operator.le,
}
_TEXT: dict[str, Callable[[str, str], bool]] = {
    "EQUAL_TO": operator.eq,
    "NOT_EQUAL_TO": operator.ne,
    "CONTAINS": lambda got, wanted: wanted in got,
    "DOES_NOT_CONTAIN": lambda got, wanted: wanted not in got,
    "STARTS_WITH": lambda got, wanted: got.startswith(wanted),
}


def matches(
    condition: Condition,
    entity: Mapping[str, Any],
    swapped: Mapping[str, str] | None = None,
    *,
    caseless: bool = False,
) -> bool:
    """Whether `entity` satisfies `condition`. `swapped` (method -> method) makes a method answer
    as another one does: how a fault inverts a method. `caseless`: text ignores letter case."""
    if isinstance(condition, Junction):
        results = (matches(c, entity, swapped, caseless=caseless) for c in condition.conditions)
        return all(results) if condition.all else any(results)
    return _compare(condition, entity, swapped or {}, caseless)


def matches_everything(condition: Condition | None) -> bool:
    """Whether every entity satisfies `condition` whatever it holds: none, or an AndCondition of
    nothing but such (an empty AndCondition: `all` of nothing)."""
    return condition is None or (
        isinstance(condition, Junction)
        and condition.all
        and all(map(matches_everything, condition.conditions))
    )


def _compare(
    comparison: Comparison, entity: Mapping[str, Any], swapped: Mapping[str, str], caseless: bool
) -> bool:
    raw = jsonpointer.get(entity, comparison.pointer, _ABSENT)
    if raw is _ABSENT or raw is None:
        return False
    got = parse_value(raw, comparison.kind)
    if got is None:
        return False
    method = swapped.get(comparison.method, comparison.method)
    if comparison.kind == "text":
        fold = str.casefold if caseless else str
        return _TEXT[method](fold(str(got)), fold(str(comparison.value)))
    return _ORDERED[method](got, comparison.value)


def flattened(condition: Junction) -> Junction:
    """Every comparison of the tree under its top junction (a fault: nesting ignored)."""

    def leaves(node: Condition) -> list[Condition]:
        return (
            [leaf for child in node.conditions for leaf in leaves(child)]
            if isinstance(node, Junction)
            else [node]
        )

    return Junction(condition.all, tuple(leaves(condition)))
