"""Options, the session's settings (validated up front), Hypothesis profiles and the header."""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Sequence
from pathlib import Path

import pytest

from conformance.checks import REGISTRY
from conformance.contracts import CAPABILITIES, Contract, ContractError, available_apis, load_contract
from conformance.plugin._keys import (
    LIVE_TARGETS,
    MARKERS,
    OPT_ALLOW_PRODUCTION,
    OPT_ALLOW_RATE_LIMIT_PROBE,
    OPT_ALLOW_WRITES,
    OPT_API,
    OPT_BASELINE,
    OPT_MOCK_FAULT,
    OPT_MOCK_PERSONA,
    OPT_REPORT_DIR,
    OPT_REQUEST_BUDGET,
    OPT_TARGET,
    OPT_TODAY,
    RUN,
    SETTINGS,
    Settings,
)
from conformance.report.model import RunResult


def register_hypothesis_profiles() -> None:
    """`dev` (default), `ci` (deterministic, no shrinking) and `live` (few examples)."""
    from hypothesis import HealthCheck, Phase, settings

    settings.register_profile("dev", max_examples=30, deadline=None)
    settings.register_profile(
        "ci",
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    settings.register_profile(
        "live",
        max_examples=10,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


register_hypothesis_profiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "contract conformance")
    group.addoption(
        OPT_TARGET,
        choices=("mock", "live"),
        default="mock",
        help="where the suites send traffic: the built-in mocks (default) or live base URLs",
    )
    group.addoption(
        OPT_API,
        action="append",
        default=[],
        metavar="ID",
        help="contract id to test (repeatable; default: every API with a contract)",
    )
    group.addoption(OPT_ALLOW_WRITES, action="store_true", help="live mode: allow tests that write data")
    group.addoption(
        OPT_ALLOW_RATE_LIMIT_PROBE,
        action="store_true",
        help="live mode: allow tests that spend rate-limit quota (bounded)",
    )
    group.addoption(
        OPT_ALLOW_PRODUCTION,
        action="store_true",
        help="live mode: allow the production hosts named in the docs",
    )
    group.addoption(
        OPT_MOCK_FAULT,
        action="append",
        default=[],
        metavar="[API:]NAME",
        help="mock mode: switch on a documented mock fault (repeatable), to see checks fail",
    )
    group.addoption(
        OPT_MOCK_PERSONA,
        default=None,
        metavar="NAME",
        help="mock mode: run every selected mock as this persona (a conformant variant that chooses "
        "differently where the documents are silent); `conformance mock personas --api ID` lists them",
    )
    group.addoption(
        OPT_REPORT_DIR,
        default=None,
        metavar="DIR",
        help="where conformance.json/junit.xml/conformance.html go (default: <rootdir>/reports)",
    )
    group.addoption(
        OPT_BASELINE,
        default=None,
        metavar="JSON",
        help="an earlier conformance.json: the report shows new failures, fixed and still failing",
    )
    group.addoption(
        OPT_REQUEST_BUDGET,
        type=int,
        default=None,
        metavar="N",
        help="live mode: at most N requests per API in this run (default: the profile's "
        "config.request_budget); the run stops when it is spent",
    )
    group.addoption(
        OPT_TODAY,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date waivers (profile deviations) are judged against (default: today)",
    )


def pytest_configure(config: pytest.Config) -> None:
    from conformance.plugin._results import ResultCollector

    for marker, text in MARKERS.items():
        config.addinivalue_line("markers", f"{marker}: {text}")
    known = available_apis()
    apis = list(dict.fromkeys(config.getoption(OPT_API))) or known
    unknown = [a for a in apis if a not in known]
    if unknown:
        raise pytest.UsageError(
            f"{OPT_API}: no contract for {', '.join(map(repr, unknown))}. Valid: {', '.join(known)}"
        )
    target = config.getoption(OPT_TARGET)
    faults = _parse_faults(config.getoption(OPT_MOCK_FAULT), apis)
    if faults and target != "mock":
        raise pytest.UsageError(f"{OPT_MOCK_FAULT} only applies to --target mock")
    persona = _parse_persona(config.getoption(OPT_MOCK_PERSONA), apis, target)
    report_dir = config.getoption(OPT_REPORT_DIR)
    baseline = config.getoption(OPT_BASELINE)
    if baseline and not Path(baseline).is_file():
        raise pytest.UsageError(f"{OPT_BASELINE}: no such file {baseline!r}")
    try:
        contracts = {api: load_contract(api) for api in apis}
    except ContractError as exc:
        raise pytest.UsageError(str(exc)) from None
    for contract in contracts.values():
        _validate_deviations(contract)
    settings = Settings(
        target=target,
        apis=apis,
        allow_writes=config.getoption(OPT_ALLOW_WRITES),
        allow_rate_limit_probe=config.getoption(OPT_ALLOW_RATE_LIMIT_PROBE),
        allow_production=config.getoption(OPT_ALLOW_PRODUCTION),
        faults=faults,
        persona=persona,
        report_dir=Path(report_dir) if report_dir else config.rootpath / "reports",
        baseline=Path(baseline) if baseline else None,
        today=_parse_today(config.getoption(OPT_TODAY)),
        request_budget=_positive(config.getoption(OPT_REQUEST_BUDGET), OPT_REQUEST_BUDGET),
        contracts=contracts,
    )
    if target == "live":
        from conformance.targets import TargetConfigError, live_config

        for api, contract in contracts.items():
            try:
                settings.live_configs[api] = live_config(contract, allow_production=settings.allow_production)
            except TargetConfigError as exc:
                raise pytest.UsageError(str(exc)) from None
    config.stash[SETTINGS] = settings
    config.pluginmanager.register(ResultCollector(config), "conformance-results")
    config.stash[LIVE_TARGETS] = {}
    config.stash[RUN] = RunResult(
        target=target,
        apis=apis,
        started=RunResult.now(),
        faults=[f"{a}:{n}" for a, ns in faults.items() for n in ns]
        + ([f"persona:{persona}"] if persona else []),
        versions=_versions(),
        declared={api: [c for c in CAPABILITIES if contracts[api].profile.declares(c)] for api in apis},
    )


def _positive(value: int | None, option: str) -> int | None:
    if value is not None and value < 1:
        raise pytest.UsageError(f"{option}: {value} is not a positive number of requests")
    return value


def _parse_today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"{OPT_TODAY}: {value!r} is not a date (YYYY-MM-DD)") from None


def _validate_deviations(contract: Contract) -> None:
    """A waiver must name a real check (and, if it narrows to one, a real rule): a typo would
    silently waive nothing, or be reported as "not exercised" forever."""
    for i, deviation in enumerate(contract.profile.deviations):
        where = f"{contract.profile_path}: deviations[{i}]"
        if deviation.check not in REGISTRY:
            raise pytest.UsageError(
                f"{where}.check: unknown check {deviation.check!r}. Valid: {', '.join(sorted(REGISTRY))}"
            )
        if deviation.rule is not None and deviation.rule not in contract.rules:
            raise pytest.UsageError(
                f"{where}.rule: no rule at {deviation.rule!r}. Valid: {', '.join(sorted(contract.rules))}"
            )


def _parse_faults(values: Sequence[str], apis: Sequence[str]) -> dict[str, list[str]]:
    if not values:
        return {}
    from conformance.targets import mock_faults

    out: dict[str, list[str]] = {}
    for value in values:
        api, _, name = value.rpartition(":")
        candidates = [api] if api else list(apis)
        matched = False
        for candidate in candidates:
            if candidate not in apis:
                raise pytest.UsageError(f"{OPT_MOCK_FAULT} {value!r}: API {candidate!r} is not selected")
            if name in mock_faults(candidate):
                out.setdefault(candidate, []).append(name)
                matched = True
        if not matched:
            valid = sorted({f"{a}:{f}" for a in candidates for f in mock_faults(a)})
            raise pytest.UsageError(f"{OPT_MOCK_FAULT}: unknown fault {value!r}. Valid: {', '.join(valid)}")
    return out


def _parse_persona(name: str | None, apis: Sequence[str], target: str) -> str | None:
    if name is None:
        return None
    if target != "mock":
        raise pytest.UsageError(f"{OPT_MOCK_PERSONA} only applies to --target mock")
    from conformance.targets import mock_personas

    missing = [a for a in apis if name not in mock_personas(a)]
    if missing:
        valid = sorted({p for a in apis for p in mock_personas(a)})
        raise pytest.UsageError(
            f"{OPT_MOCK_PERSONA}: {', '.join(missing)} has no persona {name!r}. Valid: {', '.join(valid)}"
        )
    return name


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("conformance", "pytest", "hypothesis", "schemathesis", "httpx"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def seed_text(config: pytest.Config) -> str:
    """How to get the same examples again: the seed, or the derandomised profile."""
    from hypothesis import settings

    profile = settings.get_current_profile_name()
    seed = getattr(config.option, "hypothesis_seed", None)
    if seed is not None:
        return f"seed {seed} (profile {profile})"
    if settings().derandomize:
        return f"derandomized (profile {profile})"
    return f"random seed (profile {profile}; pass --hypothesis-seed to fix it)"


def pytest_report_header(config: pytest.Config) -> list[str]:
    settings = config.stash.get(SETTINGS, None)
    if settings is None:
        return []
    faults = ", ".join(f"{a}:{n}" for a, ns in settings.faults.items() for n in ns) or "none"
    flags = [
        name
        for name, on in (
            ("writes", settings.allow_writes),
            ("rate-limit-probe", settings.allow_rate_limit_probe),
            ("production", settings.allow_production),
        )
        if on
    ]
    return [
        f"conformance: target={settings.target} apis={','.join(settings.apis)} faults={faults} "
        f"allowed={','.join(flags) or 'none'}"
    ]
