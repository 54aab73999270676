"""Stateful mock of the Cropwise Ag Catalog API v2 (seed 002; CONTRACT-DECISIONS.md, agcatalog).

Custom products, items and fertilizers per organisation: names unique per organisation and
resource, soft delete (404 afterwards, name freed, hidden from lists and batch reads unless
`include_deleted`), client-supplied id conflicts, batch reads of 1-100 ids in request order,
cursor lists, organisation isolation (another organisation's entry 404, its list 403), and the
Core Services error envelope with the seed's resource-specific codes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.app import BodyError, MockApp, as_int, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.faults import Fault, fault_table
from conformance.mocks.blocks.pagination import CursorCodec, PageParamError, page_by_cursor
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.store import Entity, NotFound, VersionedStore
from conformance.mocks.blocks.tokens import (
    ClientRecord,
    ClientRegistry,
    TokenIssuer,
    oauth_error,
    oauth_form,
    parse_basic,
)

ORG_ID = "a3c1e5d2-7b44-4f0e-9c21-0d5e6f7a8b01"
OTHER_ORG_ID = "b4d2f6e3-8c55-4a1f-8d32-1e6f7a8b9c02"
TOKEN_PATH = "/oauth/token"
TOKEN_LIFETIME = 3600
ITEM_CATEGORIES = ("SEED", "SUPPLY", "EQUIPMENT", "PACKAGING", "OTHER")  # invented (CONTRACT-DECISIONS)
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "agcatalog-demo-client",
    "CLIENT_SECRET": "agcatalog-demo-secret-P3v9",
    "OTHER_CLIENT_ID": "agcatalog-other-client",
    "OTHER_CLIENT_SECRET": "agcatalog-other-secret-W6n1",
}


@dataclass(frozen=True)
class Codes:
    """The seed's error codes of one resource (and their statuses)."""

    label: str
    not_found: str
    duplicate: str
    duplicate_status: int
    invalid: str
    conflict: str
    filter_field: str


RESOURCES = {
    "products": Codes("Product", "ECPR002", "ECPR001", 400, "ECPR003", "ECPR008", "indication"),
    "items": Codes("Item", "ECIT001", "ECIT002", 400, "E400", "ECIT003", "category"),
    "fertilizers": Codes("Fertilizer", "ECFR002", "ECFR001", 409, "ECFR003", "ECFR009", "form"),
}

FAULTS = fault_table(
    anonymous_access=Fault(
        "a request without a token is accepted", breaks="auth_missing_credentials_rejected"
    ),
    invalid_token_accepted=Fault("an unknown bearer token is accepted", breaks="auth_invalid_token_rejected"),
    token_never_expires=Fault("tokens stay valid after expires_in", breaks="auth_expired_token_rejected"),
    duplicate_names_allowed=Fault(
        "two entries of one organisation may share a name",
        breaks="errors_status_matches",
        select="ECPR001 or ECIT002 or ECFR001",
    ),
    fertilizer_duplicate_400=Fault(
        "a duplicate fertilizer name gets 400 instead of 409 (ECFR001)",
        breaks="errors_status_matches",
        select="ECFR001",
    ),
    wrong_not_found_code=Fault(
        "not-found answers carry the code NOT_FOUND instead of the resource's",
        breaks={"business_outcome_as_documented", "errors_code_matches"},
    ),
    id_conflict_overwrites=Fault(
        "a create with an existing id replaces the entry",
        breaks="errors_status_matches",
        select="ECPR008 or ECIT003 or ECFR009",
    ),
    category_not_checked=Fault(
        "any item category is accepted", breaks="errors_status_matches", select="ECIT004"
    ),
    deleted_entry_returned=Fault("GET returns soft-deleted entries", breaks="business_outcome_as_documented"),
    deleted_in_batch=Fault(
        "batch reads return soft-deleted entries",
        breaks={"business_batch_in_request_order", "business_entry_hidden"},
    ),
    deleted_in_list=Fault("lists return soft-deleted entries", breaks="business_entry_hidden"),
    name_not_freed=Fault("a deleted entry's name stays taken", breaks="business_outcome_as_documented"),
    batch_limit_not_enforced=Fault(
        "a batch read of 101 ids is accepted", breaks="business_outcome_as_documented"
    ),
    batch_order_lost=Fault(
        "batch reads answer in storage order, not request order", breaks="business_batch_in_request_order"
    ),
    foreign_entry_readable=Fault(
        "another organisation's entry can be read", breaks="business_outcome_as_documented"
    ),
    foreign_list_allowed=Fault("another organisation's list can be read", breaks="auth_tenant_isolation"),
    next_key_on_last_page=Fault("the last page still has a next_key", breaks="pagination_terminal_signal"),
    page_repeats=Fault(
        "each page starts with the last entry of the previous page", breaks="pagination_walk_complete"
    ),
    size_not_enforced=Fault("size above 1000 is accepted", breaks="pagination_max_size"),
    name_filter_ignored=Fault("the name filter is ignored", breaks="pagination_filter_consistent"),
    include_deleted_ignored=Fault(
        "include_deleted never shows soft-deleted entries", breaks="business_entry_shown"
    ),
    error_envelope_wrong=Fault("errors are {message} without status and code", breaks="errors_code_matches"),
)


class AgCatalogMock(MockApp):
    api = "agcatalog"
    FAULTS = FAULTS
    DEFAULT_CREDENTIALS = DEFAULT_CREDENTIALS
    token_path = TOKEN_PATH

    def setup(self) -> None:
        self.cursors = CursorCodec()
        self.router = Router()
        for name in RESOURCES:
            self.router.add(f"/v2/catalog/{name}", {"POST": self._create}, resource=name)
            self.router.add(f"/v2/catalog/{name}/ids", {"POST": self._batch}, resource=name)
            self.router.add(
                f"/v2/catalog/{name}/{{entry_id}}",
                {"GET": self._get, "PUT": self._update, "DELETE": self._delete},
                resource=name,
            )
            self.router.add(f"/v2/catalog/orgs/{{org_id}}/{name}", {"GET": self._list}, resource=name)

    def reset(self) -> None:
        c = self.credentials
        self.clients = ClientRegistry(
            [
                ClientRecord(
                    c["CLIENT_ID"], c["CLIENT_SECRET"], frozenset({"read"}), attrs={"orgs": [ORG_ID]}
                ),
                ClientRecord(
                    c["OTHER_CLIENT_ID"],
                    c["OTHER_CLIENT_SECRET"],
                    frozenset({"read"}),
                    attrs={"orgs": [OTHER_ORG_ID]},
                ),
            ]
        )
        self.tokens = TokenIssuer(
            self.clock.now,
            TOKEN_LIFETIME,
            journal=self.token_journal,
            never_expire=self.fault("token_never_expires"),
        )
        self.store = VersionedStore(self.clock.now)

    def demo_config(self) -> dict[str, str]:
        return {**self.credentials, "ORG_ID": ORG_ID, "OTHER_ORG_ID": OTHER_ORG_ID}

    # -- envelope ----------------------------------------------------------------------------------

    def error(
        self,
        request: Request,
        status: int,
        code: str,
        message: str,
        errors: list[dict[str, str]] | None = None,
    ) -> MockHTTPError:
        if self.fault("error_envelope_wrong"):
            return MockHTTPError(status, {"message": message})
        reason = {
            400: "Bad Request",
            401: "Unauthorized",
            403: "Forbidden",
            404: "Not Found",
            405: "Method Not Allowed",
            409: "Conflict",
        }.get(status, "Error")
        return MockHTTPError(
            status,
            {
                "timestamp": _iso(self.clock.now()),
                "status": status,
                "error": reason,
                "code": code,
                "message": message,
                "path": request.url.path,
                "errors": errors or [],
            },
        )

    def server_error(self) -> Response:
        return json_response(
            {
                "timestamp": _iso(self.clock.now()),
                "status": 500,
                "error": "Internal Server Error",
                "code": "E500",
                "message": "Internal server error",
                "path": "",
                "errors": [],
            },
            500,
        )

    # -- pipeline ----------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        if request.url.path == TOKEN_PATH:
            return await self._token(request)
        match = self.router.match(request.url.path)
        if match is None:
            raise self.error(request, 404, "NOT_FOUND", f"No endpoint {request.url.path}")
        handler = match.handlers.get(request.method)
        if handler is None:
            raise self._405(request, match.allowed)
        client = self._authenticate(request)
        return await handler(request, match.tags["resource"], match.params, client)  # type: ignore[no-any-return]

    def _405(self, request: Request, allowed: list[str]) -> MockHTTPError:
        exc = self.error(request, 405, "METHOD_NOT_ALLOWED", f"Method {request.method} not supported")
        exc.headers["Allow"] = ", ".join(allowed)
        return exc

    def _authenticate(self, request: Request) -> ClientRecord:
        check = self.tokens.check(request.headers.get("authorization"))
        if check.ok and check.token:
            return check.token.client
        if (check.status == "unknown" and self.fault("invalid_token_accepted")) or (
            check.status == "missing" and self.fault("anonymous_access")
        ):
            return next(c for c in self.clients)
        exc = self.error(request, 401, "UNAUTHORIZED", f"Authentication failed: {check.status} token")
        exc.headers["WWW-Authenticate"] = "Bearer"
        raise exc

    async def _token(self, request: Request) -> Response:
        if request.method != "POST":
            raise oauth_error(405, "invalid_request", "use POST", {"Allow": "POST"})
        creds = parse_basic(request.headers.get("authorization"))
        client = self.clients.authenticate(*creds) if creds else None
        if client is None:
            raise oauth_error(401, "invalid_client", "Bad client credentials", {"WWW-Authenticate": "Basic"})
        form = await oauth_form(request)
        if form.get("grant_type") != "client_credentials":
            raise oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials")
        token = self.tokens.issue(client)
        return json_response(
            {
                "access_token": token.value,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "scope": form.get("scope", "read"),
            }
        )

    async def _body(self, request: Request, codes: Codes) -> dict[str, Any]:
        try:
            return dict(await read_json(request))
        except BodyError as exc:
            raise self.error(request, 400, codes.invalid, str(exc)) from None

    # -- validation --------------------------------------------------------------------------------

    def _validate(
        self, request: Request, resource: str, body: dict[str, Any], client: ClientRecord
    ) -> dict[str, Any]:
        codes = RESOURCES[resource]
        problems: list[dict[str, str]] = []
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append({"field": "name", "message": "name is required"})
        if resource == "items" and not self.fault("category_not_checked"):
            category = body.get("category")
            if category not in ITEM_CATEGORIES:
                raise self.error(
                    request,
                    400,
                    "ECIT004",
                    f"Invalid category {category!r}; allowed: {', '.join(ITEM_CATEGORIES)}",
                    [{"field": "category", "message": "invalid"}],
                )
        if resource == "products" and (not isinstance(body.get("indication"), str) or not body["indication"]):
            problems.append({"field": "indication", "message": "indication is required"})
        if resource == "fertilizers":
            if body.get("form") not in ("SOLID", "LIQUID"):
                problems.append({"field": "form", "message": "form must be SOLID or LIQUID"})
            nutrients = body.get("nutrients", {})
            if not isinstance(nutrients, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100
                for v in nutrients.values()
            ):
                problems.append({"field": "nutrients", "message": "nutrients map to percentages 0-100"})
        if "id" in body and (not isinstance(body["id"], str) or not UUID_RE.match(body["id"])):
            problems.append({"field": "id", "message": "id must be a UUID"})
        if problems:
            raise self.error(
                request, 400, codes.invalid, f"Invalid {codes.label.lower()} attributes", problems
            )
        if "org_id" in body and not isinstance(body["org_id"], str):
            raise self.error(
                request,
                400,
                codes.invalid,
                "org_id must be a string",
                [{"field": "org_id", "message": "must be a string"}],
            )
        org = body.get("org_id")
        orgs = client.attrs["orgs"]
        if org is None:
            if len(orgs) != 1:
                raise self.error(
                    request,
                    400,
                    codes.invalid,
                    "org_id is required",
                    [{"field": "org_id", "message": "required"}],
                )
            org = orgs[0]
        if not isinstance(org, str):
            raise self.error(request, 400, codes.invalid, "org_id must be a string")
        if org not in orgs:
            raise self.error(request, 403, "FORBIDDEN", f"The client is not in organisation {org}")
        return {
            **{k: v for k, v in body.items() if k not in ("id", "deleted", "created_at", "updated_at")},
            "org_id": org,
            "name": name,
        }

    def _name_taken(self, resource: str, org: str, name: str, exclude: str | None = None) -> bool:
        if self.fault("duplicate_names_allowed"):
            return False
        return any(
            e.data["name"] == name and e.data["org_id"] == org and e.id != exclude
            for e in self.store.list(resource, include_deleted=self.fault("name_not_freed"))
        )

    def _duplicate(self, request: Request, resource: str, name: str) -> MockHTTPError:
        codes = RESOURCES[resource]
        status = 400 if self.fault("fertilizer_duplicate_400") else codes.duplicate_status
        return self.error(
            request,
            status,
            codes.duplicate,
            f"A {codes.label.lower()} named {name!r} already exists for the organization",
        )

    def _find(self, request: Request, resource: str, entry_id: str, client: ClientRecord) -> Entity:
        codes = RESOURCES[resource]
        code = "NOT_FOUND" if self.fault("wrong_not_found_code") else codes.not_found
        try:
            entity = self.store.get(resource, entry_id, include_deleted=self.fault("deleted_entry_returned"))
        except NotFound:
            raise self.error(request, 404, code, f"{codes.label} {entry_id} not found") from None
        if entity.data["org_id"] not in client.attrs["orgs"] and not self.fault("foreign_entry_readable"):
            raise self.error(
                request, 404, code, f"{codes.label} {entry_id} not found"
            )  # existence not leaked
        return entity

    # -- operations --------------------------------------------------------------------------------

    async def _create(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        body = await self._body(request, codes)
        data = self._validate(request, resource, body, client)
        entry_id = body.get("id")
        if entry_id is not None and self.store.exists_anywhere(entry_id):
            if not self.fault("id_conflict_overwrites"):
                raise self.error(request, 409, codes.conflict, f"{codes.label} id {entry_id} already exists")
            existing = self.store.get(resource, entry_id, include_deleted=True)
            existing.data, existing.deleted = data, False
            return json_response(_view(existing), 201)
        if self._name_taken(resource, data["org_id"], data["name"]):
            raise self._duplicate(request, resource, data["name"])
        entity = self.store.create(resource, data, entity_id=entry_id)
        return json_response(_view(entity), 201)

    async def _get(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        return json_response(_view(self._find(request, resource, params["entry_id"], client)))

    async def _update(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        entity = self._find(request, resource, params["entry_id"], client)
        body = await self._body(request, codes)
        data = self._validate(
            request, resource, {**body, "org_id": body.get("org_id", entity.data["org_id"])}, client
        )
        if self._name_taken(resource, data["org_id"], data["name"], exclude=entity.id):
            raise self._duplicate(request, resource, data["name"])
        updated = self.store.replace(resource, entity.id, data, expected_version=None)
        return json_response(_view(updated))

    async def _delete(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        entity = self._find(request, resource, params["entry_id"], client)
        self.store.soft_delete(resource, entity.id)
        return Response(status_code=204)

    async def _batch(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        body = await self._body(request, codes)
        ids = body.get("ids")
        limit = 10**6 if self.fault("batch_limit_not_enforced") else 100
        if (
            not isinstance(ids, list)
            or not 1 <= len(ids) <= limit
            or not all(isinstance(i, str) for i in ids)
        ):
            raise self.error(
                request,
                400,
                codes.invalid,
                "ids must be a list of 1 to 100 ids",
                [{"field": "ids", "message": f"{len(ids) if isinstance(ids, list) else 0} ids"}],
            )
        include_deleted = _flag(request.query_params.get("include_deleted")) or self.fault("deleted_in_batch")
        found = []
        for entry_id in ids:
            try:
                entity = self.store.get(resource, entry_id, include_deleted=include_deleted)
            except NotFound:
                continue
            if entity.data["org_id"] in client.attrs["orgs"]:
                found.append(entity)
        if self.fault("batch_order_lost"):
            found.sort(key=lambda e: e.seq)
        return json_response({resource: [_view(e) for e in found]})

    async def _list(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        org = params["org_id"]
        if org not in client.attrs["orgs"] and not self.fault("foreign_list_allowed"):
            raise self.error(request, 403, "FORBIDDEN", f"The client is not in organisation {org}")
        query = request.query_params
        size = as_int(_number(query.get("size", "100")))
        high = 10**6 if self.fault("size_not_enforced") else 1000
        if size is None or not 1 <= size <= high:
            raise self.error(
                request,
                400,
                codes.invalid,
                "size must be between 1 and 1000",
                [{"field": "size", "message": str(query.get("size"))}],
            )
        include_deleted = (
            _flag(query.get("include_deleted")) and not self.fault("include_deleted_ignored")
        ) or (self.fault("deleted_in_list"))
        entries = [
            e for e in self.store.list(resource, include_deleted=include_deleted) if e.data["org_id"] == org
        ]
        if "name" in query and not self.fault("name_filter_ignored"):
            entries = [e for e in entries if e.data["name"].startswith(query["name"])]
        wanted = query.get(codes.filter_field)
        if resource == "fertilizers" and wanted is not None and wanted not in ("SOLID", "LIQUID"):
            raise self.error(
                request,
                400,
                codes.invalid,
                "form must be SOLID or LIQUID",
                [{"field": "form", "message": wanted}],
            )
        if wanted is not None:
            entries = [e for e in entries if e.data.get(codes.filter_field) == wanted]
        try:
            page = page_by_cursor(
                entries,
                lambda e: e.id,
                query.get("current_key"),
                size,
                self.cursors,
                repeat_last=self.fault("page_repeats"),
                cursor_on_last=self.fault("next_key_on_last_page"),
            )
        except PageParamError as exc:
            raise self.error(request, 400, codes.invalid, f"current_key: {exc}") from None
        return json_response(
            {"content": [_view(e) for e in page.items], "pagination": {"next_key": page.end_cursor}}
        )

    # -- control plane -----------------------------------------------------------------------------

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        resource = payload.get("resource")
        count = payload.get("count", 1)
        org = OTHER_ORG_ID if payload.get("org") == "other" else ORG_ID
        if resource not in RESOURCES or not isinstance(count, int) or not 0 <= count <= 2000:
            raise MockHTTPError(400, {"error": f"need 'resource' in {sorted(RESOURCES)} and 'count' 0..2000"})
        ids = []
        for i in range(count):
            data: dict[str, Any] = {"org_id": org, "name": f"Seed {resource} {i:04d} {uuid.uuid4().hex[:6]}"}
            extra: dict[str, dict[str, Any]] = {
                "products": {"indication": ("herbicide", "fungicide", "insecticide")[i % 3]},
                "items": {"category": ITEM_CATEGORIES[i % len(ITEM_CATEGORIES)]},
                "fertilizers": {"form": ("SOLID", "LIQUID")[i % 2], "nutrients": {"N": 10}},
            }
            data |= extra[str(resource)]
            ids.append(self.store.create(resource, data).id)
        return {"resource": resource, "ids": ids}


def _view(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        **entity.data,
        "deleted": entity.deleted,
        "created_at": _iso(entity.created_at),
        "updated_at": _iso(entity.updated_at),
    }


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _flag(raw: str | None) -> bool:
    """A boolean query parameter; anything but true/false is refused (MockHTTPError 400)."""
    if raw is None:
        return False
    if raw.lower() not in ("true", "false"):
        raise MockHTTPError(
            400,
            {
                "status": 400,
                "error": "Bad Request",
                "code": "E400",
                "message": f"include_deleted must be true or false, not {raw!r}",
                "errors": [],
            },
        )
    return raw.lower() == "true"


def _number(raw: str) -> Any:
    try:
        return float(raw) if "." in raw else int(raw)
    except ValueError:
        return None
