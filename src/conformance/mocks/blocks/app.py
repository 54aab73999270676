"""The base of every mock: a pure ASGI app with the `/__mock__/` control plane, fault switches,
an injected clock, and a guarantee that no request ends in a framework default or a crash.

Every concrete subclass (one that sets `api`) registers itself here; `conformance.mocks.registry`
imports the mock modules and looks classes up by contract id."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from conformance.core.asgi import lifespan
from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.faults import Fault, UnknownFault
from conformance.mocks.blocks.webhooks import Sender, WebhookDispatcher, http_sender

__all__ = [
    "BodyError",
    "DuplicateMock",
    "MockApp",
    "UnknownFault",
    "as_int",
    "read_form",
    "read_json",
    "registered_mocks",
]

CONTROL_PREFIX = "/__mock__"
MAX_JSON_DEPTH = 200  # deeper bodies are refused as malformed: handlers may recurse over them
log = logging.getLogger("conformance.mocks")
_REGISTERED: dict[str, type[MockApp]] = {}  # api -> class, filled by MockApp.__init_subclass__


class DuplicateMock(TypeError):
    def __init__(self, api: str, first: type[MockApp], second: type[MockApp]) -> None:
        super().__init__(
            f"two mocks declare api {api!r}: {_qualname(first)} and {_qualname(second)}; "
            "each contract id has exactly one mock"
        )


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def registered_mocks() -> dict[str, type[MockApp]]:
    """The mock classes imported so far, by contract id (a copy)."""
    return dict(_REGISTERED)


def _unregister(cls: type[MockApp]) -> None:
    if _REGISTERED.get(cls.api) is cls:
        del _REGISTERED[cls.api]


class BodyError(Exception):
    """The request body is not what the endpoint accepts (`kind`: empty, malformed, not_object)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def as_int(value: Any) -> int | None:
    """A JSON integer as JSON Schema sees it (2 and 2.0, never true or "2"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


async def read_json(request: Request, *, required: bool = True, object_only: bool = True) -> Any:
    raw = await request.body()
    if not raw:  # whitespace alone is not an absent body: JSON parsers reject it
        if required:
            raise BodyError("empty", "Request body is missing")
        return None
    too_deep = f"Malformed JSON: nested deeper than {MAX_JSON_DEPTH} levels"
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError("malformed", f"Malformed JSON: {exc}") from None
    except RecursionError:
        raise BodyError("malformed", too_deep) from None
    if _deeper_than(data, MAX_JSON_DEPTH):
        raise BodyError("malformed", too_deep)
    if object_only and not isinstance(data, dict):
        raise BodyError("not_object", "Request body must be a JSON object")
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether `data` nests more than `limit` arrays/objects deep (walked without recursion, so a
    hostile body cannot exhaust the stack of whatever handles it next)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


async def read_form(request: Request) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body (first value of each field)."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("malformed", "Form body is not UTF-8") from None
    return {k: v for k, v in reversed(parse_qsl(text, keep_blank_values=True))}


class MockApp:
    """Subclasses set `api`, `FAULTS`, `base_path`, and implement `reset`, `handle`, `seed`,
    `set_status` and `demo_config`. Setting `api` registers the class under that contract id."""

    api: ClassVar[str]
    FAULTS: ClassVar[Mapping[str, Fault]] = {}
    base_path: ClassVar[str] = ""  # the base URL's path below the server root
    token_path: ClassVar[str] = ""  # the token endpoint's path from the server root

    DEFAULT_CREDENTIALS: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self,
        *,
        faults: Iterable[str] = (),
        clock: VirtualClock | None = None,
        credentials: Mapping[str, str] | None = None,
        webhook_sender: Sender = http_sender,
    ) -> None:
        self.setup()
        # demo credentials are fixed for the life of the mock: a reset keeps exported ones valid
        self.credentials = {**self.default_credentials(), **(credentials or {})}
        self.token_journal: list[str] = []  # every token or key issued, across resets (secrets audits)
        self.faults = frozenset(faults)
        for name in self.faults:
            if name not in self.FAULTS:
                raise UnknownFault(self.api, name, self.FAULTS)
        self.clock = clock or VirtualClock()
        self._fail_next = False
        self._baseline: list[dict[str, Any]] = []  # seed requests every reset applies again
        self.webhooks = WebhookDispatcher(
            self.clock.now,
            webhook_sender,
            drop_headers="webhook_missing_headers" in self.faults,
            disabled="webhook_not_sent" in self.faults,
            retries="webhook_no_retry" not in self.faults,
        )
        self.reset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "api" not in cls.__dict__:
            return  # an abstract intermediate base, or a variant of a registered mock
        for name, value in cls.FAULTS.items():
            if not isinstance(value, Fault):
                raise TypeError(
                    f"{_qualname(cls)}.FAULTS[{name!r}]: expected a Fault, got {type(value).__name__}"
                )
        known = _REGISTERED.get(cls.api)
        if known is not None and _qualname(known) != _qualname(cls):
            raise DuplicateMock(cls.api, known, cls)
        _REGISTERED[cls.api] = cls  # the same class imported again (a reloaded module) replaces itself

    @classmethod
    def default_credentials(cls) -> dict[str, str]:
        return dict(cls.DEFAULT_CREDENTIALS)

    # -- vendor hooks ----------------------------------------------------------------------------

    def setup(self) -> None:
        """State built once per instance, before anything else (routes, locks, codecs)."""

    def reset(self) -> None:
        raise NotImplementedError

    async def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        raise MockHTTPError(400, {"error": f"{self.api} mock: seeding is not supported"})

    def set_status(self, payload: dict[str, Any]) -> dict[str, Any]:
        raise MockHTTPError(400, {"error": f"{self.api} mock: status changes are not supported"})

    def seed_baseline(self, requests: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Apply seed requests (the control plane's `seed` payloads) now and again after every
        reset, so data a served mock starts with (`mock serve --seed FILE`) survives a reset.
        A request the mock refuses raises its MockHTTPError; then none of `requests` is kept."""
        copies = [dict(r) for r in requests]
        results = [self.seed(dict(r)) for r in copies]
        self._baseline.extend(copies)
        return results

    def _reset_all(self) -> None:
        self.reset()
        self.webhooks.reset()
        for request in self._baseline:
            self.seed(dict(request))

    def demo_config(self) -> dict[str, str]:
        """The CONFORMANCE_<API>_* values (without prefix) of the demo identities, minus URLs."""
        raise NotImplementedError

    def server_error(self) -> Response:
        """The vendor's 500 envelope."""
        return json_response({"message": "Internal Server Error"}, 500)

    def fault(self, name: str) -> bool:
        """Whether the fault `name` is switched on; a name the class does not declare is an error."""
        if name not in self.FAULTS:
            raise UnknownFault(self.api, name, self.FAULTS)
        return name in self.faults

    # -- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            if request.url.path == CONTROL_PREFIX or request.url.path.startswith(CONTROL_PREFIX + "/"):
                response = await self._control(request)
            elif self._fail_next and request.url.path != self.token_path:
                self._fail_next = False
                response = self.server_error()
            else:
                response = await self.handle(request)
        except MockHTTPError as exc:
            response = exc.response()
        except Exception:  # a bug in the mock: still answer in the vendor's envelope
            log.exception("%s mock: unhandled error on %s %s", self.api, request.method, request.url.path)
            response = self.server_error()
        await response(scope, receive, send)

    # -- control plane (not part of any contract) ------------------------------------------------

    async def _control(self, request: Request) -> Response:
        action = request.url.path[len(CONTROL_PREFIX) :].strip("/")
        method = request.method
        try:
            payload = await read_json(request, required=False) or {}
        except BodyError as exc:
            return json_response({"error": str(exc)}, 400)
        if action == "" and method == "GET":
            return json_response(
                {
                    "mock": self.api,
                    "faults": sorted(self.faults),
                    "available_faults": {name: f.description for name, f in self.FAULTS.items()},
                    "now": self.clock.now(),
                }
            )
        if method != "POST" and action != "webhooks/deliveries":
            return json_response({"error": f"{method} {request.url.path}: use POST"}, 405)
        if action == "reset":
            self._reset_all()
            return json_response({"reset": True})
        if action == "clock/advance":
            seconds = payload.get("seconds")
            if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
                return json_response({"error": "'seconds' must be a number >= 0"}, 400)
            now = self.clock.advance(float(seconds))
            await self.webhooks.pump_async()
            return json_response({"now": now})
        if action == "seed":
            return json_response(self.seed(payload))
        if action == "status":
            result = self.set_status(payload)
            await self.webhooks.pump_async()
            return json_response(result)
        if action == "webhooks":
            url = payload.get("url")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                return json_response({"error": "'url' must be an http(s) URL"}, 400)
            reg = self.webhooks.register(url, payload.get("events"), payload.get("headers"))
            return json_response({"id": reg.id, "url": reg.url, "events": sorted(reg.events)})
        if action == "fail-next":
            self._fail_next = True  # the next API request gets the vendor's 500
            return json_response({"fail_next": True})
        if action == "webhooks/pump":
            return json_response({"attempts": await self.webhooks.pump_async()})
        if action == "webhooks/deliveries":
            return json_response({"deliveries": [d.summary() for d in self.webhooks.outbox]})
        return json_response({"error": f"unknown control action {action!r}"}, 404)
