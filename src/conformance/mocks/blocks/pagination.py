"""Pagination styles. Page-number pages with `Total-*` headers and an RFC 8288 `Link`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")


class PageParamError(ValueError):
    """A page parameter is not acceptable; the message names it."""


def _int_param(raw: str, name: str) -> int:
    if not (raw.isascii() and raw.lstrip("-").isdigit()):
        raise PageParamError(f"{name} must be an integer, got {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class PageNumberParams:
    """Names and limits of a page-number API: `?pageNumber=2&pageSize=20`."""

    page: str
    size: str
    default_size: int
    max_size: int
    first_page: int = 1
    aliases: Mapping[str, str] | None = None  # alias -> canonical name
    clamp: bool = True

    def parse(self, query: Mapping[str, str]) -> tuple[int, int]:
        values: dict[str, str] = {}
        for alias, canonical in (self.aliases or {}).items():
            if alias in query:
                values[canonical] = query[alias]
        for name in (self.page, self.size):
            if name in query:
                values[name] = query[name]  # the canonical name wins over an alias
        number = _int_param(values[self.page], self.page) if self.page in values else self.first_page
        size = _int_param(values[self.size], self.size) if self.size in values else self.default_size
        if number < self.first_page:
            raise PageParamError(f"{self.page} must be at least {self.first_page}, got {number}")
        if size < 1:
            raise PageParamError(f"{self.size} must be at least 1, got {size}")
        if size > self.max_size:
            if not self.clamp:
                raise PageParamError(f"{self.size} must be at most {self.max_size}, got {size}")
            size = self.max_size
        return number, size


@dataclass(frozen=True)
class NumberedPage:
    items: list[Any]
    number: int
    size: int
    total_elements: int

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total_elements / self.size) if self.size else 0


def page_by_number(
    items: Sequence[T], number: int, size: int, *, first_page: int = 1, overlap: int = 0
) -> NumberedPage:
    """The `number`-th page of `items`. `overlap` != 0 simulates an off-by-one server bug
    (> 0 repeats items of the previous page, < 0 skips items)."""
    start = max((number - first_page) * size - overlap, 0)
    return NumberedPage(list(items[start : start + size]), number, size, len(items))


def link_header(
    url: str,
    query: Mapping[str, Any],
    page: NumberedPage,
    params: PageNumberParams,
    *,
    next_on_last: bool = False,
) -> str:
    """RFC 8288 `Link` with rels first/prev/next/last (no prev on the first page, no next on the last)."""
    last = max(page.total_pages, params.first_page)
    base = {k: v for k, v in query.items() if k not in (params.page, params.size, *(params.aliases or {}))}

    def target(n: int) -> str:
        return f"{url}?{urlencode({**base, params.page: n, params.size: page.size})}"

    links = [(target(params.first_page), "first")]
    if page.number > params.first_page:
        links.append((target(min(page.number - 1, last)), "prev"))
    if page.number < page.total_pages or next_on_last:
        links.append((target(page.number + 1), "next"))
    links.append((target(last), "last"))
    return ", ".join(f'<{href}>; rel="{rel}"' for href, rel in links)
