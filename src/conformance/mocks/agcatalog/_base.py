"""The Ag Catalog mock's state and the Core Services error envelope, shared by its endpoint modules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.agcatalog._constants import Codes
from conformance.mocks.blocks.app import BodyError, MockApp, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.pagination import CursorCodec
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.store import Entity, VersionedStore
from conformance.mocks.blocks.tokens import ClientRegistry, TokenIssuer


class AgCatalogBase(MockApp):
    """Errors are `{timestamp, status, error, code, message, path, errors}`."""

    cursors: CursorCodec
    router: Router
    clients: ClientRegistry
    tokens: TokenIssuer
    store: VersionedStore
    former_names: set[tuple[str, str, str]]  # (resource, org, name) entries were renamed from

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
        if self.fault("envelope_without_path"):
            return MockHTTPError(status, {"status": status, "code": code, "message": message})
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

    async def _body(self, request: Request, codes: Codes) -> dict[str, Any]:
        try:
            return dict(self.without_nulls(await read_json(request)))
        except BodyError as exc:
            raise self.error(request, 400, codes.invalid, str(exc)) from None


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
