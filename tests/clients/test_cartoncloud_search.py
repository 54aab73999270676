"""CartonCloud searches as integrations send them (vendor docs, notes "Search grammar", and the
zapier-cartoncloud integration's request shapes), against the served mock over HTTP."""

from __future__ import annotations

import pytest

CUSTOMERS = [
    {
        "id": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        "name": "Steam Chef Store",
        "references": {"code": "SCS01"},
    },
    {"id": "8f1a7728-c084-11e8-85b4-02a6cf3a00de", "name": "Harbour Foods", "references": {"code": "HF02"}},
]
STEAM, HARBOUR = CUSTOMERS[0]["id"], CUSTOMERS[1]["id"]


def text(pointer, method, value):
    return {
        "type": "TextComparisonCondition",
        "field": {"type": "JsonField", "pointer": pointer},
        "value": {"type": "ValueField", "value": value},
        "method": method,
    }


def by_key(kind, key, method, value):
    condition = {
        "type": kind,
        "field": {"type": "ValueField", "value": key},
        "value": {"type": "ValueField", "value": value},
    }
    return condition | ({"method": method} if method else {})


def typed(kind, pointer, method, value):
    condition = {
        "type": kind,
        "field": {"type": "JsonField", "pointer": pointer},
        "value": {"type": "ValueField", "value": value},
    }
    return condition | ({"method": method} if method else {})


def all_of(*conditions):
    return {"type": "AndCondition", "conditions": list(conditions)}


def any_of(*conditions):
    return {"type": "OrCondition", "conditions": list(conditions)}


def refs(orders):
    return sorted(o["references"]["customer"] for o in orders)


@pytest.fixture
def orders(cc):
    """Inbound orders with known arrival dates and customers; outbound orders ten minutes apart, two
    of them moved on to PACKED and DISPATCHED."""
    cc.seed("customers", items=CUSTOMERS)
    for n, (day, customer) in enumerate(
        [("2026-01-05", STEAM), ("2026-01-10", HARBOUR), ("2026-01-15", STEAM), ("2026-01-20", HARBOUR)]
    ):
        body = {
            "references": {"customer": f"PO-{n}"},
            "customer": {"id": customer},
            "details": {"arrivalDate": day},
        }
        assert cc.http.post(f"{cc.tenant}/inbound-orders", json=body).status_code == 201
    created = []
    for n in range(5):
        body = {
            "references": {"customer": f"SO-{n}"},
            "customer": {"references": {"code": "SCS01" if n % 2 else "HF02"}},
            "details": {"deliver": {"address": {"companyName": "Company A", "city": "Metropolis"}}},
        }
        answer = cc.http.post(f"{cc.tenant}/outbound-orders", json=body)
        assert answer.status_code == 201, answer.text
        created.append(answer.json())
        cc.advance(600)
    for order, status in ((created[1], "PACKED"), (created[3], "DISPATCHED")):
        moved = cc.control.post(
            "/status", json={"resource": "outbound-orders", "id": order["id"], "status": status}
        )
        assert moved.status_code == 200
    return created


def test_arrival_date_range_with_typed_date_comparisons(cc, orders):
    window = all_of(
        typed("DateComparisonCondition", "/details/arrivalDate", "GREATER_THAN_OR_EQUAL_TO", "2026-01-08"),
        typed("DateComparisonCondition", "/details/arrivalDate", "LESS_THAN_OR_EQUAL_TO", "2026-01-15"),
    )
    assert refs(cc.search_all("inbound-orders", window)) == ["PO-1", "PO-2"]
    strictly = all_of(by_key("DateComparisonCondition", "arrivalDate", "GREATER_THAN", "2026-01-15"))
    assert refs(cc.search_all("inbound-orders", strictly)) == ["PO-3"]


def test_created_time_range_with_date_time_comparisons(cc, orders):
    second, fourth = (orders[i]["timestamps"]["created"]["time"] for i in (1, 3))
    window = all_of(
        typed("DateTimeComparisonCondition", "/timestamps/created/time", "GREATER_THAN", second),
        typed("DateTimeComparisonCondition", "/timestamps/created/time", "LESS_THAN_OR_EQUAL_TO", fourth),
    )
    assert refs(cc.search_all("outbound-orders", window)) == ["SO-2", "SO-3"]


def test_the_zapier_date_range_as_an_or_of_starts_with_days(cc, orders):
    """zapier-cartoncloud expands a date range into one STARTS_WITH per day under an OrCondition."""
    day = orders[0]["timestamps"]["created"]["time"][:10]
    condition = all_of(
        text("/references/customer", "CONTAINS", "SO-"),
        any_of(
            text("/timestamps/created/time", "STARTS_WITH", day),
            text("/timestamps/created/time", "STARTS_WITH", "1999-01-01"),
        ),
    )
    found = cc.search_all("outbound-orders", condition)
    assert refs(found) == [
        o["references"]["customer"] for o in orders if o["timestamps"]["created"]["time"].startswith(day)
    ]


def test_a_nested_status_list(cc, orders):
    condition = all_of(
        any_of(*(text("/status", "EQUAL_TO", s) for s in ("PACKED", "DISPATCHED", "AWAITING_STOCK"))),
        text("/customer/name", "STARTS_WITH", "Steam"),
    )
    found = cc.search_all("outbound-orders", condition)
    assert [(o["references"]["customer"], o["status"]) for o in found] == [
        ("SO-1", "PACKED"),
        ("SO-3", "DISPATCHED"),
    ]


def test_customer_id_lookups_by_pointer_and_by_the_deprecated_key(cc, orders):
    by_pointer = cc.search_all("inbound-orders", all_of(text("/customer/id", "EQUAL_TO", HARBOUR)))
    deprecated = cc.search_all(
        "inbound-orders", all_of(by_key("TextComparisonCondition", "customerId", "EQUAL_TO", HARBOUR))
    )
    assert refs(by_pointer) == refs(deprecated) == ["PO-1", "PO-3"]
    assert {o["customer"]["name"] for o in by_pointer} == {"Harbour Foods"}


def test_negated_methods_never_match_an_entity_without_the_field(cc, orders):
    """Only two orders have reached DISPATCHED/PACKED; the rest lack those timestamps."""
    dispatched = cc.search_all(
        "outbound-orders", all_of(text("/timestamps/dispatched/time", "NOT_EQUAL_TO", "never"))
    )
    assert refs(dispatched) == ["SO-3"]
    not_steam = cc.search_all("outbound-orders", all_of(text("/customer/name", "DOES_NOT_CONTAIN", "Steam")))
    assert refs(not_steam) == ["SO-0", "SO-2", "SO-4"]


def test_packed_and_dispatched_times_are_set_on_reaching_them(cc, orders):
    packed = cc.http.get(f"{cc.tenant}/outbound-orders/{orders[1]['id']}").json()
    assert set(packed["timestamps"]) == {"created", "modified", "packed"}
    dispatched = cc.http.get(f"{cc.tenant}/outbound-orders/{orders[3]['id']}").json()
    assert "dispatched" in dispatched["timestamps"] and dispatched["timestamps"]["modified"]["time"].endswith(
        "+00:00"
    )


def test_boolean_comparison_on_warehouse_products(cc):
    cc.seed("customers", items=CUSTOMERS)
    for n, active in enumerate([True, False, True]):
        body = {
            "references": {"code": f"BOOL-{n}"},
            "name": f"Bool {n}",
            "customer": {"id": STEAM},
            "details": {"active": active},
        }
        assert cc.http.post(f"{cc.tenant}/warehouse-products", json=body).status_code == 201
    inactive = all_of(
        typed("BooleanComparisonCondition", "/details/active", None, False),
        text("/code", "STARTS_WITH", "BOOL-"),
    )
    assert [p["references"]["code"] for p in cc.search_all("warehouse-products", inactive)] == ["BOOL-1"]


def test_no_condition_and_empty_junctions(cc, orders):
    everything = refs(cc.search_all("inbound-orders", None))
    assert everything == ["PO-0", "PO-1", "PO-2", "PO-3"]
    empty = cc.http.post(f"{cc.tenant}/inbound-orders/search", content=b"")
    assert empty.status_code == 200 and refs(empty.json()) == everything
    assert refs(cc.search_all("inbound-orders", all_of())) == everything
    assert cc.search_all("inbound-orders", any_of()) == []


def test_prefer_return_minimal_answers_ids_and_says_so(cc, orders):
    answer = cc.http.post(
        f"{cc.tenant}/outbound-orders/search",
        json={"condition": all_of(text("/references/customer", "STARTS_WITH", "SO-"))},
        headers={"Prefer": "return=minimal"},
    )
    assert answer.status_code == 200 and answer.headers["Preference-Applied"] == "return=minimal"
    assert answer.json() == [{"id": o["id"]} for o in orders]


def test_deep_nesting_is_searched(cc, orders):
    condition = text("/references/customer", "EQUAL_TO", "PO-2")
    for level in range(40):
        condition = all_of(condition) if level % 2 else any_of(condition)
    assert refs(cc.search_all("inbound-orders", all_of(condition))) == ["PO-2"]


MISSING = [{"message": "Missing field: conditions"}]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        pytest.param(text("/customer/name", "EQUAL_TO", "x"), MISSING, id="bare-comparison"),
        pytest.param({"type": "AndCondition"}, MISSING, id="and-without-conditions"),
        pytest.param(
            all_of({"type": "OrCondition"}),
            [{"message": "/condition/conditions/0: Missing field: conditions"}],
            id="nested-or-without-conditions",
        ),
    ],
)
def test_a_top_level_that_is_not_a_junction_with_conditions_is_refused(cc, condition, expected):
    answer = cc.search("outbound-orders", {"condition": condition})
    assert (answer.status_code, answer.json()) == (400, expected)


AT = "/condition/conditions/1"
DATE, DATE_TIME, NUMBER, BOOLEAN = (
    f"{kind}ComparisonCondition" for kind in ("Date", "DateTime", "Numeric", "Boolean")
)


@pytest.mark.parametrize(
    ("leaf", "pointer", "words"),
    [
        (text("/no/such", "EQUAL_TO", "x"), f"{AT}/field/pointer", "not a searchable field"),
        (by_key("TextComparisonCondition", "driverName", "EQUAL_TO", "x"), f"{AT}/field/value", "search key"),
        (text("/status", "GREATER_THAN", "x"), f"{AT}/method", "not a method of TextComparisonCondition"),
        (typed(BOOLEAN, "/status", "EQUAL_TO", True), f"{AT}/method", "has no method"),
        (typed(DATE, "/details/arrivalDate", "EQUAL_TO", "31/01/2026"), f"{AT}/value/value", "YYYY-MM-DD"),
        (
            typed(DATE_TIME, "/timestamps/created/time", "LESS_THAN", "2026-01-01"),
            f"{AT}/value/value",
            "date-time",
        ),
        (typed(NUMBER, "/status", "EQUAL_TO", "5"), f"{AT}/value/value", "a number"),
        ({"type": "NoSuchCondition"}, f"{AT}/type", "not a condition type"),
        ("AndCondition", AT, "must be a condition object"),
        ({**text("/status", "EQUAL_TO", "x"), "value": "DRAFT"}, f"{AT}/value", "ValueField"),
    ],
    ids=[
        "unknown-pointer",
        "unknown-key",
        "text-has-no-greater-than",
        "boolean-has-no-method",
        "date-format",
        "date-time-without-time",
        "numeric-string",
        "unknown-type",
        "not-an-object",
        "bare-value",
    ],
)
def test_an_invalid_part_is_refused_with_its_json_pointer(cc, leaf, pointer, words):
    answer = cc.search("inbound-orders", {"condition": all_of(text("/status", "EQUAL_TO", "DRAFT"), leaf)})
    assert answer.status_code == 400
    (error,) = answer.json()
    assert error["message"].startswith(pointer + ": ") and words in error["message"]
    assert "{'" not in error["message"], "a Python repr leaked into the message"


def test_every_problem_is_named_and_nesting_too_deep_is_a_400(cc):
    two = all_of(text("/nope", "EQUAL_TO", "x"), text("/status", "SOMETIMES", "x"))
    assert [e["message"].split(":")[0] for e in cc.search("consignments", {"condition": two}).json()] == [
        "/condition/conditions/0/field/pointer",
        "/condition/conditions/1/method",
    ]
    condition = text("/status", "EQUAL_TO", "DRAFT")
    for _ in range(80):
        condition = all_of(condition)
    deep = cc.search("consignments", {"condition": condition})
    assert deep.status_code == 400 and "deeper than 64" in deep.json()[0]["message"]
