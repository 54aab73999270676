"""Stateful mock of the CartonCloud API v1 (seed 003; CONTRACT-DECISIONS.md, cartoncloud).

Order of checks (CONTRACT-DECISIONS, finer points): unknown path 404 -> Accept-Version 400 ->
405 -> 401 -> 403 -> 429 -> body 400 -> 422. Errors are JSON arrays of `{"message"}`
(validation: `{"field": <JSON Pointer>, "message"}`); token-endpoint errors are RFC 6749 objects.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.contracts import load_contract
from conformance.mocks.blocks.errors import MockHTTPError
from conformance.mocks.blocks.pagination import PageNumberParams
from conformance.mocks.blocks.ratelimit import SlidingWindowLimiter
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.store import NotFound, VersionedStore
from conformance.mocks.blocks.tokens import ClientRecord, ClientRegistry, TokenIssuer
from conformance.mocks.cartoncloud._auth import Auth
from conformance.mocks.cartoncloud._constants import (
    DEFAULT_CREDENTIALS,
    OTHER_TENANT_ID,
    RESOURCES,
    TENANT_ID,
    TOKEN_LIFETIME,
)
from conformance.mocks.cartoncloud._faults import FAULTS
from conformance.mocks.cartoncloud._resources import Resources
from conformance.mocks.cartoncloud._search import Search

__all__ = ["DEFAULT_CREDENTIALS", "FAULTS", "OTHER_TENANT_ID", "TENANT_ID", "CartonCloudMock"]


class CartonCloudMock(Auth, Resources, Search):
    api = "cartoncloud"
    FAULTS = FAULTS
    DEFAULT_CREDENTIALS = DEFAULT_CREDENTIALS
    token_path = "/uaa/oauth/token"

    def setup(self) -> None:
        self.contract = load_contract("cartoncloud")
        self._schemas = self.contract.openapi["components"]["schemas"]
        self.router = Router()
        token_route = {"POST": self._token}
        self.router.add("/uaa/oauth/token", token_route, token=True)
        self.router.add("/uaa/userinfo", {"GET": self._userinfo})
        for segment in RESOURCES:
            base = f"/tenants/{{tenantId}}/{segment}"
            self.router.add(base, {"POST": self._create}, resource=segment)
            self.router.add(base + "/search", {"POST": self._search}, resource=segment)
            self.router.add(base + "/{id}", {"GET": self._get, "PUT": self._update}, resource=segment)
        self.router.add("/tenants/{tenantId}/products", {"POST": self._create_product}, resource="products")
        self.paging = PageNumberParams(
            page="pageNumber",
            size="pageSize",
            default_size=20,
            max_size=200,
            aliases={"page": "pageNumber", "size": "pageSize"},
        )

    def reset(self) -> None:
        c = self.credentials
        self.clients = ClientRegistry(
            [
                ClientRecord(
                    c["CLIENT_ID"],
                    c["CLIENT_SECRET"],
                    subject="u-demo",
                    attrs={
                        "name": "QA Demo",
                        "email": "qa.demo@example.com",
                        "tenants": [(TENANT_ID, "Demo Tenant")],
                    },
                ),
                ClientRecord(
                    c["OTHER_CLIENT_ID"],
                    c["OTHER_CLIENT_SECRET"],
                    subject="u-other",
                    attrs={
                        "name": "Other User",
                        "email": "other@example.com",
                        "tenants": [(OTHER_TENANT_ID, "Other Tenant")],
                    },
                ),
            ]
        )
        self.tokens = TokenIssuer(
            self.clock.now,
            TOKEN_LIFETIME,
            journal=self.token_journal,
            never_expire=self.fault("token_never_expires"),
        )
        window = 10**9 if self.fault("rate_limit_never_recovers") else 60.0
        self.outbound_limiter = SlidingWindowLimiter(self.clock.now, 30, window, count_rejected=True)
        self.store = VersionedStore(self.clock.now)
        self.reference: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for tenant in (TENANT_ID, OTHER_TENANT_ID):
            self.reference[tenant] = {
                "customers": [
                    {
                        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, tenant + "/c1")),
                        "name": "Customer A",
                        "references": {"code": "C123456"},
                    }
                ],
                "warehouses": [
                    {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, tenant + "/w1")), "name": "Example Warehouse"}
                ],
                "products": [
                    {
                        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, tenant + "/p1")),
                        "name": "Product Name",
                        "references": {"code": "SKU123", "barcode": "00123246586"},
                    }
                ],
            }

    def demo_config(self) -> dict[str, str]:
        return {**self.credentials, "TENANT_ID": TENANT_ID, "OTHER_TENANT_ID": OTHER_TENANT_ID}

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        match = self.router.match(path)
        if match is None:
            if self.fault("unknown_path_400"):
                raise self.errors(400, f"Invalid request for {path}")
            raise self.errors(404, f"No handler found for {request.method} {path}")
        if not match.tags.get("token"):
            self._check_accept_version(request)
        handler = match.handlers.get(request.method)
        if handler is None:
            if self.fault("wrong_405_status"):
                raise self.errors(404, f"No handler found for {request.method} {path}")
            raise self.errors(
                405,
                f"Request method '{request.method}' not supported",
                headers={"Allow": ", ".join(match.allowed)},
            )
        if match.tags.get("token"):
            return await handler(request, match)  # type: ignore[no-any-return]
        client = self._authenticate(request)
        tenant = match.params.get("tenantId")
        if tenant is not None:
            self._check_tenant(client, tenant)
        return await handler(request, match, client)  # type: ignore[no-any-return]

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        segment = str(payload.get("resource", "")).replace("_", "-")
        if segment not in RESOURCES:
            raise MockHTTPError(400, {"error": f"'resource' must be one of {sorted(RESOURCES)}"})
        count = payload.get("count", 1)
        tenant = payload.get("tenant", TENANT_ID)
        if not isinstance(count, int) or not 0 <= count <= 1000 or tenant not in self.reference:
            raise MockHTTPError(400, {"error": "'count' must be 0..1000 and 'tenant' a known tenant"})
        customers = payload.get("customers") or ["SEED"]
        ids = []
        for i in range(count):
            data = {
                "type": RESOURCES[segment][0],
                "status": RESOURCES[segment][1],
                "references": {"customer": f"{customers[i % len(customers)]}-{i:04d}"},
                "customer": self.reference[tenant]["customers"][0],
                "warehouse": self.reference[tenant]["warehouses"][0],
                "details": {"deliver": {"address": {"city": "Metropolis"}}}
                if segment == "outbound-orders"
                else {},
                "items": [],
            }
            ids.append(self.store.create(f"{tenant}/{segment}", data).id)
        return {"resource": segment, "tenant": tenant, "ids": ids}

    def set_status(self, payload: dict[str, Any]) -> dict[str, Any]:
        segment = str(payload.get("resource", "")).replace("_", "-")
        eid, status = payload.get("id"), payload.get("status")
        tenant = payload.get("tenant", TENANT_ID)
        if segment not in RESOURCES or not isinstance(eid, str) or not isinstance(status, str):
            raise MockHTTPError(
                400, {"error": f"need 'resource' (one of {sorted(RESOURCES)}), 'id' and 'status'"}
            )
        try:
            entity = self.store.update_fields(f"{tenant}/{segment}", eid, {"status": status})
        except NotFound:
            raise MockHTTPError(404, {"error": f"no {segment} {eid} in tenant {tenant}"}) from None
        payload = entity.view()
        if self.fault("webhook_partial_payload"):
            payload = {"id": payload["id"], "status": payload["status"]}
        deliveries = self.webhooks.emit(RESOURCES[segment][2], payload)
        return {"entity": entity.view(), "deliveries": [d.id for d in deliveries]}
