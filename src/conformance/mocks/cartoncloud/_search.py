"""CartonCloud search: conditions, page numbers, `Total-*` headers and the `Link` header."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.pagination import PageNumberParams, PageParamError, link_header, page_by_number
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.tokens import ClientRecord
from conformance.mocks.cartoncloud._validation import Validation


class Search(Validation):
    async def _search(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        segment, tenant = match.tags["resource"], match.params["tenantId"]
        params = self.paging
        if self.fault("default_page_size_wrong"):
            params = PageNumberParams(**{**params.__dict__, "default_size": 10})
        if self.fault("ignore_page_size_max"):
            params = PageNumberParams(**{**params.__dict__, "max_size": 10**6})
        query = dict(request.query_params)
        if self.fault("page_zero_accepted") and query.get("pageNumber", "1").lstrip("-").isdigit():
            query["pageNumber"] = str(max(int(query["pageNumber"]) if "pageNumber" in query else 1, 1))
        try:
            number, size = params.parse(query)
        except PageParamError as exc:
            raise self.errors(400, str(exc)) from None
        body = await self._body(request, required=False) or {}
        problems = self._schema_problems("SearchRequest", body)
        if problems:
            raise self.validation(problems)
        condition = body.get("condition")
        views = [e.view() for e in self.store.list(f"{tenant}/{segment}")]
        matching = [v for v in views if condition is None or _matches(condition, v)]
        gap = self.fault("page_gap") or (segment == "consignments" and self.fault("consignments_page_gap"))
        overlap = 1 if self.fault("duplicate_page_item") else -1 if gap else 0
        page = page_by_number(matching, number, size, overlap=overlap)
        if self.fault("past_end_error") and page.total_elements and number > page.total_pages:
            raise self.errors(404, f"Page {number} does not exist")
        total = page.total_elements + (1 if self.fault("wrong_total_elements") else 0)
        headers = {
            "Total-Pages": str(math.ceil(total / size)),
            "Page-Size": str(size),
            "Page-Number": str(number),
            "Total-Elements": str(total),
        }
        if not self.fault("missing_link_header"):
            url = str(request.url.replace(query=""))
            headers["Link"] = link_header(
                url, query, page, params, next_on_last=self.fault("wrong_link_rels")
            )
        return json_response(page.items, headers=headers)


def _pointer_get(doc: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(part.replace("~1", "/").replace("~0", "~"))
    return doc


def _matches(condition: dict[str, Any], view: dict[str, Any]) -> bool:
    kind = condition.get("type")
    if kind in ("AndCondition", "OrCondition"):
        results = [_matches(c, view) for c in condition.get("conditions", [])]
        if not results:
            return True
        return all(results) if kind == "AndCondition" else any(results)
    value = _pointer_get(view, condition["field"])
    if not isinstance(value, str):
        return False
    wanted = str(condition["value"])
    method = condition["method"]
    if method == "EQUAL_TO":
        return value == wanted
    if method == "CONTAINS":
        return wanted in value
    return value.startswith(wanted)
