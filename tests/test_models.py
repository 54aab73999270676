"""The model-based suites earn their place: each API's reference model finds a planted fault that no
per-request suite (profile-driven, scenarios, properties) can see — the fault declares it, by
breaking only `stateful_*` checks — and the report shows the sequence, shrunk, as numbered steps
with a script that runs it again; and the model cases are distinct per API and rule in pytest,
JUnit and Allure, so `-k` selects one. (`conformance selfcheck` runs each of these faults
against the models and requires the declared check to fail on its rules.)"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from conformance.contracts import load_contract
from conformance.mocks import available_mocks, mock_faults
from tests.conftest import SUITES, failed_checks, read_report

APIS = [api for api in available_mocks() if load_contract(api).profile.stateful is not None]
ONLY_A_MODEL_SEES = [
    (api, name)
    for api in APIS
    for name, fault in mock_faults(api).items()
    if all(check.startswith("stateful_") for check in fault.breaks)
]
PER_REQUEST = [str(SUITES / "conformance"), str(SUITES / "scenarios"), str(SUITES / "properties")]


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(
        *args,
        "--report-dir",
        str(pytester.path / "r"),
        "-p",
        "no:cacheprovider",
        "--hypothesis-profile",
        "ci",
    )


def test_every_model_has_a_fault_only_it_finds():
    assert APIS, "no profile declares the stateful capability"
    assert sorted({api for api, _ in ONLY_A_MODEL_SEES}) == sorted(APIS)


@pytest.mark.parametrize(("api", "fault"), ONLY_A_MODEL_SEES, ids=[f"{a}:{f}" for a, f in ONLY_A_MODEL_SEES])
def test_per_request_suites_miss_the_fault(pytester, api, fault):
    result = _run(pytester, *PER_REQUEST, "--api", api, "--mock-fault", fault)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-3000:]
    assert failed_checks(read_report(pytester.path / "r")) == set()


@pytest.mark.parametrize(
    ("api", "fault"), ONLY_A_MODEL_SEES[:1], ids=[f"{a}:{f}" for a, f in ONLY_A_MODEL_SEES[:1]]
)
def test_the_report_shows_the_shrunk_sequence(pytester, api, fault):
    result = _run(pytester, str(SUITES / "models"), "--api", api, "--mock-fault", fault)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*Sequence (* steps, shrunk: the fewest that still fail):", "  1. *"])
    report = read_report(pytester.path / "r")
    failing = [c for r in report["results"] for c in r["checks"] if c["verdict"] == "fail"]
    assert failing and all(c["steps"] and c["steps"][0].startswith("1. ") for c in failing)
    html = (pytester.path / "r" / "conformance.html").read_text()
    assert "the sequence, shrunk to" in html and 'class="curl sequence-script"' in html
    assert "# step 1:" in html and "S1_1=$(printf" in html  # an id handed out is read into a variable
    attachments = [
        a["name"]
        for f in (pytester.path / "r" / "allure-results").glob("*-result.json")
        for a in json.loads(f.read_text()).get("attachments", [])
    ]
    assert "the sequence, shrunk" in attachments
    junit = (pytester.path / "r" / "junit.xml").read_text()
    assert "Sequence (" in junit


def test_model_cases_are_distinct_and_k_selects_one(pytester):
    result = _run(pytester, str(SUITES / "models"), "--api", "agcatalog", "-k", "agcatalog and fertilizers")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    assert result.parseoutcomes().get("passed") == 1 and "failed" not in result.parseoutcomes()
    report = read_report(pytester.path / "r")
    (case,) = report["results"]
    assert case["capability"] == "stateful" and case["nodeid"].endswith("[agcatalog:stateful-fertilizers]")
    rules = {c["rule_key"] for c in case["checks"]}
    assert {"stateful.rules.free_name_accepted", "business.deleted_hidden"} <= rules
    (testcase,) = ET.parse(pytester.path / "r" / "junit.xml").getroot().iter("testcase")
    assert testcase.get("classname") == "agcatalog.stateful"
    assert testcase.get("name", "").endswith("[agcatalog:stateful-fertilizers]")
    (allure,) = [
        json.loads(f.read_text()) for f in (pytester.path / "r" / "allure-results").glob("*-result.json")
    ]
    labels = {(label["name"], label["value"]) for label in allure["labels"]}
    assert {
        ("epic", "agcatalog"),
        ("feature", "stateful"),
        ("story", "stateful.rules.free_name_accepted"),
    } <= labels
