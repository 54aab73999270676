"""CartonCloud orders and consignments: create (201, or 228 for an outbound order created in
REJECTED), get, update under If-Match, and delete (orders, only in DRAFT)."""

from __future__ import annotations

import anyio.lowlevel
from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.routing import RouteMatch
from conformance.mocks.blocks.store import Entity, NotFound, VersionConflict
from conformance.mocks.blocks.tokens import ClientRecord
from conformance.mocks.cartoncloud._constants import DELETABLE_STATUSES, LABELS
from conformance.mocks.cartoncloud._validation import Validation


class Resources(Validation):
    async def _create(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        segment, tenant = match.tags["resource"], match.params["tenantId"]
        if self.fault("body_before_rate"):
            await self._body(request)
        if segment == "outbound-orders" and not self.fault("no_rate_limit"):
            key = "*" if self.fault("shared_outbound_limit") else client.client_id
            decision = self.outbound_limiter.hit(key)
            if not decision.allowed:
                raise self.errors(
                    429,
                    "Rate limit exceeded: 30 outbound orders per minute",
                    headers={"Retry-After": str(decision.retry_after)},
                )
        body = await self._body(request)
        data, rejected = self._prepare(tenant, segment, body)
        status = 200 if self.fault("create_answers_200") else 201
        if rejected:
            data["status"] = "REJECTED"
            data.setdefault("details", {})["errors"] = [{"message": m, "isResolved": False} for m in rejected]
            status = 201 if self.fault("no_228") else 228
        if self.fault("type_not_defaulted"):
            data.pop("type", None)
        numeric = str(next(self._numbers)) if self.fault("numeric_ids") else None
        entity = self.store.create(f"{tenant}/{segment}", data, numeric)
        if self.fault("search_stale_after_update"):
            self.search_index[entity.namespace, entity.id] = entity.view()
        return json_response(entity.view(), status)

    def _stored(self, match: RouteMatch) -> Entity:
        segment, tenant, eid = match.tags["resource"], match.params["tenantId"], match.params["id"]
        try:
            return self.store.get(f"{tenant}/{segment}", eid)
        except NotFound:
            raise self.errors(404, f"{LABELS[segment]} {eid} not found") from None

    async def _get(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        view = self._stored(match).view()
        if self.fault("get_without_version"):
            view = {k: v for k, v in view.items() if k != "version"}
        return json_response(view, 202 if self.fault("get_answers_202") else 200)

    async def _delete(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        """204 in DRAFT; in any other status the order stays (422, vendor docs: deletion is allowed
        only in the statuses the tenant configures; decision: DRAFT)."""
        segment = match.tags["resource"]
        entity = self._stored(match)
        status = entity.data.get("status")
        if status not in DELETABLE_STATUSES and not self.fault("delete_in_any_status"):
            raise self.validation([("/status", f"{LABELS[segment]} in status {status} cannot be deleted")])
        self.store.soft_delete(entity.namespace, entity.id)
        return Response(status_code=204)

    async def _update(self, request: Request, match: RouteMatch, client: ClientRecord) -> Response:
        segment, tenant = match.tags["resource"], match.params["tenantId"]
        current = self._stored(match)
        namespace, eid = current.namespace, current.id
        expected = self._if_match(request.headers.get("if-match"))
        body = await self._body(request)
        data, _ = self._prepare(tenant, segment, body, current.data)
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
            raise self._conflict(segment, eid, exc) from None
        if self.fault("search_stale_after_update") and entity.version <= 2:
            self.search_index[namespace, eid] = entity.view()  # refreshed once, never again
        return json_response(entity.view())

    def _conflict(self, segment: str, eid: str, exc: VersionConflict) -> Exception:
        return self.errors(
            409,
            f"{LABELS[segment]} {eid} has been modified by another request "
            f"(version {exc.current}, If-Match {exc.expected})",
        )

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
