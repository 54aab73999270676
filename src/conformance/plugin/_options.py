"""Options (command line and ini), the session's settings (validated up front), Hypothesis profiles
and the header."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance.checks import REGISTRY
from conformance.contracts import CAPABILITIES, Contract, ContractError, available_apis, load_contract
from conformance.plugin._hypothesis import hypothesis_settings, seed_text
from conformance.plugin._keys import (
    LIVE_TARGETS,
    MARKERS,
    OPT_ALLOW_PRODUCTION,
    OPT_ALLOW_RATE_LIMIT_PROBE,
    OPT_ALLOW_WRITES,
    OPT_API,
    OPT_BASELINE,
    OPT_FAIL_ON_SHOULD,
    OPT_MAX_EXPIRY_WAIT,
    OPT_MOCK_FAULT,
    OPT_MOCK_PERSONA,
    OPT_PROPERTY_PHASES,
    OPT_REPORT_DIR,
    OPT_REQUEST_BUDGET,
    OPT_TARGET,
    OPT_TODAY,
    PROPERTY_PHASES,
    RUN,
    SETTINGS,
    Settings,
)
from conformance.report.model import RunResult
from conformance.report.statements import statements_of

INI_TARGET = "conformance_target"
INI_APIS = "conformance_apis"
INI_FAIL_ON_SHOULD = "conformance_fail_on_should"


@dataclass(frozen=True)
class Option:
    """One command-line option of the plugin: pytest registers it, `conformance run --help` lists it."""

    flag: str
    help: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    ini: str | None = None  # the pyproject.toml / pytest.ini key that can hold it

    @property
    def usage(self) -> str:
        metavar = self.kwargs.get("metavar")
        if "choices" in self.kwargs:
            metavar = "|".join(self.kwargs["choices"])
        return f"{self.flag} {metavar}" if metavar else self.flag


OPTIONS: tuple[Option, ...] = (
    Option(
        OPT_TARGET,
        "where the suites send traffic: the built-in mocks (default) or live base URLs",
        {"choices": ("mock", "live"), "default": None},
        ini=INI_TARGET,
    ),
    Option(
        OPT_API,
        "contract id to test (repeatable; default: every API with a contract)",
        {"action": "append", "default": [], "metavar": "ID"},
        ini=INI_APIS,
    ),
    Option(OPT_ALLOW_WRITES, "live mode: allow tests that write data", {"action": "store_true"}),
    Option(
        OPT_ALLOW_RATE_LIMIT_PROBE,
        "live mode: allow tests that spend rate-limit quota (bounded)",
        {"action": "store_true"},
    ),
    Option(
        OPT_ALLOW_PRODUCTION,
        "live mode: allow the production hosts named in the docs",
        {"action": "store_true"},
    ),
    Option(
        OPT_MOCK_FAULT,
        "mock mode: switch on a documented mock fault (repeatable), to see checks fail",
        {"action": "append", "default": [], "metavar": "[API:]NAME"},
    ),
    Option(
        OPT_MOCK_PERSONA,
        "mock mode: run every selected mock as this persona (a conformant variant that chooses "
        "differently where the documents are silent); `conformance mock personas --api ID` lists them",
        {"default": None, "metavar": "NAME"},
    ),
    Option(
        OPT_REQUEST_BUDGET,
        "live mode: at most N requests per API in this run (default: the profile's "
        "config.request_budget); the run stops when it is spent",
        {"type": int, "default": None, "metavar": "N"},
    ),
    Option(
        OPT_MAX_EXPIRY_WAIT,
        "live mode: wait at most this many seconds, in real time, for a token to expire or a "
        "webhook to arrive (a longer token lifetime: the expiry checks skip, saying so)",
        {"type": float, "default": 30.0, "metavar": "SECONDS"},
    ),
    Option(
        OPT_PROPERTY_PHASES,
        "the schemathesis phases the property suite runs, comma-separated from "
        f"{','.join(PROPERTY_PHASES)} (default: all against mocks; examples,fuzzing against a live "
        "target, whose request budget the coverage phase's hundreds of boundary cases would spend)",
        {"default": None, "metavar": "PHASES"},
    ),
    Option(
        OPT_REPORT_DIR,
        "write the reports here, whatever the run (default: <rootdir>/reports for the main job, "
        "<rootdir>/reports/partial for a partial run)",
        {"default": None, "metavar": "DIR"},
    ),
    Option(
        OPT_BASELINE,
        "an earlier conformance.json: the report and the gate add regressions, new failures, fixed",
        {"default": None, "metavar": "JSON"},
    ),
    Option(
        OPT_TODAY,
        "the date waivers (profile deviations) are judged against (default: today)",
        {"default": None, "metavar": "YYYY-MM-DD"},
    ),
    Option(
        OPT_FAIL_ON_SHOULD,
        "the gate also fails on SHOULD failures (default: they are listed, not gating)",
        {"action": "store_true", "default": None},
        ini=INI_FAIL_ON_SHOULD,
    ),
)

# pytest's own options a conformance run is most often given (listed by `conformance run --help`)
PYTEST_OPTIONS: tuple[tuple[str, str], ...] = (
    ("-k EXPR", "only cases whose name matches (a partial run: reports/partial/)"),
    ("-n N", "pytest-xdist: N worker processes (one report, written by the controller)"),
    ("--lf", "only the cases that failed last time (a partial run)"),
    ("--reruns N", "pytest-rerunfailures: rerun a failing case; it counts once, passed-on-rerun is flaky"),
    ("--hypothesis-profile dev|ci|live", "example counts (CI: `ci`, deterministic, no shrinking)"),
    ("--hypothesis-seed N", "the seed of a random run (the report and the header name the one used)"),
    ("-x", "stop at the first failure (a partial run)"),
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "contract conformance")
    for option in OPTIONS:
        group.addoption(option.flag, help=option.help, **option.kwargs)
    parser.addini(INI_TARGET, "default for --target: mock or live", default="mock")
    parser.addini(INI_APIS, "default for --api: the contract ids to test (default: all)", type="args")
    parser.addini(INI_FAIL_ON_SHOULD, "default for --fail-on-should", type="bool", default=False)


def _ini_or(config: pytest.Config, value: Any, ini: str) -> Any:
    return value if value not in (None, []) else config.getini(ini)


@pytest.hookimpl(tryfirst=True)  # before Hypothesis's own plugin loads a profile that does not exist
def pytest_configure(config: pytest.Config) -> None:
    from conformance.plugin._results import ResultCollector

    for marker, text in MARKERS.items():
        config.addinivalue_line("markers", f"{marker}: {text}")
    hypothesis = hypothesis_settings(config)
    known = available_apis()
    apis = list(dict.fromkeys(_ini_or(config, config.getoption(OPT_API), INI_APIS))) or known
    unknown = [a for a in apis if a not in known]
    if unknown:
        raise pytest.UsageError(
            f"{OPT_API}: no contract for {', '.join(map(repr, unknown))}. Valid: {', '.join(known)}"
        )
    target = _ini_or(config, config.getoption(OPT_TARGET), INI_TARGET)
    if target not in ("mock", "live"):
        raise pytest.UsageError(f"{INI_TARGET} = {target!r} in the ini file: valid: mock, live")
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
        max_wait_seconds=max(0.0, float(config.getoption(OPT_MAX_EXPIRY_WAIT))),
        contracts=contracts,
        report_dir_given=bool(report_dir),
        fail_on_should=bool(_ini_or(config, config.getoption(OPT_FAIL_ON_SHOULD), INI_FAIL_ON_SHOULD)),
        property_phases=_parse_phases(config.getoption(OPT_PROPERTY_PHASES)),
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
        faults=[f"{a}:{n}" for a, ns in faults.items() for n in ns],
        persona=persona,
        versions=_versions(),
        declared={api: [c for c in CAPABILITIES if contracts[api].profile.declares(c)] for api in apis},
        command=_command_line(config),
        hypothesis=hypothesis,
        seed=seed_text(hypothesis),
        documented={api: documented_rules(contracts[api]) for api in apis},
        statements={api: statements_of(contracts[api]) for api in apis},
    )


def documented_rules(contract: Contract) -> dict[str, list[str]]:
    """capability -> the rule keys its profile documents (the property test: its operations), the
    denominator of the coverage figure."""
    out: dict[str, list[str]] = {}
    for key in contract.rules:
        out.setdefault(key.split(".", 1)[0], []).append(key)
    out["schema"] = [f"schema:{op.method.upper()} {op.path}" for op in contract.operations.values()]
    return out


def _command_line(config: pytest.Config) -> str:
    """How this run was started: `conformance run …` (the CLI says so) or the pytest command line."""
    cli = os.environ.get("CONFORMANCE_RUN_COMMAND")
    if cli:
        return cli
    args = list(config.invocation_params.args)
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "pytest"
    program = "pytest" if program in ("pytest", "py.test", "__main__.py", "-c", "") else program
    return shlex.join([program, *map(str, args)])


def _positive(value: int | None, option: str) -> int | None:
    if value is not None and value < 1:
        raise pytest.UsageError(f"{option}: {value} is not a positive number of requests")
    return value


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


def _parse_phases(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    phases = tuple(p.strip() for p in value.split(",") if p.strip())
    unknown = [p for p in phases if p not in PROPERTY_PHASES]
    if unknown or not phases:
        raise pytest.UsageError(
            f"{OPT_PROPERTY_PHASES} {value!r}: "
            f"expected a comma-separated list of {', '.join(PROPERTY_PHASES)}"
        )
    return phases


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
    import difflib

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
            close = difflib.get_close_matches(
                name, sorted({f for a in candidates for f in mock_faults(a)}), n=3, cutoff=0.6
            )
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            listing = "`conformance mock faults --api ID` lists them with what each breaks"
            raise pytest.UsageError(
                f"{OPT_MOCK_FAULT}: unknown fault {value!r}.{hint} Valid: {', '.join(valid)} ({listing})"
            )
    return out


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("conformance", "pytest", "hypothesis", "schemathesis", "httpx"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def pytest_report_header(config: pytest.Config) -> list[str]:
    settings = config.stash.get(SETTINGS, None)
    run = config.stash.get(RUN, None)
    if settings is None or run is None:
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
        f"allowed={','.join(flags) or 'none'}",
        f"conformance: hypothesis {run.seed}",
    ]
