"""Pagination: walk every page (no duplicate, no gap, order, end signal, totals), filters, page
headers and Link, default and maximum size, past the end, invalid positions and sizes. One case per
rule and list operation (`cartoncloud:pagination:searchConsignments`); seeded through the control
plane where the target has one, read-only against what a sandbox holds otherwise."""

from __future__ import annotations

import pytest

from conformance import checks, documented, not_applicable
from conformance.core import jsonpointer
from conformance.drive import code_pointer, json_at, list_resource, page_request, walk_pages

pytestmark = pytest.mark.capability("pagination")
SEEDED = 45  # more than four pages of WALK_SIZE, not a multiple of it
WALK_SIZE = 10


def _rule(pagination, key):
    return documented(getattr(pagination.rules, key), f"pagination.rules.{key}")


def _seed(contract, target, lop, count):
    """Seed `count` entities for one list operation; their ids in creation order (None live)."""
    if target.control is None:
        return None
    return target.control.seed(lop.resource or list_resource(contract, lop.operation), count)


def _walk(contract, target, client, lop, count=SEEDED):
    """Seed the list operation, then walk it at WALK_SIZE: (seeded ids, pages)."""
    ids = _seed(contract, target, lop, count)
    return ids, walk_pages(client, lop.operation, contract.profile.pagination, WALK_SIZE, items=lop.items)


def _ids_of(pages, items):
    return [str(i.get("id")) for p in pages for i in (json_at(p.json(), items) or []) if isinstance(i, dict)]


def test_walk_complete(contract, target, client, verify, list_operation):
    """Seeded on a mock (every seeded id must come back); live, a second walk at the largest page
    size is the ground truth a walk in small pages must match."""
    ids, pages = _walk(contract, target, client, list_operation)
    if ids is None:
        pagination = contract.profile.pagination
        wide = walk_pages(
            client, list_operation.operation, pagination, pagination.max_size, items=list_operation.items
        )
        ids = _ids_of(wide, list_operation.items) if all(p.status == 200 for p in wide) else None
    verify(
        checks.pagination.pagination_walk_complete,
        contract.profile.pagination.rules.walk_complete,
        pages=pages,
        expected_ids=ids,
        items=list_operation.items,
    )


def test_order(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    rule = _rule(pagination, "order")
    ids, pages = _walk(contract, target, client, list_operation)
    expected = list(reversed(ids)) if ids is not None and pagination.order == "newest_first" else None
    verify(
        checks.pagination.pagination_order,
        rule,
        pages=pages,
        items=list_operation.items,
        expected_order=expected,
        order_field=pagination.order_field,
    )


def test_terminal_signal(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    rule = _rule(pagination, "terminal_signal")
    # an exact multiple of the page size: the last page must not be followed by an empty one
    _, pages = _walk(contract, target, client, list_operation, 4 * WALK_SIZE)
    verify(
        checks.pagination.pagination_terminal_signal,
        rule,
        pages=pages,
        items=list_operation.items,
        end_cursor=pagination.end_cursor,
    )


def test_total_consistent(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    rule = _rule(pagination, "total_consistent")
    ids, pages = _walk(contract, target, client, list_operation)
    verify(
        checks.pagination.pagination_total_consistent,
        rule,
        pages=pages,
        items=list_operation.items,
        total=pagination.total,
        expected_total=len(ids) if ids is not None else None,
    )


def test_filter_consistent(contract, target, client, verify, page_filter):
    pagination = contract.profile.pagination
    rule = _rule(pagination, "filter_consistent")
    lop = next((op for op in pagination.list_operations if op.operation == page_filter.operation), None)
    items = lop.items if lop else ""
    if lop is not None:
        _seed(contract, target, lop, SEEDED)
    everything = walk_pages(client, page_filter.operation, pagination, WALK_SIZE, items=items)
    selected = [
        i
        for p in everything
        for i in (json_at(p.json(), items) or [])
        if checks.pagination.filter_matches(
            json_at(i, page_filter.field), page_filter.value, page_filter.match
        )
    ]
    pages = walk_pages(
        client,
        page_filter.operation,
        pagination,
        WALK_SIZE,
        items=items,
        extra={page_filter.parameter: page_filter.value},
    )
    expected = len(selected)  # live too: the unfiltered walk is the ground truth
    verify(
        checks.pagination.pagination_filter_consistent,
        rule,
        pages=pages,
        items=items,
        field=page_filter.field,
        value=page_filter.value,
        match=page_filter.match,
        expected_count=expected,
    )
    if pagination.total and pagination.rules.total_consistent:
        verify(
            checks.pagination.pagination_total_consistent,
            pagination.rules.total_consistent,
            pages=pages,
            items=items,
            total=pagination.total,
            expected_total=expected,
        )


def _page_headers(pagination):
    return documented(pagination.headers, "the API has no page headers (pagination.headers)")


def test_headers_consistent(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    headers = _page_headers(pagination)
    rule = _rule(pagination, "headers_consistent")
    _, pages = _walk(contract, target, client, list_operation)
    verify(
        checks.pagination.pagination_headers_consistent,
        rule,
        pages=pages,
        headers=headers,
        page_parameter=pagination.page_parameter,
        size=WALK_SIZE,
    )


def test_link_header(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    headers = _page_headers(pagination)
    rule = _rule(pagination, "link_header")
    _, pages = _walk(contract, target, client, list_operation)
    verify(
        checks.pagination.pagination_link_header,
        rule,
        pages=pages,
        headers=headers,
        page_parameter=pagination.page_parameter,
        first_page=pagination.first_page,
    )


def test_default_size(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    ids = _seed(contract, target, list_operation, pagination.default_size + 5)
    page = page_request(client, list_operation.operation, pagination)
    verify(
        checks.pagination.pagination_default_size,
        pagination.rules.default_size,
        response=page,
        headers=pagination.headers,
        default_size=pagination.default_size,
        items=list_operation.items,
        echo=pagination.limit_echo,
        available=len(ids) if ids is not None else None,
    )


def test_max_size(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    _seed(contract, target, list_operation, 5)
    page = page_request(client, list_operation.operation, pagination, size=pagination.max_size + 1)
    verify(
        checks.pagination.pagination_max_size,
        pagination.rules.max_size,
        response=page,
        headers=pagination.headers,
        max_size=pagination.max_size,
        over_max=pagination.over_max,
        items=list_operation.items,
        echo=pagination.limit_echo,
        code_pointer=code_pointer(contract),
    )


def test_past_end(contract, target, client, verify, list_operation):
    pagination = contract.profile.pagination
    rule = _rule(pagination, "past_end")
    if pagination.style == "cursor_body":
        not_applicable("a forward-only cursor has no position past the end")
    _seed(contract, target, list_operation, 5)
    op = list_operation.operation
    if pagination.style == "offset_limit":
        page = page_request(client, op, pagination, offset=10_000, size=WALK_SIZE)
    else:
        page = page_request(client, op, pagination, page=10_000, size=WALK_SIZE)
    verify(
        checks.pagination.pagination_past_end,
        rule,
        response=page,
        headers=pagination.headers,
        items=list_operation.items,
    )


def test_invalid_page_rejected(contract, client, verify, list_operation):
    pagination = contract.profile.pagination
    rule = _rule(pagination, "invalid_page")
    op = list_operation.operation
    if pagination.style == "cursor_body":
        page = page_request(client, op, pagination, cursor=pagination.invalid_cursor_probe)
    elif pagination.style == "offset_limit":
        page = page_request(client, op, pagination, offset=-1)
    else:
        page = page_request(client, op, pagination, page=pagination.first_page - 1)
    verify(
        checks.pagination.pagination_invalid_page_rejected,
        rule,
        response=page,
        code_pointer=code_pointer(contract),
    )


def test_invalid_size_rejected(contract, client, verify, list_operation):
    pagination = contract.profile.pagination
    rule = _rule(pagination, "invalid_size")
    page = page_request(client, list_operation.operation, pagination, size=pagination.min_size - 1)
    verify(
        checks.pagination.pagination_invalid_size_rejected,
        rule,
        response=page,
        code_pointer=code_pointer(contract),
    )


def test_default_position(contract, target, client, verify, list_operation):
    """No page (offset) parameter answers the first page."""
    pagination = contract.profile.pagination
    rule = _rule(pagination, "default_position")
    if pagination.style == "cursor_body":
        not_applicable("a cursor has no numbered first position (see test_null_cursor_first_page)")
    _seed(contract, target, list_operation, 2 * WALK_SIZE)
    op = list_operation.operation
    variant = page_request(client, op, pagination, size=WALK_SIZE)
    if pagination.style == "offset_limit":
        reference = page_request(client, op, pagination, offset=0, size=WALK_SIZE)
        what = f"no {pagination.offset_parameter} and {pagination.offset_parameter}=0"
    else:
        reference = page_request(client, op, pagination, page=pagination.first_page, size=WALK_SIZE)
        what = f"no {pagination.page_parameter} and {pagination.page_parameter}={pagination.first_page}"
    verify(
        checks.pagination_positions.pagination_same_page,
        rule,
        variant=variant,
        reference=reference,
        items=list_operation.items,
        what=what,
    )


def test_null_cursor_first_page(contract, target, client, verify, list_operation):
    """An explicit null cursor answers the first page, as no cursor does."""
    pagination = contract.profile.pagination
    rule = _rule(pagination, "null_cursor_first_page")
    if pagination.style != "cursor_body" or not (pagination.cursor_parameter or "").startswith("/"):
        not_applicable("the cursor is not a body field that can be null")
    _seed(contract, target, list_operation, 2 * WALK_SIZE)
    op = list_operation.operation
    body = {}
    jsonpointer.put(body, pagination.size_parameter, WALK_SIZE)
    jsonpointer.put(body, pagination.cursor_parameter, None)
    variant = client.call(op, json=body)
    reference = page_request(client, op, pagination, size=WALK_SIZE)
    verify(
        checks.pagination_positions.pagination_same_page,
        rule,
        variant=variant,
        reference=reference,
        items=list_operation.items,
        what=f"{pagination.cursor_parameter}: null and no cursor",
    )


def test_aliases_accepted(contract, target, client, verify, list_operation):
    """The documented aliases of the page parameters work like the names (page 2 of 5)."""
    pagination = contract.profile.pagination
    rule = _rule(pagination, "aliases_accepted")
    aliases = documented(pagination.parameter_aliases, "pagination.parameter_aliases")
    _seed(contract, target, list_operation, 12)
    op = list_operation.operation
    by_name = {pagination.page_parameter: 2, pagination.size_parameter: 5}
    reference = page_request(client, op, pagination, page=2, size=5)
    renamed = {alias: by_name[name] for alias, name in aliases.items() if name in by_name}
    variant = page_request(client, op, pagination, extra=renamed)
    verify(
        checks.pagination_positions.pagination_same_page,
        rule,
        variant=variant,
        reference=reference,
        items=list_operation.items,
        what=" and ".join(f"{a} for {n}" for a, n in aliases.items()),
    )


def test_empty_result_headers(contract, target, client, verify, list_operation):
    """An empty result still has its page headers: Total-Pages 0, and rel=last pointing at page 1."""
    pagination = contract.profile.pagination
    rule = _rule(pagination, "empty_headers")
    headers = _page_headers(pagination)
    page = page_request(client, list_operation.operation, pagination, size=WALK_SIZE)
    if json_at(page.json(), list_operation.items):
        not_applicable("the list is not empty on this target")
    for check in (checks.pagination.pagination_headers_consistent, checks.pagination.pagination_link_header):
        verify(
            check,
            rule,
            pages=[page],
            headers=headers,
            page_parameter=pagination.page_parameter,
            **({"size": WALK_SIZE} if check is checks.pagination.pagination_headers_consistent else {}),
        )
