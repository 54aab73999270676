"""The search checks on hand-made exchanges: the check's own predicate (independent of any mock)
for each comparison kind and method, nested, across pages; and each check failing as it should."""

from __future__ import annotations

import json

import httpx
import pytest

from conformance.checks.search import (
    predicate,
    search_bare_comparison_rejected,
    search_invalid_condition_rejected,
    search_minimal_representation,
    search_results_match,
)
from conformance.client import Recorder, Redactor
from conformance.contracts import load_contract
from conformance.core import CheckFailure, NotApplicable

SEARCH = load_contract("cartoncloud").profile.search
GRAMMAR = SEARCH.grammar
FIELDS = next(op for op in SEARCH.operations if op.operation == "searchWarehouseProducts").fields
RULES = SEARCH.rules
ITEMS = [
    {"id": "a", "name": "Ice Cream", "references": {"code": "IC-1"}, "details": {"active": True},
     "timestamps": {"created": {"time": "2026-01-01T10:00:00.000+00:00"}}},
    {"id": "b", "name": "ice cubes", "references": {"code": "IC-2"}, "details": {"active": False},
     "timestamps": {"created": {"time": "2026-01-02T09:00:00.000+10:00"}}},
    {"id": "c", "name": "Peas", "references": {"code": "PE-1"},
     "timestamps": {"created": {"time": "2026-01-03T00:00:00Z"}}},
    {"id": "d", "references": {"code": "XX-9"}, "details": {"active": "yes"}},
]  # fmt: skip


TYPES = {
    "text": "TextComparisonCondition",
    "numeric": "NumericComparisonCondition",
    "date": "DateComparisonCondition",
    "date_time": "DateTimeComparisonCondition",
    "boolean": "BooleanComparisonCondition",
}
CREATED = "/timestamps/created/time"


def cmp(kind, pointer, method, value, key=False):
    field = {"type": "ValueField", "value": pointer} if key else {"type": "JsonField", "pointer": pointer}
    node = {"type": TYPES[kind], "field": field, "value": {"type": "ValueField", "value": value}}
    return node | ({"method": method} if method else {})


def every(*c):
    return {"type": "AndCondition", "conditions": list(c)}


def some(*c):
    return {"type": "OrCondition", "conditions": list(c)}


NESTED = every(
    some(cmp("text", "/name", "EQUAL_TO", "Peas"), cmp("text", "/code", "EQUAL_TO", "IC-1")),
    some(cmp("boolean", "/details/active", None, True), every(cmp("text", "/code", "CONTAINS", "PE"))),
)


def matching(condition, fold=False):
    test = predicate(GRAMMAR, FIELDS, condition, fold_case=fold)
    return sorted(i["id"] for i in ITEMS if test(i))


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cmp("text", "/name", "EQUAL_TO", "Peas"), ["c"]),
        (cmp("text", "/name", "NOT_EQUAL_TO", "Peas"), ["a", "b"]),  # d has no name: never matches
        (cmp("text", "/name", "CONTAINS", "ce"), ["a", "b"]),
        (cmp("text", "/name", "DOES_NOT_CONTAIN", "ce"), ["c"]),
        (cmp("text", "/name", "STARTS_WITH", "Ice"), ["a"]),
        (cmp("text", "/code", "STARTS_WITH", "IC-"), ["a", "b"]),  # /code is where value_at says
        (cmp("boolean", "/details/active", None, False), ["b"]),  # "yes" is not a boolean
        (cmp("date_time", CREATED, "GREATER_THAN", "2026-01-01T23:00:00+00:00"), ["c"]),
        (cmp("date_time", CREATED, "LESS_THAN_OR_EQUAL_TO", "2026-01-01T23:00:00Z"), ["a", "b"]),
        (cmp("date", CREATED, "GREATER_THAN_OR_EQUAL_TO", "2026-01-02"), ["b", "c"]),
        (cmp("date", CREATED, "NOT_EQUAL_TO", "2026-01-02"), ["a", "c"]),
        (cmp("numeric", "/name", "GREATER_THAN", 1), []),
        (NESTED, ["a", "c"]),
        (every(), ["a", "b", "c", "d"]),
        (some(), []),
    ],
)  # fmt: skip
def test_the_checks_predicate(condition, expected):
    assert matching(condition) == expected


def test_text_may_be_folded_where_case_is_not_documented():
    assert matching(cmp("text", "/name", "STARTS_WITH", "ice")) == ["b"]
    assert matching(cmp("text", "/name", "STARTS_WITH", "ice"), fold=True) == ["a", "b"]


def _page(items, condition=None, status=200, headers=None, url="http://m/search"):
    body = {} if condition is None else {"condition": condition}
    request = httpx.Request("POST", url, json=body)
    response = httpx.Response(status, json=items, headers=headers or {})
    return Recorder(Redactor()).record(request, response, 0.0)


LISTING = [_page(ITEMS[:2]), _page(ITEMS[2:])]


def _results(condition, *pages):
    return [_page(p, condition) for p in pages]


def _judge(condition, *pages):
    search_results_match(
        RULES.results_match,
        grammar=GRAMMAR,
        fields=FIELDS,
        listing=LISTING,
        results=_results(condition, *pages),
    )


def test_results_that_match_across_pages_pass():
    condition = every(cmp("text", "/name", "CONTAINS", "e"))
    _judge(condition, [ITEMS[0]], [ITEMS[1]], [ITEMS[2]])


@pytest.mark.parametrize(
    ("pages", "words"),
    [
        ([[ITEMS[0]], [ITEMS[2]]], "1 matching ones missing (e.g. id b)"),
        ([[ITEMS[0], ITEMS[1]], [ITEMS[2], ITEMS[3]]], "1 that do not match (e.g. id d)"),
        ([[ITEMS[0], ITEMS[1]], [ITEMS[1], ITEMS[2]]], "b on two pages"),
    ],
    ids=["page-missing", "condition-ignored", "repeated"],
)
def test_results_that_differ_fail(pages, words):
    with pytest.raises(CheckFailure, match="Search results differ") as failure:
        _judge(every(cmp("text", "/name", "CONTAINS", "e")), *pages)
    assert words in failure.value.actual


def test_a_refused_search_fails_and_an_unreadable_listing_is_not_applicable():
    condition = every(cmp("text", "/name", "CONTAINS", "e"))
    judged = {"grammar": GRAMMAR, "fields": FIELDS}
    refused, broken = [_page([{"message": "no"}], condition, status=400)], [_page([], status=500)]
    with pytest.raises(CheckFailure, match="HTTP 200"):
        search_results_match(RULES.results_match, listing=LISTING, results=refused, **judged)
    with pytest.raises(NotApplicable, match="full listing"):
        search_results_match(RULES.results_match, listing=broken, results=_results(condition, []), **judged)
    with pytest.raises(NotApplicable, match="grammar"):
        _judge(every(cmp("text", "/no/such/field", "EQUAL_TO", "x")), [])


def test_minimal_representation():
    preference = SEARCH.minimal
    full = _page(ITEMS[:2])
    minimal = _page([{"id": "a"}, {"id": "b"}], headers={"Preference-Applied": "return=minimal"})
    search_minimal_representation(
        RULES.minimal_representation, preference=preference, minimal=minimal, full=full
    )
    for bad, words in (
        (_page([{"id": "a"}, {"id": "b"}]), "no such header"),
        (_page(ITEMS[:2], headers={"Preference-Applied": "return=minimal"}), "as large as the full ones"),
        (_page([{"id": "b"}], headers={"Preference-Applied": "return=minimal"}), "the same 2 entities"),
    ):
        with pytest.raises(CheckFailure, match="Minimal representation") as failure:
            search_minimal_representation(
                RULES.minimal_representation, preference=preference, minimal=bad, full=full
            )
        assert words in failure.value.expected + failure.value.actual


def _error(status, messages):
    return _page([{"message": m} for m in messages], status=status)


def test_bare_comparison_and_invalid_condition_refusals():
    bare, invalid = RULES.bare_comparison_rejected, RULES.invalid_condition_rejected
    search_bare_comparison_rejected(
        bare, response=_error(400, ["Missing field: conditions"]), message="Missing field: conditions"
    )
    with pytest.raises(CheckFailure, match="Bare top-level"):
        search_bare_comparison_rejected(
            bare, response=_error(400, ["nope"]), message="Missing field: conditions"
        )
    with pytest.raises(CheckFailure, match="Bare top-level"):
        search_bare_comparison_rejected(bare, response=_page([]), message=None)
    at = "/condition/conditions/0"
    search_invalid_condition_rejected(
        invalid, response=_error(400, [f"{at}/field/pointer: unknown"]), pointer=at
    )
    for response in (_error(400, ["unknown field"]), _page([]), _error(422, [f"{at}: x"])):
        with pytest.raises(CheckFailure, match="Invalid search condition"):
            search_invalid_condition_rejected(invalid, response=response, pointer=at)
    assert json.loads(_error(400, ["x"]).response_body) == [{"message": "x"}]
