"""Stateful mock of the OriginTrace Enterprise API v1 (seed 001; CONTRACT-DECISIONS.md, origintrace).

API keys per organisation with scopes, sent as `Authorization: Bearer <key>`; checks in the order
401 -> 403 -> 429 -> 400 (vendor code); a fixed one-hour window per key starting at its first
request, with `X-RateLimit-Remaining` / `X-RateLimit-Reset` on 2xx and 429; offset pagination with
`meta.total` over the filtered set, newest `created_at` first; key management with an admin session.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.blocks.app import BodyError, MockApp, read_json
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.pagination import OffsetLimitParams, PageParamError, page_by_offset
from conformance.mocks.blocks.personas import persona_table
from conformance.mocks.blocks.ratelimit import Decision, FixedWindowLimiter
from conformance.mocks.blocks.store import Entity, VersionedStore
from conformance.mocks.origintrace._constants import (
    DEFAULT_RATE_LIMIT,
    ORG,
    OTHER_ORG,
    RESOURCES,
    SESSION_COOKIE,
    WINDOW_SECONDS,
)
from conformance.mocks.origintrace._faults import FAULTS
from conformance.mocks.origintrace._keys import ApiKey, _iso
from conformance.mocks.origintrace._records import resource_fields

__all__ = ["FAULTS", "ORG", "OTHER_ORG", "OriginTraceMock"]


class OriginTraceMock(MockApp):
    api = "origintrace"
    FAULTS = FAULTS
    # no token calls at all: the counted-tokens persona would be the default one
    PERSONAS = persona_table("strict-create", "other-data", "lenient", "strict-numbers", "chatty", "slow")
    MESSAGE_KEYS = ("error",)
    PINNED_MESSAGES = (
        "Invalid or expired API key",
        "Insufficient scope. Required: read",
        "Rate limit exceeded",
    )

    @classmethod
    def default_credentials(cls) -> dict[str, str]:
        return {
            "API_KEY": secrets.token_hex(32),
            "NOSCOPE_API_KEY": secrets.token_hex(32),
            "OTHER_ORG_API_KEY": secrets.token_hex(32),
            "SESSION": "adm-" + secrets.token_hex(16),
        }

    def setup(self) -> None:
        self._lock = threading.Lock()

    def reset(self) -> None:
        self.keys: dict[str, ApiKey] = {}
        self.bad_requests: dict[str, int] = {}  # 400s per key secret (a fault stops counting them)
        self.store = VersionedStore(
            self.clock.now, partition=lambda data: data.get("org"), order=lambda data: data["created_at"]
        )
        self.sessions = {self.credentials["SESSION"]: ORG}
        self.limiter = FixedWindowLimiter(
            self.clock.now,
            10.0**12 if self.fault("rate_limit_never_recovers") else WINDOW_SECONDS,
            self._limit_of,
            shared=self.fault("shared_rate_limit"),
            aligned=self.fault("clock_aligned_window"),
            sliding=self.fault("sliding_window_limit"),
        )
        c = self.credentials
        self.demo_keys = {
            "API_KEY": self._new_key(ORG, "demo", ["read"], secret=c.get("API_KEY")),
            "NOSCOPE_API_KEY": self._new_key(
                ORG, "no read scope", ["write"], secret=c.get("NOSCOPE_API_KEY")
            ),
            "OTHER_ORG_API_KEY": self._new_key(
                OTHER_ORG, "other org", ["read"], secret=c.get("OTHER_ORG_API_KEY")
            ),
        }

    def demo_config(self) -> dict[str, str]:
        session = next(iter(self.sessions))
        return {
            **{k: v.secret for k, v in self.demo_keys.items()},
            "SESSION_COOKIE": f"{SESSION_COOKIE}={session}",
        }

    def _new_key(
        self,
        org: str,
        name: str,
        scopes: list[str],
        *,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        expires_in_days: int | None = None,
        secret: str | None = None,
    ) -> ApiKey:
        now = self.clock.now()
        key = ApiKey(
            str(uuid.uuid4()),
            secret or secrets.token_hex(32),
            org,
            name,
            scopes,
            rate_limit,
            now,
            now + expires_in_days * 86400 if expires_in_days else None,
        )
        with self._lock:
            self.keys[key.secret] = key
            self.token_journal.append(key.secret)
        return key

    def _limit_of(self, secret: str) -> int:
        key = self.keys.get(secret)
        limit = key.rate_limit_per_hour if key else DEFAULT_RATE_LIMIT
        return 100 if limit == DEFAULT_RATE_LIMIT and self.fault("default_quota_100") else limit

    # -- envelopes ---------------------------------------------------------------------------------

    def error(
        self, status: int, message: str, headers: Mapping[str, str] | None = None, **extra: Any
    ) -> MockHTTPError:
        body = {"message": message} if self.fault("error_envelope_wrong") else {"error": message, **extra}
        return MockHTTPError(status, body, headers)

    def server_error(self) -> Response:
        if self.fault("server_error_not_json"):
            return Response("Internal server error", 500, media_type="text/plain")
        return json_response({"error": "Internal server error"}, 500)

    def _rate_headers(self, decision: Decision) -> dict[str, str]:
        if self.fault("missing_rate_headers"):
            return {}
        remaining = decision.limit if self.fault("remaining_not_decreasing") else decision.remaining
        reset = decision.reset_epoch + (decision.remaining if self.fault("reset_moves") else 0)
        if self.fault("reset_constant_zero"):
            reset = 0
        return {"X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)}

    # -- pipeline ----------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        if path == "/api/keys":
            return await self._keys(request)
        if not path.startswith("/api/v1/"):
            raise self.error(404, "Not found")
        if self.fault("rate_before_auth") and not request.headers.get("authorization"):
            spent = [k for k in self.keys.values() if not self.limiter.peek(k.secret)]
            if spent:
                raise self.error(429, "Rate limit exceeded", retry_after=1)
        # the vendor's middleware authenticates every /api/v1/ request before any route is chosen
        key = self._authenticate(request)
        resource = path.removeprefix("/api/v1/")
        if resource not in RESOURCES:
            raise self.error(404, "Not found")
        if request.method != "GET":
            if self.fault("other_methods_404"):
                raise self.error(404, "Not found")
            raise self.error(405, f"Method {request.method} not allowed", {"Allow": "GET"})
        if self.fault("params_before_scope") or self.fault("params_before_rate"):
            self._page_params(request, {})
        if "read" not in key.scopes and not self.fault("scope_not_enforced"):
            raise self.error(403, "Insufficient scope. Required: read")
        spend = True
        if self.fault("bad_requests_not_counted") and not self._valid_page(request):
            self.bad_requests[key.secret] = self.bad_requests.get(key.secret, 0) + 1
            spend = self.bad_requests[key.secret] < 2  # the first 400 of a key counts, later ones do not
        decision = self.limiter.hit("*" if self.fault("no_rate_limit") else key.secret, spend=spend)
        if self.fault("no_rate_limit"):
            decision = Decision(True, decision.limit, decision.limit, decision.reset_at, 1)
        headers = self._rate_headers(decision)
        if not decision.allowed:
            extra = {} if self.fault("no_retry_after") else {"retry_after": decision.retry_after}
            raise self.error(429, "Rate limit exceeded", headers, **extra)
        key.last_used_at = self.clock.now()
        return self._list(request, resource, key, headers)

    def _authenticate(self, request: Request) -> ApiKey:
        header = request.headers.get("authorization") or ""
        scheme, _, secret = header.partition(" ")
        key = self.keys.get(secret.strip()) if scheme.lower() == "bearer" else None
        if key is None:
            if (not header and self.fault("anonymous_access")) or (
                header and self.fault("invalid_key_accepted")
            ):
                return self.demo_keys["API_KEY"]
            raise self.error(401, "Invalid or expired API key")
        if key.status == "revoked" and not self.fault("revoked_key_still_works"):
            raise self.error(401, "Invalid or expired API key")
        expired = key.expires_at is not None and self.clock.now() >= key.expires_at
        if expired and not self.fault("expired_key_accepted"):
            raise self.error(401, "Invalid or expired API key")
        return key

    def _valid_page(self, request: Request) -> bool:
        try:
            OffsetLimitParams().parse(dict(request.query_params))
        except PageParamError:
            return False
        return True

    def _page_params(self, request: Request, headers: dict[str, str]) -> tuple[int, int]:
        """(limit, offset) of a list request; 400 for bad ones (with the rate headers it carries)."""
        params = OffsetLimitParams(
            default_size=50 if self.fault("default_limit_wrong") else 100,
            max_size=10**6 if self.fault("limit_not_clamped") else 500,
        )
        query = dict(request.query_params)
        if self.trait("lenient_types"):  # a persona: "10.0" or " 10 " is read as 10
            query = {k: _integral(v) for k, v in query.items()}
        if self.fault("negative_offset_accepted") and query.get("offset", "0").startswith("-"):
            query["offset"] = "0"
        if self.fault("non_integer_offset_accepted") and not query.get("offset", "0").lstrip("-").isdigit():
            query["offset"] = "0"
        if self.fault("limit_ten_accepted") and not query.get("limit", "1").lstrip("-").isdigit():
            query.pop("limit")
        if self.fault("zero_limit_accepted") and query.get("limit") == "0":
            query.pop("limit")
        if "offset" not in query and self.fault("offset_defaults_to_limit"):
            query["offset"] = query.get("limit", "100")
        try:
            return params.parse(query)
        except PageParamError as exc:
            raise self.error(400, str(exc), headers) from None

    def _list(self, request: Request, resource: str, key: ApiKey, headers: dict[str, str]) -> Response:
        limit, offset = self._page_params(request, headers)
        every_org = self.fault("org_isolation_broken") or (  # asked once, not once per row
            resource == "farms" and self.fault("farms_leak_other_org")
        )
        newest_first = not self.fault("oldest_first")
        rows: Sequence[Entity]
        if every_org:
            rows = sorted(self.store.list(resource), key=_created, reverse=newest_first)
        else:  # the store keeps each organisation's records by created_at: a page reads its own
            rows = self.store.listing(resource, key.org, reverse=newest_first)
        field_name, documented = RESOURCES[resource]
        query = dict(request.query_params)
        wanted = query.get(field_name)
        if wanted == "aggregated" and self.fault("aggregated_refused"):
            raise self.error(400, f"Unknown {field_name} 'aggregated'", headers)
        if wanted is not None and wanted not in documented and self.fault("status_filter_crashes"):
            raise RuntimeError(f"simulated crash on the {field_name} filter {wanted!r}")
        matching = (
            rows
            if wanted is None or self.fault("filter_ignored")
            else [e for e in rows if e.data[field_name] == wanted]
        )
        total = len(rows) if self.fault("total_counts_unfiltered") else len(matching)
        if self.fault("past_end_error") and offset >= len(matching) > 0:
            raise self.error(404, "No records at this offset", headers)
        start = max(offset - 1, 0) if self.fault("offset_off_by_one") and offset else offset
        page = page_by_offset(matching, start, limit)
        hidden = {"org", "agent_id"} if self.fault("batch_without_agent") else {"org"}
        data = [{"id": e.id, **{k: v for k, v in e.data.items() if k not in hidden}} for e in page]
        if self.fault("statuses_upper_case") and resource == "batches":
            data = [{**d, "status": str(d.get("status")).upper()} for d in data]
        return json_response(
            {"data": data, "meta": {"total": total, "limit": limit, "offset": offset}}, headers=headers
        )

    # -- key management (admin session) ------------------------------------------------------------

    def _admin(self, request: Request) -> str:
        org = self.sessions.get(request.cookies.get(SESSION_COOKIE, ""))
        if org is None and self.fault("keys_without_session"):
            return ORG
        if org is None:
            raise self.error(401, "Unauthorized")
        return org

    async def _keys(self, request: Request) -> Response:
        if request.method not in ("GET", "POST", "DELETE"):
            raise self.error(405, f"Method {request.method} not allowed", {"Allow": "GET, POST, DELETE"})
        if request.method == "POST" and self.fault("create_key_without_session"):
            org = self.sessions.get(request.cookies.get(SESSION_COOKIE, "")) or ORG
        else:
            org = self._admin(request)
        if request.method == "GET":
            keys = [
                self._public(k) | ({"secret": k.secret} if self.fault("secret_listed") else {})
                for k in self.keys.values()
                if k.org == org
            ]
            if self.fault("key_list_without_last_used"):
                keys = [{f: v for f, v in k.items() if f != "last_used_at"} for k in keys]
            return json_response({"keys": keys})
        if request.method == "DELETE":
            key_id = request.query_params.get("id")
            if not key_id and not self.fault("revoke_without_id_ok"):
                raise self.error(400, "Missing id")
            key = next((k for k in self.keys.values() if k.id == key_id and k.org == org), None)
            if key is None:
                if self.fault("revoke_unknown_ok") or self.fault("revoke_without_id_ok"):
                    return json_response({"success": True, "message": "API key revoked"})
                raise self.error(404, "API key not found")
            key.status = "revoked"
            if self.fault("revoke_answer_wrong"):
                return json_response({"revoked": True})
            return json_response({"success": True, "message": "API key revoked"})
        try:
            body = self.without_nulls(await read_json(request))
        except BodyError as exc:
            raise self.error(400, str(exc)) from None
        if self.trait("strict_create"):  # a persona: every documented field of the body is required
            missing = [
                k for k in ("name", "scopes", "expires_in_days", "rate_limit_per_hour") if k not in body
            ]
            if missing:
                raise self.error(400, f"Missing fields: {', '.join(missing)}")
        name = body.get("name")
        scopes = body.get("scopes", [])
        days = body.get("expires_in_days")
        limit = body.get("rate_limit_per_hour", DEFAULT_RATE_LIMIT)
        if any(body.get(k, "") is None for k in ("scopes", "expires_in_days", "rate_limit_per_hour")):
            raise self.error(400, "scopes, expires_in_days and rate_limit_per_hour may be omitted, not null")
        if not isinstance(name, str) or not name.strip():
            raise self.error(400, "name is required")
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise self.error(400, "scopes must be a list of strings")
        if not self.fault("no_default_scopes"):
            scopes = scopes or ["read"]  # a key created with no scopes gets ["read"] (vendor code)
        if days is not None:
            days = self.integer(days)
            if days is None or days < 1:
                raise self.error(400, "expires_in_days must be a positive integer")
        limit = self.integer(limit)
        if limit is None or limit < 1:
            raise self.error(400, "rate_limit_per_hour must be a positive integer")
        secret = secrets.token_hex(16) if self.fault("short_secrets") else None
        key = self._new_key(org, name, scopes, rate_limit=limit, expires_in_days=days, secret=secret)
        created: dict[str, Any] = {
            "key": self._public(key),
            "secret": key.secret,
            "message": "Store this key securely. It will not be shown again.",
        }
        if self.fault("key_response_without_message"):
            del created["message"]
        return json_response(created)

    def _public(self, key: ApiKey) -> dict[str, Any]:
        shown = key.public()
        if self.fault("key_prefix_from_end"):
            shown["key_prefix"] = key.secret[-8:]
        return shown

    # -- control plane -----------------------------------------------------------------------------

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        resource = payload.get("resource")
        count = payload.get("count", 1)
        org = OTHER_ORG if payload.get("org") == "other" else ORG
        if resource not in RESOURCES or not isinstance(count, int) or not 0 <= count <= 2000:
            raise MockHTTPError(400, {"error": f"need 'resource' in {sorted(RESOURCES)} and 'count' 0..2000"})
        field_name, values = RESOURCES[resource]
        ids = []
        base = self.clock.now()
        for i in range(count):
            data = {"org": org, field_name: values[i % len(values)], "created_at": _iso(base + i)}
            data |= resource_fields(resource, i, other=self.trait("other_data"))
            # the other-data sandbox numbers its records (the vendor's code uses integer ids)
            entity_id = (
                str(self.store.count(resource) + 9001) if self.trait("other_data") else str(uuid.uuid4())
            )
            ids.append(self.store.create(resource, data, entity_id=entity_id).id)
        return {"resource": resource, "ids": ids}


def _created(entity: Entity) -> tuple[Any, int]:
    return entity.data["created_at"], entity.seq


def _integral(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value
