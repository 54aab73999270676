"""The Cropster mock's state and error envelope, shared by its endpoint modules."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.app import BodyError, MockApp, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.pagination import CursorCodec
from conformance.mocks.blocks.ratelimit import TokenBucketLimiter
from conformance.mocks.blocks.store import VersionedStore
from conformance.mocks.blocks.tokens import ClientRecord, ClientRegistry, TokenIssuer


class CropsterBase(MockApp):
    """Errors are `{ok: false, error: {code, message}}`."""

    cursors: CursorCodec
    _write_lock: threading.Lock
    clients: ClientRegistry
    tokens: TokenIssuer
    lifetime: int  # seconds a token lives
    limiter: TokenBucketLimiter
    store: VersionedStore
    external_ids: dict[str, str]  # externalId -> green lot id
    locations: list[dict[str, str]]  # the sandbox's locations

    def error(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> MockHTTPError:
        if code == "invalid_parameter" and self.fault("empty_error_messages"):
            message = ""
        body: dict[str, Any] = {"ok": False, "error": {"code": code, "message": message}}
        if self.fault("error_envelope_flat"):
            body = {"error": message}
        return MockHTTPError(status, body, headers)

    def spend_quota(self, client: ClientRecord) -> None:
        """One request of the client's token bucket; 429 too_many_requests when it is empty."""
        if self.fault("no_rate_limit"):
            return
        decision = self.limiter.hit("*" if self.fault("shared_rate_limit") else client.client_id)
        if not decision.allowed:
            raise self.error(
                429,
                "too_many_requests",
                "Rate limit of 5 requests per second exceeded",
                {"Retry-After": str(decision.retry_after)},
            )

    def server_error(self) -> Response:
        return json_response(
            {
                "ok": False,
                "error": {"code": "server_error", "message": "An internal error encountered within Cropster"},
            },
            500,
        )

    async def _body(self, request: Request) -> dict[str, Any]:
        try:
            body = await read_json(request, required=False)
        except BodyError as exc:
            raise self.error(400, "invalid_parameter", str(exc)) from None
        params = body.get("params") if isinstance(body, dict) else None
        pagination = params.get("pagination") if isinstance(params, dict) else None
        nulled = isinstance(pagination, dict) and "after" in pagination and pagination["after"] is None
        if nulled and self.fault("null_cursor_rejected"):
            raise self.error(400, "invalid_parameter", "params.pagination.after must be a string")
        return self.without_nulls(body) or {}


def _view(entity: Any) -> dict[str, Any]:
    data = {k: v for k, v in entity.data.items() if k != "transferredFrom"}
    return {"id": entity.id, **data}
