"""Search: filtered results equal the listed entities the condition matches, for every method of
every comparison kind a field takes (one case per searchable field,
`cartoncloud:search:searchOutboundOrders:customer.name`), nested conditions, across pages; the
minimal representation; bare and invalid conditions refused. The values compared come from what
the target lists (seeded through the control plane where there is one), so a sandbox's own data
is searched as it is."""

from __future__ import annotations

import pytest

from conformance import checks, documented, not_applicable
from conformance.drive import (
    comparison,
    junction,
    list_resource,
    listed,
    page_request,
    probe_value,
    search_pages,
    values_of,
)

pytestmark = pytest.mark.capability("search")
SEEDED = 24
SEARCH_SIZE = 5  # small pages: most results span several


def _listing(contract, target, client, search_operation):
    """Seed the operation's resource (a mock), then walk the full listing at the largest page size."""
    search, pagination = contract.profile.search, contract.profile.pagination
    if target.control is not None:
        resource = search_operation.resource or list_resource(contract, search_operation.operation)
        target.control.seed(resource, SEEDED)
    pages = search_pages(client, search_operation, search.grammar, pagination, pagination.max_size, None)
    return pages, listed(pages, search_operation)


def _verify_search(contract, client, verify, search_operation, listing, condition):
    search = contract.profile.search
    results = search_pages(
        client, search_operation, search.grammar, contract.profile.pagination, SEARCH_SIZE, condition
    )
    verify(
        checks.search.search_results_match,
        search.rules.results_match,
        grammar=search.grammar,
        fields=search_operation.fields,
        listing=listing,
        results=results,
        items=search_operation.items,
        id_field=search_operation.id_field,
    )


def test_results_match(contract, target, client, verify, search_field):
    grammar = contract.profile.search.grammar
    operation, field = search_field.search, search_field.field
    listing, items = _listing(contract, target, client, operation)
    judged = 0
    for kind in field.kinds:
        values = values_of(items, field, kind)
        spec = grammar.comparison(kind)
        if not values or spec is None:
            continue
        for method, operator in (spec.methods or {None: "eq"}).items():
            value = probe_value(values, kind, operator)
            condition = junction(grammar, True, comparison(grammar, field, kind, method, value))
            _verify_search(contract, client, verify, operation, listing, condition)
            judged += 1
        if field.key is not None:
            method = next(iter(spec.methods), None)
            by_key = comparison(grammar, field, kind, method, values[0], by_key=True)
            _verify_search(contract, client, verify, operation, listing, junction(grammar, True, by_key))
    if not judged:
        not_applicable(f"no listed entity carries {field.location} as a {' or '.join(field.kinds)} value")


def _two_values(items, operation):
    """A text field with two distinct values, and a field with a third value to nest with."""
    for field in operation.fields:
        if "text" in field.kinds:
            values = values_of(items, field, "text")
            if len(values) >= 2:
                return field, values[0], values[-1]
    return None


def test_nested_results_match(contract, target, client, verify, search_operation):
    grammar = contract.profile.search.grammar
    listing, items = _listing(contract, target, client, search_operation)
    found = _two_values(items, search_operation)
    if found is None:
        not_applicable("no text field with two distinct values among the listed entities")
    field, first, second = found
    equal = next((m for m, op in grammar.comparison("text").methods.items() if op == "eq"), None)
    texts = [f for f in search_operation.fields if f is not field and values_of(items, f, "text")]
    other = texts[0] if texts else field
    third = values_of(items, other, "text")[0]

    def a(value, on=field):
        return comparison(grammar, on, "text", equal, value)

    # (A or B) and (A or (C)): nested, it is A or (B and C); flattened, A and B and C (nothing)
    condition = junction(
        grammar,
        True,
        junction(grammar, False, a(first), a(second)),
        junction(grammar, False, a(first), junction(grammar, True, a(third, other))),
    )
    _verify_search(contract, client, verify, search_operation, listing, condition)
    # a list of values nested under the top junction: any of three
    any_of = junction(grammar, False, *(a(v) for v in values_of(items, field, "text")[:3]))
    _verify_search(contract, client, verify, search_operation, listing, junction(grammar, True, any_of))


def test_minimal_representation(contract, target, client, verify, search_operation):
    search, pagination = contract.profile.search, contract.profile.pagination
    rule = documented(search.rules.minimal_representation, "search.rules.minimal_representation")
    preference = documented(search.minimal, "search.minimal")
    _listing(contract, target, client, search_operation)
    op = search_operation.operation
    full = page_request(client, op, pagination, page=pagination.first_page, size=SEARCH_SIZE)
    minimal = page_request(
        client,
        op,
        pagination,
        page=pagination.first_page,
        size=SEARCH_SIZE,
        headers={preference.header: preference.value},
    )
    verify(
        checks.search.search_minimal_representation,
        rule,
        preference=preference,
        minimal=minimal,
        full=full,
        items=search_operation.items,
        id_field=search_operation.id_field,
    )


def _a_comparison(contract, search_operation):
    grammar = contract.profile.search.grammar
    field = next((f for f in search_operation.fields if "text" in f.kinds), None)
    if field is None or grammar.comparison("text") is None:
        not_applicable("the operation has no text field to compare")
    method = next(iter(grammar.comparison("text").methods), None)
    return grammar, field, comparison(grammar, field, "text", method, "x")


def test_bare_comparison_rejected(contract, client, verify, search_operation):
    search = contract.profile.search
    rule = documented(search.rules.bare_comparison_rejected, "search.rules.bare_comparison_rejected")
    grammar, _, bare = _a_comparison(contract, search_operation)
    body = {grammar.condition_pointer: bare}
    response = page_request(client, search_operation.operation, contract.profile.pagination, extra=body)
    verify(
        checks.search.search_bare_comparison_rejected,
        rule,
        response=response,
        message=search.bare_comparison_message,
    )


@pytest.mark.parametrize("probe", ["unknown_field", "method_not_of_type", "malformed_value"])
def test_invalid_condition_rejected(contract, client, verify, search_operation, probe):
    search = contract.profile.search
    rule = documented(search.rules.invalid_condition_rejected, "search.rules.invalid_condition_rejected")
    grammar, _, leaf = _a_comparison(contract, search_operation)
    text_methods = set(grammar.comparison("text").methods)
    if probe == "unknown_field":
        leaf[grammar.field_member] = {
            grammar.type_member: grammar.pointer_field.type,
            grammar.pointer_field.member: "/no/such/searchable/field",
        }
    elif probe == "method_not_of_type":
        foreign = [m for c in grammar.comparisons for m in c.methods if m not in text_methods]
        if not foreign:
            not_applicable("every method of the grammar is a text method")
        leaf[grammar.method_member] = foreign[0]
    else:
        leaf[grammar.value_member] = {grammar.type_member: grammar.value.type}  # the value is missing
    condition = junction(grammar, True, leaf)
    response = page_request(
        client,
        search_operation.operation,
        contract.profile.pagination,
        extra={grammar.condition_pointer: condition},
    )
    offending = f"{grammar.condition_pointer}/{grammar.children}/0"
    verify(checks.search.search_invalid_condition_rejected, rule, response=response, pointer=offending)
