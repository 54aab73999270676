"""Pagination checks for page-number (`Total-*` headers, RFC 8288 `Link`), offset/limit and
cursor styles. Where items, totals and cursors live is passed in as JSON Pointers from the profile."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conformance.checks._helpers import at, error_code, items_of, status_was, statuses
from conformance.checks._registry import check
from conformance.contracts.models import PageHeaders, Rule, StatusRule
from conformance.core import CheckFailure, Exchange, NotApplicable
from conformance.core.http import parse_link


class PageItemDuplicated(CheckFailure):
    title = "Item returned on more than one page"


class PageItemMissing(CheckFailure):
    title = "Item never returned while walking the pages"


class PageOrderWrong(CheckFailure):
    title = "Items not in the documented order"


class PageHeadersInconsistent(CheckFailure):
    title = "Page headers contradict the page"


class LinkHeaderWrong(CheckFailure):
    title = "Link header missing or wrong"


class TerminalSignalWrong(CheckFailure):
    title = "End-of-list signal wrong"


class TotalInconsistent(CheckFailure):
    title = "Total count differs from the elements returned"


class FilterNotApplied(CheckFailure):
    title = "Filtered list holds items the filter excludes"


class DefaultPageSizeWrong(CheckFailure):
    title = "Default page size differs from the contract"


class MaxPageSizeNotEnforced(CheckFailure):
    title = "Page size above the maximum not handled as documented"


class PastEndPageWrong(CheckFailure):
    title = "Page past the end is not an empty page"


class InvalidPageAccepted(CheckFailure):
    title = "Invalid page position accepted"


class InvalidSizeAccepted(CheckFailure):
    title = "Invalid page size accepted"


def _int_header(page: Exchange, name: str) -> int | None:
    raw = page.header(name)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _query_int(url: str, name: str) -> int | None:
    values = parse_qs(urlsplit(url).query).get(name)
    try:
        return int(values[0]) if values else None
    except ValueError:
        return None


def _key(item: Any, id_field: str) -> str:
    return str(item.get(id_field)) if isinstance(item, dict) else repr(item)


@check("pagination", judges="pagination.rules.walk_complete")
def pagination_walk_complete(
    rule: Rule,
    pages: Sequence[Exchange],
    expected_ids: Sequence[str] | None,
    items: str = "",
    id_field: str = "id",
) -> None:
    """Walking every page returns every element exactly once: no duplicate, no gap."""
    failed = [p for p in pages if p.status != 200]
    if failed:
        raise PageItemMissing("HTTP 200 on every page", status_was(failed[0]), failed[:1])
    seen: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for item in items_of(page, items):
            key = _key(item, id_field)
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


@check("pagination", judges="pagination.rules.order")
def pagination_order(
    rule: Rule,
    pages: Sequence[Exchange],
    items: str,
    expected_order: Sequence[str] | None,
    order_field: str | None = None,
    id_field: str = "id",
) -> None:
    """Elements come in the documented order (newest first), across pages."""
    walked = [item for page in pages for item in items_of(page, items)]
    if expected_order is not None:
        got = [_key(i, id_field) for i in walked if _key(i, id_field) in set(expected_order)]
        if got != list(expected_order):
            first = next((n for n, (a, b) in enumerate(zip(got, expected_order, strict=False)) if a != b), 0)
            raise PageOrderWrong(
                f"newest first: position {first} is {expected_order[first]}",
                f"{got[first] if first < len(got) else 'nothing'}",
                list(pages[:2]),
            )
        return
    if order_field is None:
        raise NotApplicable("no seeded order and no order field to judge by")
    stamps = [at(i, order_field) for i in walked]
    if any(not isinstance(s, str) for s in stamps):
        raise NotApplicable(f"items have no {order_field}")
    if stamps != sorted(stamps, reverse=True):
        index = next(n for n in range(1, len(stamps)) if stamps[n] > stamps[n - 1])
        raise PageOrderWrong(
            f"{order_field} descending", f"{stamps[index - 1]} before {stamps[index]}", list(pages[:2])
        )


@check("pagination", judges=("pagination.rules.headers_consistent", "pagination.rules.empty_headers"))
def pagination_headers_consistent(
    rule: Rule, pages: Sequence[Exchange], headers: PageHeaders, page_parameter: str, size: int
) -> None:
    """Every page's `Page-Number`, `Page-Size`, `Total-Elements`, `Total-Pages` match what it holds."""
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
        count = len(items_of(page))
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


@check("pagination", judges=("pagination.rules.link_header", "pagination.rules.empty_headers"))
def pagination_link_header(
    rule: Rule, pages: Sequence[Exchange], headers: PageHeaders, page_parameter: str, first_page: int = 1
) -> None:
    """Each page links first/last, prev except on the first page, next except on the last."""
    for page in pages:
        links = page.links if headers.link.lower() == "link" else parse_link(page.header(headers.link))
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


@check("pagination", judges="pagination.rules.terminal_signal")
def pagination_terminal_signal(rule: Rule, pages: Sequence[Exchange], items: str, end_cursor: str) -> None:
    """The cursor is null exactly on the last page: every earlier page carries one, and the last
    page is not an empty trailing page.
    """
    for index, page in enumerate(pages):
        cursor = at(page.json(), end_cursor)
        last = index == len(pages) - 1
        if last and cursor is not None:
            raise TerminalSignalWrong(
                f"{end_cursor} null on the last page",
                f"{cursor!r} after {sum(len(items_of(p, items)) for p in pages)} items",
                [page],
            )
        if not last and cursor is None:
            raise TerminalSignalWrong(f"a {end_cursor} on page {index + 1} of {len(pages)}", "null", [page])
    if len(pages) > 1 and not items_of(pages[-1], items):
        raise TerminalSignalWrong("no trailing empty page", "the last page is empty", list(pages[-2:]))


@check("pagination", judges="pagination.rules.total_consistent")
def pagination_total_consistent(
    rule: Rule, pages: Sequence[Exchange], items: str, total: str, expected_total: int | None = None
) -> None:
    """The total a page reports is the number of elements the walk returns (the filtered set)."""
    totals = {at(p.json(), total) for p in pages}
    walked = sum(len(items_of(p, items)) for p in pages)
    want = walked if expected_total is None else expected_total
    if totals != {want} or walked != want:
        raise TotalInconsistent(
            f"{total} = {want} on every page ({want} elements)",
            f"{total} values {sorted(totals, key=str)}; {walked} elements walked",
            list(pages[:2]),
        )


def filter_matches(got: Any, value: str, match: str) -> bool:
    """Whether an item's field passes a documented filter (equals, at_least, before: strictly
    earlier, prefix)."""
    if match == "equals":
        return bool(got == value)
    if not isinstance(got, str):
        return False
    if match == "before":
        return got < value
    return got >= value if match == "at_least" else got.startswith(value)


@check("pagination", judges="pagination.rules.filter_consistent")
def pagination_filter_consistent(
    rule: Rule,
    pages: Sequence[Exchange],
    items: str,
    field: str,
    value: str,
    match: str,
    expected_count: int | None = None,
) -> None:
    """A filtered list holds only the items the filter selects, and all of them."""
    walked = [i for p in pages for i in items_of(p, items)]
    for item in walked:
        got = at(item, field)
        if not filter_matches(got, value, match):
            raise FilterNotApplied(
                f"every item with {field} {match} {value!r}",
                f"an item with {field} {got!r}",
                list(pages[:2]),
            )
    if expected_count is not None and len(walked) != expected_count:
        raise FilterNotApplied(f"{expected_count} matching items", f"{len(walked)} items", list(pages[:2]))


def _echoed_size(response: Exchange, echo: str | None, headers: PageHeaders | None) -> int | None:
    if headers is not None:
        return _int_header(response, headers.page_size)
    if echo is not None:
        value = at(response.json(), echo)
        return value if isinstance(value, int) else None
    return None


@check("pagination", judges="pagination.rules.default_size")
def pagination_default_size(
    rule: Rule,
    response: Exchange,
    headers: PageHeaders | None,
    default_size: int,
    items: str = "",
    echo: str | None = None,
    available: int | None = None,
) -> None:
    """Without a size parameter a page holds the documented default number of elements."""
    found = items_of(response, items)
    size = _echoed_size(response, echo, headers)
    enough = available >= default_size if available is not None else len(found) >= default_size
    if not enough and size is None:
        raise NotApplicable(f"needs at least {default_size} elements (have {available or len(found)})")
    want_items = default_size if enough else len(found)
    if len(found) != want_items or (size is not None and size != default_size):
        expected = f"{default_size} elements" + (" (echoed size too)" if size is not None else "")
        raise DefaultPageSizeWrong(expected, f"{len(found)} elements, echoed size {size}", [response])


@check("pagination", judges="pagination.rules.max_size")
def pagination_max_size(
    rule: Rule,
    response: Exchange,
    headers: PageHeaders | None,
    max_size: int,
    over_max: str,
    items: str = "",
    echo: str | None = None,
    code_pointer: str | None = None,
) -> None:
    """A size above the maximum is clamped to it, or refused, as the profile says."""
    if over_max == "reject":
        wanted = rule.status if isinstance(rule, StatusRule) else [400]
        code = error_code(response, code_pointer)
        want_code = rule.error if isinstance(rule, StatusRule) else None
        if response.status not in wanted or (want_code and code != want_code):
            raise MaxPageSizeNotEnforced(
                f"HTTP {statuses(wanted)}" + (f" {want_code}" if want_code else ""),
                f"{status_was(response)}",
                [response],
            )
        return
    found = items_of(response, items)
    size = _echoed_size(response, echo, headers)
    if response.status != 200 or len(found) > max_size or (size is not None and size != max_size):
        raise MaxPageSizeNotEnforced(
            f"HTTP 200, at most {max_size} elements, size echoed as {max_size}",
            f"HTTP {response.status}, {len(found)} elements, echoed {size}",
            [response],
        )


@check("pagination", judges="pagination.rules.past_end")
def pagination_past_end(rule: Rule, response: Exchange, headers: PageHeaders | None, items: str = "") -> None:
    """A position past the last element is an empty page (with the page headers, where documented)."""
    missing = [h for h in (headers.model_dump().values() if headers else []) if not response.header(h)]
    body = at(response.json(), items)
    if response.status != 200 or body != [] or missing:
        raise PastEndPageWrong(
            "HTTP 200 with an empty list" + (" and the page headers" if headers else ""),
            f"{status_was(response)}" + (f"; missing {missing}" if missing else ""),
            [response],
        )


def _refused(
    failure: type[CheckFailure], rule: StatusRule, response: Exchange, code_pointer: str | None
) -> None:
    code = error_code(response, code_pointer)
    if response.status not in rule.status or (rule.error and code != rule.error):
        raise failure(
            f"HTTP {statuses(rule.status)}" + (f" {rule.error}" if rule.error else ""),
            status_was(response),
            [response],
        )


@check("pagination", judges="pagination.rules.invalid_page")
def pagination_invalid_page_rejected(
    rule: StatusRule, response: Exchange, code_pointer: str | None = None
) -> None:
    """An invalid page position (page below the first, a negative offset, a forged cursor) is refused."""
    _refused(InvalidPageAccepted, rule, response, code_pointer)


@check("pagination", judges="pagination.rules.invalid_size")
def pagination_invalid_size_rejected(
    rule: StatusRule, response: Exchange, code_pointer: str | None = None
) -> None:
    """A page size below the minimum is refused."""
    _refused(InvalidSizeAccepted, rule, response, code_pointer)
