"""The plugin among other pytest plugins and habits: reruns, partial runs, `-p no:conformance`, ini
options, Hypothesis profiles, and the property test's cases and progress in the terminal."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.contracts import available_apis, load_contract
from conformance.report.gate import diff
from conformance.report.model import RunResult, TestResult
from tests.conftest import REPO, SUITES, read_report

FLAKY_SUITE = """
import pathlib

import pytest

pytestmark = pytest.mark.capability("auth")
ATTEMPTS = pathlib.Path(__file__).with_name("attempts.txt")


def test_flaky(api):
    seen = int(ATTEMPTS.read_text()) if ATTEMPTS.exists() else 0
    ATTEMPTS.write_text(str(seen + 1))
    assert seen >= 1, "fails the first time only"


def test_always_fails(api):
    assert False, "broken every time"


def test_passes(api):
    pass
"""


def test_reruns_count_a_case_once_and_passed_on_rerun_is_flaky_everywhere(pytester):
    pytester.makepyfile(test_suite=FLAKY_SUITE)
    out = pytester.path / "r"
    result = pytester.runpytest_inprocess(
        "--api", "cartoncloud", "--reruns", "1", "--report-dir", str(out), "-p", "no:cacheprovider"
    )
    outcomes = result.parseoutcomes()
    assert (outcomes["passed"], outcomes["failed"], outcomes["rerun"]) == (2, 1, 2)
    report = read_report(out)
    by_test = {r["test"]: r for r in report["results"]}
    assert len(report["results"]) == 3, "one case per test, whatever the attempts"
    assert by_test["test_flaky"]["verdict"] == "pass" and by_test["test_flaky"]["flaky"] is True
    assert by_test["test_flaky"]["attempts"] == 2
    assert by_test["test_always_fails"]["verdict"] == "fail" and by_test["test_always_fails"]["attempts"] == 2
    assert by_test["test_always_fails"]["flaky"] is False and by_test["test_passes"]["attempts"] == 1
    assert report["summary"]["severity"]["MUST"] == {"judged": 3, "failing": 1}
    assert report["summary"]["score"] == pytest.approx(66.7) and report["summary"]["flaky"] == 1

    cases = ET.parse(out / "junit.xml").getroot().findall("testsuite/testcase")
    assert len(cases) == 3
    flaky_case = next(c for c in cases if "test_flaky" in c.get("name"))
    assert ("flaky", "true") in {(p.get("name"), p.get("value")) for p in flaky_case.iter("property")}
    allure = [json.loads(p.read_text()) for p in (out / "allure-results").glob("*-result.json")]
    assert len(allure) == 3
    assert [a["statusDetails"].get("flaky") for a in allure if a["name"].startswith("test_flaky")] == [True]
    html = (out / "conformance.html").read_text()
    assert "flaky: passed on attempt 2" in html
    result.stdout.fnmatch_lines(["flaky cartoncloud auth *test_flaky* passed on attempt 2"])
    assert "1 flaky case" in result.stdout.lines[-2]


SMALL_SUITE = """
import pytest

pytestmark = pytest.mark.capability("auth")


def test_a(api):
    pass


def test_b(api):
    pass
"""


def digest(directory: Path) -> str:
    return hashlib.sha256((directory / "conformance.json").read_bytes()).hexdigest()


def test_a_partial_run_leaves_the_main_report_untouched(pytester):
    """The main job (all of suites/, every API) writes reports/; `-k`, `--api`, a node id, `--lf`,
    `-x` and `--mock-fault` runs write reports/partial/ and say so; `--report-dir` writes where told."""
    pytester.mkpydir("suites")
    pytester.path.joinpath("suites", "test_small.py").write_text(SMALL_SUITE)
    main_dir = pytester.path / "reports"
    result = pytester.runpytest_inprocess("suites")
    assert result.ret == 0
    main = read_report(main_dir)
    assert main["partial"] == [] and sorted(main["apis"]) == available_apis()
    before = digest(main_dir)

    deselected = "5 test(s) deselected (-k, -m, --deselect, --lf or --sw)"
    partial_runs = {
        deselected: ("suites", "-k", "test_a"),
        "--api cartoncloud (1 of 5 APIs)": ("suites", "--api", "cartoncloud"),
        "only suites/test_small.py::test_b": ("suites/test_small.py::test_b",),
        "--mock-fault cartoncloud:ignore_if_match": ("suites", "--mock-fault", "cartoncloud:ignore_if_match"),
    }
    for reason, args in partial_runs.items():
        result = pytester.runpytest_inprocess(*args)
        assert result.ret == 0, (reason, result.stdout.str())
        assert digest(main_dir) == before, f"{args}: the main job's report was replaced"
        assert reason in read_report(main_dir / "partial")["partial"], args
        result.stdout.fnmatch_lines([f"conformance: partial run (*): written to {main_dir / 'partial'}, *"])
        assert result.stdout.lines[-1] == f"conformance report: {main_dir / 'partial' / 'conformance.html'}"

    # --lf after a failing run: only what failed, so partial
    failing = SMALL_SUITE.replace("pass\n\n\ndef test_b", "assert 0\n\n\ndef test_b")
    pytester.path.joinpath("suites", "test_small.py").write_text(failing)
    assert pytester.runpytest_inprocess("suites", "-x").ret == 1
    assert "stopped early (stopping after 1 failures)" in read_report(main_dir / "partial")["partial"]
    assert digest(main_dir) == before
    pytester.path.joinpath("suites", "test_small.py").write_text(SMALL_SUITE)
    result = pytester.runpytest_inprocess("suites", "--lf")
    assert "--lf (only what failed last time)" in read_report(main_dir / "partial")["partial"]
    assert digest(main_dir) == before

    # asked: a partial run with --report-dir writes there
    chosen = pytester.path / "chosen"
    result = pytester.runpytest_inprocess("suites", "-k", "test_a", "--report-dir", str(chosen))
    assert read_report(chosen)["partial"] == [deselected]
    result.stdout.fnmatch_lines([f"*written to {chosen} as --report-dir asked"])
    assert digest(main_dir) == before


def test_the_plugin_can_be_switched_off_in_this_repo():
    """The root conftest must not need the plugin (it once loaded the plugin's Hypothesis profile)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:conformance", "-p", "no:cacheprovider", "-q",
         "tests/core/test_http.py"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed" in done.stdout and "not registered" not in done.stdout + done.stderr


def test_an_unknown_hypothesis_profile_is_a_usage_error_not_an_internal_error(pytester):
    result = pytester.runpytest_inprocess(
        str(SUITES / "conformance" / "test_locking.py"),
        "--hypothesis-profile",
        "nope",
        "-p",
        "no:cacheprovider",
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--hypothesis-profile: no profile 'nope'. Valid: *ci*dev*live*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_target_and_apis_can_live_in_the_ini_file(pytester):
    pytester.makepyprojecttoml(
        """
        [tool.pytest.ini_options]
        conformance_target = "mock"
        conformance_apis = ["cartoncloud", "cropster"]
        """
    )
    pytester.makepyfile(test_suite=SMALL_SUITE)
    result = pytester.runpytest_inprocess("--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider")
    assert result.ret == 0
    assert read_report(pytester.path / "r")["apis"] == ["cartoncloud", "cropster"]
    result = pytester.runpytest_inprocess("--api", "grafterr", "--report-dir", str(pytester.path / "r2"))
    assert read_report(pytester.path / "r2")["apis"] == ["grafterr"], "the command line wins"
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nconformance_target = "staging"\n')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*conformance_target = 'staging' in the ini file: valid: mock, live*"])


def test_property_test_cases_are_named_once_and_the_progress_counter_only_grows(pytester):
    out = pytester.path / "r"
    result = pytester.runpytest_inprocess(
        str(SUITES / "properties" / "test_schema.py"),
        "--api", "grafterr", "--report-dir", str(out), "-p", "no:cacheprovider",
        "--hypothesis-profile", "ci",
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()
    report = read_report(out)
    operations = load_contract("grafterr").operations
    per_operation = [r for r in report["results"] if "::test_operation_conforms[" in r["case_id"]]
    assert len(per_operation) == len(operations)
    others = [r["case_id"].split("::", 1)[-1] for r in report["results"] if r not in per_operation]
    assert others == ["test_stateful_links[grafterr:schema]"]  # the stateful phase: one case, named once
    for r in per_operation:
        assert not re.search(r"(\[[^\[\]]+\])\1$", r["case_id"]), r["case_id"]
        assert r["case_id"].startswith(
            "suites/properties/test_schema.py::test_operation_conforms[grafterr:schema]["
        )
    progress = [int(p) for p in re.findall(r"\[\s*(\d+)%\]", result.stdout.str())]
    assert progress and progress == sorted(progress) and progress[-1] == 100, progress
    line = next(line for line in result.stdout.lines if "test_schema.py" in line)
    assert line.count(",") + line.count("-") >= len(operations) - 1, "a character per operation, live"
    result.stdout.fnmatch_lines(["*passed*subtests passed*"])
    assert report["hypothesis"]["profile"] == "ci" and report["hypothesis"]["derandomize"] is True


def test_a_baseline_with_the_old_doubled_property_ids_still_matches():
    def result(case: str, verdict: str) -> TestResult:
        return TestResult(nodeid=case, api="cropster", capability="schema", test="t", verdict=verdict)

    new = "suites/properties/test_schema.py::test_operation_conforms[cropster:schema][POST /x]"
    old = RunResult.from_dict(
        {
            "schema_version": "1.2", "target": "mock", "apis": ["cropster"], "started": "t",
            "results": [{**result(new + "[POST /x]", "pass").to_dict()}],
            "baseline": {"baseline": "b", "new_failures": [], "regressions": [new + "[POST /x]"],
                         "fixed": [], "still_failing": [], "missing": []},
        }
    )  # fmt: skip
    assert old.results[0].case_id == new and old.baseline is not None and old.baseline["regressions"] == [new]
    now = RunResult(target="mock", apis=["cropster"], started="t", results=[result(new, "fail")])
    d = diff(now, old)
    assert [r.case_id for r in d.regressions] == [new] and d.missing == []
