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
from conformance.mocks.blocks.tokens import ClientRegistry, TokenIssuer


class CropsterBase(MockApp):
    """Errors are `{ok: false, error: {code, message}}`."""

    cursors: CursorCodec
    _write_lock: threading.Lock
    clients: ClientRegistry
    tokens: TokenIssuer
    limiter: TokenBucketLimiter
    store: VersionedStore
    external_ids: dict[str, str]  # externalId -> green lot id

    def error(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> MockHTTPError:
        body: dict[str, Any] = {"ok": False, "error": {"code": code, "message": message}}
        if self.fault("error_envelope_flat"):
            body = {"error": message}
        return MockHTTPError(status, body, headers)

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
        return body or {}


def _view(entity: Any) -> dict[str, Any]:
    data = {k: v for k, v in entity.data.items() if k != "transferredFrom"}
    return {"id": entity.id, **data}
