"""The toy API's mock: a MockApp beside its contract, built from the shared blocks."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks import Fault, MockApp, fault_table
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.pagination import OffsetLimitParams, PageParamError, page_by_offset
from conformance.mocks.blocks.store import NotFound, VersionedStore

KEY = "toy-demo-key-0001"


class ToyMock(MockApp):
    api = "toy"
    FAULTS = fault_table(
        anonymous=Fault("calls without a key are answered", breaks="auth_missing_credentials_rejected"),
        page_repeats=Fault(
            "each page repeats the last widget of the page before", breaks="pagination_walk_complete"
        ),
    )

    def reset(self) -> None:
        self.store = VersionedStore(self.clock.now)

    def demo_config(self) -> dict[str, str]:
        return {"API_KEY": KEY}

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        ids = [self.store.create("widgets", {"name": f"widget {i}"}).id for i in range(int(payload["count"]))]
        return {"ids": ids}

    async def handle(self, request: Request) -> Response:
        path, method = request.url.path, request.method
        if path != "/widgets" and not path.startswith("/widgets/"):
            raise MockHTTPError(404, {"error": f"no such path {path}"})
        if method != "GET":
            raise MockHTTPError(405, {"error": f"{method} not allowed"}, {"Allow": "GET"})
        authorization = request.headers.get("authorization")
        if authorization != f"Bearer {KEY}" and not (authorization is None and self.fault("anonymous")):
            raise MockHTTPError(401, {"error": "a valid key is required"})
        if path == "/widgets":
            return self._list(request)
        try:
            return json_response(self.store.get("widgets", path.removeprefix("/widgets/")).view())
        except NotFound:
            raise MockHTTPError(404, {"error": "no such widget"}) from None

    def _list(self, request: Request) -> Response:
        try:
            limit, offset = OffsetLimitParams(default_size=20, max_size=50).parse(dict(request.query_params))
        except PageParamError as exc:
            raise MockHTTPError(400, {"error": str(exc)}) from None
        widgets = [e.view() for e in reversed(self.store.list("widgets"))]
        if self.fault("page_repeats") and offset:
            offset -= 1
        return json_response({"items": page_by_offset(widgets, offset, limit), "total": len(widgets)})
