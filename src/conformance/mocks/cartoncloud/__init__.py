"""Stateful mock of the CartonCloud API v1 (seed 003; CONTRACT-DECISIONS.md, cartoncloud).

Order of checks (CONTRACT-DECISIONS, finer points): unknown path 404 -> Accept-Version 400 ->
405 -> 401 -> 403 -> 429 -> body 400 -> 422. Errors are JSON arrays of `{"message"}`
(validation: `{"field": <JSON Pointer>, "message"}`); token-endpoint errors are RFC 6749 objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any, ClassVar

from starlette.requests import Request
from starlette.responses import Response

from conformance.contracts import load_contract
from conformance.mocks.blocks.pagination import PageNumberParams
from conformance.mocks.blocks.personas import Persona, persona_table
from conformance.mocks.blocks.ratelimit import FixedWindowLimiter, SlidingWindowLimiter
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.store import VersionedStore
from conformance.mocks.blocks.tokens import ClientRecord, ClientRegistry, TokenIssuer
from conformance.mocks.cartoncloud._auth import Auth
from conformance.mocks.cartoncloud._constants import (
    DEFAULT_CREDENTIALS,
    OTHER_TENANT_ID,
    RESOURCES,
    TENANT_ID,
    TENANTS,
    TOKEN_LIFETIME,
)
from conformance.mocks.cartoncloud._control import Control
from conformance.mocks.cartoncloud._customers import Customers
from conformance.mocks.cartoncloud._faults import FAULTS
from conformance.mocks.cartoncloud._products import Products
from conformance.mocks.cartoncloud._reference import DEFAULT_DATA, OTHER_DATA, ReferenceData
from conformance.mocks.cartoncloud._reports import Reports
from conformance.mocks.cartoncloud._search import Search

__all__ = ["DEFAULT_CREDENTIALS", "DEFAULT_DATA", "FAULTS", "OTHER_TENANT_ID", "TENANT_ID", "CartonCloudMock"]


class CartonCloudMock(Auth, Products, Search, Customers, Reports, Control):
    api = "cartoncloud"
    FAULTS = FAULTS
    DEFAULT_CREDENTIALS = DEFAULT_CREDENTIALS
    TOKEN_LIFETIME = TOKEN_LIFETIME
    DATA_SET: ClassVar[Mapping[str, Any]] = DEFAULT_DATA  # the reference data every reset starts from
    # the rate limit counts outbound-order creation only, so token counting is no choice here
    PERSONAS = persona_table(
        "strict-create",
        "other-data",
        "lenient",
        "strict-numbers",
        "chatty",
        "slow",
        caseless=Persona("text search conditions ignore letter case", {"caseless_filters"}),
    )
    # wording the documents fix: the 405 text, a duplicate "already exists", the bare comparison
    PINNED_MESSAGES = ("not supported", "already exists", "Missing field: conditions")
    token_path = "/uaa/oauth/token"

    def setup(self) -> None:
        self.contract = load_contract("cartoncloud")
        self._schemas = self.contract.openapi["components"]["schemas"]
        self.router = Router()
        add = self.router.add
        add("/uaa/oauth/token", {"POST": self._token}, token=True)
        add("/uaa/userinfo", {"GET": self._userinfo})
        tenant = "/tenants/{tenantId}"
        for segment in RESOURCES:
            entity = {"GET": self._get, "PUT": self._update}
            if segment != "consignments":
                entity["DELETE"] = self._delete
            add(f"{tenant}/{segment}", {"POST": self._create}, resource=segment)
            add(f"{tenant}/{segment}/search", {"POST": self._search}, resource=segment)
            add(f"{tenant}/{segment}/{{id}}", entity, resource=segment)
        add(f"{tenant}/products", {"POST": self._create_product}, resource="products")
        products = "warehouse-products"
        add(f"{tenant}/{products}", {"POST": self._create_warehouse_product}, resource=products)
        add(f"{tenant}/{products}/search", {"POST": self._search}, resource=products)
        add(
            f"{tenant}/{products}/{{id}}",
            {"GET": self._get_warehouse_product, "PATCH": self._patch_warehouse_product},
            resource=products,
        )
        add(f"{tenant}/customers", {"GET": self._list_customers, "POST": self._create_customer})
        add(f"{tenant}/customers/{{id}}", {"GET": self._get_customer})
        add(f"{tenant}/report-runs", {"POST": self._create_report_run})
        add(f"{tenant}/report-runs/{{id}}", {"GET": self._get_report_run})
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
        self._validators = {}
        self.tokens = TokenIssuer(
            self.clock.now,
            self.token_lifetime,
            journal=self.token_journal,
            never_expire=self.fault("token_never_expires"),
        )
        window = 10**9 if self.fault("rate_limit_never_recovers") else 60.0
        self.outbound_limiter = SlidingWindowLimiter(
            self.clock.now, 30, window, count_rejected=not self.fault("refused_attempts_free")
        )
        if self.fault("outbound_limit_fixed_window"):
            self.outbound_limiter = FixedWindowLimiter(self.clock.now, window, lambda key: 30)
        self.store = VersionedStore(self.clock.now)
        self.refdata = ReferenceData(self.store, last_key_first=self.fault("references_last_key_first"))
        self._numbers = itertools.count(1000)
        self.search_index = {}
        data = OTHER_DATA if self.trait("other_data") else self.DATA_SET
        for tenant in TENANTS:
            self.refdata.load(tenant, data)

    def demo_config(self) -> dict[str, str]:
        return {**self.credentials, "TENANT_ID": TENANT_ID, "OTHER_TENANT_ID": OTHER_TENANT_ID}

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        match = self.router.match(path)
        if self.fault("version_before_unknown_path") and path != self.token_path:
            self._check_accept_version(request)
        if match is not None and self.fault("method_before_version") and request.method not in match.handlers:
            raise self.errors(405, f"Request method '{request.method}' not supported")
        if match is None:
            if self.fault("unknown_path_400"):
                raise self.errors(400, f"Invalid request for {path}")
            raise self.errors(404, f"No handler found for {request.method} {path}")
        if not match.tags.get("token"):
            self._check_accept_version(request)
        handler = match.handlers.get(request.method)
        if self.fault("auth_before_method") and not match.tags.get("token"):
            self._authenticate(request)
        tenant = match.params.get("tenantId")
        if self.fault("tenant_before_auth") and tenant is not None and not match.tags.get("token"):
            self._check_tenant(next(c for c in self.clients), tenant)
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
        if tenant is not None:
            self._check_tenant(client, tenant)
        return await handler(request, match, client)  # type: ignore[no-any-return]
