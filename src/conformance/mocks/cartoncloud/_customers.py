"""CartonCloud customers (vendor docs): `GET /customers` (paged), `GET /customers/{id}` and
`POST /customers` (201; `name` and `references.code` required; a code the tenant already has ->
422 "already exists"). Customers are reference data: an order names a new customer at once."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.tokens import ClientRecord
from conformance.mocks.cartoncloud._paging import Paging
from conformance.mocks.cartoncloud._reference import view
from conformance.mocks.cartoncloud._validation import Validation


class Customers(Paging, Validation):
    async def _list_customers(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        tenant = match.params["tenantId"]
        shown = [view(e, versioned=False) for e in self.refdata.all(tenant, "customers")]
        return self._paged(request, shown, segment="customers")

    async def _get_customer(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        tenant, eid = match.params["tenantId"], match.params["id"]
        entity = self.refdata.get(tenant, "customers", eid)
        if entity is None:
            raise self.errors(404, f"Customer {eid} not found")
        return json_response(view(entity, versioned=False))

    async def _create_customer(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        tenant = match.params["tenantId"]
        body = await self._body(request)
        problems = self._schema_problems("CustomerInput", body)
        if problems:
            raise self.validation(problems)
        code = body["references"]["code"]
        taken = self.refdata.code_taken(tenant, "customers", code)
        if taken is not None and not self.fault("duplicate_code_accepted"):
            raise self.validation(
                [("/references/code", f"A customer with code {code} already exists")],
                extra={"type": "DUPLICATE", "details": {"duplicateId": taken.id}},
            )
        entity = self.refdata.add(tenant, "customers", body)
        return json_response(view(entity, versioned=False), 201)
