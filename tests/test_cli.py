"""The conformance command."""

from __future__ import annotations

import json
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
        deadline = time.monotonic() + 10
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
