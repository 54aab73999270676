"""`conformance gate`: MUST failures, regressions against a baseline, waivers and their expiry."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conformance.cli import main
from conformance.report.gate import diff, evaluate
from conformance.report.model import CheckResult, RunResult, TestResult, WaiverOutcome
from tests.conftest import REPO, SUITES, read_report
from tests.report.test_outputs import assert_valid

LOCKING = str(SUITES / "conformance" / "test_locking.py")
TODAY = dt.date(2026, 11, 24)


def case(name: str, verdict: str, severity: str = "MUST", api: str = "cartoncloud") -> TestResult:
    check = CheckResult(
        name=f"check_{name}",
        capability="locking",
        rule_key=f"locking.rules.{name}",
        severity=severity,
        x_source="seed",
        source="seed §1",
        clause="a clause",
        verdict=verdict if verdict in ("pass", "fail", "waived") else "pass",
        title="Broken" if verdict == "fail" else "",
    )
    return TestResult(
        nodeid=f"/somewhere/else/suites/conformance/test_x.py::{name}[{api}:locking]",
        api=api,
        capability="locking",
        test=name,
        verdict=verdict,
        checks=[check],
    )


def run_of(*results: TestResult, deviations: list[dict] | None = None) -> RunResult:
    return RunResult(
        target="mock", apis=["cartoncloud"], started="2026-11-24T00:00:00+00:00",
        results=list(results), deviations=[WaiverOutcome.from_dict(d) for d in deviations or []],
    )  # fmt: skip


def write(run: RunResult, path: Path) -> str:
    path.write_text(json.dumps(run.to_dict()), encoding="utf-8")
    return str(path)


def gate(tmp_path: Path, capsys, current: RunResult, baseline: RunResult | None = None, today=TODAY):
    argv = ["gate", "--report", write(current, tmp_path / "now.json"), "--today", today.isoformat()]
    if baseline is not None:
        argv += ["--baseline", write(baseline, tmp_path / "base.json")]
    code = main(argv)
    return code, capsys.readouterr().out


def test_case_ids_ignore_where_the_suites_were_collected_from():
    assert case("a", "pass").case_id == "suites/conformance/test_x.py::a[cartoncloud:locking]"


def test_diff_sorts_cases_into_regressions_new_fixed_still_failing_and_missing():
    baseline = run_of(case("a", "pass"), case("b", "fail"), case("c", "fail"), case("gone", "pass"))
    current = run_of(case("a", "fail"), case("b", "pass"), case("c", "fail"), case("new", "fail", "SHOULD"))
    d = diff(current, baseline)
    assert [r.test for r in d.regressions] == ["a"]
    assert [r.test for r in d.new_failures] == ["new"], "a regression is not listed again as new"
    assert [r.test for r in d.fixed] == ["b"]
    assert [r.test for r in d.still_failing] == ["c"]
    assert d.missing == ["suites/conformance/test_x.py::gone[cartoncloud:locking]"]


def test_gate_passes_an_unchanged_run_and_fails_a_planted_regression(tmp_path, capsys):
    baseline = run_of(case("a", "pass"), case("b", "pass", "SHOULD"))
    code, out = gate(tmp_path, capsys, run_of(case("a", "pass"), case("b", "pass", "SHOULD")), baseline)
    assert code == 0, out
    assert "gate: PASSED" in out
    # a SHOULD rule that passed in the baseline and fails now: not a MUST failure, still a regression
    code, out = gate(tmp_path, capsys, run_of(case("a", "pass"), case("b", "fail", "SHOULD")), baseline)
    assert code == 1
    assert "FAIL  regression" in out and "b[cartoncloud:locking]" in out and "gate: FAILED" in out


def test_gate_fails_on_a_must_failure_but_only_warns_on_a_should_failure(tmp_path, capsys):
    code, out = gate(tmp_path, capsys, run_of(case("a", "fail", "SHOULD")))
    assert code == 0 and "warn  SHOULD failure" in out
    code, out = gate(tmp_path, capsys, run_of(case("a", "fail", "MUST")))
    assert code == 1 and "FAIL  MUST failure  cartoncloud locking" in out
    code, out = gate(tmp_path, capsys, run_of(case("a", "error", "SHOULD")))
    assert code == 1, "an error (no check judged it) counts as MUST"


def deviation(expires: str, status: str) -> dict:
    return {
        "api": "cartoncloud", "check": "check_a", "rule": None, "reason": "vendor bug",
        "ticket": "QA-1", "expires": expires, "status": status,
    }  # fmt: skip


def test_waived_failures_pass_the_gate_until_the_waiver_expires(tmp_path, capsys):
    waived = run_of(case("a", "waived"), deviations=[deviation("2026-12-31", "waiving")])
    code, out = gate(tmp_path, capsys, waived)
    assert code == 0, out
    assert "waived cartoncloud check_a (QA-1, until 2026-12-31): vendor bug" in out
    code, out = gate(tmp_path, capsys, waived, today=dt.date(2027, 1, 1))
    assert code == 1
    assert "FAIL  expired waiver cartoncloud check_a (QA-1, expired 2026-12-31)" in out
    assert evaluate(waived, None, dt.date(2026, 12, 31)).passed, "the expiry day itself is still covered"


def test_a_waived_check_that_passes_is_reported_fixed(tmp_path, capsys):
    run = run_of(case("a", "pass"), deviations=[deviation("2026-12-31", "fixed")])
    code, out = gate(tmp_path, capsys, run)
    assert code == 0
    assert "fixed waived check passes: cartoncloud check_a (QA-1) — remove the waiver" in out


def test_gate_says_why_it_cannot_read_a_report(tmp_path, capsys):
    assert main(["gate", "--report", str(tmp_path / "missing.json")]) == 2
    (tmp_path / "old.json").write_text(json.dumps({"schema_version": "0.3", "results": []}))
    assert main(["gate", "--report", str(tmp_path / "old.json")]) == 2
    assert "report schema 0.3 is not readable" in capsys.readouterr().err


# -- end to end: real runs against the CartonCloud mock -------------------------------------------


def contracts_with(tmp_path: Path, deviations: list[dict]) -> Path:
    root = tmp_path / "contracts"
    shutil.copytree(REPO / "contracts" / "cartoncloud", root / "cartoncloud")
    profile_path = root / "cartoncloud" / "profile.yaml"
    profile = yaml.safe_load(profile_path.read_text())
    profile["deviations"] = deviations
    profile_path.write_text(yaml.safe_dump(profile, sort_keys=False))
    return root


def locking_run(pytester, out: Path, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(
        LOCKING, "--api", "cartoncloud", "--report-dir", str(out), "-p", "no:cacheprovider", *args
    )


def test_gate_over_real_runs_regression_then_unchanged(pytester, tmp_path, capsys):
    base, bad, same = tmp_path / "base", tmp_path / "bad", tmp_path / "same"
    assert locking_run(pytester, base).ret == 0
    assert locking_run(pytester, bad, "--mock-fault", "racy_update").ret == 1
    assert locking_run(pytester, same, "--baseline", str(base / "conformance.json")).ret == 0
    capsys.readouterr()
    against = ["--baseline", str(base / "conformance.json")]
    assert main(["gate", "--report", str(bad / "conformance.json"), *against]) == 1
    out = capsys.readouterr().out
    winner = "suites/conformance/test_locking.py::test_concurrent_single_winner"
    assert f"FAIL  regression    cartoncloud locking {winner}" in out
    assert main(["gate", "--report", str(same / "conformance.json"), *against]) == 0
    # the report of a run given --baseline carries the diff
    assert read_report(same)["baseline"]["regressions"] == []
    assert_valid(read_report(same))
    assert "Against the baseline" in (same / "conformance.html").read_text()


def test_profile_waiver_turns_a_failure_into_waived_until_it_expires(pytester, tmp_path, monkeypatch, capsys):
    waiver = {
        "check": "locking_concurrent_single_winner",
        "reason": "the vendor's sandbox is not serialised",
        "ticket": "QA-42",
        "expires": "2026-12-31",
    }
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(contracts_with(tmp_path, [waiver])))
    live, expired, fixed = tmp_path / "live", tmp_path / "expired", tmp_path / "fixed"

    result = locking_run(pytester, live, "--mock-fault", "racy_update", "--today", "2026-11-24")
    assert result.ret == 0, result.stdout.str()
    report = read_report(live)
    winner = next(r for r in report["results"] if r["test"] == "test_concurrent_single_winner")
    assert winner["verdict"] == "waived" and "QA-42" in winner["reason"]
    assert winner["checks"][0]["verdict"] == "waived" and winner["checks"][0]["actual"]  # evidence kept
    assert report["deviations"][0]["status"] == "waiving"
    assert_valid(report)  # a real run with a waiver, against the JSON Schema
    assert main(["gate", "--report", str(live / "conformance.json"), "--today", "2026-11-24"]) == 0

    result = locking_run(pytester, expired, "--mock-fault", "racy_update", "--today", "2027-01-01")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*EXPIRED waiver QA-42 (expires 2026-12-31)*no longer applies*"])
    assert read_report(expired)["deviations"][0]["status"] == "expired"
    capsys.readouterr()
    assert main(["gate", "--report", str(expired / "conformance.json"), "--today", "2027-01-01"]) == 1
    assert "FAIL  expired waiver cartoncloud locking_concurrent_single_winner" in capsys.readouterr().out

    assert locking_run(pytester, fixed, "--today", "2026-11-24").ret == 0
    assert read_report(fixed)["deviations"][0]["status"] == "fixed"
    assert main(["gate", "--report", str(fixed / "conformance.json"), "--today", "2026-11-24"]) == 0
    assert "remove the waiver" in capsys.readouterr().out


def test_a_waiver_naming_an_unknown_check_is_a_usage_error(pytester, tmp_path, monkeypatch):
    waiver = {"check": "locking_typo", "reason": "r", "ticket": "T-1", "expires": "2030-01-01"}
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(contracts_with(tmp_path, [waiver])))
    result = locking_run(pytester, tmp_path / "r")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*deviations[[]0[]].check: unknown check 'locking_typo'. Valid: *"])
