"""CartonCloud report runs (vendor docs, asynchronous): `POST /report-runs` -> 201 IN_PROCESS;
`GET /report-runs/{id}` -> SUCCESS with paged `items` once REPORT_SECONDS have passed on the
mock's clock (nothing sleeps: the clock is advanced); results are kept 7 days, then 404.
The items' shapes are invented (the vendor does not show them); their amounts are reference data."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.pagination import PageNumberParams, PageParamError, link_header, page_by_number
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.store import Entity, NotFound
from conformance.mocks.blocks.tokens import ClientRecord
from conformance.mocks.cartoncloud._constants import REPORT_KEPT_SECONDS, REPORT_MAX_PAGE_SIZE, REPORT_SECONDS
from conformance.mocks.cartoncloud._reference import iso, summary, timestamps
from conformance.mocks.cartoncloud._validation import Validation


class Reports(Validation):
    async def _create_report_run(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        tenant = match.params["tenantId"]
        body = await self._body(request)
        problems = self._schema_problems("ReportRunInput", body)
        if problems:
            raise self.validation(problems)
        parameters = dict(body["parameters"])
        customer = self.refdata.find(tenant, "customers", parameters["customer"])
        if customer is None:
            raise self.validation([("/parameters/customer", "Customer could not be found")])
        # "pageSize may reduce to match the allowed maximum" (vendor docs)
        parameters["pageSize"] = min(
            int(parameters.get("pageSize", REPORT_MAX_PAGE_SIZE)), REPORT_MAX_PAGE_SIZE
        )
        parameters["customer"] = summary(customer)
        data = {
            "type": body["type"],
            "status": "IN_PROCESS",
            "parameters": parameters,
            "timestamps": timestamps(self.clock.now()),
        }
        entity = self.store.create(f"{tenant}/report-runs", data)
        return json_response(_shown(entity), 201)

    async def _get_report_run(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        tenant, eid = match.params["tenantId"], match.params["id"]
        try:
            entity = self.store.get(f"{tenant}/report-runs", eid)
        except NotFound:
            raise self.errors(404, f"Report run {eid} not found") from None
        age = self.clock.now() - entity.created_at
        if age >= REPORT_KEPT_SECONDS:
            raise self.errors(404, f"Report run {eid} not found (results are kept 7 days)")
        if age < REPORT_SECONDS:
            return json_response(_shown(entity))
        params = PageNumberParams("pageNumber", "pageSize", REPORT_MAX_PAGE_SIZE, REPORT_MAX_PAGE_SIZE,
                                  aliases={"page": "pageNumber"})  # fmt: skip
        query = {k: v for k, v in request.query_params.items() if k in ("page", "pageNumber")}
        try:
            number, _ = params.parse(query)
        except PageParamError as exc:
            raise self.errors(400, str(exc)) from None
        size = int(entity.data["parameters"]["pageSize"])
        rows = self._report_items(tenant, entity)
        page = page_by_number(rows, number, size)
        finished = entity.created_at + REPORT_SECONDS
        body = {
            **_shown(entity),
            "status": "SUCCESS",
            "timestamps": {**entity.data["timestamps"], "completed": {"time": iso(finished)}},
            "items": page.items,
        }
        headers = {
            "Total-Pages": str(math.ceil(len(rows) / size)),
            "Page-Size": str(size),
            "Page-Number": str(number),
            "Total-Elements": str(len(rows)),
            "Link": link_header(str(request.url.replace(query="")), {}, page, params),
        }
        return json_response(body, headers=headers)

    def _report_items(self, tenant: str, run: Entity) -> list[dict[str, Any]]:
        customer = run.data["parameters"]["customer"]["id"]
        if run.data["type"] == "STOCK_ON_HAND":
            out = []
            for row in self.refdata.stock.get(tenant, []):
                product = self.refdata.get(tenant, "products", row["product"])
                warehouse = self.refdata.get(tenant, "warehouses", row["warehouse"])
                if (
                    product is None
                    or warehouse is None
                    or (product.data.get("customer") or {}).get("id") != customer
                ):
                    continue
                unit = product.data.get("defaultUnitOfMeasure", "UNITS")
                out.append({
                    "product": summary(product),
                    "warehouse": summary(warehouse),
                    "unitOfMeasure": {"type": unit},
                    "measures": {"quantity": row["quantity"]},
                })  # fmt: skip
            return out
        currency = self.refdata.currency
        return [
            {
                "description": row["description"],
                "measures": {"quantity": row["quantity"]},
                "rate": {"amount": row["rate"], "currency": currency},
                "total": {"amount": round(row["quantity"] * row["rate"], 2), "currency": currency},
            }
            for row in self.refdata.charges.get(tenant, [])
            if row["customer"] == customer
        ]


def _shown(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, **entity.data}
