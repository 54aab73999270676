"""Making targets: the in-process mock, a live base URL (a vendor sandbox or a served mock), and
the configuration a live run reads from CONFORMANCE_<API>_* variables."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from conformance.client import SyncASGITransport, network_transport
from conformance.contracts import Contract
from conformance.targets.config import TargetConfigError, env_name
from conformance.targets.control import CONTROL_PATH, ControlPlane
from conformance.targets.safety import BudgetTransport, Ledger, LiveGuard
from conformance.targets.target import Target

WEBHOOK_VARIABLES = ("WEBHOOK_LISTEN", "WEBHOOK_HEADERS")  # the receiver address the vendor was given


class OffsetClock:
    """Real time plus the seconds a control plane has advanced a served mock's clock."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def mock_target(
    contract: Contract,
    *,
    faults: Iterable[str] = (),
    credentials: Mapping[str, str] | None = None,
    persona: str | None = None,
) -> Target:
    from conformance.mocks import create_mock  # the target layer is the only door to the mocks

    app = create_mock(contract.api, faults=faults, credentials=credentials, persona=persona)
    origin = f"http://{contract.api}.mock.local"
    config = {**app.demo_config(), "BASE_URL": origin + app.base_path}
    if app.token_path:
        config["TOKEN_URL"] = origin + app.token_path
    transport = SyncASGITransport(app)
    return Target(
        "mock",
        contract,
        config,
        transport,
        app.clock.now,
        control=ControlPlane(origin, transport),
        asgi_app=app,
    )


def mock_faults(api: str) -> Mapping[str, Any]:
    """The fault switches a built-in mock offers (name -> fault), for option validation."""
    from conformance.mocks import mock_faults as faults

    return faults(api)


def mock_personas(api: str) -> Mapping[str, Any]:
    """The personas a built-in mock can run as (name -> persona), for option validation."""
    from conformance.mocks import mock_personas as personas

    return personas(api)


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
    fixtures = [f.variable for f in contract.profile.fixtures.values() if f.variable]
    hooks = list(WEBHOOK_VARIABLES) if contract.profile.webhooks else []
    for key in [*spec.optional, *fixtures, *hooks]:
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


def live_target(
    contract: Contract,
    config: dict[str, str],
    *,
    allow_writes: bool = False,
    request_budget: int | None = None,
    max_wait_seconds: float = 30.0,
) -> Target:
    """A live base URL (a vendor sandbox, or a served mock, found by its control plane), guarded:
    writes only when allowed, never on an entity the run did not create, at most `request_budget`
    requests (default: the profile's)."""
    network = network_transport()
    clock = OffsetClock()
    parts = urlsplit(config["BASE_URL"])
    origin = f"{parts.scheme}://{parts.netloc}"
    control = _probe_control_plane(contract.api, origin, network, clock)
    budget = BudgetTransport(network, contract.api, request_budget or contract.profile.config.request_budget)
    guard = LiveGuard(contract, Ledger(), allow_writes=allow_writes)
    return Target(
        "live",
        contract,
        config,
        budget,
        clock,
        control=control,
        guard=guard,
        budget=budget,
        max_wait_seconds=max_wait_seconds,
    )


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
