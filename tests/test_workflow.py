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
    assert "bash .ci/run" in gate_runs, "the mock job runs exactly what .ci/run runs"
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
