"""CartonCloud products: the seed's `POST /products` (scope WAREHOUSE or TRANSPORT) and the newer
warehouse products (vendor docs): `POST /warehouse-products`, `GET /warehouse-products/{id}` and
`PATCH /warehouse-products/{id}` with an RFC 6902 JSON Patch, applied by the `jsonpatch` library.
Products are reference data (`refdata`), so an order item names a product created here at once."""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch
import jsonpointer as _jsonpointer
from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.app import BodyError, read_json
from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.store import Entity, VersionConflict
from conformance.mocks.blocks.tokens import ClientRecord
from conformance.mocks.cartoncloud._reference import iso, summary
from conformance.mocks.cartoncloud._resources import Resources

PATCH_TYPES = ("application/json-patch+json", "application/json")  # real clients send the second
READ_ONLY = ("id", "version", "timestamps")


class Products(Resources):
    async def _create_product(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        tenant = match.params["tenantId"]
        body = await self._body(request)
        scope = body.get("scope")
        schema = {"WAREHOUSE": "LegacyWarehouseProductInput", "TRANSPORT": "TransportProductInput"}.get(
            scope if isinstance(scope, str) else ""
        )
        if schema is None or (scope == "TRANSPORT" and self.fault("transport_products_refused")):
            raise self.validation([("/scope", "scope must be WAREHOUSE or TRANSPORT")])
        return json_response(self._new_product(tenant, body, schema).view(), 201)

    async def _create_warehouse_product(
        self, request: Request, match: RouteMatch, client: ClientRecord
    ) -> Response:
        body = await self._body(request)
        product = self._new_product(match.params["tenantId"], body, "WarehouseProductInput")
        return json_response(product.view(), 201)

    def _new_product(self, tenant: str, body: dict[str, Any], schema: str) -> Entity:
        problems = self._schema_problems(schema, body)
        if problems:
            raise self.validation(problems)
        return self.refdata.add(tenant, "products", self._resolved_product(tenant, body))  # defaults filled

    def _resolved_product(
        self, tenant: str, body: dict[str, Any], own_id: str | None = None
    ) -> dict[str, Any]:
        """The product as stored: customer resolved; 422 for an unknown customer
        or a `references.code` another product of the same customer holds."""
        data = {k: copy.deepcopy(v) for k, v in body.items() if k not in READ_ONLY}
        if "customer" in data:
            customer = self.refdata.find(tenant, "customers", data["customer"])
            if customer is None:
                raise self.validation([("/customer", "Customer could not be found")])
            data["customer"] = summary(customer)
        code = (data.get("references") or {}).get("code")
        owner = (data.get("customer") or {}).get("id")
        taken = self.refdata.code_taken(tenant, "products", code, customer=owner) if code else None
        if taken is not None and taken.id != own_id and not self.fault("duplicate_code_accepted"):
            raise self.validation(
                [("/references/code", f"A product with code {code} already exists for this customer")],
                extra={"type": "DUPLICATE", "details": {"duplicateId": taken.id}},
            )
        return data

    def _warehouse_product(self, match: RouteMatch) -> Entity:
        tenant, eid = match.params["tenantId"], match.params["id"]
        entity = self.refdata.get(tenant, "products", eid)
        if entity is None or entity.data.get("scope", "WAREHOUSE") != "WAREHOUSE":
            raise self.errors(404, f"Warehouse product {eid} not found")
        return entity

    async def _get_warehouse_product(
        self, request: Request, match: RouteMatch, client: ClientRecord
    ) -> Response:
        return json_response(self._warehouse_product(match).view())

    async def _patch_warehouse_product(
        self, request: Request, match: RouteMatch, client: ClientRecord
    ) -> Response:
        """RFC 6902: the operations apply in order to the product as GET shows it, all or nothing; a
        failed `test` or a path that is not there -> 422 naming it; If-Match, when sent, must be the
        current version (decision: the vendor documents no If-Match here; a stale one -> 409)."""
        tenant = match.params["tenantId"]
        current = self._warehouse_product(match)
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media not in PATCH_TYPES:
            raise self.errors(400, f"Content-Type must be {PATCH_TYPES[0]} (an RFC 6902 JSON Patch)")
        expected = self._if_match(request.headers.get("if-match"))
        try:
            operations = await read_json(request, object_only=False)
        except BodyError as exc:
            raise self.errors(400, str(exc)) from None
        problems = self._schema_problems("JsonPatch", operations)
        if problems:
            raise self.errors(400, *(f"{p or '/'}: {m}" for p, m in problems))
        patched = self._patched(current.view(), operations)
        changed = [k for k in READ_ONLY if patched.get(k) != current.view().get(k)]
        if changed:
            raise self.validation([(f"/{k}", f"{k} is set by the server") for k in changed])
        body = {k: v for k, v in patched.items() if k not in READ_ONLY}
        problems = self._schema_problems("WarehouseProductInput", body)
        if problems:
            raise self.validation(problems)
        data = self._resolved_product(tenant, body, own_id=current.id)
        data["timestamps"] = {
            **current.data.get("timestamps", {}),
            "modified": {"time": iso(self.clock.now())},
        }
        if self.fault("ignore_if_match"):
            expected = None
        try:
            entity = self.store.replace(
                current.namespace,
                current.id,
                data,
                expected_version=expected,
                bump=not self.fault("no_version_increment"),
            )
        except VersionConflict as exc:
            raise self._conflict("warehouse-products", current.id, exc) from None
        return json_response(entity.view())

    def _patched(self, document: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
        doc: Any = document
        for op in operations:
            try:
                doc = jsonpatch.JsonPatch([op]).apply(doc)
            except jsonpatch.JsonPatchTestFailed:
                if self.fault("patch_test_ignored"):
                    continue
                raise self.validation([(op["path"], "test failed: the value differs")]) from None
            except (jsonpatch.JsonPatchException, _jsonpointer.JsonPointerException, LookupError, TypeError):
                where = op.get("from", op["path"]) if op["op"] in ("move", "copy") else op["path"]
                raise self.validation([(str(where), f"{op['op']}: no such location")]) from None
        if not isinstance(doc, dict):
            raise self.validation([("", "the patched product must stay an object")])
        return doc
