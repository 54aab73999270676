"""Pagination: walk every page (no duplicate, no gap, order, end signal, totals), filters, page
headers and Link, default and maximum size, past the end, invalid positions and sizes. One test
per rule, each over every list operation of the profile; seeded through the control plane where
the target has one, read-only against what a sandbox holds otherwise."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import code_pointer, json_at, list_resource, page_request, walk_pages

pytestmark = pytest.mark.capability("pagination")
SEEDED = 45  # more than four pages of WALK_SIZE, not a multiple of it
WALK_SIZE = 10


def _rule(pagination, key):
    rule = getattr(pagination.rules, key)
    if rule is None:
        pytest.skip(f"not applicable: not documented: no pagination.rules.{key}")
    return rule


def _seeded(contract, target, count):
    """Per list operation: (operation, its items pointer, the ids seeded in creation order or None)."""
    pagination = contract.profile.pagination
    out = []
    for lop in pagination.list_operations:
        ids = None
        if target.control is not None:
            ids = target.control.seed(lop.resource or list_resource(contract, lop.operation), count)
        out.append((lop.operation, lop.items, ids))
    return pagination, out


def _walks(contract, target, client, count=SEEDED):
    """Seed every list operation, then walk each at WALK_SIZE: (items pointer, seeded ids, pages)."""
    pagination, ops = _seeded(contract, target, count)
    for op, items, ids in ops:
        yield items, ids, walk_pages(client, op, pagination, WALK_SIZE, items=items)


def test_walk_complete(contract, target, client, verify):
    for items, ids, pages in _walks(contract, target, client):
        verify(
            checks.pagination.pagination_walk_complete,
            "pagination.rules.walk_complete",
            pages=pages,
            expected_ids=ids,
            items=items,
        )


def test_order(contract, target, client, verify):
    pagination = contract.profile.pagination
    _rule(pagination, "order")
    for items, ids, pages in _walks(contract, target, client):
        expected = list(reversed(ids)) if ids is not None and pagination.order == "newest_first" else None
        verify(
            checks.pagination.pagination_order,
            "pagination.rules.order",
            pages=pages,
            items=items,
            expected_order=expected,
            order_field=pagination.order_field,
        )


def test_terminal_signal(contract, target, client, verify):
    pagination = contract.profile.pagination
    _rule(pagination, "terminal_signal")
    # an exact multiple of the page size: the last page must not be followed by an empty one
    for items, _, pages in _walks(contract, target, client, 4 * WALK_SIZE):
        verify(
            checks.pagination.pagination_terminal_signal,
            "pagination.rules.terminal_signal",
            pages=pages,
            items=items,
            end_cursor=pagination.end_cursor,
        )


def test_total_consistent(contract, target, client, verify):
    pagination = contract.profile.pagination
    _rule(pagination, "total_consistent")
    for items, ids, pages in _walks(contract, target, client):
        verify(
            checks.pagination.pagination_total_consistent,
            "pagination.rules.total_consistent",
            pages=pages,
            items=items,
            total=pagination.total,
            expected_total=len(ids) if ids is not None else None,
        )


def test_filter_consistent(contract, target, client, verify):
    pagination = contract.profile.pagination
    _rule(pagination, "filter_consistent")
    if not pagination.filters:
        pytest.skip("not applicable: not documented: the profile lists no filter")
    _, ops = _seeded(contract, target, SEEDED)
    items_of = {op: items for op, items, _ in ops}
    for flt in pagination.filters:
        items = items_of.get(flt.operation, "")
        everything = walk_pages(client, flt.operation, pagination, WALK_SIZE, items=items)
        selected = [
            i
            for p in everything
            for i in (json_at(p.json(), items) or [])
            if checks.pagination.filter_matches(json_at(i, flt.field), flt.value, flt.match)
        ]
        pages = walk_pages(
            client, flt.operation, pagination, WALK_SIZE, items=items, extra={flt.parameter: flt.value}
        )
        expected = len(selected) if target.control is not None else None
        verify(
            checks.pagination.pagination_filter_consistent,
            "pagination.rules.filter_consistent",
            pages=pages,
            items=items,
            field=flt.field,
            value=flt.value,
            match=flt.match,
            expected_count=expected,
        )
        if pagination.total and pagination.rules.total_consistent:
            verify(
                checks.pagination.pagination_total_consistent,
                "pagination.rules.total_consistent",
                pages=pages,
                items=items,
                total=pagination.total,
                expected_total=expected,
            )


def test_headers_consistent(contract, target, client, verify):
    pagination = contract.profile.pagination
    if pagination.headers is None:
        pytest.skip("not applicable: not documented: the API has no page headers")
    _rule(pagination, "headers_consistent")
    for _, _, pages in _walks(contract, target, client):
        verify(
            checks.pagination.pagination_headers_consistent,
            "pagination.rules.headers_consistent",
            pages=pages,
            headers=pagination.headers,
            page_parameter=pagination.page_parameter,
            size=WALK_SIZE,
        )


def test_link_header(contract, target, client, verify):
    pagination = contract.profile.pagination
    if pagination.headers is None:
        pytest.skip("not applicable: not documented: no Link header")
    _rule(pagination, "link_header")
    for _, _, pages in _walks(contract, target, client):
        verify(
            checks.pagination.pagination_link_header,
            "pagination.rules.link_header",
            pages=pages,
            headers=pagination.headers,
            page_parameter=pagination.page_parameter,
            first_page=pagination.first_page,
        )


def test_default_size(contract, target, client, verify):
    pagination = contract.profile.pagination
    pagination, ops = _seeded(contract, target, pagination.default_size + 5)
    for op, items, ids in ops:
        page = page_request(client, op, pagination)
        verify(
            checks.pagination.pagination_default_size,
            "pagination.rules.default_size",
            response=page,
            headers=pagination.headers,
            default_size=pagination.default_size,
            items=items,
            echo=pagination.limit_echo,
            available=len(ids) if ids is not None else None,
        )


def test_max_size(contract, target, client, verify):
    pagination, ops = _seeded(contract, target, 5)
    for op, items, _ in ops:
        page = page_request(client, op, pagination, size=pagination.max_size + 1)
        verify(
            checks.pagination.pagination_max_size,
            "pagination.rules.max_size",
            response=page,
            headers=pagination.headers,
            max_size=pagination.max_size,
            over_max=pagination.over_max,
            items=items,
            echo=pagination.limit_echo,
            code_pointer=code_pointer(contract),
        )


def test_past_end(contract, target, client, verify):
    pagination = contract.profile.pagination
    _rule(pagination, "past_end")
    if pagination.style == "cursor_body":
        pytest.skip("not applicable: a forward-only cursor has no position past the end")
    pagination, ops = _seeded(contract, target, 5)
    for op, items, _ in ops:
        if pagination.style == "offset_limit":
            page = page_request(client, op, pagination, offset=10_000, size=WALK_SIZE)
        else:
            page = page_request(client, op, pagination, page=10_000, size=WALK_SIZE)
        verify(
            checks.pagination.pagination_past_end,
            "pagination.rules.past_end",
            response=page,
            headers=pagination.headers,
            items=items,
        )


def test_invalid_page_rejected(contract, client, verify):
    pagination = contract.profile.pagination
    _rule(pagination, "invalid_page")
    for lop in pagination.list_operations:
        if pagination.style == "cursor_body":
            page = page_request(client, lop.operation, pagination, cursor=pagination.invalid_cursor_probe)
        elif pagination.style == "offset_limit":
            page = page_request(client, lop.operation, pagination, offset=-1)
        else:
            page = page_request(client, lop.operation, pagination, page=pagination.first_page - 1)
        verify(
            checks.pagination.pagination_invalid_page_rejected,
            "pagination.rules.invalid_page",
            response=page,
            code_pointer=code_pointer(contract),
        )


def test_invalid_size_rejected(contract, client, verify):
    pagination = contract.profile.pagination
    _rule(pagination, "invalid_size")
    for lop in pagination.list_operations:
        page = page_request(client, lop.operation, pagination, size=pagination.min_size - 1)
        verify(
            checks.pagination.pagination_invalid_size_rejected,
            "pagination.rules.invalid_size",
            response=page,
            code_pointer=code_pointer(contract),
        )
