"""Stateful mock of the Grafterr APIs 1.0.0 (seed 004; CONTRACT-DECISIONS.md, grafterr).

Behind an API-Gateway-like front: every request needs `x-api-key`, and all but the token call a
bearer token. Order of checks (CONTRACT-DECISIONS, finer points): unknown path 403 -> x-api-key 403
-> 429 -> 405 -> 401 -> 400. Orders raise `<channel>_order_created`; status changes raise
`<channel>_order_updated` (payload `{event, created_at, data}`; invented, like the token call).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.contracts import load_contract
from conformance.mocks.blocks.app import BodyError, MockApp, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.personas import STANDARD, Persona, persona_table
from conformance.mocks.blocks.ratelimit import FixedWindowLimiter, SlidingWindowLimiter
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.tokens import ClientRecord, ClientRegistry, TokenIssuer
from conformance.mocks.blocks.validation import BodyValidator
from conformance.mocks.grafterr._faults import FAULTS

BASE_PATH = "/dev"  # the sandbox stage of the seed
TOKEN_LIFETIME = 3600  # invented
RATE_PER_SECOND = 10  # decision: N is not public
CHANNELS = ("pos", "web", "selfkiosk")
# optional top-level members the strict-create persona requires (the docs' examples carry them)
STRICT_FIELDS = {"MenuInput": ("tax_list",), "OrderInput": ("customer",)}
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "grafterr-demo-client",
    "CLIENT_SECRET": "grafterr-demo-secret-L2x8",
    "API_KEY": "grafterr-demo-api-key-0c7f2b9e",
    "OTHER_API_KEY": "grafterr-second-api-key-5d1a8e3c",
}


class GrafterrMock(MockApp):
    api = "grafterr"
    FAULTS = FAULTS
    DEFAULT_CREDENTIALS = DEFAULT_CREDENTIALS
    TOKEN_LIFETIME = TOKEN_LIFETIME
    # our default counts token calls against the limit: the alternative is not counting them
    PERSONAS = persona_table(
        *(name for name in STANDARD if name != "counted-tokens"),
        free_tokens=Persona("token calls do not count against the rate limit", {"tokens_uncounted"}),
    )
    PINNED_MESSAGES = ("Unauthorized", "Forbidden", "Missing Authentication Token", "Too Many Requests")
    base_path = BASE_PATH
    token_path = BASE_PATH + "/v1/auth/token"

    def setup(self) -> None:
        contract = load_contract("grafterr")
        self._schemas = contract.openapi["components"]["schemas"]
        self._lock = threading.Lock()
        self.router = Router()
        self.router.add(BASE_PATH + "/v1/auth/token", {"POST": self._token}, token=True)
        self.router.add(BASE_PATH + "/v1/menu/create", {"POST": self._create_menu})
        self.router.add(BASE_PATH + "/v1/menu/read", {"GET": self._read_menu})
        self.router.add(BASE_PATH + "/v1/order/create", {"POST": self._create_order})

    def reset(self) -> None:
        strict, coerce = self.trait("integral_floats_refused"), self.trait("lenient_types")
        self.validators = {
            name: BodyValidator(
                {"$ref": f"#/components/schemas/{name}", "components": {"schemas": self._schemas}},
                strict_integers=strict,
                coerce=coerce,
            )
            for name in ("MenuInput", "OrderInput")
        }
        c = self.credentials
        self.clients = ClientRegistry([ClientRecord(c["CLIENT_ID"], c["CLIENT_SECRET"])])
        self.api_keys = {c["API_KEY"], c["OTHER_API_KEY"]}
        self.tokens = TokenIssuer(
            self.clock.now,
            self.token_lifetime,
            journal=self.token_journal,
            never_expire=self.fault("token_never_expires"),
        )
        window = 10.0**9 if self.fault("rate_limit_never_recovers") else 1.0
        self.limiter: SlidingWindowLimiter | FixedWindowLimiter = SlidingWindowLimiter(
            self.clock.now, RATE_PER_SECOND, window, count_rejected=not self.fault("refused_attempts_free")
        )
        if self.fault("fixed_window_limit"):
            self.limiter = FixedWindowLimiter(self.clock.now, window, lambda key: RATE_PER_SECOND)
        self.menus: dict[int, dict[str, Any]] = {}
        if self.trait("other_data"):  # a sandbox with a menu of its own already there
            self.menus[7301] = {
                "business_detail": {"business_id": 7301, "vat_type": "excluding", "country_id": 44},
                "tax_list": [{"plu": "T-20", "name": "VAT 20", "tax_number": "GB-20"}],
            }
        self.orders: dict[str, dict[str, Any]] = {}
        self.updated: set[str] = set()  # orders whose status changed at least once

    def demo_config(self) -> dict[str, str]:
        return dict(self.credentials)

    # -- envelopes ---------------------------------------------------------------------------------

    @staticmethod
    def gateway(status: int, message: str, headers: Mapping[str, str] | None = None) -> MockHTTPError:
        return MockHTTPError(status, {"message": message}, headers)

    def app_error(
        self, status: int, message: str, errors: list[dict[str, str]] | None = None
    ) -> MockHTTPError:
        if self.fault("error_envelope_wrong"):
            return MockHTTPError(status, {"error": message})
        body: dict[str, Any] = {"status": status, "message": message}
        if errors is not None and not self.fault("validation_without_errors"):
            body["errors"] = errors
        return MockHTTPError(status, body)

    def server_error(self) -> Response:
        return json_response({"message": "Internal server error"}, 500)

    # -- pipeline ----------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        match = self.router.match(request.url.path)
        if self.fault("api_key_before_path") and request.headers.get("x-api-key") not in self.api_keys:
            raise self.gateway(403, "Forbidden")
        if match is None:
            if self.fault("unknown_path_404"):
                raise self.gateway(404, "Not Found")
            raise self.gateway(403, "Missing Authentication Token")
        key = request.headers.get("x-api-key")
        exempt = match.tags.get("token") and self.fault("token_without_api_key_ok")
        if key not in self.api_keys and not self.fault("api_key_not_checked") and not exempt:
            raise self.gateway(403, "Forbidden")
        handler = match.handlers.get(request.method)
        if handler is None and self.fault("method_before_rate"):
            raise self.gateway(405, "Method Not Allowed", {"Allow": ", ".join(match.allowed)})
        if self.fault("auth_before_method") and not match.tags.get("token"):
            self._authenticate(request)
        counted = not (match.tags.get("token") and self.trait("tokens_uncounted"))
        slot = "*" if self.fault("shared_rate_limit") else key or "-"
        if counted and not self.fault("no_rate_limit") and not self.limiter.hit(slot).allowed:
            raise self.gateway(429, "Too Many Requests")
        if handler is None:
            if self.fault("method_not_allowed_404"):
                raise self.gateway(404, "Not Found")
            raise self.gateway(405, "Method Not Allowed", {"Allow": ", ".join(match.allowed)})
        if not match.tags.get("token") and not self.fault("validation_before_auth"):
            self._authenticate(request)
        answer = await handler(request)
        if not match.tags.get("token") and self.fault("validation_before_auth"):
            self._authenticate(request)
        return answer  # type: ignore[no-any-return]

    def _authenticate(self, request: Request) -> None:
        check = self.tokens.check(request.headers.get("authorization"))
        if (
            check.ok
            or (check.status == "unknown" and self.fault("invalid_token_accepted"))
            or (check.status == "missing" and self.fault("anonymous_access"))
        ):
            return
        raise self.gateway(401, "Unauthorized")

    async def _json(self, request: Request) -> dict[str, Any]:
        try:
            return dict(self.without_nulls(await read_json(request)))
        except BodyError as exc:
            raise self.app_error(400, str(exc)) from None

    def _validated(self, schema_name: str, data: Any) -> tuple[Any, list[dict[str, str]]]:
        """The body as the persona reads it, and what is wrong with it."""
        validator = self.validators[schema_name]
        body = validator.prepared(data)
        problems = [
            {"field": "/".join(str(p) for p in e.absolute_path) or "<body>", "message": e.message[:200]}
            for e in validator.errors(body)
        ]
        if self.trait("strict_create") and isinstance(body, dict):
            problems += [
                {"field": key, "message": f"{key} is required"}
                for key in STRICT_FIELDS[schema_name]
                if key not in body
            ]
        return body, problems

    # -- operations --------------------------------------------------------------------------------

    async def _token(self, request: Request) -> Response:
        body = await self._json(request)
        if not isinstance(body.get("client_id"), str) or not isinstance(body.get("client_secret"), str):
            raise self.app_error(
                400,
                "client_id and client_secret are required",
                [{"field": "client_id", "message": "required"}],
            )
        client = self.clients.authenticate(body["client_id"], body["client_secret"])
        if client is None:
            raise self.app_error(401, "Invalid client credentials")
        token = self.tokens.issue(client)
        data = {"access_token": token.value, "token_type": "Bearer", "expires_in": self.token_lifetime}
        if self.fault("token_response_flat"):
            return json_response(data)
        return json_response({"status": 200, "message": "Token generated successfully!", "data": data})

    async def _create_menu(self, request: Request) -> Response:
        raw = await self._json(request)
        if "tax_list" not in raw and self.fault("menu_without_tax_list_crashes"):
            raise RuntimeError("simulated crash: a menu without tax_list")
        body, problems = self._validated("MenuInput", raw)
        if self.fault("validation_not_enforced"):
            problems = [p for p in problems if "vat_type" not in p["field"]]
        if self.fault("business_id_unchecked"):
            problems = [p for p in problems if "business_id" not in p["field"]]
        if self.fault("tax_plu_optional"):
            problems = [p for p in problems if not p["field"].startswith("tax_list")]
        detail = body.get("business_detail") if isinstance(body, dict) else None
        vat = detail.get("vat_type") if isinstance(detail, dict) else None
        if vat == "excluding" and self.fault("excluding_vat_refused"):
            problems.append({"field": "business_detail/vat_type", "message": "excluding is not supported"})
        if problems:
            raise self.app_error(400, "Validation failed", problems)
        with self._lock:
            self.menus[body["business_detail"]["business_id"]] = body
        return json_response({"status": 200, "message": "Menu created successfully!"})

    async def _read_menu(self, request: Request) -> Response:
        with self._lock:
            latest = list(self.menus.values())[-1] if self.menus else {}
        message = "Menu fetched" if self.fault("menu_read_message_wrong") else "Data fetched successfully!"
        return json_response({"status": 200, "message": message, "menu_data": latest})

    async def _create_order(self, request: Request) -> Response:
        body, problems = self._validated("OrderInput", await self._json(request))
        if problems:
            raise self.app_error(400, "Validation failed", problems)
        order_id = body["order"]["details"]["order_id"]
        with self._lock:
            if order_id in self.orders and not self.fault("duplicate_order_accepted"):
                raise self.app_error(
                    400,
                    f"Order {order_id} already exists",
                    [{"field": "order/details/order_id", "message": "duplicate"}],
                )
            self.orders[order_id] = body
        self._emit(body, "created")
        await self.webhooks.pump_async()
        data = {} if self.fault("order_without_id") else {"order_id": order_id}
        return json_response({"status": 200, "message": "Order created successfully!", "data": data})

    def _emit(self, order: dict[str, Any], kind: str) -> None:
        channel = order["order"]["details"].get("order_channel", "web")
        if channel == "selfkiosk" and self.fault("selfkiosk_as_pos"):
            channel = "pos"
        event = f"order.{kind}" if self.fault("webhook_wrong_event") else f"{channel}_order_{kind}"
        data = dict(order)
        if self.fault("hyphen_keys_renamed"):
            data = {k.replace("-", "_"): v for k, v in data.items()}
            data["business_details"] = {k.replace("-", "_"): v for k, v in data["business_details"].items()}
        self.webhooks.emit(event, {"event": event, "created_at": _iso(self.clock.now()), "data": data})

    # -- control plane -----------------------------------------------------------------------------

    def set_status(self, payload: dict[str, Any]) -> dict[str, Any]:
        order_id, status = payload.get("id"), payload.get("status")
        if payload.get("resource") not in ("orders", None) or not isinstance(status, str):
            raise MockHTTPError(400, {"error": "need 'resource': 'orders', 'id' and 'status'"})
        with self._lock:
            order = self.orders.get(str(order_id))
            if order is None:
                raise MockHTTPError(404, {"error": f"no order {order_id}"})
            order["order"]["details"]["order_status"] = status
            again = str(order_id) in self.updated
            self.updated.add(str(order_id))
        if not (again and self.fault("second_update_not_sent")):
            self._emit(order, "updated")
        return {"order_id": order_id, "status": status}


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
