"""Results: each case's verdict (recognised by type: a `NotApplicable` raised by a suite, a fixture
or a check; a waiver's xfail; a failure), its checks and evidence; collected in the controller
under xdist, counted once under pytest-rerunfailures (the last attempt; passed-on-rerun is flaky),
written as the reports at the end of the session, and summed up as the terminal's last lines.

Where the reports go: the main job (every suite, every API, nothing deselected, no planted fault)
writes `<rootdir>/reports/`. Any other run is *partial* — `--api` naming fewer APIs, `--mock-fault`,
`-k`/`-m`/`--deselect`/`--lf` that deselect something, paths or node ids narrower than `suites/`,
or a run stopped early (`-x`, `--maxfail`, Ctrl-C) — and writes `<rootdir>/reports/partial/`, so it
never replaces the main job's report. `--report-dir DIR` writes to DIR whatever the run.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conformance.plugin._collect import capability, case_api
from conformance.plugin._keys import PER_OPERATION_TEST, RUN, SETTINGS
from conformance.plugin._records import (
    ENDPOINT,
    PROPERTY,
    clean_up_live_targets,
    subtest_label,
)
from conformance.report import waivers
from conformance.report.model import FAILING, RunResult, TestResult


class ResultCollector:
    """Collects verdicts (in the controller under xdist: records travel in user_properties), writes
    the reports at the end of the session and ends the terminal output with the answer."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: dict[str, TestResult] = {}  # by node id: a rerun replaces the earlier attempt
        self.seen: Counter[str] = Counter()  # attempts per case
        self.failed_once: set[str] = set()
        self.endpoints: dict[str, dict[str, str]] = {}
        self.written: list[Path] = []
        self.gate: Any = None  # report.gate.GateResult once the reports are written
        self.deselected = 0
        self._with_subtests: set[str] = set()
        self.worker_events: list[dict[str, Any]] = []  # under xdist: what the workers cleaned up
        self._session: pytest.Session | None = None
        self._expected_subtests: dict[str, int] = {}
        self._current: tuple[str, int] | None = None  # the running item and the count before it
        self._last_failed = False
        self._distributed = config.pluginmanager.has_plugin("dsession") or hasattr(config, "workerinput")

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        self.worker_events += getattr(node, "workeroutput", {}).get("conformance_events", [])

    # -- progress: the property test's operations are counted up front, so the counter only grows

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        lfplugin = self.config.pluginmanager.get_plugin("lfplugin")
        # --lf narrows collection itself (no pytest_deselected): note whether it had failures to run
        self._last_failed = bool(self.config.getoption("lf", False) and getattr(lfplugin, "lastfailed", None))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> None:
        """After collection has set `testscollected` (once pytest_collection_finish has run)."""
        self._session = session
        if self._distributed or session.config.option.collectonly:
            return
        contracts = self.config.stash[SETTINGS].contracts
        for item in session.items:
            api = case_api(item)
            per_operation = getattr(item, "originalname", "") == PER_OPERATION_TEST  # not the stateful phase
            if api is not None and per_operation and capability(item) == "schema" and api in contracts:
                self._expected_subtests[item.nodeid] = len(contracts[api].operations)
                session.testscollected += len(contracts[api].operations)

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected += len(items)

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        if self._session is not None:
            self._current = (nodeid, self._session.testscollected)

    def _count_subtests_once(self) -> None:
        """Schemathesis adds the operations to `testscollected` when its test starts; they were
        counted at collection, so take its addition back (keeping the true count if it differs)."""
        if self._session is None or self._current is None:
            return
        nodeid, before = self._current
        expected = self._expected_subtests.pop(nodeid, None)
        if expected is not None:
            grown = self._session.testscollected - before
            self._session.testscollected = before + grown - expected

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config) -> Any:
        """A property-test operation is one case: a character of its own (`,` passed, `-` not
        applicable) as it finishes, so a long property test shows progress live."""
        label = subtest_label(report)
        if report.when != "call" or label is None or self._distributed:
            return None
        if not any(key == PROPERTY for key, _ in report.user_properties):
            return None
        if report.passed:
            return "subtests passed", ",", ("SUBPASSED", {"green": True})
        if report.skipped:
            return "subtests skipped", "-", ("SUBSKIPPED", {"yellow": True})
        return None

    # -- results

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        label = subtest_label(report)
        if label is not None:
            self._count_subtests_once()
        for key, value in report.user_properties:
            if key == ENDPOINT and isinstance(value, dict):
                self.endpoints.setdefault(str(value["api"]), value)
                continue
            if key != PROPERTY or not isinstance(value, dict):
                continue
            result = TestResult.from_dict(value)
            if label is not None:  # a subtest, e.g. one schemathesis operation
                suffix = f"[{label}]"
                # schemathesis already names the node `…[POST /x]` while the operation runs
                self._with_subtests.add(result.nodeid.removesuffix(suffix))
                if label:  # each generated case is its own case (own id in baselines and Allure)
                    if not result.nodeid.endswith(suffix):
                        result.nodeid += suffix
                    if not result.test.endswith(suffix):
                        result.test += suffix
            elif result.nodeid in self._with_subtests and report.passed:
                continue  # the subtests carry the verdicts; a failed parent still counts
            self._add(result)

    def _add(self, result: TestResult) -> None:
        """The last attempt is the case's verdict; one that failed before and passes now is flaky."""
        key = result.nodeid
        self.seen[key] += 1
        if result.verdict in FAILING:
            self.failed_once.add(key)
        result.attempts = self.seen[key]
        result.flaky = key in self.failed_once and result.verdict not in FAILING
        self.results[key] = result

    # -- the reports

    def partial_reasons(self, session: pytest.Session, exitstatus: int | pytest.ExitCode) -> list[str]:
        """Why this run is not the main job's (empty: it is). See the module docstring."""
        from conformance.contracts import available_apis

        config, settings = self.config, self.config.stash[SETTINGS]
        reasons = []
        known = available_apis()
        if sorted(settings.apis) != sorted(known):
            reasons.append(f"--api {' '.join(settings.apis)} ({len(settings.apis)} of {len(known)} APIs)")
        if settings.faults:
            planted = " ".join(f"{a}:{n}" for a, ns in settings.faults.items() for n in ns)
            reasons.append(f"--mock-fault {planted}")
        suites = config.rootpath / "suites"
        narrower = [
            _relative(arg, config.rootpath, config.invocation_params.dir)
            for arg in config.args
            if _narrower_than(arg, suites, config.invocation_params.dir)
        ]
        if narrower:
            reasons.append("only " + " ".join(narrower))
        if self.deselected:
            reasons.append(f"{self.deselected} test(s) deselected (-k, -m, --deselect, --lf or --sw)")
        if self._last_failed:
            reasons.append("--lf (only what failed last time)")
        if session.shouldfail or session.shouldstop:
            reasons.append(f"stopped early ({session.shouldfail or session.shouldstop})")
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            reasons.append("interrupted")
        return list(dict.fromkeys(reasons))

    def report_dir(self, run: RunResult) -> Path:
        settings = self.config.stash[SETTINGS]
        if settings.report_dir_given or not run.partial:
            return settings.report_dir
        return settings.report_dir / "partial"

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = self.config
        events = clean_up_live_targets(config)  # also after a failure or Ctrl-C
        if hasattr(config, "workerinput"):
            config.workeroutput["conformance_events"] = events  # type: ignore[attr-defined]
            return  # an xdist worker: the controller writes the reports
        if not self.results:
            return  # no suite test ran
        from conformance.report import write_all
        from conformance.report.gate import diff, evaluate

        run = config.stash[RUN]
        run.finished = RunResult.now()
        run.results = sorted(self.results.values(), key=lambda r: (r.api, r.capability, r.nodeid))
        run.events = [*self.worker_events, *events]
        run.endpoints = {
            api: {k: v for k, v in self.endpoints[api].items() if k != "api"}
            for api in run.apis
            if api in self.endpoints
        }
        run.partial = self.partial_reasons(session, exitstatus)
        settings = config.stash[SETTINGS]
        declared = {api: c.profile.deviations for api, c in settings.contracts.items()}
        run.deviations = waivers.outcomes(run, declared, settings.today)
        baseline = None
        if settings.baseline is not None:
            baseline = RunResult.from_dict(json.loads(settings.baseline.read_text(encoding="utf-8")))
            run.baseline = diff(run, baseline).to_dict(str(settings.baseline))
        self.gate = evaluate(run, baseline, settings.today, fail_on_should=settings.fail_on_should)
        run.gate = self.gate.to_dict(settings.today)
        self.written = write_all(run, self.report_dir(run))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """The per-API table and the gate's findings (before pytest's own short summary)."""
        if not self.written or self.gate is None:
            return
        from conformance.report.summary import LEGEND, counts_line, text_table

        run = self.config.stash[RUN]
        terminalreporter.write_sep("=", "conformance")
        for line in text_table(run):
            terminalreporter.write_line(line)
        terminalreporter.write_line(LEGEND)
        terminalreporter.write_line(counts_line(run))
        for line in self.gate.lines()[:-1]:
            if not line.startswith("note  partial run"):  # said again as one of the last lines
                terminalreporter.write_line(line)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """The last lines of the run, after pytest's own: the gate's verdict and the report."""
        terminal = config.pluginmanager.get_plugin("terminalreporter")
        if not self.written or self.gate is None or terminal is None:
            return
        run = config.stash[RUN]
        if run.partial:
            where = self.written[-1].parent
            settings = config.stash[SETTINGS]
            told = (
                f"written to {where} as --report-dir asked"
                if settings.report_dir_given
                else f"written to {where}, the main job's {settings.report_dir} left as it was "
                "(--report-dir DIR to choose)"
            )
            terminal.write_line(f"conformance: partial run ({'; '.join(run.partial)}): {told}")
        terminal.write_line(f"conformance {self.gate.verdict_line()}", bold=True)
        terminal.write_line(f"conformance report: {self.written[-1]}")


def _relative(arg: str, root: Path, cwd: Path) -> str:
    path_part, sep, rest = arg.partition("::")
    path = (cwd / path_part).resolve()
    shown = path.relative_to(root.resolve()).as_posix() if root.resolve() in path.parents else path_part
    return f"{shown}{sep}{rest}"


def _narrower_than(arg: str, suites: Path, cwd: Path) -> bool:
    """A path or node id inside `suites/` but not all of it (a partial selection)."""
    if not suites.is_dir():
        return False
    path_part, _, rest = arg.partition("::")
    path = (cwd / path_part).resolve()
    root = suites.resolve()
    if path == root:
        return bool(rest)
    return root in path.parents
