"""The pytest plugin: options, live configuration, safety flags, verdicts and report files."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest
import yaml

from conformance.contracts import available_apis, load_contract
from conformance.mocks import create_mock, mock_faults
from conformance.mocks.blocks.clock import VirtualClock
from conformance.report.model import SCHEMA_VERSION
from conformance.targets import TargetConfigError, live_config, served_mock_exports
from tests.conftest import REPO, SUITES, read_report

LOCKING = str(SUITES / "conformance" / "test_locking.py")


@pytest.fixture
def no_live_env(monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("CONFORMANCE_"):
            monkeypatch.delenv(name)


def test_live_mode_without_variables_is_a_usage_error_naming_the_variable(pytester, no_live_env):
    result = pytester.runpytest_inprocess(LOCKING, "--target", "live", "--api", "cartoncloud")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*needs CONFORMANCE_CARTONCLOUD_BASE_URL*"])


def test_production_host_refused_unless_allowed(pytester, no_live_env, monkeypatch):
    for key, value in {
        "BASE_URL": "https://api.cartoncloud.com",
        "CLIENT_ID": "c",
        "CLIENT_SECRET": "s",
        "TENANT_ID": "t",
    }.items():
        monkeypatch.setenv(f"CONFORMANCE_CARTONCLOUD_{key}", value)
    result = pytester.runpytest_inprocess(LOCKING, "--target", "live", "--api", "cartoncloud")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*production host 'api.cartoncloud.com'*--allow-production*"])
    config = live_config(load_contract("cartoncloud"), allow_production=True)
    assert config["TOKEN_URL"] == "https://api.cartoncloud.com/uaa/oauth/token"


def test_live_config_rejects_a_non_http_url():
    env = {
        "CONFORMANCE_CARTONCLOUD_BASE_URL": "ftp://x",
        "CONFORMANCE_CARTONCLOUD_CLIENT_ID": "c",
        "CONFORMANCE_CARTONCLOUD_CLIENT_SECRET": "s",
        "CONFORMANCE_CARTONCLOUD_TENANT_ID": "t",
    }
    with pytest.raises(TargetConfigError, match="CONFORMANCE_CARTONCLOUD_BASE_URL='ftp://x' is not an http"):
        live_config(load_contract("cartoncloud"), env)


def test_unknown_api_and_fault_are_usage_errors_listing_valid_ones(pytester):
    result = pytester.runpytest_inprocess(LOCKING, "--api", "nope")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*no contract for 'nope'. Valid: {', '.join(available_apis())}"])
    result = pytester.runpytest_inprocess(LOCKING, "--mock-fault", "nope")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    first_of_each = [f"{api}:{min(mock_faults(api))}" for api in available_apis()]
    result.stderr.fnmatch_lines([f"*unknown fault 'nope'. Valid: {'*'.join(first_of_each)}*"])


def test_writes_and_rate_limit_probes_skip_in_live_mode_unless_allowed(pytester, serve, monkeypatch):
    app = create_mock("cartoncloud", clock=VirtualClock(follow_real_time=True))
    served = serve(app)
    for name, value in served_mock_exports("cartoncloud", app, "127.0.0.1", served.port).items():
        monkeypatch.setenv(name, value)
    rate = str(SUITES / "conformance" / "test_rate_limit.py")
    result = pytester.runpytest_inprocess(
        LOCKING,
        rate,
        "--target",
        "live",
        "--api",
        "cartoncloud",
        "-rs",
        "--report-dir",
        str(pytester.path / "r"),
    )
    # every locking case (each rule x 4 resources) and every rate-limit case skips: none ran
    outcomes = result.parseoutcomes()
    assert set(outcomes) == {"skipped"} and outcomes["skipped"] >= 27, outcomes
    result.stdout.fnmatch_lines(["*needs --allow-writes in live mode*"])
    results = read_report(pytester.path / "r")["results"]
    assert {r["verdict"] for r in results} == {"skip"} and len(results) == outcomes["skipped"]
    allowed = pytester.runpytest_inprocess(
        LOCKING,
        rate,
        "--target",
        "live",
        "--api",
        "cartoncloud",
        "--allow-writes",
        "--allow-rate-limit-probe",
        "--report-dir",
        str(pytester.path / "r2"),
    )
    allowed.assert_outcomes(passed=29, skipped=9)  # 9 rate-limit cases of rules CartonCloud does not document


def test_undeclared_capability_is_not_applicable_never_a_pass(pytester, tmp_path, monkeypatch):
    contracts = tmp_path / "contracts"
    shutil.copytree(REPO / "contracts" / "cartoncloud", contracts / "cartoncloud")
    profile = contracts / "cartoncloud" / "profile.yaml"
    data = yaml.safe_load(profile.read_text())
    del data["locking"]
    profile.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(contracts))
    result = pytester.runpytest_inprocess(
        LOCKING, "--api", "cartoncloud", "--report-dir", str(pytester.path / "r")
    )
    result.assert_outcomes(skipped=6)  # one per locking rule
    results = read_report(pytester.path / "r")["results"]
    assert {r["verdict"] for r in results} == {"not-applicable"}
    assert all("not documented" in r["reason"] for r in results)


def test_reports_are_written_from_one_model(pytester):
    result = pytester.runpytest_inprocess(
        LOCKING, "--api", "cartoncloud", "--report-dir", str(pytester.path / "r")
    )
    result.assert_outcomes(passed=24)  # 6 locking rules x 4 resources
    report = read_report(pytester.path / "r")
    assert report["schema_version"] == SCHEMA_VERSION and report["target"] == "mock"
    assert report["summary"]["matrix"]["cartoncloud"]["locking"]["pass"] == 24
    check = report["results"][0]["checks"][0]
    assert check["severity"] in ("MUST", "SHOULD") and check["clause"] and check["evidence"]
    suites = ET.parse(pytester.path / "r" / "junit.xml").getroot()
    assert suites.find("testsuite").get("tests") == "24"
    case = suites.find("testsuite/testcase")
    props = {(p.get("name"), p.get("value")) for p in case.iter("property")}
    assert ("severity", "MUST") in props or ("severity", "SHOULD") in props
    assert any(name == "rule" and value.startswith("locking.rules.") for name, value in props)
    assert case.get("name").endswith("[cartoncloud:locking:consignments]")
    html = (pytester.path / "r" / "conformance.html").read_text()
    assert 'id="matrix"' in html and "cartoncloud" in html and "http://" not in html.split("<body>")[0]
    result.stdout.fnmatch_lines(["conformance: target=mock apis=cartoncloud faults=none allowed=none"])
    result.stdout.fnmatch_lines(
        ["API * lock * score * MUST✗ * SHOULD✗ * coverage", "cartoncloud * 24/24 * 100.0% *"]
    )
    assert result.stdout.lines[-2].startswith("conformance gate: PASSED")  # the answer comes last
    assert result.stdout.lines[-1] == f"conformance report: {pytester.path / 'r' / 'conformance.html'}"


def test_invented_rules_never_judge_a_vendor_target(pytester, serve, monkeypatch):
    """A served Grafterr mock with its control plane hidden looks like a vendor sandbox: the
    invented token-response rule must come out "not applicable", never pass or fail."""
    app = create_mock("grafterr", clock=VirtualClock(follow_real_time=True), faults=["token_response_flat"])

    async def vendor_like(scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/__mock__"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)

    served = serve(vendor_like)
    for name, value in served_mock_exports("grafterr", app, "127.0.0.1", served.port).items():
        monkeypatch.setenv(name, value)
    auth = str(SUITES / "conformance" / "test_auth.py")
    result = pytester.runpytest_inprocess(
        auth,
        "--target",
        "live",
        "--api",
        "grafterr",
        "-k",
        "token_response",
        "--report-dir",
        str(pytester.path / "r"),
    )
    result.assert_outcomes(skipped=1)
    (record,) = read_report(pytester.path / "r")["results"]
    assert record["verdict"] == "not-applicable" and "invented rule" in record["reason"]


def test_tests_that_parametrise_api_themselves_never_enter_a_report(pytester):
    """The harness's own tests (e.g. the fault matrix, parametrised by API) once overwrote the main
    job's reports/ with their own results: only cases the plugin generates are recorded."""
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("api", ["cartoncloud", "cropster"])
        def test_harness_thing(api):
            assert api
        """
    )
    out = pytester.path / "reports"
    result = pytester.runpytest_inprocess("--report-dir", str(out), "-p", "no:cacheprovider")
    assert result.ret == 0
    assert not (out / "conformance.json").exists()
    result = pytester.runpytest_inprocess(LOCKING, "--api", "cartoncloud", "--report-dir", str(out))
    assert result.ret == 0 and len(read_report(out)["results"]) == 24


_GC_PROBE = """
import gc
import pytest

def pytest_sessionfinish(session):
    print(f"gc-probe frozen={gc.get_freeze_count()} threshold={gc.get_threshold()[0]}")

@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    print(f"gc-probe after frozen={gc.get_freeze_count()} threshold={gc.get_threshold()[0]}")
"""


def test_a_conformance_run_tunes_the_garbage_collector_unless_told_not_to(pytester, monkeypatch):
    """After collecting conformance cases, what exists is frozen and young collections are rarer
    (the collector took 5.7 of 49.5 s of a property run), both undone when the run ends (a pool
    process runs many); CONFORMANCE_GC=default leaves Python's."""
    pytester.makepyfile(gc_probe=_GC_PROBE)
    args = [str(SUITES / "properties"), "--collect-only", "-q", "-p", "gc_probe", "-p", "no:cacheprovider"]
    monkeypatch.delenv("CONFORMANCE_GC", raising=False)
    tuned = pytester.runpytest_subprocess(*args)
    tuned.stdout.fnmatch_lines(["gc-probe frozen=* threshold=10000", "gc-probe after frozen=0 threshold=700"])
    frozen = int(next(line for line in tuned.outlines if "gc-probe" in line).split("frozen=")[1].split()[0])
    assert frozen > 10_000  # the imported modules and collected items at least
    monkeypatch.setenv("CONFORMANCE_GC", "default")
    untouched = pytester.runpytest_subprocess(*args)
    untouched.stdout.fnmatch_lines(["gc-probe frozen=0 threshold=700"])
