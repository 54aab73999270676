"""Search checks: a filtered search returns exactly the entities that match its condition, across
pages; a minimal representation when asked for; bare and invalid conditions refused.

The expected result is computed here, by a predicate read from the recorded condition through the
profile's grammar (`search.grammar`) and applied to the full listing. That evaluator is this
module's own: checks never import mocks, and a check that shared the mock's evaluator would agree
with any bug in it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from conformance.checks._helpers import items_of, status_was, statuses
from conformance.checks._registry import check
from conformance.contracts.models import Grammar, Preference, Rule, SearchField, StatusRule
from conformance.core import CheckFailure, Exchange, NotApplicable, jsonpointer


class SearchResultsWrong(CheckFailure):
    title = "Search results differ from the entities that match the condition"


class MinimalRepresentationIgnored(CheckFailure):
    title = "Minimal representation not returned as asked"


class BareComparisonAccepted(CheckFailure):
    title = "Bare top-level comparison not refused as documented"


class InvalidConditionAccepted(CheckFailure):
    title = "Invalid search condition not refused as documented"


class UnreadableCondition(ValueError):
    """The recorded condition is not one the profile's grammar describes."""


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def _as_date(raw: Any) -> dt.date | None:
    found = _DAY.match(raw) if isinstance(raw, str) else None
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _as_moment(raw: Any) -> dt.datetime | None:
    if not isinstance(raw, str) or not ("T" in raw or " " in raw):
        return None
    try:
        moment = dt.datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith("Z") else raw)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _as_number(raw: Any) -> float | None:
    return float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None


READERS: dict[str, Callable[[Any], Any]] = {
    "text": lambda raw: raw if isinstance(raw, str) else None,
    "numeric": _as_number,
    "date": _as_date,
    "date_time": _as_moment,
    "boolean": lambda raw: raw if isinstance(raw, bool) else None,
}
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "contains": lambda a, b: b in a,
    "not_contains": lambda a, b: b not in a,
    "starts_with": lambda a, b: a.startswith(b),
}


def predicate(
    grammar: Grammar, fields: Sequence[SearchField], condition: Any, *, fold_case: bool = False
) -> Callable[[Any], bool]:
    """Whether an item matches `condition`, as the grammar defines it: a junction needs every / any
    child; a comparison reads the item's value at the field's location (absent or of another type:
    no match) and applies the method's operator. `fold_case` compares text case-insensitively."""
    locations = {("pointer", f.pointer): f.location for f in fields}
    locations |= {("key", f.key): f.location for f in fields if f.key is not None}
    comparisons = {c.type: c for c in grammar.comparisons}

    def build(node: Any) -> Callable[[Any], bool]:
        kind = node.get(grammar.type_member) if isinstance(node, dict) else None
        if kind in (grammar.all_of, grammar.any_of):
            children = [build(child) for child in node.get(grammar.children) or []]
            join = all if kind == grammar.all_of else any
            return lambda item: join(child(item) for child in children)
        if kind not in comparisons:
            raise UnreadableCondition(f"{kind!r} is not a type of the grammar")
        comparison = comparisons[kind]
        location = _location(grammar, locations, node.get(grammar.field_member))
        method = node.get(grammar.method_member)
        operator = comparison.methods.get(method) if comparison.methods else "eq"
        if operator is None:
            raise UnreadableCondition(f"{method!r} is not a method of {kind}")
        wrapper = node.get(grammar.value_member)
        read = READERS[comparison.kind]
        wanted = read(wrapper.get(grammar.value.member) if isinstance(wrapper, dict) else None)
        if wanted is None:
            raise UnreadableCondition(f"the value of a {kind} is not a {comparison.kind} value")
        fold = fold_case and comparison.kind == "text"

        def test(item: Any) -> bool:
            got = read(jsonpointer.get(item, location, None))
            if got is None:
                return False
            return (
                OPERATORS[operator](got.casefold(), wanted.casefold())
                if fold
                else OPERATORS[operator](got, wanted)
            )

        return test

    return build(condition)


def _location(grammar: Grammar, locations: Mapping[tuple[str, Any], str], field: Any) -> str:
    if isinstance(field, dict) and field.get(grammar.type_member) == grammar.pointer_field.type:
        found = locations.get(("pointer", field.get(grammar.pointer_field.member)))
    elif (
        grammar.key_field
        and isinstance(field, dict)
        and field.get(grammar.type_member) == grammar.key_field.type
    ):
        found = locations.get(("key", field.get(grammar.key_field.member)))
    else:
        found = None
    if found is None:
        raise UnreadableCondition(f"the field {field!r} is not a searchable field of the profile")
    return found


def describe(grammar: Grammar, node: Any, limit: int = 240) -> str:
    """A condition in one line: `AndCondition(/customer/name CONTAINS "ust")`."""

    def text(n: Any) -> str:
        if not isinstance(n, dict):
            return json.dumps(n)
        kind = n.get(grammar.type_member)
        if kind in (grammar.all_of, grammar.any_of):
            return f"{kind}({', '.join(text(c) for c in n.get(grammar.children) or [])})"
        field = n.get(grammar.field_member) or {}
        name = field.get(grammar.pointer_field.member) or field.get(
            grammar.key_field.member if grammar.key_field else ""
        )
        value = (n.get(grammar.value_member) or {}).get(grammar.value.member)
        method = n.get(grammar.method_member) or "="
        return f"{name} {method} {json.dumps(value)}"

    shown = text(node)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _ids(pages: Sequence[Exchange], items: str, id_field: str) -> Iterator[str]:
    for page in pages:
        for item in items_of(page, items):
            yield str(item.get(id_field)) if isinstance(item, dict) else repr(item)


@check("search", judges="search.rules.results_match")
def search_results_match(
    rule: Rule,
    grammar: Grammar,
    fields: Sequence[SearchField],
    listing: Sequence[Exchange],
    results: Sequence[Exchange],
    items: str = "",
    id_field: str = "id",
) -> None:
    """A search returns, across its pages, exactly the listed entities its condition matches."""
    if not listing or any(p.status != 200 for p in listing):
        raise NotApplicable("the full listing could not be read, so what should match is unknown")
    condition = jsonpointer.get(results[0].request_json() if results else None, grammar.condition_pointer)
    if condition is None:
        raise NotApplicable("the recorded search carries no condition")
    refused = [p for p in results if p.status != 200]
    if refused:
        raise SearchResultsWrong(
            f"HTTP 200 for {describe(grammar, condition)}", status_was(refused[0]), refused[:1]
        )
    walked = list(_ids(results, items, id_field))
    repeated = sorted({i for i in walked if walked.count(i) > 1})
    if repeated:
        raise SearchResultsWrong(
            "each matching entity on exactly one page", f"{repeated[0]} on two pages", list(results)
        )
    everything = [i for p in listing for i in items_of(p, items) if isinstance(i, dict)]
    got = set(walked)
    try:
        strict = {str(i.get(id_field)) for i in everything if predicate(grammar, fields, condition)(i)}
        folded = {
            str(i.get(id_field))
            for i in everything
            if predicate(grammar, fields, condition, fold_case=True)(i)
        }
    except UnreadableCondition as exc:
        raise NotApplicable(f"the recorded condition is not the profile's grammar: {exc}") from None
    if got in (strict, folded):  # case sensitivity of text comparisons is not documented
        return
    missing, extra = sorted(strict - got), sorted(got - strict)
    actual = f"{len(got)} entities"
    if missing:
        actual += f"; {len(missing)} matching ones missing (e.g. {id_field} {missing[0]})"
    if extra:
        actual += f"; {len(extra)} that do not match (e.g. {id_field} {extra[0]})"
    raise SearchResultsWrong(
        f"the {len(strict)} of {len(everything)} listed entities matching {describe(grammar, condition)}",
        actual,
        [*results, *listing[:1]],
    )


@check("search", judges="search.rules.minimal_representation")
def search_minimal_representation(
    rule: Rule,
    preference: Preference,
    minimal: Exchange,
    full: Exchange,
    items: str = "",
    id_field: str = "id",
) -> None:
    """Asked for a minimal representation, a search answers the same entities by id alone and says it did."""
    asked = f"{preference.header}: {preference.value}"
    if minimal.status != 200 or full.status != 200:
        raise MinimalRepresentationIgnored(
            f"HTTP 200 with and without {asked}", status_was(minimal), [minimal, full]
        )
    applied = minimal.header(preference.applied_header) or ""
    if preference.value.lower() not in applied.replace(" ", "").lower():
        raise MinimalRepresentationIgnored(
            f"{preference.applied_header}: {preference.value}", f"{applied or 'no such header'}", [minimal]
        )
    small, large = items_of(minimal, items), items_of(full, items)
    bad = [i for i in small if not isinstance(i, dict) or id_field not in i]
    if bad or list(_ids([minimal], items, id_field)) != list(_ids([full], items, id_field)):
        raise MinimalRepresentationIgnored(
            f"the same {len(large)} entities by {id_field}", f"{json.dumps(small)[:160]}", [minimal, full]
        )
    fuller = [s for s, f in zip(small, large, strict=False) if isinstance(f, dict) and len(s) >= len(f) > 1]
    if fuller:
        raise MinimalRepresentationIgnored(
            f"items smaller than the full representation ([{{{id_field!r}}}])",
            f"{len(fuller)} items as large as the full ones, e.g. {sorted(fuller[0])[:6]}",
            [minimal, full],
        )


def _texts(body: Any) -> Iterator[str]:
    if isinstance(body, str):
        yield body
    elif isinstance(body, dict):
        for value in body.values():
            yield from _texts(value)
    elif isinstance(body, list):
        for value in body:
            yield from _texts(value)


@check("search", judges="search.rules.bare_comparison_rejected")
def search_bare_comparison_rejected(rule: StatusRule, response: Exchange, message: str | None = None) -> None:
    """A comparison at the top of a search, not inside an all-of / any-of junction, is refused."""
    said = list(_texts(response.json()))
    if response.status not in rule.status or (message and not any(message in t for t in said)):
        raise BareComparisonAccepted(
            f"HTTP {statuses(rule.status)}" + (f" saying {message!r}" if message else ""),
            status_was(response),
            [response],
        )


@check("search", judges="search.rules.invalid_condition_rejected")
def search_invalid_condition_rejected(rule: StatusRule, response: Exchange, pointer: str) -> None:
    """An invalid condition (unknown field, a method its type lacks, a malformed value) is refused,
    naming the offending part by its JSON Pointer in the request body."""
    said = list(_texts(response.json()))
    if response.status not in rule.status or not any(pointer in t for t in said):
        raise InvalidConditionAccepted(
            f"HTTP {statuses(rule.status)} naming {pointer}", status_was(response), [response]
        )
