"""The report outputs made from one results model: HTML, JSON (versioned), JUnit, Allure results."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from conformance.cli import main
from conformance.report import RunResult
from conformance.report.allure import write_allure
from conformance.report.model import JSON_SCHEMA, SCHEMA_VERSION, CheckResult, TestResult, WaiverOutcome
from conformance.report.writers import render_html, write_all
from tests.conftest import REPO, require

SECRET = "tok-very-secret-123"


def exchange(status: int = 200) -> dict:
    return {
        "id": f"ex-{status}",
        "method": "PUT",
        "url": "http://cartoncloud.mock.local/tenants/t/inbound-orders/1",
        "request_headers": [["authorization", "Bearer [REDACTED]"], ["if-match", '"1"']],
        "request_body": '{"references": {"customer": "PO-1"}}',
        "status": status,
        "response_headers": [["content-type", "application/json"]],
        "response_body": '{"id": "1"}',
        "elapsed_ms": 1.5,
        "note": "",
        "curl": "curl -sS -X PUT 'http://cartoncloud.mock.local/tenants/t/inbound-orders/1' "
        "-H 'authorization: Bearer [REDACTED]'",
    }


def check(verdict: str, severity: str = "MUST", name: str = "locking_stale_version_rejected") -> CheckResult:
    return CheckResult(
        name=name,
        capability="locking",
        rule_key="locking.rules.stale_version",
        severity=severity,
        x_source="seed",
        source="cartoncloud.md §Optimistic locking",
        clause="A stale If-Match is answered with 409 Conflict.",
        verdict=verdict,
        title="WrongStatus: stale version accepted" if verdict == "fail" else "",
        expected="409" if verdict == "fail" else "",
        actual="200" if verdict == "fail" else "",
        evidence=[exchange(200 if verdict == "fail" else 409)],
    )


def sample_run() -> RunResult:
    results = [
        TestResult(
            nodeid="suites/conformance/test_locking.py::test_stale_version_rejected[cartoncloud:locking]",
            api="cartoncloud",
            capability="locking",
            test="test_stale_version_rejected",
            verdict="fail",
            reason="WrongStatus: stale version accepted",
            duration=0.01,
            checks=[check("fail")],
        ),
        TestResult(
            nodeid="suites/conformance/test_auth.py::test_missing_credentials_rejected[cropster:auth]",
            api="cropster",
            capability="auth",
            test="test_missing_credentials_rejected",
            verdict="pass",
            checks=[check("pass", "SHOULD", "auth_missing_credentials_rejected")],
        ),
    ]
    for op in ("POST /a", "POST /b"):  # two generated cases of one property test
        results.append(
            TestResult(
                nodeid=f"suites/properties/test_schema.py::test_operation_conforms[grafterr:schema][{op}]",
                api="grafterr",
                capability="schema",
                test=f"test_operation_conforms[{op}]",
                verdict="pass",
            )
        )
    results.append(
        TestResult(
            nodeid="suites/conformance/test_locking.py::test_version_incremented[grafterr:locking]",
            api="grafterr",
            capability="locking",
            test="test_version_incremented",
            verdict="not-applicable",
            reason="not documented: grafterr profile has no locking",
        )
    )
    return RunResult(
        target="mock",
        apis=["cartoncloud", "cropster", "grafterr"],
        started="2026-11-24T10:00:00+00:00",
        finished="2026-11-24T10:01:00+00:00",
        versions={"python": "3.11.7"},
        seed="derandomized (profile ci)",
        results=results,
        declared={"cartoncloud": ["auth", "locking"], "cropster": ["auth"], "grafterr": ["auth"]},
    )


class _Resources(HTMLParser):
    """Every attribute that would make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action") and value and not value.startswith("#"):
                self.fetches.append(f"<{tag} {name}={value}>")


def test_html_is_self_contained_and_quotes_the_rule_with_a_redacted_curl():
    html = render_html(sample_run())
    parser = _Resources()
    parser.feed(html)
    assert parser.fetches == []
    assert "default-src 'none'" in html  # the CSP forbids any network request
    assert "“A stale If-Match is answered with 409 Conflict.”" in html
    assert "cartoncloud.md §Optimistic locking" in html
    assert "curl -sS -X PUT" in html and "Bearer [REDACTED]" in html
    for api in ("cartoncloud", "cropster", "grafterr"):
        assert f'<tr data-api="{api}">' in html
    generated = "suites/properties/test_schema.py::test_operation_conforms[grafterr:schema][POST /a]"
    assert f'data-case="{generated}"' in html
    assert "not documented" in html  # the grafterr locking cell

    def cell(api: str, capability: str) -> str:
        match = re.search(rf'data-api="{api}" data-capability="{capability}"[^>]*>(.*?)</td>', html, re.S)
        assert match, (api, capability)
        return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()

    assert cell("cartoncloud", "auth") == "not run"  # declared, but this run asked nothing
    assert cell("cropster", "locking") == "not documented"  # the profile promises no locking
    assert cell("cartoncloud", "locking").startswith("0.0%")


def assert_valid(data: dict) -> None:
    import jsonschema

    schema = json.loads(JSON_SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_json_is_versioned_valid_against_its_json_schema_and_round_trips(tmp_path):
    run = sample_run()
    run.deviations = [WaiverOutcome.from_dict(d) for d in [
        {"api": "cartoncloud", "check": "locking_stale_version_rejected", "rule": None, "reason": "r",
         "ticket": "QA-1", "expires": "2026-12-31", "status": "waiving", "waived_cases": 1,
         "passed_cases": 0, "failed_cases": 0}
    ]]  # fmt: skip
    run.baseline = {"baseline": "b.json", "new_failures": [], "regressions": [], "fixed": [],
                    "still_failing": [], "missing": []}  # fmt: skip
    write_all(run, tmp_path)
    data = json.loads((tmp_path / "conformance.json").read_text())
    assert data["schema_version"] == SCHEMA_VERSION
    assert JSON_SCHEMA.name == f"conformance-{SCHEMA_VERSION}.schema.json"
    assert_valid(data)
    broken = json.loads(json.dumps(data))
    broken["results"][0]["verdict"] = "passed"
    with pytest.raises(AssertionError):
        assert_valid(broken)
    assert data["summary"]["severity"]["MUST"] == {"judged": 3, "failing": 1}  # unchecked passes count MUST
    assert data["results"][0]["case_id"].startswith("suites/")
    again = RunResult.from_dict(data)
    assert again.to_dict() == data
    with pytest.raises(ValueError, match="report schema 2.0 is not readable"):
        RunResult.from_dict({**data, "schema_version": "2.0"})


def test_allure_results_label_epic_feature_story_severity_with_distinct_ids(tmp_path):
    out = write_allure(sample_run(), tmp_path / "allure-results")
    results = [json.loads(p.read_text()) for p in out.glob("*-result.json")]
    assert len(results) == 5
    by_name = {r["fullName"]: r for r in results}
    failed = by_name["suites/conformance/test_locking.py::test_stale_version_rejected[cartoncloud:locking]"]
    labels = {(label["name"], label["value"]) for label in failed["labels"]}
    assert ("epic", "cartoncloud") in labels and ("feature", "locking") in labels
    assert ("story", "locking.rules.stale_version") in labels
    assert ("severity", "critical") in labels
    assert failed["status"] == "failed"
    assert "MUST locking_stale_version_rejected" in failed["statusDetails"]["message"]
    assert "A stale If-Match is answered with 409 Conflict." in failed["description"]
    should = next(r for r in results if r["fullName"].endswith("[cropster:auth]"))
    assert ("severity", "normal") in {(label["name"], label["value"]) for label in should["labels"]}
    assert {r["status"] for r in results} == {"failed", "passed", "skipped"}
    assert len({r["historyId"] for r in results}) == 5, "every generated case has its own Allure id"
    attachment = out / failed["attachments"][0]["source"]
    text = attachment.read_text()
    assert "authorization: Bearer [REDACTED]" in text and "curl -sS -X PUT" in text
    assert "target=mock" in (out / "environment.properties").read_text()


def test_report_command_rebuilds_every_output_from_a_json_with_a_baseline(tmp_path, capsys):
    run = sample_run()
    write_all(run, tmp_path / "first")
    baseline = sample_run()
    baseline.results[0].verdict = "pass"
    baseline.results[0].checks = [check("pass")]
    write_all(baseline, tmp_path / "base")
    code = main(
        [
            "report",
            "--from",
            str(tmp_path / "first" / "conformance.json"),
            "--baseline",
            str(tmp_path / "base" / "conformance.json"),
            "--output",
            str(tmp_path / "again"),
        ]
    )
    assert code == 0
    again = tmp_path / "again"
    assert {p.name for p in again.iterdir()} == {
        "conformance.html", "conformance.json", "junit.xml", "allure-results", "evidence.har",
    }  # fmt: skip
    data = json.loads((again / "conformance.json").read_text())
    assert data["baseline"]["regressions"] == [run.results[0].case_id]
    html = (again / "conformance.html").read_text()
    assert re.search(r"Regressions \(passed in the baseline, fail now\): 1", html)
    assert main(["report", "--from", str(tmp_path / "nope.json")]) == 2


ALLURE_CLI = REPO / "node_modules" / "allure" / "cli.js"
ALLURE_CONFIG = REPO / "allurerc.mjs"


def node_only_path(tmp_path) -> str:
    """A PATH holding `node` and nothing else: no Java can be found through it."""
    node = shutil.which("node")
    require(node is not None, "no node on PATH (Debian's nodejs/npm; .ci/run installs it)")
    bin_dir = tmp_path / "node-only-bin"
    bin_dir.mkdir(exist_ok=True)
    link = bin_dir / "node"
    if not link.exists():
        link.symlink_to(node)  # type: ignore[arg-type]
    return str(bin_dir)


def build_allure_html(tmp_path, results) -> tuple[subprocess.CompletedProcess, object]:
    require(ALLURE_CLI.exists(), "Allure 3 not installed: npm ci (package-lock.json; README 'Allure HTML')")
    out = tmp_path / "allure-report"
    path = node_only_path(tmp_path)
    env = {
        "PATH": path,
        "HOME": str(tmp_path),
        "no_proxy": "*",
        "http_proxy": "http://127.0.0.1:9",  # nothing may be fetched while building
        "https_proxy": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [str(ALLURE_CLI), "generate", str(results), "--config", str(ALLURE_CONFIG), "-o", str(out)],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
    )  # fmt: skip
    return done, out


def test_allure_results_build_into_one_allure_html_file_with_node_only(tmp_path):
    """npm `allure` 3 (Node, no Java on PATH), singleFile: one index.html that opens from disk."""
    run = sample_run()
    run.results[1].flaky, run.results[1].attempts = True, 2
    results = write_allure(run, tmp_path / "allure-results")
    done, out = build_allure_html(tmp_path, results)
    assert done.returncode == 0, done.stdout + done.stderr
    assert shutil.which("java", path=node_only_path(tmp_path)) is None
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stats"]["total"] == 5 and summary["stats"]["failed"] == 1
    assert summary["meta"]["singleFile"] is True and len(summary["flakyTests"]) == 1
    assert [p.name for p in out.iterdir() if p.suffix == ".html"] == ["index.html"]
