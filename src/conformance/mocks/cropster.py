"""Stateful mock of the Cropster RPC API v1 (seed 000; CONTRACT-DECISIONS.md, cropster).

POST-only RPC under `/rpc/v1/{domain}.{subdomain}.{operation}`, OAuth2 client credentials with
scopes per namespace, `{ok, result, meta}` envelopes and `{ok: false, error: {code, message}}`
errors, newest-first cursor pagination, a token bucket of 5/s with a burst of 10 per client.

Order of checks (CONTRACT-DECISIONS, finer points): unknown operation or version 404 -> wrong
method 405 -> 401 -> 429 -> 403 -> content type 400 -> body.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.app import BodyError, MockApp, as_int, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.faults import Fault, fault_table
from conformance.mocks.blocks.pagination import CursorCodec, PageParamError, page_by_cursor
from conformance.mocks.blocks.ratelimit import TokenBucketLimiter
from conformance.mocks.blocks.store import NotFound, VersionedStore
from conformance.mocks.blocks.tokens import (
    ClientRecord,
    ClientRegistry,
    TokenIssuer,
    missing_scope,
    oauth_form,
    parse_scope_param,
)

BASE_PATH = "/rpc/v1"
TOKEN_PATH = "/oauth2/token"
TOKEN_LIFETIME = 28799  # the seed's example; "valid for 8 hours"
SCOPES = ("inventory.green", "inventory.roast", "inventory.blend")
UNITS = {"KG": 1.0, "LBS": 0.45359237}
# ISO 4217 active codes (the seed's "ISO 8601" is a typo: CONTRACT-DECISIONS)
_ISO_4217 = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ
GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR
LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB
TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
"""
CURRENCIES = frozenset(_ISO_4217.split())
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "cropster-demo-client",
    "CLIENT_SECRET": "cropster-demo-secret-Q8m2",
    "LIMITED_CLIENT_ID": "cropster-green-only",
    "LIMITED_CLIENT_SECRET": "cropster-green-secret-Z4k7",
}
LOCATIONS = [
    {"id": "6f1c2a7e-2b1d-4c3e-9f10-0a1b2c3d4e01", "externalId": "location-1234", "name": "Main Warehouse"},
    {"id": "6f1c2a7e-2b1d-4c3e-9f10-0a1b2c3d4e02", "externalId": "location-5678", "name": "Roastery"},
]
# list operation -> (namespace of the store, result key, date field filtered on)
LISTS = {
    "inventory.green.listGreenLots": ("green", "greenLots", None),
    "inventory.roast.listRoastedLots": ("roast", "roastedLots", "roastedDate"),
    "inventory.blend.listBlendedLots": ("blend", "blendedLots", "blendedDate"),
}
WRITES = (
    "inventory.green.importGreenLot",
    "inventory.green.setGreenLotWeight",
    "inventory.green.transferGreenLotToLocation",
)

FAULTS = fault_table(
    unknown_operation_400=Fault(
        "an unknown operation gets 400 instead of 404 resource_not_found",
        breaks="transport_unknown_path_not_found",
    ),
    get_allowed=Fault("GET is answered like POST instead of 405", breaks="transport_method_not_allowed"),
    no_allow_header=Fault("405 answers carry no Allow: POST", breaks="transport_method_not_allowed"),
    any_content_type=Fault(
        "a body that is not application/json is accepted", breaks="transport_content_type_enforced"
    ),
    expired_token_accepted=Fault("tokens stay valid after expires_in", breaks="auth_expired_token_rejected"),
    invalid_token_accepted=Fault("an unknown bearer token is accepted", breaks="auth_invalid_token_rejected"),
    anonymous_access=Fault(
        "a request without Authorization is accepted",
        breaks={"auth_missing_credentials_rejected", "errors_status_matches"},
    ),
    scope_not_enforced=Fault(
        "a token without the operation's namespace scope is accepted",
        breaks={"auth_scope_enforced", "errors_status_matches"},
    ),
    invalid_scope_granted=Fault(
        "a token request for a scope the client lacks succeeds", breaks="auth_token_error_conforms"
    ),
    invalid_client_400=Fault(
        "bad client credentials get 400 instead of 401", breaks="auth_token_error_conforms"
    ),
    any_grant_type_accepted=Fault("any grant_type gets a token", breaks="auth_token_error_conforms"),
    token_scope_spaces=Fault(
        "the token response joins scopes with spaces instead of %20", breaks="auth_token_response_conforms"
    ),
    wrong_code_negative_weight=Fault(
        "a negative weight gets invalid_parameter instead of invalid_weight", breaks="errors_code_matches"
    ),
    missing_parameter_400=Fault(
        "a missing attribute gets 400 instead of 422", breaks="errors_status_matches"
    ),
    error_envelope_flat=Fault(
        "errors are {error: message} instead of {ok: false, error: {code, message}}",
        breaks={"errors_code_matches", "rate_limit_rejection_envelope"},
    ),
    cursor_repeats_last=Fault(
        "each page starts with the last item of the previous page", breaks="pagination_walk_complete"
    ),
    end_cursor_on_last_page=Fault(
        "the last page still carries an endCursor", breaks="pagination_terminal_signal"
    ),
    oldest_first=Fault("lists are oldest first", breaks="pagination_order"),
    limit_not_enforced=Fault("limit above 100 is accepted", breaks="pagination_max_size"),
    zero_limit_accepted=Fault("limit 0 is accepted", breaks="pagination_invalid_size_rejected"),
    default_limit_wrong=Fault("the default page size is 20, not 50", breaks="pagination_default_size"),
    garbage_cursor_accepted=Fault(
        "an unknown cursor restarts at the first page", breaks="pagination_invalid_page_rejected"
    ),
    filter_ignored=Fault("roastedDate.from is ignored", breaks="pagination_filter_consistent"),
    no_rate_limit=Fault("no rate limit", breaks="rate_limit_quota_enforced"),
    rate_limit_never_recovers=Fault(
        "the token bucket never refills",
        breaks="rate_limit_recovers_after_window",
        select="test_recovers_after_window",
    ),
    shared_rate_limit=Fault("all clients share one token bucket", breaks="rate_limit_per_key_independent"),
    non_atomic_transfer=Fault(
        "a transfer to an unknown destination still debits the source lot",
        breaks="errors_refused_write_changed_nothing",
    ),
    overdraw_allowed=Fault(
        "a transfer may move more than the lot holds, or move a consumed lot",
        breaks="errors_status_matches",
        select="transfer_of_more or consumed_lot",
    ),
)


class CropsterMock(MockApp):
    api = "cropster"
    FAULTS = FAULTS
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
        self.tokens = TokenIssuer(
            self.clock.now,
            TOKEN_LIFETIME,
            journal=self.token_journal,
            never_expire=self.fault("expired_token_accepted"),
        )
        rate = 0.0 if self.fault("rate_limit_never_recovers") else 5.0
        self.limiter = TokenBucketLimiter(self.clock.now, rate, 10)
        self.store = VersionedStore(self.clock.now)
        self.external_ids: dict[str, str] = {}

    def demo_config(self) -> dict[str, str]:
        return dict(self.credentials)

    # -- envelopes ---------------------------------------------------------------------------------

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

    # -- pipeline ----------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        if path == TOKEN_PATH:
            return await self._token(request)
        operation = path.removeprefix(BASE_PATH + "/") if path.startswith(BASE_PATH + "/") else None
        if operation not in LISTS and operation not in WRITES:
            status = 400 if self.fault("unknown_operation_400") else 404
            raise self.error(status, "resource_not_found", f"No operation at {path}")
        assert operation is not None
        if request.method != "POST" and not (request.method == "GET" and self.fault("get_allowed")):
            headers = {} if self.fault("no_allow_header") else {"Allow": "POST"}
            raise self.error(
                405, "invalid_parameter", f"Method {request.method} is not supported; use POST", headers
            )
        client, scopes = self._authenticate(request)
        if not self.fault("no_rate_limit"):
            decision = self.limiter.hit("*" if self.fault("shared_rate_limit") else client.client_id)
            if not decision.allowed:
                raise self.error(
                    429,
                    "too_many_requests",
                    "Rate limit of 5 requests per second exceeded",
                    {"Retry-After": str(decision.retry_after)},
                )
        namespace = operation.rsplit(".", 1)[0]
        if missing_scope(scopes, namespace) and not self.fault("scope_not_enforced"):
            raise self.error(403, "access_denied", f"The token lacks the scope {namespace}")
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json" and request.method == "POST" and not self.fault("any_content_type"):
            raise self.error(400, "invalid_parameter", "Content-Type must be application/json")
        body = await self._body(request)
        if operation in LISTS:
            return self._list(operation, body)
        handler = {
            "inventory.green.importGreenLot": self._import,
            "inventory.green.setGreenLotWeight": self._set_weight,
            "inventory.green.transferGreenLotToLocation": self._transfer,
        }[operation]
        return handler(body)

    def _authenticate(self, request: Request) -> tuple[ClientRecord, frozenset[str]]:
        check = self.tokens.check(request.headers.get("authorization"))
        if check.ok and check.token:
            return check.token.client, check.token.scopes
        demo = next(c for c in self.clients)
        if (check.status == "unknown" and self.fault("invalid_token_accepted")) or (
            check.status == "missing" and self.fault("anonymous_access")
        ):
            return demo, demo.scopes
        reason = {
            "missing": "No bearer token",
            "malformed": "Malformed Authorization header",
            "unknown": "Invalid token",
            "expired": "The token has expired",
        }[check.status]
        raise self.error(401, "invalid_authentication", reason, {"WWW-Authenticate": "Bearer"})

    async def _body(self, request: Request) -> dict[str, Any]:
        try:
            body = await read_json(request, required=False)
        except BodyError as exc:
            raise self.error(400, "invalid_parameter", str(exc)) from None
        return body or {}

    # -- token endpoint ----------------------------------------------------------------------------

    async def _token(self, request: Request) -> Response:
        if request.method != "POST":
            raise MockHTTPError(
                405, {"error": "invalid_request", "error_description": "use POST"}, {"Allow": "POST"}
            )
        form = await oauth_form(request)
        client = self.clients.authenticate(form.get("client_id"), form.get("client_secret"))
        if client is None:
            raise MockHTTPError(
                400 if self.fault("invalid_client_400") else 401,
                {"error": "invalid_client", "error_description": "Unknown client or bad secret"},
            )
        grant = form.get("grant_type")
        if grant != "client_credentials" and not self.fault("any_grant_type_accepted"):
            raise MockHTTPError(
                400,
                {
                    "error": "unsupported_grant_type" if grant else "invalid_request",
                    "error_description": "grant_type must be client_credentials",
                },
            )
        requested = parse_scope_param(form.get("scope"))
        scopes = sorted(client.scopes) if requested is None else requested
        extra = [s for s in scopes if s not in client.scopes]
        if extra and not self.fault("invalid_scope_granted"):
            raise MockHTTPError(
                400,
                {
                    "error": "invalid_scope",
                    "error_description": f"Not granted to this client: {' '.join(extra)}",
                },
            )
        token = self.tokens.issue(client, scopes)
        joiner = " " if self.fault("token_scope_spaces") else "%20"
        return json_response(
            {
                "access_token": token.value,
                "expires_in": TOKEN_LIFETIME,
                "scope": joiner.join(scopes),
                "token_type": "bearer",
            },
            headers={"Cache-Control": "no-store"},
        )

    # -- validation --------------------------------------------------------------------------------

    def _data(self, body: dict[str, Any]) -> dict[str, Any]:
        data = body.get("data")
        if data is None:
            raise self._missing("data")
        if not isinstance(data, dict):
            raise self.error(400, "invalid_parameter", "data must be an object")
        return data

    def _missing(self, name: str) -> MockHTTPError:
        status = 400 if self.fault("missing_parameter_400") else 422
        return self.error(status, "missing_parameter", f"The attribute {name} is required")

    def _string(self, data: dict[str, Any], name: str, *, required: bool) -> str | None:
        value = data.get(name)
        if value is None:
            if required:
                raise self._missing(name)
            return None
        if not isinstance(value, str) or not value:
            raise self.error(400, "invalid_parameter", f"{name} must be a non-empty string")
        return value

    def _weight(
        self, data: dict[str, Any], name: str = "weight", *, allow_zero: bool = True
    ) -> dict[str, Any]:
        weight = data.get(name)
        if weight is None:
            raise self._missing(name)
        if not isinstance(weight, dict):
            raise self.error(400, "invalid_parameter", f"{name} must be an object with amount and unit")
        amount, unit = weight.get("amount"), weight.get("unit")
        if amount is None or unit is None:
            raise self._missing(f"{name}.{'amount' if amount is None else 'unit'}")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or not isinstance(unit, str):
            raise self.error(400, "invalid_parameter", f"{name}.amount must be a number and unit a string")
        if amount < 0 or (amount == 0 and not allow_zero):
            code = "invalid_parameter" if self.fault("wrong_code_negative_weight") else "invalid_weight"
            raise self.error(422, code, f"{name}.amount must be {'at least' if allow_zero else 'above'} 0")
        if unit not in UNITS:
            raise self.error(422, "unsupported_unit", f"Unit {unit!r} is not supported; use KG or LBS")
        return {"amount": amount, "unit": unit}

    def _price(self, data: dict[str, Any]) -> dict[str, Any] | None:
        price = data.get("price")
        if price is None:
            return None
        if not isinstance(price, dict):
            raise self.error(400, "invalid_parameter", "price must be an object with amount and currency")
        amount, currency = price.get("amount"), price.get("currency")
        if amount is None or currency is None:
            raise self._missing(f"price.{'amount' if amount is None else 'currency'}")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or not isinstance(currency, str):
            raise self.error(400, "invalid_parameter", "price.amount must be a number and currency a string")
        if amount < 0:
            raise self.error(422, "invalid_price", "price.amount must be at least 0")
        if currency not in CURRENCIES:
            raise self.error(422, "unsupported_currency", f"{currency!r} is not an ISO 4217 currency code")
        return {"amount": amount, "currency": currency}

    def _location(self, ref: Any, *, name: str = "location") -> dict[str, Any]:
        if ref is None:
            raise self._missing(name)
        if isinstance(ref, str):
            ref = {"id": ref}
        if not isinstance(ref, dict):
            raise self.error(400, "invalid_parameter", f"{name} must be an object with id or externalId")
        if any(not isinstance(ref[k], str) for k in ("id", "externalId") if k in ref):
            raise self.error(400, "invalid_parameter", f"{name}.id and {name}.externalId must be strings")
        for key in ("id", "externalId"):
            if ref.get(key) is not None:
                found = next((loc for loc in LOCATIONS if loc[key] == ref[key]), None)
                if found is None:
                    raise self.error(404, "resource_not_found", f"No location with {key} {ref[key]!r}")
                return {"id": found["id"], "externalId": found["externalId"]}
        raise self._missing(f"{name}.id")

    def _lot(self, lot_id: Any) -> Any:
        if not isinstance(lot_id, str):
            raise self.error(400, "invalid_parameter", "greenLotId must be a string")
        try:
            return self.store.get("green", lot_id)
        except NotFound:
            raise self.error(404, "resource_not_found", f"No green lot {lot_id}") from None

    # -- operations --------------------------------------------------------------------------------

    def _import(self, body: dict[str, Any]) -> Response:
        data = self._data(body)
        name = self._string(data, "name", required=True)
        weight = self._weight(data)
        price = self._price(data)
        ico = self._string(data, "icoNumber", required=False)
        external = self._string(data, "externalId", required=False)
        location = self._location(data.get("location"))
        with self._write_lock:
            if external is not None and external in self.external_ids:
                raise self.error(422, "invalid_parameter", f"A green lot with externalId {external!r} exists")
            lot = {
                "name": name,
                "icoNumber": ico,
                "externalId": external,
                "weight": weight,
                "price": price,
                "location": location,
            }
            entity = self.store.create("green", lot)
            if external is not None:
                self.external_ids[external] = entity.id
        return json_response({"ok": True, "result": {"greenLot": _view(entity)}})

    def _set_weight(self, body: dict[str, Any]) -> Response:
        data = self._data(body)
        if data.get("greenLotId") is None:
            raise self._missing("greenLotId")
        weight = self._weight(data)
        lot = self._lot(data["greenLotId"])
        self.store.update_fields("green", lot.id, {"weight": weight})
        return json_response({"ok": True})

    def _transfer(self, body: dict[str, Any]) -> Response:
        data = self._data(body)
        for name in ("greenLotId", "weight", "destinationLocationId"):
            if data.get(name) is None:
                raise self._missing(name)
        weight = self._weight(data, allow_zero=False)
        with self._write_lock:
            source = self._lot(data["greenLotId"])
            held = source.data["weight"]
            if held["amount"] <= 0 and not self.fault("overdraw_allowed"):
                raise self.error(
                    422, "invalid_weight", "The green lot is consumed (weight 0) and cannot move"
                )
            moved = weight["amount"] * UNITS[weight["unit"]] / UNITS[held["unit"]]
            if moved > held["amount"] + 1e-9 and not self.fault("overdraw_allowed"):
                raise self.error(422, "invalid_weight", "The weight exceeds the green lot's weight")
            remaining = {"amount": round(held["amount"] - moved, 6), "unit": held["unit"]}
            if self.fault("non_atomic_transfer"):
                self.store.update_fields("green", source.id, {"weight": remaining})
            destination = self._location(data["destinationLocationId"], name="destinationLocationId")
            if destination["id"] == source.data["location"]["id"]:
                raise self.error(422, "invalid_parameter", "The destination is the lot's own location")
            if not self.fault("non_atomic_transfer"):
                self.store.update_fields("green", source.id, {"weight": remaining})
            target = next(
                (
                    e
                    for e in self.store.list("green")
                    if e.data.get("transferredFrom") == source.id
                    and e.data["location"]["id"] == destination["id"]
                ),
                None,
            )
            amount = round(moved, 6)
            if target is None:
                target = self.store.create(
                    "green",
                    {
                        "name": source.data["name"],
                        "icoNumber": source.data.get("icoNumber"),
                        "externalId": None,
                        "weight": {"amount": amount, "unit": held["unit"]},
                        "price": source.data.get("price"),
                        "location": destination,
                        "transferredFrom": source.id,
                    },
                )
            else:
                total = round(target.data["weight"]["amount"] + amount, 6)
                self.store.update_fields(
                    "green", target.id, {"weight": {"amount": total, "unit": held["unit"]}}
                )
            source_view = _view(self.store.get("green", source.id))
            target_view = _view(self.store.get("green", target.id))
        return json_response(
            {"ok": True, "result": {"sourceGreenLot": source_view, "destinationGreenLot": target_view}}
        )

    def _list(self, operation: str, body: dict[str, Any]) -> Response:
        namespace, key, date_field = LISTS[operation]
        params = body.get("params", {})
        if not isinstance(params, dict):
            raise self.error(400, "invalid_parameter", "params must be an object")
        pagination = params.get("pagination", {})
        flt = params.get("filter", {})
        if not isinstance(pagination, dict) or not isinstance(flt, dict):
            raise self.error(400, "invalid_parameter", "params.pagination and params.filter must be objects")
        limit = as_int(pagination.get("limit", 20 if self.fault("default_limit_wrong") else 50))
        if limit is None:
            raise self.error(400, "invalid_parameter", "params.pagination.limit must be an integer")
        low = 0 if self.fault("zero_limit_accepted") else 1
        high = 10**6 if self.fault("limit_not_enforced") else 100
        if not low <= limit <= high:
            raise self.error(400, "invalid_parameter", "params.pagination.limit must be between 1 and 100")
        after = pagination.get("after")
        if after is not None and not isinstance(after, str):
            raise self.error(400, "invalid_parameter", "params.pagination.after must be a string or null")
        items = self.store.list(namespace)
        if date_field and date_field in flt and not self.fault("filter_ignored"):
            items = self._date_filter(items, flt[date_field], date_field)
        if not self.fault("oldest_first"):
            items = list(reversed(items))  # reverse-chronological: the newest first
        try:
            page = page_by_cursor(
                items,
                lambda e: e.id,
                after,
                limit,
                self.cursors,
                repeat_last=self.fault("cursor_repeats_last"),
                cursor_on_last=self.fault("end_cursor_on_last_page"),
            )
        except PageParamError as exc:
            if not self.fault("garbage_cursor_accepted"):
                raise self.error(400, "invalid_parameter", f"params.pagination.after: {exc}") from None
            page = page_by_cursor(items, lambda e: e.id, None, limit, self.cursors)
        return json_response(
            {
                "ok": True,
                "result": {key: [_view(e) for e in page.items]},
                "meta": {"pagination": {"endCursor": page.end_cursor}},
            }
        )

    def _date_filter(self, items: list[Any], window: Any, field: str) -> list[Any]:
        if not isinstance(window, dict) or not all(
            isinstance(window.get(k, ""), str) for k in ("from", "to")
        ):
            raise self.error(400, "invalid_parameter", f"params.filter.{field} must have ISO 8601 from/to")
        low, high = window.get("from"), window.get("to")
        for bound in (low, high):
            if bound is not None and not _is_datetime(bound):
                raise self.error(
                    400, "invalid_parameter", f"params.filter.{field}: {bound!r} is not an ISO 8601 date-time"
                )
        return [
            e
            for e in items
            if (low is None or e.data[field] >= low) and (high is None or e.data[field] < high)
        ]

    # -- control plane -----------------------------------------------------------------------------

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        resource = str(payload.get("resource", ""))
        namespaces = {"green_lots": "green", "roasted_lots": "roast", "blended_lots": "blend"}
        count = payload.get("count", 1)
        if resource not in namespaces or not isinstance(count, int) or not 0 <= count <= 1000:
            raise MockHTTPError(
                400, {"error": f"need 'resource' in {sorted(namespaces)} and 'count' 0..1000"}
            )
        namespace = namespaces[resource]
        ids = []
        for i in range(count):
            day = f"2025-01-{1 + i % 28:02d}T{8 + i // 28 % 12:02d}:00:00Z"
            data: dict[str, Any] = {
                "name": f"Seed lot {i:04d}",
                "weight": {"amount": 60.0, "unit": "KG"},
                "location": {"id": LOCATIONS[0]["id"], "externalId": LOCATIONS[0]["externalId"]},
            }
            if namespace == "green":
                data |= {"icoNumber": f"{1000 + i}", "externalId": None, "price": None}
            else:
                data[{"roast": "roastedDate", "blend": "blendedDate"}[namespace]] = day
            ids.append(self.store.create(namespace, data).id)
        return {"resource": resource, "ids": ids}


def _is_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


def _view(entity: Any) -> dict[str, Any]:
    data = {k: v for k, v in entity.data.items() if k != "transferredFrom"}
    return {"id": entity.id, **data}
