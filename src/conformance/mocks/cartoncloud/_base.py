"""The CartonCloud mock's state and error envelopes, shared by its endpoint modules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.contracts import Contract
from conformance.mocks.blocks.app import BodyError, MockApp, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.pagination import PageNumberParams
from conformance.mocks.blocks.ratelimit import FixedWindowLimiter, SlidingWindowLimiter
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.store import VersionedStore
from conformance.mocks.blocks.tokens import ClientRegistry, TokenIssuer
from conformance.mocks.blocks.validation import BodyValidator
from conformance.mocks.cartoncloud._reference import ReferenceData


class CartonCloudBase(MockApp):
    """Errors are arrays of `{"message"}`; validation errors add a JSON Pointer `field`."""

    contract: Contract
    router: Router
    paging: PageNumberParams
    clients: ClientRegistry
    tokens: TokenIssuer
    outbound_limiter: SlidingWindowLimiter | FixedWindowLimiter
    _numbers: Iterator[int]  # a fault's numeric ids
    store: VersionedStore  # orders, consignments, report runs and (through refdata) reference data
    search_index: dict[tuple[str, str], dict[str, Any]]  # a fault's stale index: entities as created
    refdata: ReferenceData  # customers, warehouses, products, stock and charges of every tenant
    _schemas: dict[str, Any]
    _validators: dict[str, BodyValidator]  # by schema name, built the persona's way

    def errors(self, status: int, *messages: str, headers: Mapping[str, str] | None = None) -> MockHTTPError:
        body: Any = [{"message": m} for m in messages]
        if self.fault("error_envelope_object"):
            body = body[0]
        return MockHTTPError(status, body, headers)

    def validation(
        self, problems: list[tuple[str, str]], extra: Mapping[str, Any] | None = None
    ) -> MockHTTPError:
        def field(pointer: str) -> str:
            if self.fault("validation_without_pointer"):
                return pointer.lstrip("/").replace("/", ".")
            if self.fault("validation_wrong_pointer"):
                return pointer.rsplit("/", 1)[0]
            return pointer

        body: Any = [{"field": field(p), "message": m, **(extra or {})} for p, m in problems]
        if self.fault("error_envelope_object"):
            body = body[0]
        return MockHTTPError(422, body)

    def server_error(self) -> Response:
        return json_response([{"message": "An issue with our server. Try again later."}], 500)

    async def _body(self, request: Request, *, required: bool = True) -> Any:
        try:
            return await read_json(request, required=required)
        except BodyError as exc:
            if exc.kind == "malformed" and self.fault("malformed_json_500"):
                raise RuntimeError("simulated crash on malformed JSON") from exc
            raise self.errors(400, str(exc)) from None
