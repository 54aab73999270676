"""Stateful mock of the Cropwise Ag Catalog API v2 (seed 002; CONTRACT-DECISIONS.md, agcatalog).

Custom products, items and fertilizers per organisation: names unique per organisation and
resource, soft delete (404 afterwards, name freed, hidden from lists and batch reads unless
`include_deleted`), client-supplied id conflicts, batch reads of 1-100 ids in request order,
cursor lists, organisation isolation (another organisation's entry 404, its list 403), and the
Core Services error envelope with the seed's resource-specific codes.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.agcatalog._auth import Auth
from conformance.mocks.agcatalog._constants import (
    DEFAULT_CREDENTIALS,
    ITEM_CATEGORIES,
    ORG_ID,
    OTHER_ORG_ID,
    RESOURCES,
    SANDBOX_ORG_IDS,
    TOKEN_LIFETIME,
    TOKEN_PATH,
)
from conformance.mocks.agcatalog._entries import Entries
from conformance.mocks.agcatalog._faults import FAULTS
from conformance.mocks.blocks.errors import MockHTTPError
from conformance.mocks.blocks.pagination import CursorCodec
from conformance.mocks.blocks.personas import Persona, persona_table
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.store import VersionedStore
from conformance.mocks.blocks.tokens import ClientRecord, ClientRegistry, TokenIssuer

__all__ = ["DEFAULT_CREDENTIALS", "FAULTS", "ORG_ID", "OTHER_ORG_ID", "AgCatalogMock"]


class AgCatalogMock(Auth, Entries):
    api = "agcatalog"
    FAULTS = FAULTS
    TOKEN_LIFETIME = TOKEN_LIFETIME
    # no rate limit (so no counted token calls) and no integer in any body (so no strict numbers)
    PERSONAS = persona_table(
        "strict-create",
        "other-data",
        "lenient",
        "chatty",
        "slow",
        caseless=Persona("the name filter ignores letter case", {"caseless_filters"}),
    )
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
        self.org_id, self.other_org_id = (
            SANDBOX_ORG_IDS if self.trait("other_data") else (ORG_ID, OTHER_ORG_ID)
        )
        self.clients = ClientRegistry(
            [
                ClientRecord(
                    c["CLIENT_ID"], c["CLIENT_SECRET"], frozenset({"read"}), attrs={"orgs": [self.org_id]}
                ),
                ClientRecord(
                    c["OTHER_CLIENT_ID"],
                    c["OTHER_CLIENT_SECRET"],
                    frozenset({"read"}),
                    attrs={"orgs": [self.other_org_id]},
                ),
            ]
        )
        self.tokens = TokenIssuer(
            self.clock.now,
            self.token_lifetime,
            journal=self.token_journal,
            never_expire=self.fault("token_never_expires"),
        )
        self.store = VersionedStore(
            self.clock.now, indexed=("name",), partition=lambda data: data.get("org_id")
        )
        self.former_names = set()

    def demo_config(self) -> dict[str, str]:
        return {**self.credentials, "ORG_ID": self.org_id, "OTHER_ORG_ID": self.other_org_id}

    async def handle(self, request: Request) -> Response:
        if request.url.path == TOKEN_PATH:
            return await self._token(request)
        match = self.router.match(request.url.path)
        if match is None:
            raise self.error(request, 404, "NOT_FOUND", f"No endpoint {request.url.path}")
        handler = match.handlers.get(request.method)
        if handler is None and self.fault("other_methods_404"):
            raise self.error(request, 404, "NOT_FOUND", f"No endpoint {request.method} {request.url.path}")
        if handler is None:
            raise self._405(request, match.allowed)
        client = self._authenticate(request)
        return await handler(request, match.tags["resource"], match.params, client)  # type: ignore[no-any-return]

    def _405(self, request: Request, allowed: list[str]) -> MockHTTPError:
        exc = self.error(request, 405, "METHOD_NOT_ALLOWED", f"Method {request.method} not supported")
        exc.headers["Allow"] = ", ".join(allowed)
        return exc

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        resource = payload.get("resource")
        count = payload.get("count", 1)
        org = self.other_org_id if payload.get("org") == "other" else self.org_id
        if resource not in RESOURCES or not isinstance(count, int) or not 0 <= count <= 2000:
            raise MockHTTPError(400, {"error": f"need 'resource' in {sorted(RESOURCES)} and 'count' 0..2000"})
        ids = []
        for i in range(count):
            label = "Sandbox entry" if self.trait("other_data") else f"Seed {resource}"
            data: dict[str, Any] = {"org_id": org, "name": f"{label} {i:04d} {uuid.uuid4().hex[:6]}"}
            extra: dict[str, dict[str, Any]] = {
                "products": {"indication": ("herbicide", "fungicide", "insecticide")[i % 3]},
                "items": {"category": ITEM_CATEGORIES[i % len(ITEM_CATEGORIES)]},
                "fertilizers": {
                    "form": ("SOLID", "LIQUID")[i % 2],
                    "nutrients": {"K": 42.5} if self.trait("other_data") else {"N": 10},
                },
            }
            data |= extra[str(resource)]
            ids.append(self.store.create(resource, data).id)
        return {"resource": resource, "ids": ids}
