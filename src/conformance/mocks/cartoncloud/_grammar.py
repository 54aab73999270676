"""The vendor's search grammar (CONTRACT-DECISIONS, cartoncloud, revised): a request body
`{"condition": C}` parsed into a typed condition tree, or refused with the JSON Pointer of every
offending part. Evaluating a tree is `_evaluate`'s job; the handler only wires the two together.

The top level is an `AndCondition` / `OrCondition` with `conditions: [...]`, nested to any depth
(bounded by MAX_DEPTH so a hostile body cannot exhaust the stack); comparisons are typed
(`TextComparisonCondition`, ... `BooleanComparisonCondition`), their `field` a `JsonField` pointer
or the deprecated `ValueField` key, their `value` a `ValueField`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from conformance.core import jsonpointer

Kind = Literal["text", "numeric", "date", "date_time", "boolean"]
Value = str | float | int | bool | dt.date | dt.datetime

JUNCTIONS = {"AndCondition": True, "OrCondition": False}  # type -> all (True) or any (False)
ORDERED = ("EQUAL_TO", "NOT_EQUAL_TO", "GREATER_THAN", "GREATER_THAN_OR_EQUAL_TO", "LESS_THAN",
           "LESS_THAN_OR_EQUAL_TO")  # fmt: skip
TEXT = ("EQUAL_TO", "NOT_EQUAL_TO", "CONTAINS", "DOES_NOT_CONTAIN", "STARTS_WITH")
COMPARISONS: dict[str, tuple[Kind, tuple[str, ...]]] = {
    "TextComparisonCondition": ("text", TEXT),
    "NumericComparisonCondition": ("numeric", ORDERED),
    "DateComparisonCondition": ("date", ORDERED),
    "DateTimeComparisonCondition": ("date_time", ORDERED),
    "BooleanComparisonCondition": ("boolean", ()),  # no method: equality
}  # fmt: skip
MAX_DEPTH = 64
MISSING_CONDITIONS = "Missing field: conditions"  # the vendor's words (vendor code)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_CUSTOMER_KEYS = {
    "reference": "/references/customer",
    "customerName": "/customer/name",
    "customerId": "/customer/id",
}
_TIMESTAMPS = tuple(f"/timestamps/{t}/time" for t in ("created", "modified"))
# resource -> deprecated ValueField key -> the pointer it stands for (notes, "Search grammar")
SEARCH_KEYS: dict[str, dict[str, str]] = {
    "inbound-orders": {
        **_CUSTOMER_KEYS, "arrivalDate": "/details/arrivalDate", "createdDate": _TIMESTAMPS[0],
    },
    "outbound-orders": dict(_CUSTOMER_KEYS),
    "warehouse-products": {},
    "consignments": {
        **_CUSTOMER_KEYS,
        **{f"runSheet{p.title()}": f"/runSheet/{p}" for p in ("id", "date", "name", "status")},
        "driverId": "/driver/id",
        "driverName": "/driver/name",
        "deliveryRunId": "/deliveryRun/id",
        "deliveryRunName": "/deliveryRun/name",
    },
}  # fmt: skip
_EXTRA_POINTERS: dict[str, tuple[str, ...]] = {
    "inbound-orders": (),
    "outbound-orders": (*_TIMESTAMPS, "/timestamps/dispatched/time", "/timestamps/packed/time"),
    "warehouse-products": (
        "/id", "/code", "/name", "/customer/id", "/customer/name", "/details/active", *_TIMESTAMPS,
    ),
    "consignments": ("/generatedFromTask/id", "/details/type"),
}  # fmt: skip
# resource -> searchable JsonField pointer -> where its value sits in an entity (decision: the
# vendor's `/code` of a warehouse product is its `references.code`)
SEARCH_POINTERS: dict[str, dict[str, str]] = {
    resource: {
        p: ("/references/code" if (resource, p) == ("warehouse-products", "/code") else p)
        for p in (*keys.values(), *_EXTRA_POINTERS[resource], "/status")
    }
    for resource, keys in SEARCH_KEYS.items()
}


@dataclass(frozen=True)
class Comparison:
    kind: Kind
    pointer: str  # where the compared value sits in an entity
    method: str  # "EQUAL_TO" for a boolean comparison
    value: Value


@dataclass(frozen=True)
class Junction:
    all: bool  # AndCondition (every one) or OrCondition (any one)
    conditions: tuple[Condition, ...]


Condition = Comparison | Junction


class SearchRefused(ValueError):
    """The body is not a search the grammar allows; `messages` name each offending part."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _type(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    return kind if isinstance(kind, str) else None


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_search(
    body: Mapping[str, Any] | None, resource: str, *, bare_allowed: bool = False
) -> Junction | None:
    """The condition tree of a search body (None: everything); SearchRefused otherwise.
    `bare_allowed` wraps a bare top-level comparison in an AndCondition (a fault's behaviour)."""
    if not body or "condition" not in body:
        return None
    top = body["condition"]
    problems: list[str] = []
    if isinstance(top, dict) and _type(top) in COMPARISONS and "conditions" not in top and bare_allowed:
        top = {"type": "AndCondition", "conditions": [top]}
    if not isinstance(top, dict):
        raise SearchRefused([f"/condition: must be an AndCondition or OrCondition object, not {_shown(top)}"])
    kind = _type(top)
    if "conditions" not in top and (kind in JUNCTIONS or kind in COMPARISONS):
        raise SearchRefused([MISSING_CONDITIONS])  # a bare comparison at the top, as the vendor says
    if kind not in JUNCTIONS:
        raise SearchRefused(
            [f"/condition/type: must be AndCondition or OrCondition, not {_shown(top.get('type'))}"]
        )
    tree = _condition(top, "/condition", resource, problems, 1)
    if problems:
        raise SearchRefused(problems)
    assert isinstance(tree, Junction)
    return tree


def _condition(node: Any, at: str, resource: str, problems: list[str], depth: int) -> Condition | None:
    if not isinstance(node, dict):
        problems.append(f"{at}: must be a condition object, not {_shown(node)}")
        return None
    if depth > MAX_DEPTH:
        problems.append(f"{at}: conditions nest deeper than {MAX_DEPTH} levels")
        return None
    kind = _type(node)
    if kind in JUNCTIONS:
        children = node.get("conditions")
        if children is None:
            problems.append(f"{at}: {MISSING_CONDITIONS}")
            return None
        if not isinstance(children, list):
            problems.append(f"{at}/conditions: must be an array of conditions, not {_shown(children)}")
            return None
        parsed = [
            _condition(c, f"{at}/conditions/{i}", resource, problems, depth + 1)
            for i, c in enumerate(children)
        ]
        return Junction(JUNCTIONS[kind], tuple(c for c in parsed if c is not None))
    if kind not in COMPARISONS:
        known = ", ".join([*JUNCTIONS, *COMPARISONS])
        problems.append(f"{at}/type: {_shown(node.get('type'))} is not a condition type; one of {known}")
        return None
    return _comparison(node, at, resource, str(kind), problems)


def _comparison(
    node: dict[str, Any], at: str, resource: str, kind: str, problems: list[str]
) -> Comparison | None:
    value_kind, methods = COMPARISONS[kind]
    before = len(problems)
    pointer = _field(node.get("field"), f"{at}/field", resource, problems)
    method = node.get("method")
    if not methods and "method" in node:
        problems.append(f"{at}/method: {kind} has no method (it compares for equality)")
    elif methods and method not in methods:
        what = "is required" if method is None else f"{_shown(method)} is not a method of {kind}"
        problems.append(f"{at}/method: {what}; one of {', '.join(methods)}")
    value = _value(node.get("value"), f"{at}/value", value_kind, problems)
    if len(problems) > before or pointer is None:
        return None
    return Comparison(value_kind, pointer, str(method) if methods else "EQUAL_TO", value)  # type: ignore[arg-type]


def _field(field: Any, at: str, resource: str, problems: list[str]) -> str | None:
    pointers, keys = SEARCH_POINTERS[resource], SEARCH_KEYS[resource]
    label = resource.replace("-", " ")
    if not isinstance(field, dict):
        problems.append(f"{at}: must be a JsonField or ValueField object, not {_shown(field)}")
        return None
    if field.get("type") == "JsonField":
        pointer = field.get("pointer")
        if not isinstance(pointer, str) or not jsonpointer.valid(pointer) or pointer not in pointers:
            searchable = ", ".join(pointers)
            problems.append(
                f"{at}/pointer: {_shown(pointer)} is not a searchable field of {label}; one of {searchable}"
            )
            return None
        return pointers[pointer]
    if field.get("type") == "ValueField":
        key = field.get("value")
        if not isinstance(key, str) or key not in keys:
            searchable = ", ".join(keys) or "none (use a JsonField pointer)"
            problems.append(f"{at}/value: {_shown(key)} is not a search key of {label}; one of {searchable}")
            return None
        return keys[key]
    problems.append(f"{at}/type: must be JsonField or ValueField, not {_shown(field.get('type'))}")
    return None


def _value(wrapper: Any, at: str, kind: Kind, problems: list[str]) -> Value | None:
    if not isinstance(wrapper, dict) or wrapper.get("type") != "ValueField" or "value" not in wrapper:
        problems.append(f'{at}: must be {{"type": "ValueField", "value": ...}}, not {_shown(wrapper)}')
        return None
    raw = wrapper["value"]
    parsed = parse_value(raw, kind, query=True)
    if parsed is None:
        wanted = {
            "text": "a string",
            "numeric": "a number",
            "date": "a date YYYY-MM-DD",
            "date_time": "an ISO 8601 date-time",
            "boolean": "true or false",
        }[kind]
        problems.append(f"{at}/value: must be {wanted}, not {_shown(raw)}")
    return parsed


def parse_value(raw: Any, kind: Kind, *, query: bool = False) -> Value | None:
    """`raw` as a value of `kind` (None when it is not one): how both queries and entities are read.
    A query's date is exactly YYYY-MM-DD and its date-time has a time; an entity's date-time string
    also reads as a date (its date part, as written)."""
    if kind == "text":
        return raw if isinstance(raw, str) else None
    if kind == "numeric":
        return raw if isinstance(raw, int | float) and not isinstance(raw, bool) else None
    if kind == "boolean":
        return raw if isinstance(raw, bool) else None
    if not isinstance(raw, str):
        return None
    if kind == "date":
        text = raw[:10]
        if not _DATE.match(text) or (len(raw) > 10 and (query or raw[10] not in "T ")):
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if "T" not in raw and " " not in raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # no offset: UTC (decision)
