"""The GitHub Actions workflow: the mock gate on push/PR, the live job on a schedule or by hand."""

from __future__ import annotations

import yaml

from conformance.contracts import available_apis, load_contract
from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "conformance.yml"


def load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as a boolean
    return data


def test_triggers_and_jobs():
    data = load()
    assert set(data["on"]) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    gate, live = data["jobs"]["mock-gate"], data["jobs"]["live"]
    assert "push" in gate["if"] and "pull_request" in gate["if"]
    assert "schedule" in live["if"] and "workflow_dispatch" in live["if"]
    gate_runs = [s.get("run", "") for s in gate["steps"]]
    assert any("bash .ci/run" in r for r in gate_runs), "the mock job runs exactly what .ci/run runs"
    assert any("conformance gate" in r for r in gate_runs)
    uploads = [
        s
        for s in gate["steps"] + live["steps"]
        if str(s.get("uses", "")).startswith("actions/upload-artifact")
    ]
    assert len(uploads) == 2 and all(
        s["with"]["path"] == "reports/" and s["if"] == "always()" for s in uploads
    )


def test_live_job_reads_every_documented_variable_from_secrets_and_never_allows_writes():
    live = load()["jobs"]["live"]
    expected = {
        f"CONFORMANCE_{api.upper()}_{name}"
        for api in available_apis()
        for name in (*load_contract(api).profile.config.required, *load_contract(api).profile.config.optional)
    }
    assert set(live["env"]) - {"CI"} == expected
    assert all(live["env"][name] == f"${{{{ secrets.{name} }}}}" for name in expected)
    runs = " ".join(s.get("run", "") for s in live["steps"])
    assert "--target live" in runs
    assert "--allow-writes" not in runs.replace("no --allow-writes", "")


def test_both_jobs_publish_a_job_summary_and_the_junit_results():
    data = load()
    assert "checks" in data["permissions"] and data["permissions"]["checks"] == "write"
    for name in ("mock-gate", "live"):
        steps = data["jobs"][name]["steps"]
        summary = [s for s in steps if '--markdown "$GITHUB_STEP_SUMMARY"' in s.get("run", "")]
        assert len(summary) == 1 and "conformance gate" in summary[0]["run"], name
        assert summary[0]["if"].startswith("always()")
        junit = [s for s in steps if str(s.get("uses", "")).startswith("mikepenz/action-junit-report")]
        assert len(junit) == 1 and junit[0]["with"]["report_paths"] == "reports/junit.xml", name
        assert junit[0]["if"].startswith("always()")


def test_the_main_job_gate_and_ci_agree():
    """.ci/run exits with `conformance run`'s (the gate's) verdict, given the baseline the workflow
    restored; the workflow's gate step reads the same report; the live job's partial run still
    writes reports/ (where the gate reads)."""
    ci = (REPO / ".ci" / "run").read_text()
    assert 'conformance run ${CONFORMANCE_BASELINE:+--baseline "$CONFORMANCE_BASELINE"} || main=$?' in ci
    assert "pytest || tests=$?" in ci and 'exit "$main"' in ci
    assert "java" not in ci.replace("No Java", ""), "Allure 3 needs Node only"
    gate_job = load()["jobs"]["mock-gate"]
    main = next(s for s in gate_job["steps"] if s.get("id") == "main")
    assert "CONFORMANCE_BASELINE=baseline/conformance.json" in main["run"] and "bash .ci/run" in main["run"]
    live_run = next(s for s in load()["jobs"]["live"]["steps"] if s.get("id") == "live")["run"]
    assert "--report-dir reports" in live_run


def test_ci_runs_the_readmes_commands_and_fails_when_a_fault_survives():
    """The README's quick start is what .ci/run runs, in order; the self-check's exit status (1: a
    clean mock failed or a planted fault survived) fails CI."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ['pip install -e ".[dev]"', "conformance run", "conformance selfcheck", "pytest"]
    ci = (REPO / ".ci" / "run").read_text()
    places = [ci.index(f"\n{c}") for c in commands]
    assert places == sorted(places), "the README's order"
    assert "conformance selfcheck || selfcheck=$?" in ci
    assert 'if [ "$selfcheck" != 0 ]; then exit "$selfcheck"; fi' in ci
