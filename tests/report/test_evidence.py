"""Evidence a QA engineer can reuse: curl lines that run as they are, the HAR file, JUnit for CI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conformance.contracts import available_apis
from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.report import RunResult
from conformance.report.reproduce import Endpoint, curl
from conformance.targets import served_mock_exports
from tests.conftest import SUITES, read_report


@pytest.fixture(scope="module")
def locking_and_auth_run(tmp_path_factory) -> RunResult:
    """A real run of the auth and locking suites (every API), the stale-write fault planted."""
    out = tmp_path_factory.mktemp("evidence")
    done = subprocess.run(
        ["python", "-m", "pytest", str(SUITES / "conformance" / "test_auth.py"),
         str(SUITES / "conformance" / "test_locking.py"), "--mock-fault", "cartoncloud:ignore_if_match",
         "--report-dir", str(out), "-p", "no:cacheprovider", "-q"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:]
    return RunResult.from_dict(read_report(out))


def test_recorded_curl_lines_run_as_they_are_against_the_served_mock(locking_and_auth_run, serve):
    """For each API, the script the report shows for a 2xx exchange — `conformance mock serve`'s
    export lines in the environment, nothing filled in by hand — gets the same status again."""
    assert shutil.which("curl") and shutil.which("bash")
    run = locking_and_auth_run
    for api in available_apis():
        endpoint = Endpoint.from_dict(api, run.endpoints[api])
        assert endpoint.mode == "in-process mock" and endpoint.serve.startswith(
            f"conformance mock serve --api {api}"
        )
        exchange = next(
            ex
            for r in run.results
            if r.api == api and r.verdict == "pass"
            for c in r.checks
            for ex in c.evidence
            if ex["status"] == 200 and (ex["method"] == "GET" or api == "cropster")
        )
        script = curl(exchange, endpoint)
        assert "[REDACTED]" not in script.splitlines()[-1], script
        app = create_mock(api, clock=VirtualClock(follow_real_time=True))
        served = serve(app)
        env = {**os.environ, **served_mock_exports(api, app, "127.0.0.1", served.port)}
        done = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + script + " -o /dev/null -w '%{http_code}'"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0 and done.stdout.strip() == "200", (api, script, done.stdout, done.stderr)


def test_a_live_curl_keeps_the_real_base_url_and_names_secrets_by_variable():
    endpoint = Endpoint.from_dict(
        "cartoncloud",
        {"mode": "live", "base_url": "https://sandbox.example.test", "token_url": "https://sandbox.example.test/uaa/oauth/token",
         "env_prefix": "CONFORMANCE_CARTONCLOUD_", "auth_kind": "oauth2_client_credentials",
         "client_auth": "basic",
         "token_headers": '{"Accept-Version": "1"}', "scopes": ""},
    )  # fmt: skip
    put = {
        "method": "PUT",
        "url": "https://sandbox.example.test/tenants/t-1/inbound-orders/9",
        "request_headers": [["authorization", "Bearer [REDACTED]"], ["content-type", "application/json"],
                            ["x-api-key", "[REDACTED]"], ["host", "sandbox.example.test"]],
        "request_body": '{"secret": "[REDACTED]", "client_secret": "[REDACTED]", "name": "a b"}',
    }  # fmt: skip
    script = curl(put, endpoint)
    lines = script.splitlines()
    assert lines[0].startswith(
        'export CONFORMANCE_CARTONCLOUD_TOKEN="$(curl -sS -X POST https://sandbox.example.test/uaa/oauth/token'
    )
    assert '-u "${CONFORMANCE_CARTONCLOUD_CLIENT_ID}":"${CONFORMANCE_CARTONCLOUD_CLIENT_SECRET}"' in lines[0]
    assert "# [REDACTED] below" in lines[1], "a masked value no variable holds is said, not hidden"
    last = lines[-1]
    assert last.startswith("curl -sS -X PUT https://sandbox.example.test/tenants/t-1/inbound-orders/9 ")
    assert """'authorization: Bearer '"${CONFORMANCE_CARTONCLOUD_TOKEN}\"""" in last
    assert """'x-api-key: '"${CONFORMANCE_CARTONCLOUD_API_KEY}\"""" in last
    assert '"client_secret": "\'"${CONFORMANCE_CARTONCLOUD_CLIENT_SECRET}"\'"' in last
    assert "host:" not in last and "mock serve" not in script
    form = {
        "method": "POST",
        "url": "https://sandbox.example.test/uaa/oauth/token",
        "request_headers": [["authorization", "Basic [REDACTED]"],
                            ["content-type", "application/x-www-form-urlencoded"]],
        "request_body": "grant_type=client_credentials&client_id=[REDACTED]&client_secret=[REDACTED]",
    }  # fmt: skip
    line = curl(form, endpoint).splitlines()[-1]
    assert "[REDACTED]" not in line and 'client_id=\'"${CONFORMANCE_CARTONCLOUD_CLIENT_ID}"' in line
    assert '-u "${CONFORMANCE_CARTONCLOUD_CLIENT_ID}":"${CONFORMANCE_CARTONCLOUD_CLIENT_SECRET}"' in line
    recorded = {**form, "request_body": "grant_type=client_credentials&client_id=%5BREDACTED%5D"}
    line = curl(recorded, endpoint).splitlines()[-1]  # the redactor url-encodes a form body's mask
    assert "REDACTED" not in line and 'client_id=\'"${CONFORMANCE_CARTONCLOUD_CLIENT_ID}"' in line


def test_evidence_har_holds_every_exchange_redacted_with_the_breaking_one_named(
    locking_and_auth_run, tmp_path
):
    from conformance.report.har import write_har

    run = locking_and_auth_run
    har = json.loads(write_har(run, tmp_path / "evidence.har").read_text())
    entries = har["log"]["entries"]
    assert har["log"]["version"] == "1.2" and har["log"]["creator"]["name"] == "conformance"
    expected = sum(len({str(ex["id"]) for c in r.checks for ex in c.evidence}) for r in run.results)
    assert len(entries) == expected > 50
    broke = [e for e in entries if e["comment"].endswith("broke the rule")]
    writes = ("PUT", "PATCH")  # warehouse products update with a JSON Patch
    assert broke and all(e["request"]["method"] in writes for e in broke), "the writes, not the reads around"
    assert all("cartoncloud" in e["comment"] for e in broke)
    auth = [
        h["value"] for e in entries for h in e["request"]["headers"] if h["name"].lower() == "authorization"
    ]
    assert auth and all(value.endswith("[REDACTED]") for value in auth)
    text = json.dumps(har)
    for api in available_apis():
        secrets = [v for k, v in create_mock(api).credentials.items() if "SECRET" in k and len(v) >= 6]
        assert not [s for s in secrets if s in text], api


def test_junit_carries_timestamp_time_file_and_the_run(locking_and_auth_run, tmp_path):
    from conformance.report.writers import write_junit

    run = locking_and_auth_run
    write_junit(run, tmp_path / "junit.xml")
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert float(root.get("time")) > 0 and int(root.get("tests")) == len(run.results)
    for suite in root.findall("testsuite"):
        assert (
            suite.get("timestamp") == run.started and float(suite.get("time")) >= 0 and suite.get("hostname")
        )
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert props["target"] == "mock" and props["command"].startswith("pytest ") and props["hypothesis"]
        for case in suite.findall("testcase"):
            assert case.get("file", "").startswith("suites/conformance/test_") and case.get("file").endswith(
                ".py"
            )
            assert case.get("time") is not None
