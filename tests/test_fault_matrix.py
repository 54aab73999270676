"""Every registered check fails against some faulty mock, and the clean mocks pass every suite:
a check is only real once we have seen it fail.

Running every fault of the catalogue is the self-check's job (`conformance selfcheck`, a README
command that `.ci/run` runs before these tests; tests/test_selfcheck.py shows it failing when a
check is weakened): it kills a fault only when every check the fault declares fails on its rules,
which is stricter than the run here. This file keeps what the self-check does not show: that every
check is declared broken by some fault, and, for one fault per API, what a user sees when a check
bites (pytest's exit code, the expected value, the contract clause, a curl to reproduce).

Nothing here lists APIs, faults or checks. The cases come from the registry of mocks and each
mock's `FAULTS`, where a fault declares what it does (`description`), the checks that must fail
against it (`breaks`) and, for speed, the suite tests that can see it (`select`, a -k expression).
"""

from __future__ import annotations

import pytest

from conformance.checks import REGISTRY
from conformance.contracts import CAPABILITIES, load_contract
from conformance.mocks import available_mocks, mock_faults
from tests.conftest import SUITES, failed_checks, read_report

SUITE_DIRS = [str(SUITES / "conformance"), str(SUITES / "scenarios")]
MODELS = str(SUITES / "models")
APIS = available_mocks()
CASES = [(api, name) for api in APIS for name in mock_faults(api)]
# one fault per API (its catalogue's first): the whole catalogue runs in `conformance selfcheck`
SAMPLE = [next(case for case in CASES if case[0] == api) for api in APIS if mock_faults(api)]

# checks no plain-http loopback mock can make fail; tests/checks/ shows each failing on exchanges
NEEDS_HTTPS_TARGET = {"transport_https_only"}


PROPERTIES = str(SUITES / "properties")


def _run_suites(
    pytester: pytest.Pytester, api: str, *args: str, properties: bool = False, models: bool = False
) -> pytest.RunResult:
    """The profile-driven and scenario suites (and the property suite, the models, when a fault's
    checks are judged there), with the deterministic Hypothesis profile."""
    dirs = [*SUITE_DIRS, *([PROPERTIES] if properties else []), *([MODELS] if models else [])]
    return pytester.runpytest_inprocess(
        *dirs, "--api", api, "--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider",
        "--hypothesis-profile", "ci", *args,
    )  # fmt: skip


def test_every_check_fails_against_some_fault():
    broken = {check for api in APIS for fault in mock_faults(api).values() for check in fault.breaks}
    unbroken = set(REGISTRY) - broken - NEEDS_HTTPS_TARGET
    assert not unbroken, f"checks that no mock's fault declares it breaks: {sorted(unbroken)}"
    assert set(REGISTRY) >= NEEDS_HTTPS_TARGET, "NEEDS_HTTPS_TARGET names a check that is not registered"


def test_every_check_a_fault_breaks_is_registered():
    unknown = [
        f"{api}:{name} breaks {check!r}"
        for api in APIS
        for name, fault in mock_faults(api).items()
        for check in sorted(fault.breaks)
        if check not in REGISTRY
    ]
    assert not unknown, f"faults naming checks that conformance.checks.REGISTRY does not hold: {unknown}"


@pytest.mark.parametrize("api", APIS)
def test_clean_mock_passes_every_suite_check(pytester, api):
    result = _run_suites(pytester, api, models=True)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    report = read_report(pytester.path / "r")
    verdicts = [r["verdict"] for r in report["results"]]
    assert verdicts.count("fail") == verdicts.count("error") == 0
    assert failed_checks(report) == set()
    assert set(verdicts) <= {"pass", "not-applicable"}
    profile = load_contract(api).profile
    passed = {r["capability"] for r in report["results"] if r["verdict"] == "pass"}
    unjudged = [c for c in CAPABILITIES if profile.declares(c) and c not in passed]
    assert not unjudged, f"{api}: declared capabilities with no passing suite test: {unjudged}"


@pytest.mark.parametrize(("api", "fault"), SAMPLE, ids=[f"{a}:{f}" for a, f in SAMPLE])
def test_check_fails_against_faulty_mock(pytester, api, fault):
    declared = mock_faults(api)[fault]
    select = ["-k", declared.select] if declared.select else []
    properties = any(check.startswith("schema_") for check in declared.breaks)
    models = any(check.startswith("stateful_") for check in declared.breaks)
    result = _run_suites(pytester, api, "--mock-fault", fault, *select, properties=properties, models=models)
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()[-2000:]
    failed = failed_checks(read_report(pytester.path / "r"))
    assert declared.breaks <= failed, f"{api}:{fault} left unbroken: {sorted(declared.breaks - failed)}"
    result.stdout.fnmatch_lines(["*Expected:*", "*Contract: *profile.yaml*", "*curl*"])
