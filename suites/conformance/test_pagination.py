"""Pagination: walk every page (no duplicate, no gap), headers, Link, default and maximum size,
past the end, invalid page numbers."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.drive import list_resource, page_request, walk_pages

pytestmark = pytest.mark.capability("pagination")
SEEDED = 45  # more than two default pages, not a multiple of the walk size
WALK_SIZE = 10


def _seeded(contract, target, count):
    """Per list operation: (operation, the ids seeded, or None against a sandbox we cannot seed)."""
    pagination = contract.profile.pagination
    out = []
    for op in pagination.list_operations:
        ids = None
        if target.control is not None:
            ids = target.control.seed(list_resource(contract, op), count)
        out.append((op, ids))
    return pagination, out


def test_walk_complete(contract, target, client, verify):
    pagination, ops = _seeded(contract, target, SEEDED)
    for op, ids in ops:
        pages = walk_pages(client, op, pagination, WALK_SIZE)
        verify(
            checks.pagination.pagination_walk_complete,
            "pagination.rules.walk_complete",
            pages=pages,
            expected_ids=ids,
        )


def test_headers_consistent(contract, target, client, verify):
    pagination, ops = _seeded(contract, target, SEEDED)
    if pagination.headers is None:
        pytest.skip("not applicable: the API has no page headers")
    for op, _ in ops:
        pages = walk_pages(client, op, pagination, WALK_SIZE)
        verify(
            checks.pagination.pagination_headers_consistent,
            "pagination.rules.headers_consistent",
            pages=pages,
            headers=pagination.headers,
            page_parameter=pagination.page_parameter,
            size=WALK_SIZE,
        )


def test_link_header(contract, target, client, verify):
    pagination, ops = _seeded(contract, target, SEEDED)
    if pagination.headers is None or pagination.rules.link_header is None:
        pytest.skip("not applicable: not documented: no Link header")
    for op, _ in ops:
        pages = walk_pages(client, op, pagination, WALK_SIZE)
        verify(
            checks.pagination.pagination_link_header,
            "pagination.rules.link_header",
            pages=pages,
            headers=pagination.headers,
            page_parameter=pagination.page_parameter,
            first_page=pagination.first_page,
        )


def test_default_size(contract, target, client, verify):
    pagination, ops = _seeded(contract, target, SEEDED)
    for op, _ in ops:
        page = page_request(client, op, pagination)
        verify(
            checks.pagination.pagination_default_size,
            "pagination.rules.default_size",
            response=page,
            headers=pagination.headers,
            default_size=pagination.default_size,
        )


def test_max_size(contract, target, client, verify):
    pagination, ops = _seeded(contract, target, 5)
    for op, _ in ops:
        page = page_request(client, op, pagination, size=pagination.max_size + 1)
        verify(
            checks.pagination.pagination_max_size,
            "pagination.rules.max_size",
            response=page,
            headers=pagination.headers,
            max_size=pagination.max_size,
            over_max=pagination.over_max,
        )


def test_past_end(contract, target, client, verify):
    pagination, ops = _seeded(contract, target, 5)
    for op, _ in ops:
        page = page_request(client, op, pagination, page=10_000, size=WALK_SIZE)
        verify(
            checks.pagination.pagination_past_end,
            "pagination.rules.past_end",
            response=page,
            headers=pagination.headers,
        )


def test_invalid_page_rejected(contract, client, verify):
    pagination = contract.profile.pagination
    if pagination.rules.invalid_page is None:
        pytest.skip("not applicable: not documented: no pagination.rules.invalid_page")
    for op in pagination.list_operations:
        page = page_request(client, op, pagination, page=pagination.first_page - 1)
        verify(
            checks.pagination.pagination_invalid_page_rejected, "pagination.rules.invalid_page", response=page
        )
