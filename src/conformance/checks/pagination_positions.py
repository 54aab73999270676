"""Pagination checks of equivalent requests: no position parameter is the first page, an explicit
null cursor is the first page, and the documented parameter aliases work like the names."""

from __future__ import annotations

from conformance.checks._helpers import items_of, status_was
from conformance.checks._registry import check
from conformance.contracts.models import Rule
from conformance.core import CheckFailure, Exchange


class DifferentPage(CheckFailure):
    title = "Equivalent page requests answered differently"


def _ids(page: Exchange, items: str) -> list[str]:
    return [str(i.get("id")) if isinstance(i, dict) else repr(i) for i in items_of(page, items)]


@check(
    "pagination",
    judges=(
        "pagination.rules.default_position",
        "pagination.rules.null_cursor_first_page",
        "pagination.rules.aliases_accepted",
    ),
)
def pagination_same_page(rule: Rule, variant: Exchange, reference: Exchange, items: str, what: str) -> None:
    """Two requests the documents make equivalent (`what`: no offset and offset 0; `after: null` and
    no cursor; `page`/`size` and `pageNumber`/`pageSize`) answer the same page."""
    if not (variant.ok and reference.ok) or _ids(variant, items) != _ids(reference, items):
        raise DifferentPage(
            f"{what}: the same page (HTTP {reference.status}, ids {_ids(reference, items)[:5]})",
            f"{status_was(variant)}; ids {_ids(variant, items)[:5]}",
            [reference, variant],
        )
