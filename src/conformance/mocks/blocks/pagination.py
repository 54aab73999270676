"""Pagination styles: page numbers with `Total-*` headers and an RFC 8288 `Link`; offset/limit;
opaque forward-only cursors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, overload, runtime_checkable
from urllib.parse import urlencode

T = TypeVar("T")
U = TypeVar("U")
T_co = TypeVar("T_co", covariant=True)


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


# -- offset / limit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OffsetLimitParams:
    """`?limit=&offset=` with a default and a maximum (clamped or refused)."""

    limit: str = "limit"
    offset: str = "offset"
    default_size: int = 100
    max_size: int = 500
    clamp: bool = True

    def parse(self, query: Mapping[str, str]) -> tuple[int, int]:
        limit = _int_param(query[self.limit], self.limit) if self.limit in query else self.default_size
        offset = _int_param(query[self.offset], self.offset) if self.offset in query else 0
        if limit < 1:
            raise PageParamError(f"{self.limit} must be at least 1, got {limit}")
        if offset < 0:
            raise PageParamError(f"{self.offset} must be at least 0, got {offset}")
        if limit > self.max_size:
            if not self.clamp:
                raise PageParamError(f"{self.limit} must be at most {self.max_size}, got {limit}")
            limit = self.max_size
        return limit, offset


def page_by_offset(items: Sequence[T], offset: int, limit: int) -> list[T]:
    return list(items[offset : offset + limit])


# -- opaque cursors ---------------------------------------------------------------------------------


class CursorCodec:
    """Opaque, tamper-evident cursors: base64url of `<position>.<mac>`; anything else is refused."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or os.urandom(16)

    def _mac(self, position: str) -> str:
        return hmac.new(self._secret, position.encode(), hashlib.sha256).hexdigest()[:16]

    def encode(self, position: str) -> str:
        raw = f"{position}.{self._mac(position)}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> str:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            raise PageParamError("the cursor is not one this API issued") from None
        position, _, mac = raw.rpartition(".")
        if not position or not hmac.compare_digest(mac, self._mac(position)):
            raise PageParamError("the cursor is not one this API issued")
        return position


@dataclass(frozen=True)
class CursorPage:
    items: list[Any]
    end_cursor: str | None


def page_by_cursor(
    items: Iterable[Any],
    key: Any,
    after: str | None,
    limit: int,
    codec: CursorCodec,
    *,
    repeat_last: bool = False,
    cursor_on_last: bool = False,
) -> CursorPage:
    """Forward-only page of `items` (already in delivery order) after the item whose `key(item)`
    the cursor names. `end_cursor` is None exactly when no item follows (no trailing empty page).
    `repeat_last` / `cursor_on_last` simulate server bugs. Only the page and one item more are
    read: a `Resumable` (a store listing, a `Filtered` one) finds the cursor's item without a scan."""
    rest: Iterator[Any]
    if after is None:
        rest = iter(items)
    else:
        position = codec.decode(after)
        found = items.resume(position) if isinstance(items, Resumable) else _scan(items, key, position)
        if found is None:
            raise PageParamError("the cursor points at an item that no longer exists")
        rest = found
        if not repeat_last:
            next(rest, None)  # the cursor's item was on the last page
    window = list(itertools.islice(rest, max(limit, 0) + 1))
    page, more = window[:limit], len(window) > limit
    end = codec.encode(str(key(page[-1]))) if page and (more or cursor_on_last) else None
    return CursorPage(page, end)


@runtime_checkable
class Resumable(Protocol[T_co]):
    """Items in delivery order that find an item by its cursor key themselves."""

    def __iter__(self) -> Iterator[T_co]: ...

    def resume(self, key: str) -> Iterator[T_co] | None:
        """The items from the one whose key is `key` (it first), or None if no item has it."""


def _scan(items: Iterable[T], key: Callable[[T], Any], position: str) -> Iterator[T] | None:
    it = iter(items)
    for item in it:
        if str(key(item)) == position:
            return itertools.chain([item], it)
    return None


_NONE: Any = object()


class Filtered(Generic[T]):
    """The items of a `Resumable` that satisfy `predicate`, filtered as they are read (a page
    reads its own items, not the whole list). The cursor's item must satisfy it too."""

    def __init__(self, items: Resumable[T], predicate: Callable[[T], bool]) -> None:
        self.items = items
        self.predicate = predicate

    def __iter__(self) -> Iterator[T]:
        return filter(self.predicate, self.items)

    def resume(self, key: str) -> Iterator[T] | None:
        found = self.items.resume(key)
        first = _NONE if found is None else next(found, _NONE)
        if first is _NONE or not self.predicate(first):
            return None
        assert found is not None
        return itertools.chain([first], filter(self.predicate, found))


class Mapped(Sequence[U]):
    """`function` of each item of `items`, computed when read: a page maps its own items only."""

    def __init__(self, items: Sequence[T], function: Callable[[T], U]) -> None:
        self._items = items
        self._function = function

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> U: ...

    @overload
    def __getitem__(self, index: slice) -> list[U]: ...

    def __getitem__(self, index: int | slice) -> U | list[U]:
        if isinstance(index, slice):
            return [self._function(item) for item in self._items[index]]
        return self._function(self._items[index])

    def __iter__(self) -> Iterator[U]:
        return map(self._function, self._items)
