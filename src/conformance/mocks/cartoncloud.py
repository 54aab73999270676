"""Stateful mock of the CartonCloud API v1 (seed 003; CONTRACT-DECISIONS.md, cartoncloud).

Order of checks (CONTRACT-DECISIONS, finer points): unknown path 404 -> Accept-Version 400 ->
405 -> 401 -> 403 -> 429 -> body 400 -> 422. Errors are JSON arrays of `{"message"}`
(validation: `{"field": <JSON Pointer>, "message"}`); token-endpoint errors are RFC 6749 objects.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from typing import Any

import anyio.lowlevel
from jsonschema import Draft202012Validator
from starlette.requests import Request
from starlette.responses import Response

from conformance.contracts import load_contract
from conformance.mocks.blocks.app import BodyError, MockApp, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.faults import Fault, fault_table
from conformance.mocks.blocks.pagination import (
    PageNumberParams,
    PageParamError,
    link_header,
    page_by_number,
)
from conformance.mocks.blocks.ratelimit import SlidingWindowLimiter
from conformance.mocks.blocks.routing import RouteMatch, Router
from conformance.mocks.blocks.store import NotFound, VersionConflict, VersionedStore
from conformance.mocks.blocks.tokens import ClientRecord, ClientRegistry, TokenIssuer, oauth_form, parse_basic

TENANT_ID = "0b7c5a52-3f4e-4d7a-9a51-6a3e2c1d0e01"
OTHER_TENANT_ID = "5d1e9f80-8c2b-4b6e-a0d4-2f7e3b9c4a02"
TOKEN_LIFETIME = 3600
SUPPORTED_VERSIONS = ("1",)
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "cc-demo-client",
    "CLIENT_SECRET": "cc-demo-secret-7Hq2",
    "OTHER_CLIENT_ID": "cc-other-client",
    "OTHER_CLIENT_SECRET": "cc-other-secret-Jx81",
}
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# resource path segment -> (default type, initial status, webhook event, input schema)
RESOURCES: dict[str, tuple[str, str, str, str]] = {
    "inbound-orders": ("INBOUND", "AWAITING", "inbound_order.status_changed", "InboundOrderInput"),
    "outbound-orders": ("OUTBOUND", "AWAITING", "outbound_order.status_changed", "OutboundOrderInput"),
    "consignments": ("CONSIGNMENT", "DRAFT", "consignment.status_changed", "ConsignmentInput"),
}

# how a reference finds its entity: the first present key, in the seed's order
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "references.code", "name"),
    "warehouses": ("id", "name"),
    "products": ("id", "references.code", "references.barcode", "name"),
}

FAULTS = fault_table(
    accept_version_not_enforced=Fault(
        "requests without Accept-Version (or with an unsupported one) succeed",
        breaks="transport_required_header_missing_rejected",
        select="test_required_header_missing_rejected",
    ),
    unsupported_version_accepted=Fault(
        "an unsupported Accept-Version value is accepted",
        breaks="transport_required_header_unsupported_rejected",
        select="test_required_header_unsupported_rejected",
    ),
    accept_any_token=Fault(
        "an unknown bearer token is accepted",
        breaks="auth_invalid_token_rejected",
        select="test_invalid_token_rejected",
    ),
    anonymous_access=Fault(
        "a request without Authorization is accepted",
        breaks="auth_missing_credentials_rejected",
        select="test_missing_credentials_rejected",
    ),
    any_grant_type_accepted=Fault(
        "the token endpoint issues tokens for any grant_type",
        breaks="auth_token_error_conforms",
        select="test_unsupported_grant_type_rejected",
    ),
    token_never_expires=Fault(
        "tokens stay valid after expires_in",
        breaks="auth_expired_token_rejected",
        select="test_expired_token_rejected",
    ),
    token_type_wrong=Fault(
        "the token response says token_type 'mac'",
        breaks="auth_token_response_conforms",
        select="test_token_response_conforms",
    ),
    invalid_client_400=Fault(
        "bad client credentials get 400 instead of 401",
        breaks="auth_token_error_conforms",
        select="test_invalid_client_rejected",
    ),
    tenant_isolation_broken=Fault(
        "a token reaches tenants its user does not have",
        breaks="auth_tenant_isolation",
        select="test_foreign",
    ),
    wrong_405_status=Fault(
        "a wrong method gets 404 instead of 405",
        breaks="transport_method_not_allowed",
        select="test_method_not_allowed",
    ),
    unknown_path_400=Fault(
        "an unknown path gets 400 instead of 404",
        breaks="transport_unknown_path_not_found",
        select="test_unknown_path_not_found",
    ),
    error_envelope_object=Fault(
        "errors are a JSON object instead of an array",
        breaks={"errors_envelope_conforms", "rate_limit_rejection_envelope"},
        select="test_documented_error or test_rejection_envelope",
    ),
    validation_without_pointer=Fault(
        "422 errors name the field without a JSON Pointer",
        breaks="errors_envelope_conforms",
        select="missing_required_field",
    ),
    validation_wrong_pointer=Fault(
        "422 errors point at the parent of the offending field",
        breaks="errors_field_pointer_named",
        select="missing_required_field",
    ),
    malformed_json_500=Fault(
        "malformed JSON crashes the endpoint (500)", breaks="errors_status_matches", select="malformed_json"
    ),
    no_228=Fault(
        "an outbound order created in REJECTED status gets 201",
        breaks="errors_status_matches",
        select="created_with_issues",
    ),
    ignore_if_match=Fault(
        "a stale If-Match is ignored (the write wins)",
        breaks="locking_stale_version_rejected",
        select="test_stale_version_rejected",
    ),
    no_version_increment=Fault(
        "an update does not increment the version",
        breaks="locking_version_incremented",
        select="test_version_incremented",
    ),
    racy_update=Fault(
        "the If-Match compare and the write are not atomic (lost updates)",
        breaks="locking_concurrent_single_winner",
        select="test_concurrent_single_winner",
    ),
    malformed_if_match_accepted=Fault(
        "a non-integer If-Match is treated as absent",
        breaks="locking_malformed_version_rejected",
        select="test_malformed_version_rejected",
    ),
    if_match_required=Fault(
        "a PUT without If-Match gets 428",
        breaks="locking_absent_if_match_accepted",
        select="test_absent_if_match_accepted",
    ),
    missing_link_header=Fault(
        "search pages have no Link header", breaks="pagination_link_header", select="test_link_header"
    ),
    wrong_link_rels=Fault(
        "the last page still has rel=next", breaks="pagination_link_header", select="test_link_header"
    ),
    duplicate_page_item=Fault(
        "each page repeats the last item of the previous page",
        breaks="pagination_walk_complete",
        select="test_walk_complete",
    ),
    page_gap=Fault(
        "each page skips the first item that belongs on it",
        breaks="pagination_walk_complete",
        select="test_walk_complete",
    ),
    wrong_total_elements=Fault(
        "Total-Elements counts one element too many",
        breaks="pagination_headers_consistent",
        select="test_headers_consistent",
    ),
    ignore_page_size_max=Fault(
        "pageSize above 200 is not clamped", breaks="pagination_max_size", select="test_max_size"
    ),
    default_page_size_wrong=Fault(
        "the default page size is 10, not 20", breaks="pagination_default_size", select="test_default_size"
    ),
    past_end_error=Fault(
        "a page past the end gets 404 instead of []", breaks="pagination_past_end", select="test_past_end"
    ),
    page_zero_accepted=Fault(
        "pageNumber 0 is treated as 1",
        breaks="pagination_invalid_page_rejected",
        select="test_invalid_page_rejected",
    ),
    no_rate_limit=Fault(
        "outbound-order creation is not rate limited",
        breaks="rate_limit_quota_enforced",
        select="test_quota_enforced",
    ),
    rate_limit_never_recovers=Fault(
        "the outbound-order limit never resets",
        breaks="rate_limit_recovers_after_window",
        select="test_recovers_after_window",
    ),
    webhook_not_sent=Fault(
        "status changes raise no webhook", breaks="webhooks_delivered", select="test_events_delivered"
    ),
    webhook_missing_headers=Fault(
        "webhooks omit the configured custom headers",
        breaks="webhooks_custom_headers",
        select="test_custom_headers_sent",
    ),
    webhook_no_retry=Fault(
        "a delivery answered with an error is not retried",
        breaks="webhooks_retried_on_failure",
        select="test_failed_delivery_retried",
    ),
    webhook_partial_payload=Fault(
        "the webhook body is {id, status} instead of the full entity",
        breaks="webhooks_payload_conforms",
        select="test_payload_conforms",
    ),
)


class CartonCloudMock(MockApp):
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

    # -- state -----------------------------------------------------------------------------------

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

    # -- envelopes ---------------------------------------------------------------------------------

    def errors(self, status: int, *messages: str, headers: Mapping[str, str] | None = None) -> MockHTTPError:
        body: Any = [{"message": m} for m in messages]
        if self.fault("error_envelope_object"):
            body = body[0]
        return MockHTTPError(status, body, headers)

    def validation(self, problems: list[tuple[str, str]]) -> MockHTTPError:
        def field(pointer: str) -> str:
            if self.fault("validation_without_pointer"):
                return pointer.lstrip("/").replace("/", ".")
            if self.fault("validation_wrong_pointer"):
                return pointer.rsplit("/", 1)[0]
            return pointer

        body: Any = [{"field": field(p), "message": m} for p, m in problems]
        if self.fault("error_envelope_object"):
            body = body[0]
        return MockHTTPError(422, body)

    def server_error(self) -> Response:
        return json_response([{"message": "An issue with our server. Try again later."}], 500)

    # -- pipeline ----------------------------------------------------------------------------------

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

    def _check_accept_version(self, request: Request) -> None:
        if self.fault("accept_version_not_enforced"):
            return
        version = request.headers.get("accept-version")
        if version is None:
            raise self.errors(400, "Accept-Version header is required")
        if version.strip() not in SUPPORTED_VERSIONS and not self.fault("unsupported_version_accepted"):
            raise self.errors(400, f"Unsupported Accept-Version '{version}'; supported: 1")

    def _authenticate(self, request: Request) -> ClientRecord:
        check = self.tokens.check(request.headers.get("authorization"))
        if check.ok and check.token:
            return check.token.client
        if (check.status == "unknown" and self.fault("accept_any_token")) or (
            check.status == "missing" and self.fault("anonymous_access")
        ):
            return next(c for c in self.clients)  # the demo client
        message = {
            "missing": "Full authentication is required to access this resource",
            "malformed": "Authorization header must be a Bearer token",
            "unknown": "Invalid access token",
            "expired": "Access token expired",
        }[check.status]
        raise self.errors(401, message, headers={"WWW-Authenticate": 'Bearer realm="api"'})

    def _check_tenant(self, client: ClientRecord, tenant: str) -> None:
        if self.fault("tenant_isolation_broken") and tenant in self.reference:
            return
        if tenant not in {tid for tid, _ in client.attrs["tenants"]}:
            raise self.errors(403, "Access is denied to this tenant")

    async def _body(self, request: Request, *, required: bool = True) -> Any:
        try:
            return await read_json(request, required=required)
        except BodyError as exc:
            if exc.kind == "malformed" and self.fault("malformed_json_500"):
                raise RuntimeError("simulated crash on malformed JSON") from exc
            raise self.errors(400, str(exc)) from None

    # -- auth endpoints ----------------------------------------------------------------------------

    async def _token(self, request: Request, match: RouteMatch) -> Response:
        version = request.headers.get("accept-version")
        if version is not None and version.strip() not in SUPPORTED_VERSIONS:
            raise MockHTTPError(
                400,
                {"error": "invalid_request", "error_description": f"Unsupported Accept-Version '{version}'"},
            )
        creds = parse_basic(request.headers.get("authorization"))
        client = self.clients.authenticate(*creds) if creds else None
        if client is None:
            status = 400 if self.fault("invalid_client_400") else 401
            raise MockHTTPError(
                status,
                {"error": "invalid_client", "error_description": "Bad client credentials"},
                {"WWW-Authenticate": 'Basic realm="oauth"'},
            )
        form = await oauth_form(request)
        grant = form.get("grant_type")
        if not grant:
            raise MockHTTPError(
                400, {"error": "invalid_request", "error_description": "grant_type is required"}
            )
        if grant != "client_credentials" and not self.fault("any_grant_type_accepted"):
            raise MockHTTPError(
                400,
                {"error": "unsupported_grant_type", "error_description": f"Unsupported grant type: {grant}"},
            )
        token = self.tokens.issue(client)
        return json_response(
            {
                "access_token": token.value,
                "token_type": "mac" if self.fault("token_type_wrong") else "bearer",
                "expires_in": TOKEN_LIFETIME,
            },
            headers={"Cache-Control": "no-store"},
        )

    async def _userinfo(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        attrs = client.attrs
        return json_response(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, client.subject)),
                "name": attrs["name"],
                "email": attrs["email"],
                "tenants": [{"id": tid, "name": name} for tid, name in attrs["tenants"]],
            }
        )

    # -- validation and reference resolution ---------------------------------------------------------

    def _schema_problems(self, schema_name: str, data: Any) -> list[tuple[str, str]]:
        root = {"$ref": f"#/components/schemas/{schema_name}", "components": {"schemas": self._schemas}}
        problems: list[tuple[str, str]] = []
        for error in Draft202012Validator(root).iter_errors(data):
            pointer = "".join(f"/{p}" for p in error.absolute_path)
            if error.validator == "required":
                missing = [k for k in error.validator_value if k not in (error.instance or {})]
                problems += [(f"{pointer}/{k}", f"{k} is required") for k in missing]
            else:
                problems.append((pointer, error.message[:200]))
        return sorted(set(problems))

    def _resolve(self, tenant: str, kind: str, ref: Any) -> Any:
        """The first present key in the seed's order decides (seed, Standard Elements)."""
        if not isinstance(ref, dict):
            return None
        for path in REFERENCE_KEYS[kind]:
            wanted = _dotted_get(ref, path)
            if wanted is not None:
                return next((r for r in self.reference[tenant][kind] if _dotted_get(r, path) == wanted), None)
        return None

    def _customer(self, tenant: str, ref: Any) -> Any:
        return self._resolve(tenant, "customers", ref)

    def _warehouse(self, tenant: str, ref: Any) -> Any:
        return self._resolve(tenant, "warehouses", ref)

    def _product(self, tenant: str, ref: Any) -> Any:
        return self._resolve(tenant, "products", ref)

    def _prepare(self, tenant: str, segment: str, body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Validate an order/consignment body; return the stored form and the issues that make an
        outbound order REJECTED (228). Raises the 422 for everything else."""
        default_type, initial_status, _, schema_name = RESOURCES[segment]
        problems = self._schema_problems(schema_name, body)
        if problems:
            raise self.validation(problems)
        customer = self._customer(tenant, body["customer"])
        if customer is None:
            problems.append(("/customer", "Customer could not be found"))
        warehouse = None
        if "warehouse" in body:
            warehouse = self._warehouse(tenant, body["warehouse"])
            if warehouse is None:
                problems.append(("/warehouse", "Warehouse could not be found"))
        rejected: list[str] = []
        for i, item in enumerate(body.get("items") or []):
            product_ref = (item.get("details") or {}).get("product")
            if product_ref is None or self._product(tenant, product_ref) is not None:
                continue
            if segment == "outbound-orders":
                rejected.append(f"Product {_describe(product_ref)} could not be found")
            else:
                problems.append((f"/items/{i}/details/product", "Product could not be found"))
        if problems:
            raise self.validation(problems)
        data = {k: v for k, v in body.items() if k not in ("id", "version")}
        data["type"] = default_type
        data["customer"] = customer
        data["warehouse"] = warehouse or self.reference[tenant]["warehouses"][0]
        if segment != "consignments" or "status" not in data:
            data["status"] = "DRAFT" if body.get("status") == "DRAFT" else initial_status
        return data, rejected

    # -- resources ---------------------------------------------------------------------------------

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
        overlap = 1 if self.fault("duplicate_page_item") else -1 if self.fault("page_gap") else 0
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

    # -- control plane hooks -------------------------------------------------------------------------

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


def _label(segment: str) -> str:
    return {
        "inbound-orders": "Inbound order",
        "outbound-orders": "Outbound order",
        "consignments": "Consignment",
    }.get(segment, segment)


def _describe(ref: dict[str, Any]) -> str:
    refs = ref.get("references") or {}
    return repr(ref.get("id") or refs.get("code") or refs.get("barcode") or ref.get("name"))


def _dotted_get(doc: Any, path: str) -> Any:
    for part in path.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


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
