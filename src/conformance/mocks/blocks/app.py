"""The base of every mock: a pure ASGI app with the `/__mock__/` control plane, fault switches,
an injected clock, and a guarantee that no request ends in a framework default or a crash.

Every concrete subclass (one that sets `api`) registers itself here; `conformance.mocks.registry`
imports the mock modules and looks classes up by contract id."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from conformance.core.asgi import lifespan
from conformance.mocks.blocks.bodies import BodyError, as_int, read_form, read_json
from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.faults import Fault, UnknownFault
from conformance.mocks.blocks.personas import TRAITS, Persona, UnknownPersona
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


_POINTERS = re.compile(r"(?<![\w/])(/[\w~.-]+(?:/[\w~.-]*)*)")


def _with_extra_fields(body: Any) -> Any:
    """Fields a vendor may add that no document names: on an object, and on each object of a list."""
    extra = {"_links": {"self": {"href": "about:blank"}}, "servedBy": "persona"}
    if isinstance(body, dict):
        return {**body, **{k: v for k, v in extra.items() if k not in body}}
    if isinstance(body, list):
        return [_with_extra_fields(item) if isinstance(item, dict) else item for item in body]
    return body


class MockApp:
    """Subclasses set `api`, `FAULTS`, `base_path`, and implement `reset`, `handle`, `seed`,
    `set_status` and `demo_config`. Setting `api` registers the class under that contract id."""

    api: ClassVar[str]
    FAULTS: ClassVar[Mapping[str, Fault]] = {}
    base_path: ClassVar[str] = ""  # the base URL's path below the server root
    token_path: ClassVar[str] = ""  # the token endpoint's path from the server root

    DEFAULT_CREDENTIALS: ClassVar[Mapping[str, str]] = {}
    PERSONAS: ClassVar[Mapping[str, Persona]] = {}
    PINNED_MESSAGES: ClassVar[tuple[str, ...]] = ()  # wording the documents fix (kept by every persona)
    MESSAGE_KEYS: ClassVar[tuple[str, ...]] = ("message",)  # where error bodies carry free wording
    SLOW_SECONDS: ClassVar[float] = 0.3  # in-process: each answer takes this much of the virtual clock
    SERVED_SLOW_SECONDS: ClassVar[float] = 0.05  # served: real latency (small, so served runs stay bounded)

    def __init__(
        self,
        *,
        faults: Iterable[str] = (),
        clock: VirtualClock | None = None,
        credentials: Mapping[str, str] | None = None,
        webhook_sender: Sender = http_sender,
        persona: str | None = None,
        token_ttl: int | None = None,
        webhooks: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        if persona is not None and persona not in self.PERSONAS:
            raise UnknownPersona(self.api, persona, self.PERSONAS)
        self.persona_name = persona
        self.persona = self.PERSONAS[persona] if persona else None
        if token_ttl is not None and token_ttl < 1:
            raise ValueError(f"{self.api} mock: token_ttl must be at least 1 second, got {token_ttl!r}")
        self.token_ttl = token_ttl  # short-lived tokens, so a live run can wait their lifetime out
        self.startup_webhooks = [dict(w) for w in webhooks]  # receivers registered from the start
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
            ignore_statuses="webhook_every_status" in self.faults,
            first_event_only="webhook_first_event_only" in self.faults,
        )
        self.reset()
        self._register_startup_webhooks()

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

    TOKEN_LIFETIME: ClassVar[int] = 3600  # what the mock's tokens live (its documented expires_in)

    @property
    def token_lifetime(self) -> int:
        """Seconds a token lives: the documented lifetime, or the short one it was started with (or
        a minute, under the fault `token_short_lived` where a mock declares it)."""
        if "token_short_lived" in self.faults:
            return 60
        return self.token_ttl or self.TOKEN_LIFETIME

    def _register_startup_webhooks(self) -> None:
        for hook in self.startup_webhooks:
            self.webhooks.register(str(hook["url"]), hook.get("events"), hook.get("headers"))

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
        self._register_startup_webhooks()
        for request in self._baseline:
            self.seed(dict(request))

    def demo_config(self) -> dict[str, str]:
        """The CONFORMANCE_<API>_* values (without prefix) of the demo identities, minus URLs."""
        raise NotImplementedError

    def server_error(self) -> Response:
        """The vendor's 500 envelope."""
        return json_response({"message": "Internal Server Error"}, 500)

    def trait(self, name: str) -> bool:
        """Whether this mock runs as a persona with the trait `name` (see blocks.personas)."""
        if name not in TRAITS:
            raise ValueError(f"unknown persona trait {name!r}; valid: {sorted(TRAITS)}")
        return self.persona is not None and name in self.persona.traits

    def integer(self, value: Any) -> int | None:
        """A JSON integer as this persona reads it: 2 and 2.0 (not 2.0 where integral floats are
        refused), "2" too where types are coerced; None when it is not one."""
        if isinstance(value, float) and self.trait("integral_floats_refused"):
            return None
        if isinstance(value, str) and self.trait("lenient_types"):
            text = value.strip()
            return int(text) if text.isascii() and text.lstrip("-").isdigit() else None
        return as_int(value)

    def number(self, value: Any) -> float | int | None:
        """A JSON number as this persona reads it ("12.5" too where types are coerced)."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return value
        if isinstance(value, str) and self.trait("lenient_types"):
            try:
                return float(value)
            except ValueError:
                return None
        return None

    def without_nulls(self, value: Any) -> Any:
        """Where null is accepted for an optional field, a null member is as if absent."""
        if not self.trait("null_accepted"):
            return value
        if isinstance(value, dict):
            return {k: self.without_nulls(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [self.without_nulls(v) for v in value]
        return value

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
        control = request.url.path == CONTROL_PREFIX or request.url.path.startswith(CONTROL_PREFIX + "/")
        try:
            if control:
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
        if self.persona is not None and not control:
            response = self._as_persona(response)
            if self.trait("slow") and self.clock.follows_real_time:
                # a served mock's clock is its clients' clock too: a slow answer takes real time,
                # or the client and the mock would disagree about how long it took
                await asyncio.sleep(self.SERVED_SLOW_SECONDS)
        await response(scope, receive, send)

    def _as_persona(self, response: Response) -> Response:
        """The generic traits, applied to every answer: latency, wording, extra fields and headers."""
        if self.trait("slow") and not self.clock.follows_real_time:
            self.clock.advance(self.SLOW_SECONDS)
        wording = self.trait("other_messages") and response.status_code >= 400
        fields = self.trait("extra_fields")
        if (wording or fields) and response.media_type == "application/json" and response.body:
            body = json.loads(bytes(response.body))
            if wording:
                body = self._reworded(body, response.status_code)
            if fields:
                body = _with_extra_fields(body)
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
            response = json_response(body, response.status_code, headers)
        if self.trait("extra_headers"):
            response.headers["X-Request-Id"] = f"persona-{self.clock.now():.3f}"
            response.headers["X-Served-By"] = f"{self.api}-mock ({self.persona_name})"
        return response

    def _reworded(self, body: Any, status: int) -> Any:
        if isinstance(body, list):
            return [self._reworded(item, status) for item in body]
        if not isinstance(body, dict):
            return body
        out = {}
        for key, value in body.items():
            pinned = any(p in value for p in self.PINNED_MESSAGES) if isinstance(value, str) else True
            if key in self.MESSAGE_KEYS and isinstance(value, str) and not pinned:
                # other words, but the JSON Pointers a message names stay: they are not wording
                at = "".join(f" at {p}" for p in _POINTERS.findall(value))
                out[key] = f"The request could not be completed (HTTP {status}){at}; see the documentation."
            else:
                out[key] = self._reworded(value, status) if isinstance(value, dict | list) else value
        return out

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
                    "persona": self.persona_name,
                    "available_personas": {n: p.description for n, p in self.PERSONAS.items()},
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
            reg = self.webhooks.register(
                url, payload.get("events"), payload.get("headers"), payload.get("statuses")
            )
            return json_response(
                {"id": reg.id, "url": reg.url, "events": sorted(reg.events), "statuses": sorted(reg.statuses)}
            )
        if action == "fail-next":
            self._fail_next = True  # the next API request gets the vendor's 500
            return json_response({"fail_next": True})
        if action == "webhooks/pump":
            return json_response({"attempts": await self.webhooks.pump_async()})
        if action == "webhooks/deliveries":
            return json_response({"deliveries": [d.summary() for d in self.webhooks.outbox]})
        return json_response({"error": f"unknown control action {action!r}"}, 404)
