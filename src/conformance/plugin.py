"""The pytest plugin (entry point `pytest11`): options, targets, fixtures, verdicts, reports.

Suites ask for `api`, `contract`, `target`, `client`, `control` and `verify`; the plugin
parametrises every test that takes `api` over the selected APIs, skips what a profile does
not document (verdict "not applicable"), and turns each test into a verdict with evidence.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance.checks import REGISTRY, CheckFailure, NotApplicable
from conformance.client import ApiClient, Exchange, Recorder
from conformance.contracts import CAPABILITIES, Contract, ContractError, Rule, available_apis, load_contract
from conformance.contracts.models import Deviation
from conformance.report.model import CheckResult, RunResult, TestResult

OPT_TARGET = "--target"
OPT_API = "--api"
OPT_ALLOW_WRITES = "--allow-writes"
OPT_ALLOW_RATE_LIMIT_PROBE = "--allow-rate-limit-probe"
OPT_ALLOW_PRODUCTION = "--allow-production"
OPT_MOCK_FAULT = "--mock-fault"
OPT_REPORT_DIR = "--report-dir"
OPT_BASELINE = "--baseline"
OPT_TODAY = "--today"
MAX_EVIDENCE = 12
NOT_APPLICABLE = "not applicable: "

CASE_MARKER = "conformance_case"
MARKERS = {
    CASE_MARKER: "set by the plugin on each (test, API) case it generates: only these enter the report",
    "capability(name)": "the capability a suite test checks (auth, transport, pagination, errors, "
    "rate_limit, locking, webhooks); skipped as 'not documented' where the profile "
    "does not declare it",
    "writes": "the test creates or changes data: skipped in live mode unless --allow-writes",
    "rate_limit_probe": "the test spends a rate-limit quota: skipped in live mode unless "
    "--allow-rate-limit-probe",
    "control_plane": "the test needs the target's /__mock__/ control plane (a mock): skipped without one",
    "only_api(*ids)": "a scenario of these APIs only: parametrised over the selected ones among them",
}


@dataclass
class Settings:
    target: str
    apis: list[str]
    allow_writes: bool
    allow_rate_limit_probe: bool
    allow_production: bool
    faults: dict[str, list[str]]
    report_dir: Path | None
    live_configs: dict[str, dict[str, str]] = field(default_factory=dict)
    baseline: Path | None = None
    today: dt.date = field(default_factory=dt.date.today)
    contracts: dict[str, Contract] = field(default_factory=dict)


SETTINGS = pytest.StashKey[Settings]()
RUN = pytest.StashKey[RunResult]()
CHECKS = pytest.StashKey[list[CheckResult]]()
REDACTOR = pytest.StashKey[Any]()
LIVE_TARGETS = pytest.StashKey[dict[str, Any]]()


# -- options ---------------------------------------------------------------------------------------


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
        OPT_TODAY,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date waivers (profile deviations) are judged against (default: today)",
    )


def pytest_configure(config: pytest.Config) -> None:
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
    report_dir = config.getoption(OPT_REPORT_DIR)
    baseline = config.getoption(OPT_BASELINE)
    if baseline and not Path(baseline).is_file():
        raise pytest.UsageError(f"{OPT_BASELINE}: no such file {baseline!r}")
    today = _parse_today(config.getoption(OPT_TODAY))
    settings = Settings(
        target=target,
        apis=apis,
        allow_writes=config.getoption(OPT_ALLOW_WRITES),
        allow_rate_limit_probe=config.getoption(OPT_ALLOW_RATE_LIMIT_PROBE),
        allow_production=config.getoption(OPT_ALLOW_PRODUCTION),
        faults=faults,
        report_dir=Path(report_dir) if report_dir else config.rootpath / "reports",
        baseline=Path(baseline) if baseline else None,
        today=today,
    )
    try:
        contracts = {api: load_contract(api) for api in apis}
    except ContractError as exc:
        raise pytest.UsageError(str(exc)) from None
    for contract in contracts.values():
        _validate_deviations(contract)
    settings.contracts = contracts
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
        versions=_versions(),
        declared={api: [c for c in CAPABILITIES if contracts[api].profile.declares(c)] for api in apis},
    )


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
        if deviation.rule is not None:
            try:
                resolve_rule(contract, deviation.rule)
            except KeyError as exc:
                raise pytest.UsageError(f"{where}.rule: {exc.args[0]}") from None


def matching_deviation(contract: Contract, check: str, rule_key: str) -> Deviation | None:
    return next(
        (d for d in contract.profile.deviations if d.check == check and d.rule in (None, rule_key)),
        None,
    )


def deviation_report(run: RunResult, contracts: dict[str, Contract], today: dt.date) -> list[dict[str, Any]]:
    """Every waiver of the selected APIs, with what this run made of it (from the results model,
    so it is right under xdist): waiving, fixed (its check passed), expired, or not exercised."""
    out: list[dict[str, Any]] = []
    for api, contract in contracts.items():
        for deviation in contract.profile.deviations:
            verdicts = [
                c.verdict
                for r in run.results
                if r.api == api
                for c in r.checks
                if c.name == deviation.check and deviation.rule in (None, c.rule_key)
            ]
            if deviation.expires < today:
                status = "expired"
            elif "waived" in verdicts:
                status = "waiving"
            elif "pass" in verdicts:
                status = "fixed"
            else:
                status = "not exercised"
            out.append(
                {
                    "api": api,
                    **deviation.model_dump(mode="json"),
                    "status": status,
                    "waived_cases": verdicts.count("waived"),
                    "passed_cases": verdicts.count("pass"),
                    "failed_cases": verdicts.count("fail"),
                }
            )
    return out


def _parse_faults(values: Sequence[str], apis: Sequence[str]) -> dict[str, list[str]]:
    if not values:
        return {}
    from conformance.mocks import mock_faults

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


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("conformance", "pytest", "hypothesis", "schemathesis", "httpx"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def _seed_text(config: pytest.Config) -> str:
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


# -- parametrisation and skips ----------------------------------------------------------------------


def _capability(item_or_fn: Any) -> str | None:
    marker = item_or_fn.get_closest_marker("capability")
    return str(marker.args[0]) if marker and marker.args else None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "api" not in metafunc.fixturenames:
        return
    for marker in metafunc.definition.iter_markers("parametrize"):
        names = marker.args[0] if marker.args else marker.kwargs.get("argnames", "")
        if "api" in ([n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)):
            return  # the test parametrises `api` itself
    settings = metafunc.config.stash[SETTINGS]
    capability = _capability(metafunc.definition) or "general"
    if "error_code" in metafunc.fixturenames:
        metafunc.parametrize(("api", "error_code"), _error_code_params(settings.apis), scope="function")
        return
    case = getattr(pytest.mark, CASE_MARKER)
    apis = settings.apis
    only = metafunc.definition.get_closest_marker("only_api")
    if only is not None:
        apis = [a for a in apis if a in only.args]
    metafunc.parametrize(
        "api", [pytest.param(a, id=f"{a}:{capability}", marks=case) for a in apis], scope="function"
    )


def case_api(item: pytest.Item) -> str | None:
    """The API of a conformance case the plugin generated; None for any other test (e.g. the
    harness's own tests that parametrise `api` themselves, which must never enter a report)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or item.get_closest_marker(CASE_MARKER) is None:
        return None
    api = callspec.params.get("api")
    return api if isinstance(api, str) else None


def _error_code_params(apis: Sequence[str]) -> list[Any]:
    """One test per documented error code of each API (ids like `cartoncloud:errors:not_found`);
    a trigger that is not a read is marked `writes`."""
    params: list[Any] = []
    case = getattr(pytest.mark, CASE_MARKER)
    for api in apis:
        contract = load_contract(api)
        codes = contract.profile.errors.codes if contract.profile.errors else []
        if not codes:
            params.append(pytest.param(api, None, id=f"{api}:errors", marks=case))
        for code in codes:
            reads = contract.is_read(code.trigger.operation) and code.trigger.method in (None, "GET")
            marks = [case] if reads else [case, pytest.mark.writes]
            if code.trigger.rate_limit or code.trigger.repeat > 1:
                marks += [pytest.mark.writes, pytest.mark.rate_limit_probe]
            if code.trigger.control:
                marks.append(pytest.mark.control_plane)
            params.append(pytest.param(api, code.id, id=f"{api}:errors:{code.id}", marks=marks))
    return params


def _skip(reason: str) -> None:
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    api = case_api(item)
    if api is None:
        return
    settings = item.config.stash[SETTINGS]
    profile = load_contract(api).profile
    capability = _capability(item)
    if capability in CAPABILITIES and not profile.declares(capability):
        _skip(f"{NOT_APPLICABLE}not documented: {api} declares no {capability} in its profile")
    if settings.target == "live":
        if item.get_closest_marker("writes") and not settings.allow_writes:
            _skip(f"needs {OPT_ALLOW_WRITES} in live mode (the test writes data)")
        if item.get_closest_marker("rate_limit_probe") and not settings.allow_rate_limit_probe:
            _skip(f"needs {OPT_ALLOW_RATE_LIMIT_PROBE} in live mode (the test spends rate-limit quota)")


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def contract(api: str) -> Contract:
    return load_contract(api)


@pytest.fixture
def target(request: pytest.FixtureRequest, contract: Contract) -> Iterator[Any]:
    from conformance.targets import live_target, mock_target

    settings = request.config.stash[SETTINGS]
    if settings.target == "mock":
        made = mock_target(contract, faults=settings.faults.get(contract.api, ()))
        request.node.stash[REDACTOR] = made.redactor
        yield made
        made.close()
        return
    cache = request.config.stash[LIVE_TARGETS]
    if contract.api not in cache:
        cache[contract.api] = live_target(contract, settings.live_configs[contract.api])
    live = cache[contract.api]
    request.node.stash[REDACTOR] = live.redactor
    live.token_cache.clear()
    if live.control is not None:
        live.control.reset()  # a served mock: every test starts from the same state
    yield live


@pytest.fixture
def recorder(target: Any) -> Recorder:
    return Recorder(target.redactor)


@pytest.fixture
def client(target: Any, recorder: Recorder) -> Iterator[ApiClient]:
    made = target.client(recorder)
    yield made
    made.close()


@pytest.fixture
def other_client(target: Any, recorder: Recorder) -> Iterator[ApiClient]:
    """A second identity whose user lacks the target's tenant/organisation."""
    need = ("OTHER_CLIENT_ID", "OTHER_CLIENT_SECRET")
    if not target.has(*need):
        pytest.skip(f"needs {', '.join(target.missing(*need))} (a client of another tenant)")
    made = target.client(recorder, identity="other")
    yield made
    made.close()


@pytest.fixture
def control(target: Any) -> Any:
    if target.control is None:
        pytest.skip(
            "the target offers no /__mock__/ control plane (a vendor sandbox): "
            "this step needs seeding data or moving the clock"
        )
    return target.control


def resolve_rule(contract: Contract, key: str) -> Rule:
    node: Any = contract.profile
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if part.startswith("["):
            node = node[int(part[1:-1])]
        else:
            node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            raise KeyError(f"{contract.profile_path}: no rule at {key!r}")
    if not isinstance(node, Rule):
        raise KeyError(f"{contract.profile_path}: {key!r} is not a rule")
    return node


def _exchanges(values: Any) -> list[Exchange]:
    found: list[Exchange] = []
    for value in values:
        if isinstance(value, Exchange):
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(v for v in value if isinstance(v, Exchange))
    return found


def _evidence(exchanges: Sequence[Exchange]) -> list[dict[str, Any]]:
    unique = list({e.id: e for e in exchanges}.values())
    if len(unique) > MAX_EVIDENCE:
        half = MAX_EVIDENCE // 2
        unique = unique[:half] + unique[-half:]
    return [e.to_dict() for e in unique]


def render_failure(failure: CheckFailure, rule: Rule, key: str, contract: Contract, name: str) -> str:
    lines = [
        f"{type(failure).__name__}: {failure.title}",
        f"Expected: {failure.expected}",
        f"Actual:   {failure.actual}",
        f"Rule ({rule.severity}, {rule.x_source}): \u201c{rule.clause}\u201d \u2014 {rule.source}",
        f"Contract: {contract.profile_path} \u2192 {key}  (check {name})",
    ]
    if failure.evidence:
        lines.append("Reproduce:")
        lines += [f"  {e.to_curl()}" for e in failure.evidence[-2:]]
    return "\n".join(lines)


class Verifier:
    """`verify(check, "profile.key", **evidence)`: judge recorded exchanges against one rule."""

    def __init__(self, item: pytest.Item, contract: Contract, target: Any) -> None:
        self.item = item
        self.contract = contract
        self.target = target
        self.today = item.config.stash[SETTINGS].today

    def __call__(self, check: Callable[..., None], rule_key: str, **kwargs: Any) -> None:
        info = REGISTRY.get(check.__name__)
        if info is None:
            raise TypeError(f"{check.__name__} is not a registered check")
        rule = resolve_rule(self.contract, rule_key)
        evidence = _exchanges(kwargs.values())
        result = CheckResult(
            name=info.name,
            capability=info.capability,
            rule_key=rule_key,
            severity=rule.severity,
            x_source=rule.x_source,
            source=rule.source,
            clause=rule.clause,
            verdict="pass",
            evidence=_evidence(evidence),
        )
        self.item.stash.setdefault(CHECKS, []).append(result)
        if rule.mock_only and self.target.control is None:  # only our mocks (in-process or served) offer one
            result.verdict, result.reason = (
                "not-applicable",
                "invented rule: checked against the built-in mocks only",
            )
            pytest.skip(NOT_APPLICABLE + result.reason)
        outcome: NotApplicable | CheckFailure | None = None
        try:
            check(rule, **kwargs)
        except (NotApplicable, CheckFailure) as exc:
            outcome = exc
        if isinstance(outcome, NotApplicable):
            result.verdict, result.reason = "not-applicable", str(outcome)
            pytest.skip(NOT_APPLICABLE + str(outcome))
        if isinstance(outcome, CheckFailure):
            result.verdict = "fail"
            result.title = f"{type(outcome).__name__}: {outcome.title}"
            result.expected, result.actual = outcome.expected, outcome.actual
            result.evidence = _evidence([*outcome.evidence, *evidence])
            text = render_failure(outcome, rule, rule_key, self.contract, info.name)
            deviation = matching_deviation(self.contract, info.name, rule_key)
            if deviation is not None:
                waiver = f"waiver {deviation.ticket} (expires {deviation.expires}): {deviation.reason}"
                if deviation.expires >= self.today:
                    result.verdict, result.reason = "waived", waiver
                    pytest.xfail(f"{waiver}\n{text}")
                result.reason = f"EXPIRED {waiver}"
                text += f"\nThe {result.reason} no longer applies."
            pytest.fail(text, pytrace=False)


@pytest.fixture
def verify(request: pytest.FixtureRequest, contract: Contract, target: Any) -> Verifier:
    return Verifier(request.node, contract, target)


# -- verdicts -------------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    api = case_api(item)
    if api is None:
        return report
    redactor = item.stash.get(REDACTOR, None)
    if redactor is not None and report.failed and report.longrepr is not None:
        # failure text can quote a request (e.g. a Hypothesis strategy repr): mask what we know
        report.longrepr = redactor.text(report.longreprtext)
    if report.when == "call" or (report.when == "setup" and not report.passed):
        report.user_properties.append(("conformance", _record(item, api, report, call).to_dict()))
    return report


def _record(
    item: pytest.Item, api: str, report: pytest.TestReport, call: pytest.CallInfo[None]
) -> TestResult:
    checks = item.stash.get(CHECKS, [])
    reason = ""
    if report.skipped:
        longrepr = report.longrepr
        reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        if hasattr(report, "wasxfail"):
            verdict = "waived"
            reason = str(report.wasxfail)
        elif reason.startswith(NOT_APPLICABLE):
            verdict, reason = "not-applicable", reason[len(NOT_APPLICABLE) :]
        else:
            verdict = "skip"
    elif report.failed:
        asserted = call.excinfo is not None and call.excinfo.errisinstance(AssertionError)
        verdict = "fail" if asserted or any(c.verdict == "fail" for c in checks) else "error"
        reason = report.longreprtext[-4000:]
    else:
        verdict = "pass"
    name = getattr(item, "originalname", item.name)
    return TestResult(
        nodeid=item.nodeid,
        api=api,
        capability=_capability(item) or "general",
        test=name,
        verdict=verdict,
        reason=reason,
        duration=round(report.duration, 4),
        checks=checks,
    )


class ResultCollector:
    """Collects verdicts (in the controller under xdist: records travel in user_properties) and
    writes the reports at the end of the session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: list[TestResult] = []
        self.written: list[Path] = []
        self._with_subtests: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        context = getattr(report, "context", None)  # a subtest, e.g. one schemathesis operation
        for key, value in report.user_properties:
            if key != "conformance" or not isinstance(value, dict):
                continue
            result = TestResult.from_dict(value)
            if context is not None:
                label = context.msg or str(context.kwargs.get("label", "")).strip("'\"")
                suffix = f"[{label}]"
                self._with_subtests.add(result.nodeid.removesuffix(suffix))
                if label:  # each generated case is its own case (own id in baselines and Allure)
                    result.test = f"{result.test}{suffix}"
                    result.nodeid = f"{result.nodeid}{suffix}"
            elif result.nodeid in self._with_subtests and report.passed:
                continue  # the subtests carry the verdicts; a failed parent still counts
            self.results.append(result)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = self.config
        if hasattr(config, "workerinput") or not self.results:
            return  # an xdist worker (the controller writes), or no suite test ran
        from conformance.report import write_all

        run = config.stash[RUN]
        run.finished = RunResult.now()
        run.seed = _seed_text(config)
        run.results = sorted(self.results, key=lambda r: (r.api, r.capability, r.nodeid))
        settings = config.stash[SETTINGS]
        run.deviations = deviation_report(run, settings.contracts, settings.today)
        if settings.baseline is not None:
            from conformance.report.gate import diff

            baseline = RunResult.from_dict(json.loads(settings.baseline.read_text(encoding="utf-8")))
            run.baseline = diff(run, baseline).to_dict(str(settings.baseline))
        assert settings.report_dir is not None
        self.written = write_all(run, settings.report_dir)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.written:
            return
        run = self.config.stash[RUN]
        score, severity, counts = run.score(), run.severity_counts(), run.counts()
        line = (
            f"conformance: score {'n/a' if score is None else f'{score}%'} · "
            f"MUST failures {severity['MUST']['failing']} · "
            f"SHOULD failures {severity['SHOULD']['failing']} · "
            f"waived {counts['waived']} · not applicable {counts['not-applicable']}"
        )
        if run.baseline is not None:
            line += f" · regressions {len(run.baseline['regressions'])}"
        terminalreporter.write_line(line)
        terminalreporter.write_sep("-", f"conformance report: {self.written[-1]}")
