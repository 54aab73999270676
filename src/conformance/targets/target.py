"""A target: one API as the suites see it — base URLs, identities, a transport, maybe a control
plane. The in-process mock is reached through its ASGI app, a served mock or a vendor sandbox
through the network. The profile says what differs between APIs; nothing here names a vendor."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from conformance.client import (
    ApiClient,
    ApiKeyBearer,
    BearerPlusApiKey,
    OAuth2ClientCredentials,
    Pacer,
    Politeness,
    Recorder,
    Redactor,
    TokenCache,
    WindowPacer,
)
from conformance.client.politeness import every_request, operation_matcher
from conformance.contracts import Contract
from conformance.targets.config import SECRET_CONFIG_KEYS, TargetConfigError, env_name
from conformance.targets.control import ControlPlane
from conformance.targets.fixtures import Fixtures, TemplateValues
from conformance.targets.safety import BudgetTransport, Ledger, LiveGuard

TargetKind = Literal["mock", "live"]


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
    asgi_app: Any = field(default=None, repr=False)  # in-process mocks: the app itself (no socket)
    guard: LiveGuard | None = None  # live targets: writes, entity ownership (see targets.safety)
    budget: BudgetTransport | None = None  # live targets: the run's request budget for this API
    max_wait_seconds: float = 30.0  # live targets: the longest real wait (token expiry, a webhook)

    def __post_init__(self) -> None:
        self.token_cache = TokenCache(self.clock)
        self.fixtures = Fixtures(self.contract, self.config, lambda: self.client(Recorder(self.redactor)))
        self._polite: dict[str, Politeness] = {}
        self._tenant_fixtures: dict[str, Fixtures] = {}
        self.redactor.add(
            *(v for k, v in self.config.items() if any(k.endswith(s) for s in SECRET_CONFIG_KEYS))
        )

    @property
    def ledger(self) -> Ledger:
        """What this run created on the target (only a live target keeps one)."""
        return self.guard.ledger if self.guard is not None else Ledger()

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

    def identity_path_values(self, identity: str) -> dict[str, str]:
        """The path parameters an identity's calls use: the target's, with the identity's own (its
        tenant) where the profile names them and the configuration has them."""
        own = self.contract.profile.config.identity(identity).path_params
        return {**self.path_values(), **{p: self.config[k] for p, k in own.items() if self.config.get(k)}}

    def identity_keys(self, identity: str = "default") -> list[str]:
        """The config variables an identity needs under this API's auth kind."""
        keys = self.contract.profile.config.identity(identity)
        kind = self.contract.profile.auth.kind
        names = [keys.api_key] if kind == "api_key_bearer" else [keys.client_id, keys.client_secret]
        if kind == "bearer_plus_api_key":
            names.append(keys.api_key or "API_KEY")
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
                request_headers=self.contract.required_headers(),
                cache=self.token_cache,
            )
        return BearerPlusApiKey(
            self._need_token_url(), client_id, secret, cfg[keys.api_key or "API_KEY"], cache=self.token_cache
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
        polite: bool = True,
    ) -> ApiClient:
        """A client for one identity (or an explicit `auth`, e.g. a key the test just created).
        Polite by default (inside the documented quota, 429s waited out); `polite=False` for the
        rate-limit probes, which must reach the limit."""
        chosen = auth or self.auth_for(identity, scopes=scopes)
        path_values = self.identity_path_values(identity if auth is None else "default")
        fixtures = self.fixtures if auth is not None else self.fixtures_for(identity)
        return ApiClient(
            self.contract,
            base_url=self.base_url,
            token_url=self.token_url,
            transport=self.transport,
            recorder=recorder,
            auth=chosen,
            guard=self.guard,
            fixtures=fixtures.uses,
            path_values=path_values,
            politeness=self.politeness(identity if auth is None else f"explicit:{id(auth)}")
            if polite
            else None,
            template_values=TemplateValues(
                {
                    k: v
                    for k, v in self.config.items()
                    if k.endswith(("_ID", "_URL"))
                    and "CLIENT" not in k
                    and (fixtures is self.fixtures or not k.startswith("FIXTURE_"))
                },
                fixtures,
            ),
        )

    def fixtures_for(self, identity: str) -> Fixtures:
        """The entities an identity's example bodies name: the target's fixtures, or, for an identity
        of another tenant (its own path values), those discovered in that tenant (the configured
        FIXTURE_* values name the default tenant's entities, so they are not used there)."""
        if self.identity_path_values(identity) == self.path_values():
            return self.fixtures
        if identity not in self._tenant_fixtures:
            own = {k: v for k, v in self.config.items() if not k.startswith("FIXTURE_")}
            self._tenant_fixtures[identity] = Fixtures(
                self.contract, own, lambda: self.client(Recorder(self.redactor), identity=identity)
            )
        return self._tenant_fixtures[identity]

    def politeness(self, identity: str) -> Politeness:
        """How one identity's clients stay inside the documented quota (shared by all of them, so
        their requests are counted together, token calls included)."""
        if identity not in self._polite:
            rate = self.contract.profile.rate_limit
            pacer: Pacer | WindowPacer | None = None
            counts: Callable[[httpx.Request], bool] = every_request
            if rate is not None:
                if rate.policy == "token_bucket":
                    per_second = (rate.refill or rate.limit) / rate.window_seconds
                    pacer = Pacer(per_second, rate.limit, self.clock, self._wait)
                else:
                    pacer = WindowPacer(rate.limit, rate.window_seconds, self.clock, self._wait)
                if rate.applies_to == "operation":
                    op = self.contract.operation(rate.operation)
                    counts = operation_matcher(op.method, self.base_url + op.path)
            self._polite[identity] = Politeness(
                pacer, counts, self._wait, retry_after_field=rate.retry_after_field if rate else None
            )
        return self._polite[identity]

    def _wait(self, seconds: float) -> None:
        if self.control is not None:
            self.control.advance(seconds)  # a mock: move its clock, never sleep
        else:
            time.sleep(seconds)

    def let_time_pass(self, seconds: float) -> None:
        """Let time pass: a mock's clock is moved (control plane); a live target is waited for."""
        self._wait(seconds)

    def admin_cookie(self) -> str | None:
        name = self.contract.profile.config.admin_cookie
        return self.config.get(name) if name else None

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """A transport for concurrent requests from one event loop (the same app or network)."""
        if self.asgi_app is not None:
            return httpx.ASGITransport(app=self.asgi_app)
        return httpx.AsyncHTTPTransport(retries=0)

    def close(self) -> None:
        if self.control:
            self.control.close()
        self.transport.close()
