"""Pagination checks for page-number APIs with `Total-*` headers and an RFC 8288 `Link`."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conformance.checks.base import NotApplicable, check, failure, status_was, statuses
from conformance.client.recording import Exchange
from conformance.contracts.models import PageHeaders, Rule, StatusRule

PageItemDuplicated = failure("PageItemDuplicated", "Item returned on more than one page")
PageItemMissing = failure("PageItemMissing", "Item never returned while walking the pages")
PageHeadersInconsistent = failure("PageHeadersInconsistent", "Page headers contradict the page")
LinkHeaderWrong = failure("LinkHeaderWrong", "Link header missing or wrong")
DefaultPageSizeWrong = failure("DefaultPageSizeWrong", "Default page size differs from the contract")
MaxPageSizeNotEnforced = failure("MaxPageSizeNotEnforced", "Page size above the maximum not clamped")
PastEndPageWrong = failure("PastEndPageWrong", "Page past the end is not an empty page")
InvalidPageAccepted = failure("InvalidPageAccepted", "Invalid page number accepted")

_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";,]+)"?')


def parse_link(value: str | None) -> dict[str, str]:
    """RFC 8288 `Link` -> {rel: url} (each rel of a space-separated list)."""
    links: dict[str, str] = {}
    for url, rels in _LINK.findall(value or ""):
        for rel in rels.split():
            links[rel] = url
    return links


def _int_header(page: Exchange, name: str) -> int | None:
    raw = page.header(name)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _items(page: Exchange) -> list[Any]:
    body = page.json()
    return body if isinstance(body, list) else []


def _query_int(url: str, name: str) -> int | None:
    values = parse_qs(urlsplit(url).query).get(name)
    try:
        return int(values[0]) if values else None
    except ValueError:
        return None


@check("pagination")
def pagination_walk_complete(
    rule: Rule, pages: Sequence[Exchange], expected_ids: Sequence[str] | None, id_field: str = "id"
) -> None:
    """Walking every page returns every element exactly once: no duplicate, no gap.

    Profile: pagination.rules.walk_complete.
    """
    seen: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for item in _items(page):
            key = str(item.get(id_field)) if isinstance(item, dict) else repr(item)
            if key in seen:
                raise PageItemDuplicated(
                    "each element on exactly one page",
                    f"{id_field} {key} on page {seen[key]} and page {number}",
                    [pages[seen[key] - 1], page],
                )
            seen[key] = number
    if expected_ids is not None:
        missing = [i for i in expected_ids if i not in seen]
        if missing:
            raise PageItemMissing(
                f"all {len(expected_ids)} elements",
                f"{len(missing)} never returned, e.g. {missing[0]}",
                list(pages),
            )


@check("pagination")
def pagination_headers_consistent(
    rule: Rule, pages: Sequence[Exchange], headers: PageHeaders, page_parameter: str, size: int
) -> None:
    """Every page's `Page-Number`, `Page-Size`, `Total-Elements`, `Total-Pages` match what it holds.

    Profile: pagination.rules.headers_consistent.
    """
    totals = set()
    for page in pages:
        number = _query_int(page.url, page_parameter) or 1
        total = _int_header(page, headers.total_elements)
        got = {
            "number": _int_header(page, headers.page_number),
            "size": _int_header(page, headers.page_size),
            "total_pages": _int_header(page, headers.total_pages),
            "total": total,
        }
        if None in got.values():
            raise PageHeadersInconsistent(
                "all four page headers as integers",
                f"{ {k: page.header(v) for k, v in headers.model_dump().items()} }",
                [page],
            )
        assert total is not None
        totals.add(total)
        want_items = max(min(size, total - (number - 1) * size), 0)
        want = {"number": number, "size": size, "total_pages": math.ceil(total / size), "total": total}
        count = len(_items(page))
        if got != want or count != want_items:
            raise PageHeadersInconsistent(
                f"page {number}: headers {want} and {want_items} items",
                f"headers {got} and {count} items",
                [page],
            )
    if len(totals) > 1:
        raise PageHeadersInconsistent(
            "the same Total-Elements on every page", f"{sorted(totals)}", list(pages)
        )


@check("pagination")
def pagination_link_header(
    rule: Rule, pages: Sequence[Exchange], headers: PageHeaders, page_parameter: str, first_page: int = 1
) -> None:
    """Each page links first/last, prev except on the first page, next except on the last.

    Profile: pagination.rules.link_header.
    """
    for page in pages:
        links = parse_link(page.header(headers.link))
        number = _query_int(page.url, page_parameter) or first_page
        total_pages = _int_header(page, headers.total_pages) or 0
        last = max(total_pages, first_page)
        want: dict[str, int | None] = {
            "first": first_page,
            "last": last,
            "prev": number - 1 if number > first_page else None,
            "next": number + 1 if number < total_pages else None,
        }
        got = {rel: (_query_int(links[rel], page_parameter) if rel in links else None) for rel in want}
        if got != want:
            shown = {k: v for k, v in want.items() if v is not None}
            raise LinkHeaderWrong(
                f"page {number}: rels -> pages {shown}", f"Link: {page.header(headers.link)!r}", [page]
            )


@check("pagination")
def pagination_default_size(
    rule: Rule, response: Exchange, headers: PageHeaders | None, default_size: int
) -> None:
    """Without a size parameter a page holds the documented default number of elements.

    Profile: pagination.default_size.
    """
    items = _items(response)
    total = _int_header(response, headers.total_elements) if headers else None
    if total is None or total <= default_size:
        raise NotApplicable(f"needs more than {default_size} elements (have {total})")
    size = _int_header(response, headers.page_size) if headers else len(items)
    if size != default_size or len(items) != default_size:
        raise DefaultPageSizeWrong(
            f"{default_size} elements (Page-Size {default_size})",
            f"{len(items)} elements (Page-Size {size})",
            [response],
        )


@check("pagination")
def pagination_max_size(
    rule: Rule, response: Exchange, headers: PageHeaders | None, max_size: int, over_max: str
) -> None:
    """A size above the maximum is clamped to it (or rejected, as the profile says).

    Profile: pagination.max_size, pagination.over_max.
    """
    if over_max == "reject":
        if response.status != 400:
            raise MaxPageSizeNotEnforced("HTTP 400", status_was(response), [response])
        return
    items = _items(response)
    size = _int_header(response, headers.page_size) if headers else None
    if response.status != 200 or len(items) > max_size or (headers and size != max_size):
        raise MaxPageSizeNotEnforced(
            f"HTTP 200, at most {max_size} elements, Page-Size {max_size}",
            f"HTTP {response.status}, {len(items)} elements, Page-Size {size}",
            [response],
        )


@check("pagination")
def pagination_past_end(rule: Rule, response: Exchange, headers: PageHeaders | None) -> None:
    """A page number past the last page is an empty page, with the page headers.

    Profile: pagination.rules.past_end.
    """
    missing = [h for h in (headers.model_dump().values() if headers else []) if not response.header(h)]
    if response.status != 200 or response.json() != [] or missing:
        raise PastEndPageWrong(
            "HTTP 200 with [] and the page headers",
            f"{status_was(response)}" + (f"; missing {missing}" if missing else ""),
            [response],
        )


@check("pagination")
def pagination_invalid_page_rejected(rule: StatusRule, response: Exchange) -> None:
    """A page number below the first page is refused.

    Profile: pagination.rules.invalid_page.
    """
    if response.status not in rule.status:
        raise InvalidPageAccepted(f"HTTP {statuses(rule.status)}", status_was(response), [response])
