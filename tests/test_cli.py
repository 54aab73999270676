"""The conformance command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx

from conformance.cli import main
from tests.conftest import free_port


def test_mock_serve_prints_export_lines_and_serves_over_http():
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "mock",
            "serve",
            "--api",
            "cartoncloud",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(10)]
        exports = dict(
            line.removeprefix("export ").strip().split("=", 1) for line in lines if line.startswith("export ")
        )
        assert exports["CONFORMANCE_CARTONCLOUD_BASE_URL"] == f"http://127.0.0.1:{port}"
        assert exports["CONFORMANCE_CARTONCLOUD_TOKEN_URL"] == f"http://127.0.0.1:{port}/uaa/oauth/token"
        assert {"CONFORMANCE_CARTONCLOUD_CLIENT_ID", "CONFORMANCE_CARTONCLOUD_TENANT_ID"} <= set(exports)
        deadline = time.monotonic() + 60  # the exports are printed before uvicorn binds; CI may be loaded
        while True:
            try:
                info = httpx.get(f"http://127.0.0.1:{port}/__mock__").json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "served mock did not come up"
                time.sleep(0.05)
        assert info["mock"] == "cartoncloud" and info["faults"] == []
        denied = httpx.get(f"http://127.0.0.1:{port}/uaa/userinfo", headers={"Accept-Version": "1"})
        assert denied.status_code == 401 and isinstance(denied.json(), list)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_mock_faults_lists_the_switches(capsys):
    assert main(["mock", "faults", "--api", "cartoncloud"]) == 0
    assert "ignore_if_match" in capsys.readouterr().out


def test_report_rebuilds_html_from_json(tmp_path, capsys):
    source = tmp_path / "conformance.json"
    source.write_text(
        json.dumps(
            {
                "schema_version": "1.0",  # an older 1.x report still reads
                "target": "mock",
                "apis": ["cartoncloud"],
                "started": "t",
                "results": [
                    {
                        "nodeid": "n",
                        "api": "cartoncloud",
                        "capability": "locking",
                        "test": "test_x",
                        "verdict": "fail",
                        "reason": "boom",
                        "checks": [],
                    }
                ],
            }
        )
    )
    assert main(["report", "--from", str(source), "--output", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "conformance.html").read_text()
    assert "test_x" in html and "cell-fail" in html
    assert main(["report", "--from", str(tmp_path / "missing.json")]) == 2


# -- one verdict everywhere: `conformance run` exits with the gate's verdict ----------------------


def run_and_gate(tmp_path, capsys, name: str, *args: str) -> tuple[int, int, str]:
    out = tmp_path / name
    run_code = main(
        ["run", "--report-dir", str(out), "--api", "cartoncloud", "-p", "no:cacheprovider", *args]
    )
    run_out = capsys.readouterr().out
    gate_code = main(["gate", "--report", str(out / "conformance.json")])
    gate_out = capsys.readouterr().out
    return run_code, gate_code, run_out + gate_out


def test_run_exits_with_the_gates_verdict_should_only_passes_and_must_fails(tmp_path, capsys):
    """A SHOULD-only failure (cartoncloud `invalid_client_400`: auth_token_error_conforms is SHOULD)
    passes the gate, so `conformance run` exits 0; a MUST failure (`ignore_if_match`:
    locking_stale_version_rejected is MUST) fails both with 1. pytest's own code stays available."""
    should = ("--mock-fault", "invalid_client_400", "-k", "test_invalid_client_rejected")
    run_code, gate_code, out = run_and_gate(tmp_path, capsys, "should", *should)
    report = json.loads((tmp_path / "should" / "conformance.json").read_text())
    failing = [r for r in report["results"] if r["verdict"] == "fail"]
    assert failing and {c["severity"] for r in failing for c in r["checks"] if c["verdict"] == "fail"} == {
        "SHOULD"
    }
    assert (run_code, gate_code) == (0, 0), out
    assert "warn  SHOULD failure cartoncloud auth" in out and "gate: PASSED" in out
    assert report["gate"]["passed"] is True

    must = ("--mock-fault", "ignore_if_match", "-k", "test_stale_version_rejected")
    run_code, gate_code, out = run_and_gate(tmp_path, capsys, "must", *must)
    assert (run_code, gate_code) == (1, 1), out
    assert "FAIL  MUST failure  cartoncloud locking" in out and "gate: FAILED" in out

    # the gate told to fail on SHOULD failures, and pytest's raw code: both 1 for the SHOULD run
    assert main(["gate", "--report", str(tmp_path / "should" / "conformance.json"), "--fail-on-should"]) == 1
    raw = main(["run", "--report-dir", str(tmp_path / "raw"), "--api", "cartoncloud",
                "-p", "no:cacheprovider", "--pytest-exit-code", *should])  # fmt: skip
    strict = main(["run", "--report-dir", str(tmp_path / "strict"), "--api", "cartoncloud",
                   "-p", "no:cacheprovider", "--fail-on-should", *should])  # fmt: skip
    assert (raw, strict) == (1, 1)


def test_run_usage_errors_and_empty_runs_exit_2(tmp_path, capsys):
    assert main(["run", "--api", "nope", "-p", "no:cacheprovider"]) == 2
    assert "no contract for 'nope'" in capsys.readouterr().err
    assert (
        main(["run", "--report-dir", str(tmp_path), "-k", "no_such_test_anywhere", "-p", "no:cacheprovider"])
        == 2
    )
    assert "no test ran" in capsys.readouterr().err
    assert main(["run", "--hypothesis-profile", "nope", "-p", "no:cacheprovider"]) == 2
    err = capsys.readouterr().err
    assert "--hypothesis-profile: no profile 'nope'. Valid:" in err and "INTERNALERROR" not in err


def test_version_and_run_help_list_the_plugin_options(capsys):
    import pytest

    from conformance.plugin._options import OPTIONS

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("conformance 0.")
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    for option in OPTIONS:
        assert option.flag in text, option.flag
    assert "--fail-on-should" in text and "reports/partial/" in text and "exit status" in text
    with pytest.raises(SystemExit):
        main(["gate", "--help"])
    assert "default: reports/conformance.json" in " ".join(capsys.readouterr().out.split())


def test_gate_and_report_find_the_checkouts_report_from_another_directory(tmp_path, monkeypatch, capsys):
    """`conformance run` writes the checkout's reports/ whatever the working directory; the gate's
    and report's default follow it when the working directory has no reports/ of its own."""
    import shutil

    from tests.conftest import REPO

    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "contracts" / "cartoncloud", checkout / "contracts" / "cartoncloud")
    (checkout / "reports").mkdir()
    report = json.loads(json.dumps(RUN_10))
    (checkout / "reports" / "conformance.json").write_text(json.dumps(report))
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(checkout / "contracts"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["gate"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"# gate over {checkout / 'reports' / 'conformance.json'}")
    assert "FAIL  MUST failure  cartoncloud locking" in out
    assert main(["report"]) == 0
    assert (checkout / "reports" / "conformance.html").is_file()


RUN_10 = {
    "schema_version": "1.0",
    "target": "mock",
    "apis": ["cartoncloud"],
    "started": "2026-11-24T10:00:00+00:00",
    "results": [
        {"nodeid": "suites/conformance/test_locking.py::test_x[cartoncloud:locking]", "api": "cartoncloud",
         "capability": "locking", "test": "test_x", "verdict": "fail", "reason": "boom", "checks": []}
    ],
}  # fmt: skip


def test_gate_appends_a_markdown_job_summary(tmp_path, capsys):
    out = tmp_path / "must"
    assert main(["run", "--report-dir", str(out), "--api", "cartoncloud", "-p", "no:cacheprovider",
                 "--mock-fault", "ignore_if_match", "-k", "test_stale_version_rejected"]) == 1  # fmt: skip
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps\n")
    assert main(["gate", "--report", str(out / "conformance.json"), "--markdown", str(summary)]) == 1
    text = summary.read_text()
    assert text.startswith("earlier steps\n### Conformance gate: ❌ FAILED")
    assert "| API | locking | score | MUST✗ | SHOULD✗ | coverage |" in text
    assert "| cartoncloud | 4✗ 0/4 | 0.0% | 3 | 1 |" in text  # warehouse products: SHOULD (our decision)
    assert "- **MUST** `cartoncloud` locking" in text


def test_conformance_fixes_the_hash_seed_and_keeps_bytecode_out_of_the_tree_when_told_not_to_write_it():
    from conformance.cli import _process_env

    told = {"PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": "/c"}
    assert _process_env(told) == {
        "PYTHONHASHSEED": "0",
        "PYTHONPYCACHEPREFIX": "/c/conformance/pycache",
        "PYTHONDONTWRITEBYTECODE": "",
    }
    assert _process_env({**told, **_process_env(told)}) == {}  # re-executed once, not again
    assert _process_env({**told, "PYTHONPYCACHEPREFIX": "/mine", "PYTHONHASHSEED": "7"}) == {}
    assert _process_env({"PYTHONHASHSEED": "7"}) == {}  # bytecode as Python writes it by default


def test_the_re_executed_command_writes_its_bytecode_to_our_cache_not_beside_the_sources(tmp_path):
    skip = ("PYTHONHASHSEED", "PYTHONPYCACHEPREFIX", "CONFORMANCE_CACHE_DIR")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(PYTHONDONTWRITEBYTECODE="1", XDG_CACHE_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "mock", "faults", "--api", "cropster"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    cached = list((tmp_path / "conformance" / "pycache").rglob("conformance/cli/__init__*.pyc"))
    assert cached, "the command ran without its bytecode cache"
