"""CartonCloud orders, consignments and products: create, get, and update under If-Match."""

from __future__ import annotations

import anyio.lowlevel
from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.store import NotFound, VersionConflict
from conformance.mocks.blocks.tokens import ClientRecord
from conformance.mocks.cartoncloud._validation import Validation


class Resources(Validation):
    async def _create(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        segment, tenant = match.tags["resource"], match.params["tenantId"]
        if segment == "outbound-orders" and not self.fault("no_rate_limit"):
            decision = self.outbound_limiter.hit(client.client_id)
            if not decision.allowed:
                raise self.errors(
                    429,
                    "Rate limit exceeded: 30 outbound orders per minute",
                    headers={"Retry-After": str(decision.retry_after)},
                )
        body = await self._body(request)
        data, rejected = self._prepare(tenant, segment, body)
        status = 201
        if rejected:
            data["status"] = "REJECTED"
            data.setdefault("details", {})["errors"] = [{"message": m, "isResolved": False} for m in rejected]
            status = 201 if self.fault("no_228") else 228
        entity = self.store.create(f"{tenant}/{segment}", data)
        return json_response(entity.view(), status)

    async def _get(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        segment, tenant, eid = match.tags["resource"], match.params["tenantId"], match.params["id"]
        try:
            entity = self.store.get(f"{tenant}/{segment}", eid)
        except NotFound:
            raise self.errors(404, f"{_label(segment)} {eid} not found") from None
        return json_response(entity.view())

    async def _update(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        segment, tenant, eid = match.tags["resource"], match.params["tenantId"], match.params["id"]
        namespace = f"{tenant}/{segment}"
        try:
            current = self.store.get(namespace, eid)
        except NotFound:
            raise self.errors(404, f"{_label(segment)} {eid} not found") from None
        expected = self._if_match(request.headers.get("if-match"))
        body = await self._body(request)
        data, _ = self._prepare(tenant, segment, body)
        data["status"] = body.get("status", current.data.get("status"))
        if self.fault("ignore_if_match"):
            expected = None
        try:
            if self.fault("racy_update"):
                seen = self.store.read_version(namespace, eid)
                if expected is not None and expected != seen:
                    raise VersionConflict(seen, expected)
                await anyio.lowlevel.checkpoint()  # lets a concurrent writer in: the lost update
                entity = self.store.write_unchecked(namespace, eid, data, seen + 1)
            else:
                entity = self.store.replace(
                    namespace,
                    eid,
                    data,
                    expected_version=expected,
                    bump=not self.fault("no_version_increment"),
                )
        except VersionConflict as exc:
            raise self.errors(
                409,
                f"{_label(segment)} {eid} has been modified by another request "
                f"(version {exc.current}, If-Match {exc.expected})",
            ) from None
        return json_response(entity.view())

    def _if_match(self, raw: str | None) -> int | None:
        if raw is None:
            if self.fault("if_match_required"):
                raise self.errors(428, "If-Match header is required")
            return None
        value = raw.strip()
        value = value.removeprefix("W/").strip('"')
        if not (value.isascii() and value.isdigit()):
            if self.fault("malformed_if_match_accepted"):
                return None
            raise self.errors(400, f"If-Match must be the integer version of the entity, got {raw!r}")
        return int(value)

    async def _create_product(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        tenant = match.params["tenantId"]
        body = await self._body(request)
        scope = body.get("scope")
        schema = {"WAREHOUSE": "WarehouseProductInput", "TRANSPORT": "TransportProductInput"}.get(
            scope if isinstance(scope, str) else ""
        )
        if schema is None:
            raise self.validation([("/scope", "scope must be WAREHOUSE or TRANSPORT")])
        problems = self._schema_problems(schema, body)
        if not problems and "customer" in body and self._customer(tenant, body["customer"]) is None:
            problems.append(("/customer", "Customer could not be found"))
        if problems:
            raise self.validation(problems)
        data = {k: v for k, v in body.items() if k not in ("id", "version")} | {"status": "ACTIVE"}
        entity = self.store.create(f"{tenant}/products", data)
        self.reference[tenant]["products"].append(
            {"id": entity.id, "name": body["name"], "references": body.get("references") or {}}
        )
        return json_response(entity.view(), 201)


def _label(segment: str) -> str:
    return {
        "inbound-orders": "Inbound order",
        "outbound-orders": "Outbound order",
        "consignments": "Consignment",
    }.get(segment, segment)
