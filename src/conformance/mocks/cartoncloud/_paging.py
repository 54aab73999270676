"""CartonCloud paging: page numbers (`pageNumber`/`pageSize`, aliases `page`/`size`), a bare JSON
array, the `Total-*` headers and an RFC 8288 `Link` (seed, General / Pagination; decisions)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.pagination import PageNumberParams, PageParamError, link_header, page_by_number
from conformance.mocks.cartoncloud._base import CartonCloudBase


class Paging(CartonCloudBase):
    def _page_params(self, request: Request) -> tuple[dict[str, str], PageNumberParams, int, int]:
        """(query, params, page number, page size) of a paged request; 400 for a bad position."""
        params = self.paging
        if self.fault("default_page_size_wrong"):
            params = PageNumberParams(**{**params.__dict__, "default_size": 10})
        if self.fault("ignore_page_size_max"):
            params = PageNumberParams(**{**params.__dict__, "max_size": 10**6})
        if self.fault("page_aliases_ignored"):
            params = PageNumberParams(**{**params.__dict__, "aliases": None})
        query = dict(request.query_params)
        if self.fault("page_number_defaults_to_2") and "pageNumber" not in query and "page" not in query:
            query["pageNumber"] = "2"
        if self.fault("page_zero_accepted") and query.get("pageNumber", "1").lstrip("-").isdigit():
            query["pageNumber"] = str(max(int(query["pageNumber"]) if "pageNumber" in query else 1, 1))
        try:
            number, size = params.parse(query)
        except PageParamError as exc:
            raise self.errors(400, str(exc)) from None
        return query, params, number, size

    def _paged(
        self,
        request: Request,
        items: Sequence[Any],
        *,
        segment: str,
        served_page: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One page of `items` with the page headers. `served_page` answers another page's items
        under the requested number (a fault's missing page)."""
        query, params, number, size = self._page_params(request)
        gap = self.fault("page_gap") or (segment == "consignments" and self.fault("consignments_page_gap"))
        overlap = 1 if self.fault("duplicate_page_item") else -1 if gap else 0
        page = page_by_number(items, served_page or number, size, overlap=overlap)
        page = type(page)(page.items, number, page.size, page.total_elements)
        if self.fault("past_end_error") and page.total_elements and number > page.total_pages:
            raise self.errors(404, f"Page {number} does not exist")
        total = page.total_elements + (1 if self.fault("wrong_total_elements") else 0)
        pages = math.ceil(total / size)
        if self.fault("empty_total_pages_one"):
            pages = max(pages, 1)
        out = {
            **(headers or {}),
            "Total-Pages": str(pages),
            "Page-Size": str(size),
            "Page-Number": str(number),
            "Total-Elements": str(total),
        }
        if not self.fault("missing_link_header"):
            url = str(request.url.replace(query=""))
            out["Link"] = link_header(url, query, page, params, next_on_last=self.fault("wrong_link_rels"))
        return json_response(page.items, headers=out)
