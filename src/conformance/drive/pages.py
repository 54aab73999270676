"""Walking list operations in each pagination style (page numbers, offsets, cursors)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from conformance.client import ApiClient
from conformance.contracts import Contract
from conformance.contracts.models import Pagination
from conformance.core import Exchange, jsonpointer


def list_resource(contract: Contract, operation_id: str) -> str:
    """The resource whose `list` role is this operation (what the control plane seeds)."""
    for name, resource in contract.profile.operations.resources.items():
        if resource.list == operation_id:
            return name
    raise KeyError(f"{contract.api}: no resource lists with {operation_id!r}")


def page_request(
    client: ApiClient,
    operation_id: str,
    pagination: Pagination,
    *,
    page: int | None = None,
    size: Any = None,
    offset: Any = None,
    cursor: Any = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Exchange:
    """One list request; each argument lands where the profile says (query parameter or body pointer)."""
    params: dict[str, Any] = {}
    body: dict[str, Any] = {}
    values: list[tuple[str | None, Any]] = [
        (pagination.page_parameter, page),
        (pagination.size_parameter, size),
        (pagination.offset_parameter, offset),
        (pagination.cursor_parameter, cursor),
        *(extra or {}).items(),
    ]
    for name, value in values:
        if name is None or value is None:
            continue
        if name.startswith("/"):
            jsonpointer.put(body, name, value)
        else:
            params[name] = value
    op = client.contract.operation(operation_id)
    kwargs: dict[str, Any] = {"params": params, "headers": dict(headers or {})}
    if op.method in ("POST", "PUT"):
        kwargs["json"] = body
    return client.call(operation_id, **kwargs)


def walk_pages(
    client: ApiClient,
    operation_id: str,
    pagination: Pagination,
    size: int,
    *,
    items: str = "",
    extra: Mapping[str, Any] | None = None,
    max_pages: int = 200,
    enough: Callable[[list[Exchange]], bool] | None = None,
) -> list[Exchange]:
    """Request page after page the way the style says, until its end signal (bounded), or until
    `enough(pages)` says the pages so far hold what the caller looks for."""
    pages: list[Exchange] = []
    number, offset, cursor = pagination.first_page, 0, None
    while len(pages) < max_pages:
        if pagination.style == "page_number_headers":
            page = page_request(client, operation_id, pagination, page=number, size=size, extra=extra)
        elif pagination.style == "offset_limit":
            page = page_request(client, operation_id, pagination, offset=offset, size=size, extra=extra)
        else:
            page = page_request(client, operation_id, pagination, cursor=cursor, size=size, extra=extra)
        pages.append(page)
        body = page.json()
        found = jsonpointer.get(body, items)
        if page.status != 200 or not isinstance(found, list) or (enough is not None and enough(pages)):
            break
        if pagination.style == "cursor_body":
            cursor = jsonpointer.get(body, pagination.end_cursor or "")
            if cursor is None:
                break
            continue
        if not found:
            break
        if pagination.style == "page_number_headers" and pagination.headers:
            total_pages = page.header(pagination.headers.total_pages)
            if total_pages is not None and total_pages.isdigit() and number >= int(total_pages):
                break
        if pagination.style == "offset_limit" and pagination.total:
            total = jsonpointer.get(body, pagination.total)
            if isinstance(total, int) and offset + len(found) >= total:
                break
        number += 1
        offset += size
    return pages
