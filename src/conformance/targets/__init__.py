"""Targets: where the suites send traffic. A mock in-process (default) or a live base URL.

Suites see a `Target`, never a mock module: the in-process mock is reached through its ASGI
app, a served mock or a vendor sandbox through the network.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from conformance.client import (
    ApiClient,
    ApiKeyBearer,
    BearerPlusApiKey,
    CartonCloudAuth,
    OAuth2ClientCredentials,
    Recorder,
    Redactor,
    SyncASGITransport,
    TokenCache,
    network_transport,
)
from conformance.contracts import Contract

TargetKind = Literal["mock", "live"]
ENV_PREFIX = "CONFORMANCE_"
CONTROL_PATH = "/__mock__"
SECRET_CONFIG_KEYS = ("CLIENT_SECRET", "API_KEY", "SESSION_COOKIE", "CLIENT_ID", "SESSION")


class TargetConfigError(Exception):
    """Live configuration is missing or unsafe; the message names the variable."""


def env_name(api: str, key: str) -> str:
    return f"{ENV_PREFIX}{api.upper()}_{key}"


class Pacer:
    """Keeps one identity's traffic under a token-bucket limit, the way a well-behaved client does:
    it mirrors the bucket and waits (a mock's clock is advanced; a live target is slept on)."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float], wait: Callable[[float], None]
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.wait = wait
        self.tokens = float(burst)
        self.last = clock()
        self.margin = 2.0  # never run the bucket below this: other clients of the identity may share it

    def before_request(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < self.margin:
            delay = (self.margin - self.tokens) / self.rate
            self.wait(delay)
            self.tokens = self.margin
            self.last = self.clock()
        self.tokens -= 1


class OffsetClock:
    """Real time plus the seconds a control plane has advanced a served mock's clock."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class ControlPlane:
    """The `/__mock__/` endpoints of a mock (in-process or served). Not part of any contract;
    its calls are not evidence and are not recorded."""

    def __init__(
        self, root_url: str, transport: httpx.BaseTransport, on_advance: Callable[[float], None] | None = None
    ) -> None:
        self._http = httpx.Client(
            transport=transport, base_url=root_url.rstrip("/") + CONTROL_PATH, timeout=30.0
        )
        self._on_advance = on_advance

    def _post(self, action: str, payload: Mapping[str, Any] | None = None) -> Any:
        response = self._http.post(f"/{action}", json=dict(payload or {}))
        if response.status_code != 200:
            raise RuntimeError(f"control plane {action}: HTTP {response.status_code} {response.text[:300]}")
        return response.json()

    def info(self) -> Any:
        return self._http.get("/").json()

    def reset(self) -> None:
        self._post("reset")

    def advance(self, seconds: float) -> None:
        self._post("clock/advance", {"seconds": seconds})
        if self._on_advance:
            self._on_advance(seconds)

    def seed(self, resource: str, count: int, **extra: Any) -> list[str]:
        return list(self._post("seed", {"resource": resource, "count": count, **extra})["ids"])

    def set_status(self, resource: str, entity_id: str, status: str, **extra: Any) -> Any:
        return self._post("status", {"resource": resource, "id": entity_id, "status": status, **extra})

    def register_webhook(
        self, url: str, events: Iterable[str] = (), headers: Mapping[str, str] | None = None
    ) -> Any:
        return self._post("webhooks", {"url": url, "events": list(events), "headers": dict(headers or {})})

    def fail_next(self) -> None:
        """The next API request gets the vendor's 500 envelope."""
        self._post("fail-next")

    def pump_webhooks(self) -> Any:
        return self._post("webhooks/pump")

    def deliveries(self) -> list[dict[str, Any]]:
        return list(self._http.get("/webhooks/deliveries").json()["deliveries"])

    def close(self) -> None:
        self._http.close()


@dataclass
class Target:
    """One API as the suites see it: base URLs, identities, a transport, maybe a control plane."""

    kind: TargetKind
    contract: Contract
    config: dict[str, str]
    transport: httpx.BaseTransport
    clock: Callable[[], float]
    control: ControlPlane | None = None
    redactor: Redactor = field(default_factory=Redactor)
    token_cache: TokenCache = field(init=False)
    mock: Any = field(default=None, repr=False)  # the in-process app, for the harness's own tests

    def __post_init__(self) -> None:
        self.token_cache = TokenCache(self.clock)
        self._pacers: dict[str, Pacer] = {}
        self.redactor.add(
            *(v for k, v in self.config.items() if any(k.endswith(s) for s in SECRET_CONFIG_KEYS))
        )

    @property
    def api(self) -> str:
        return self.contract.api

    @property
    def base_url(self) -> str:
        return self.config["BASE_URL"]

    @property
    def token_url(self) -> str | None:
        return self.config.get("TOKEN_URL")

    def has(self, *keys: str) -> bool:
        return all(self.config.get(k) for k in keys)

    def missing(self, *keys: str) -> list[str]:
        return [env_name(self.api, k) for k in keys if not self.config.get(k)]

    def path_values(self) -> dict[str, str]:
        return {
            param: self.config[key]
            for param, key in self.contract.profile.path_params.items()
            if key in self.config
        }

    def identity_keys(self, identity: str = "default") -> list[str]:
        """The config variables an identity needs under this API's auth kind."""
        keys = self.contract.profile.config.identity(identity)
        kind = self.contract.profile.auth.kind
        names = [keys.api_key] if kind == "api_key_bearer" else [keys.client_id, keys.client_secret]
        if kind == "bearer_plus_api_key":
            names.append("API_KEY")
        return [n for n in names if n]

    def auth_for(self, identity: str = "default", *, scopes: list[str] | None = None) -> httpx.Auth:
        keys = self.contract.profile.config.identity(identity)
        auth = self.contract.profile.auth
        cfg = self.config
        missing = self.missing(*self.identity_keys(identity))
        if missing:
            raise TargetConfigError(f"identity {identity!r} needs {', '.join(missing)}")
        if auth.kind == "api_key_bearer":
            return ApiKeyBearer(cfg[str(keys.api_key)])
        client_id, secret = cfg[str(keys.client_id)], cfg[str(keys.client_secret)]
        if auth.kind == "cartoncloud":
            return CartonCloudAuth(
                self._need_token_url(),
                client_id,
                secret,
                accept_version=auth.token_headers.get("Accept-Version", "1"),
                cache=self.token_cache,
            )
        if auth.kind == "oauth2_client_credentials":
            if scopes is None:  # other identities ask for no scope: they get whatever they were granted
                scopes = auth.scopes if identity == "default" else []
            return OAuth2ClientCredentials(
                self._need_token_url(),
                client_id,
                secret,
                scopes=scopes,
                client_auth=auth.client_auth,
                token_headers=auth.token_headers,
                cache=self.token_cache,
            )
        return BearerPlusApiKey(
            self._need_token_url(), client_id, secret, cfg["API_KEY"], cache=self.token_cache
        )

    def _need_token_url(self) -> str:
        if not self.token_url:
            raise TargetConfigError(f"{env_name(self.api, 'TOKEN_URL')} is not set")
        return self.token_url

    def client(
        self,
        recorder: Recorder,
        identity: str = "default",
        *,
        scopes: list[str] | None = None,
        auth: httpx.Auth | None = None,
        paced: bool = True,
    ) -> ApiClient:
        """A client for one identity (or an explicit `auth`, e.g. a key the test just created).
        `paced=False` for rate-limit probes, which must reach the limit."""
        return ApiClient(
            self.contract,
            base_url=self.base_url,
            token_url=self.token_url,
            transport=self.transport,
            recorder=recorder,
            auth=auth or self.auth_for(identity, scopes=scopes),
            path_values=self.path_values(),
            pacer=self.pacer(identity) if paced and auth is None else None,
            template_values={
                k: v for k, v in self.config.items() if k.endswith(("_ID", "_URL")) and "CLIENT" not in k
            },
        )

    def pacer(self, identity: str) -> Pacer | None:
        """A pacer for short API-wide limits (a token bucket, N per second)."""
        rate = self.contract.profile.rate_limit
        if rate is None or rate.applies_to != "all" or rate.window_seconds > 10:
            return None  # long windows and single-operation limits: the suites stay far below them
        if identity not in self._pacers:
            per_second = (rate.refill or rate.limit) / rate.window_seconds
            self._pacers[identity] = Pacer(per_second, rate.limit, self.clock, self._wait)
        return self._pacers[identity]

    def _wait(self, seconds: float) -> None:
        if self.control is not None:
            self.control.advance(seconds)  # a mock: move its clock, never sleep
        else:
            time.sleep(seconds)

    def admin_cookie(self) -> str | None:
        name = self.contract.profile.config.admin_cookie
        return self.config.get(name) if name else None

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """A transport for concurrent requests from one event loop (the same app or network)."""
        if self.mock is not None:
            return httpx.ASGITransport(app=self.mock)
        return httpx.AsyncHTTPTransport(retries=0)

    def close(self) -> None:
        if self.control:
            self.control.close()
        self.transport.close()


# -- factories ---------------------------------------------------------------------------------------


def mock_target(
    contract: Contract, *, faults: Iterable[str] = (), credentials: Mapping[str, str] | None = None
) -> Target:
    from conformance.mocks import create_mock  # the target layer is the only door to the mocks

    app = create_mock(contract.api, faults=faults, credentials=credentials)
    origin = f"http://{contract.api}.mock.local"
    config = {**app.demo_config(), "BASE_URL": origin + app.base_path}
    if app.token_path:
        config["TOKEN_URL"] = origin + app.token_path
    transport = SyncASGITransport(app)
    return Target(
        "mock", contract, config, transport, app.clock.now, control=ControlPlane(origin, transport), mock=app
    )


def served_mock_exports(api: str, app: Any, host: str, port: int) -> dict[str, str]:
    """The CONFORMANCE_<API>_* variables that point a live run at a served mock."""
    origin = f"http://{host}:{port}"
    values = {**app.demo_config(), "BASE_URL": origin + app.base_path}
    if app.token_path:
        values["TOKEN_URL"] = origin + app.token_path
    return {env_name(api, k): v for k, v in values.items()}


def live_config(
    contract: Contract, environ: Mapping[str, str] | None = None, *, allow_production: bool = False
) -> dict[str, str]:
    env = os.environ if environ is None else environ
    spec = contract.profile.config
    config: dict[str, str] = {}
    for key in spec.required:
        value = env.get(env_name(contract.api, key), "").strip()
        if not value:
            raise TargetConfigError(
                f"live target for {contract.api!r} needs {env_name(contract.api, key)} "
                f"(required: {', '.join(env_name(contract.api, k) for k in spec.required)})"
            )
        config[key] = value
    for key in spec.optional:
        value = env.get(env_name(contract.api, key), "").strip()
        if value:
            config[key] = value
    config["BASE_URL"] = config["BASE_URL"].rstrip("/")
    if "TOKEN_URL" not in config and spec.token_path:
        config["TOKEN_URL"] = config["BASE_URL"] + spec.token_path
    for key in ("BASE_URL", "TOKEN_URL"):
        url = config.get(key)
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetConfigError(f"{env_name(contract.api, key)}={url!r} is not an http(s) URL")
        if parts.hostname in contract.profile.production_hosts and not allow_production:
            raise TargetConfigError(
                f"{env_name(contract.api, key)} points at the production host {parts.hostname!r}; "
                "pass --allow-production to test production deliberately"
            )
    return config


def live_target(contract: Contract, config: dict[str, str]) -> Target:
    transport = network_transport()
    clock = OffsetClock()
    parts = urlsplit(config["BASE_URL"])
    origin = f"{parts.scheme}://{parts.netloc}"
    control = _probe_control_plane(contract.api, origin, transport, clock)
    return Target("live", contract, config, transport, clock, control=control)


def _probe_control_plane(
    api: str, origin: str, transport: httpx.BaseTransport, clock: OffsetClock
) -> ControlPlane | None:
    """A served mock answers GET /__mock__ with its id; a vendor sandbox does not."""
    try:
        with httpx.Client(transport=transport, timeout=3.0) as http:
            response = http.get(origin + CONTROL_PATH)
        if response.status_code == 200 and response.json().get("mock") == api:

            def on_advance(seconds: float) -> None:
                clock.offset += seconds

            return ControlPlane(origin, network_transport(), on_advance)
    except (httpx.HTTPError, ValueError, AttributeError):
        pass
    return None
