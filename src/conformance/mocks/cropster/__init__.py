"""Stateful mock of the Cropster RPC API v1 (seed 000; CONTRACT-DECISIONS.md, cropster).

POST-only RPC under `/rpc/v1/{domain}.{subdomain}.{operation}`, OAuth2 client credentials with
scopes per namespace, `{ok, result, meta}` envelopes and `{ok: false, error: {code, message}}`
errors, newest-first cursor pagination, a token bucket of 5/s with a burst of 10 per client.

Order of checks (CONTRACT-DECISIONS, finer points): unknown operation or version 404 -> wrong
method 405 -> 401 -> 429 -> 403 -> content type 400 -> body.
"""

from __future__ import annotations

import threading
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import MockHTTPError
from conformance.mocks.blocks.pagination import CursorCodec
from conformance.mocks.blocks.personas import STANDARD, TIGHT, Persona, persona_table
from conformance.mocks.blocks.ratelimit import TokenBucketLimiter
from conformance.mocks.blocks.store import VersionedStore
from conformance.mocks.blocks.tokens import ClientRecord, ClientRegistry, TokenIssuer, missing_scope
from conformance.mocks.cropster._auth import Auth
from conformance.mocks.cropster._constants import (
    BASE_PATH,
    DEFAULT_CREDENTIALS,
    LISTS,
    LOCATIONS,
    OTHER_LOCATIONS,
    SCOPES,
    TOKEN_LIFETIME,
    TOKEN_PATH,
    WRITES,
)
from conformance.mocks.cropster._faults import FAULTS
from conformance.mocks.cropster._inventory import Inventory
from conformance.mocks.cropster._lists import Lists

__all__ = ["DEFAULT_CREDENTIALS", "FAULTS", "CropsterMock"]


class CropsterMock(Auth, Inventory, Lists):
    api = "cropster"
    FAULTS = FAULTS
    # CONTRACT-DECISIONS "Finer points" (cropster): "the token endpoint is not rate limited" -- not
    # open, so a server that counts token calls is not conformant: kept for polite-traffic tests only
    PERSONAS = persona_table(
        *(name for name in STANDARD if name != "counted-tokens"),
        counted_tokens=Persona(
            "token calls count against the rate limit (the decisions: the token endpoint is not limited)",
            {"tokens_counted"},
            conformant=False,
        ),
        tight=TIGHT,
    )
    TOKEN_LIFETIME = TOKEN_LIFETIME
    DEFAULT_CREDENTIALS = DEFAULT_CREDENTIALS
    base_path = BASE_PATH
    token_path = TOKEN_PATH

    def setup(self) -> None:
        self.cursors = CursorCodec()
        self._write_lock = threading.Lock()

    def reset(self) -> None:
        c = self.credentials
        self.clients = ClientRegistry(
            [
                ClientRecord(c["CLIENT_ID"], c["CLIENT_SECRET"], frozenset(SCOPES)),
                ClientRecord(
                    c["LIMITED_CLIENT_ID"], c["LIMITED_CLIENT_SECRET"], frozenset({"inventory.green"})
                ),
            ]
        )
        self.lifetime = 60 if self.fault("token_short_lived") else self.token_lifetime
        self.tokens = TokenIssuer(
            self.clock.now,
            self.lifetime,
            journal=self.token_journal,
            never_expire=self.fault("expired_token_accepted"),
        )
        rate = (
            0.0
            if self.fault("rate_limit_never_recovers")
            else 50.0
            if self.fault("bucket_refills_fast")
            else 5.0
        )
        burst = 10
        if self.trait("tight_limit"):
            rate, burst = 1.0, 3
        self.limiter = TokenBucketLimiter(self.clock.now, rate, burst)
        self.locations = OTHER_LOCATIONS if self.trait("other_data") else LOCATIONS
        self.store = VersionedStore(self.clock.now)
        self.external_ids: dict[str, str] = {}

    def demo_config(self) -> dict[str, str]:
        # the sandbox's own locations, as a tester of a real sandbox would be told them
        home, other = self.locations[0], self.locations[1]
        return {
            **self.credentials,
            "FIXTURE_LOCATION_ID": home["id"],
            "FIXTURE_DESTINATION_LOCATION_ID": other["id"],
        }

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        if path == TOKEN_PATH:
            return await self._token(request)
        if self.fault("any_version_served") and path.startswith("/rpc/v") and not path.startswith(BASE_PATH):
            path = BASE_PATH + "/" + path.split("/", 3)[-1]
        operation = path.removeprefix(BASE_PATH + "/") if path.startswith(BASE_PATH + "/") else None
        if request.method != "POST" and self.fault("method_before_operation"):
            raise self.error(405, "invalid_parameter", f"Method {request.method} is not supported; use POST")
        if operation not in LISTS and operation not in WRITES:
            status = 400 if self.fault("unknown_operation_400") else 404
            raise self.error(status, "resource_not_found", f"No operation at {path}")
        assert operation is not None
        if self.fault("auth_before_method"):
            self._authenticate(request)
        if request.method != "POST" and self.fault("other_verbs_404"):
            raise self.error(404, "resource_not_found", f"No operation at {path} for {request.method}")
        answered = (request.method == "GET" and self.fault("get_allowed")) or (
            request.method in ("PUT", "PATCH", "DELETE") and self.fault("only_get_refused")
        )
        if request.method != "POST" and not answered:
            allow = "GET, PUT" if self.fault("wrong_allow_header") else "POST"
            headers = {} if self.fault("no_allow_header") else {"Allow": allow}
            raise self.error(
                405, "invalid_parameter", f"Method {request.method} is not supported; use POST", headers
            )
        if self.fault("rate_before_auth"):
            self.spend_quota(next(c for c in self.clients))
        client, scopes = self._authenticate(request)
        namespace = operation.rsplit(".", 1)[0]
        lacking = missing_scope(scopes, namespace) and not self.fault("scope_not_enforced")
        lacking = lacking and not (namespace == "inventory.blend" and self.fault("blend_scope_not_enforced"))
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        wrong_type = (
            ctype != "application/json" and request.method == "POST" and not self.fault("any_content_type")
        )
        if not ctype and self.fault("missing_content_type_accepted"):
            wrong_type = False
        if wrong_type and self.fault("content_type_before_scope"):
            raise self.error(400, "invalid_parameter", "Content-Type must be application/json")
        if lacking and self.fault("scope_before_rate"):
            raise self.error(403, "access_denied", f"The token lacks the scope {namespace}")
        if not (operation in WRITES and self.fault("imports_not_rate_limited")):
            self.spend_quota(client)
        if lacking:
            raise self.error(403, "access_denied", f"The token lacks the scope {namespace}")
        if wrong_type and not self.fault("body_before_content_type"):
            raise self.error(400, "invalid_parameter", "Content-Type must be application/json")
        body = await self._body(request)
        if operation in LISTS:
            listed = self._list(operation, body)
            if wrong_type:  # a fault: the body was judged before the content type
                raise self.error(400, "invalid_parameter", "Content-Type must be application/json")
            return listed
        handler = {
            "inventory.green.importGreenLot": self._import,
            "inventory.green.setGreenLotWeight": self._set_weight,
            "inventory.green.transferGreenLotToLocation": self._transfer,
        }[operation]
        answer = handler(body)
        if wrong_type:  # a fault: the body was judged before the content type
            raise self.error(400, "invalid_parameter", "Content-Type must be application/json")
        return answer

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        resource = str(payload.get("resource", ""))
        namespaces = {"green_lots": "green", "roasted_lots": "roast", "blended_lots": "blend"}
        count = payload.get("count", 1)
        if resource not in namespaces or not isinstance(count, int) or not 0 <= count <= 1000:
            raise MockHTTPError(
                400, {"error": f"need 'resource' in {sorted(namespaces)} and 'count' 0..1000"}
            )
        namespace = namespaces[resource]
        other = self.trait("other_data")
        weight = {"amount": 132.0, "unit": "LBS"} if other else {"amount": 60.0, "unit": "KG"}
        home = {"id": self.locations[0]["id"], "externalId": self.locations[0]["externalId"]}
        ids = []
        for i in range(count):
            day = f"2025-01-{1 + i % 28:02d}T{8 + i // 28 % 12:02d}:00:00Z"
            data: dict[str, Any] = {
                "name": f"{'Lot' if other else 'Seed lot'} {i:04d}",
                "weight": dict(weight),
                "location": dict(home),
            }
            if namespace == "green":
                data |= {"icoNumber": f"{1000 + i}", "externalId": None, "price": None}
            else:
                data[{"roast": "roastedDate", "blend": "blendedDate"}[namespace]] = day
            ids.append(self.store.create(namespace, data).id)
        return {"resource": resource, "ids": ids}
