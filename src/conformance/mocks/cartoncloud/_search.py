"""CartonCloud search: `POST /tenants/{t}/<resource>/search` with the vendor's condition grammar,
paged, and `Prefer: return=minimal` (vendor docs). Parsing is `_grammar`'s, evaluating `_evaluate`'s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.pagination import Mapped
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.store import Entity
from conformance.mocks.blocks.tokens import ClientRecord
from conformance.mocks.cartoncloud._evaluate import flattened, matches, matches_everything
from conformance.mocks.cartoncloud._grammar import Junction, SearchRefused, parse_search
from conformance.mocks.cartoncloud._paging import Paging

NEVER = Junction(False, ())  # an OrCondition of nothing matches nothing


class Search(Paging):
    async def _search(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        segment, tenant = match.tags["resource"], match.params["tenantId"]
        self._page_params(request)  # a bad page position is refused before the body is read
        body = await self._body(request, required=False) or {}
        condition = self._condition(body, segment)
        views = self._searchable(tenant, segment)
        swapped = {"GREATER_THAN": "LESS_THAN_OR_EQUAL_TO"} if self.fault("search_method_inverted") else {}
        caseless = self.trait("caseless_filters")
        found: Sequence[dict[str, Any]] = (
            views  # everything matches: a page builds its own views only, the count is the store's
            if condition is None or matches_everything(condition)
            else [v for v in views if matches(condition, v, swapped, caseless=caseless)]
        )
        served = None
        if condition is not None and self.fault("search_page_missing"):
            number = self._page_params(request)[2]
            served = number + 1 if number >= 2 else None  # filtered results lose their second page
        headers: dict[str, str] = {}
        if _prefers_minimal(request.headers.get("prefer")) and not self.fault("prefer_minimal_ignored"):
            found = Mapped(found, lambda v: {"id": v["id"]})
            headers["Preference-Applied"] = "return=minimal"
        return self._paged(request, found, segment=segment, served_page=served, headers=headers)

    def _condition(self, body: dict[str, Any], segment: str) -> Junction | None:
        try:
            condition = parse_search(body, segment, bare_allowed=self.fault("bare_comparison_accepted"))
        except SearchRefused as exc:
            unknown_field = all(
                "is not a searchable field" in m or "is not a search key" in m for m in exc.messages
            )
            if unknown_field and self.fault("unknown_search_field_ignored"):
                return NEVER
            raise self.errors(400, *exc.messages) from None
        if condition is None or self.fault("search_conditions_ignored"):
            return None
        return flattened(condition) if self.fault("search_nesting_flattened") else condition

    def _searchable(self, tenant: str, segment: str) -> Sequence[dict[str, Any]]:
        """What a search reads, in order: each entity's view, made when it is read."""
        if segment == "warehouse-products":
            return [_read_only_view(e) for e in self.refdata.all(tenant, "products") if _warehouse(e.data)]
        entities = self.store.listing(f"{tenant}/{segment}")
        if self.fault("search_stale_after_update"):
            return Mapped(
                entities, lambda e: self.search_index.get((e.namespace, e.id)) or _read_only_view(e)
            )
        return Mapped(entities, _read_only_view)


def _read_only_view(entity: Entity) -> dict[str, Any]:
    """`entity.view()` without its deep copy: the search only reads it, and the page is serialised
    before anything can change the entity (a deep copy of every entity made each page cost as
    much as copying the whole store: 0.43 s a page at 10 000 orders)."""
    return {"id": entity.id, **entity.data, "version": entity.version}


def _warehouse(data: dict[str, Any]) -> bool:
    return bool(data.get("scope", "WAREHOUSE") == "WAREHOUSE")


def _prefers_minimal(header: str | None) -> bool:
    """RFC 7240: `Prefer: return=minimal` (among other preferences, any case, optional spaces)."""
    prefs = [p.strip().replace(" ", "").lower() for p in (header or "").split(",")]
    return "return=minimal" in prefs
