"""A sixth API from three files in a temporary directory (contract, profile, mock), with no edit
anywhere else: the plugin lists it, the conformance suites run against its mock, its checks pass,
and its faults make them fail."""

from __future__ import annotations

import shutil

import pytest

from conformance.mocks import registry
from tests.conftest import REPO, SUITES, failed_checks, read_report

TOY = REPO / "tests" / "data" / "toy"


@pytest.fixture
def toy_only(tmp_path, monkeypatch):
    contracts = tmp_path / "contracts"
    shutil.copytree(TOY, contracts / "toy")
    monkeypatch.setenv("CONFORMANCE_CONTRACTS_DIR", str(contracts))
    registry._reset_for_tests()
    yield contracts
    registry._reset_for_tests()


def _run(pytester, *args):
    return pytester.runpytest_subprocess(
        str(SUITES / "conformance"), "--api", "toy", "--report-dir", str(pytester.path / "r"),
        "-p", "no:cacheprovider", *args,
    )  # fmt: skip


def test_a_sixth_api_from_three_files_runs_the_conformance_suites(pytester, toy_only):
    result = _run(pytester)
    assert result.ret == 0, result.stdout.str()[-3000:]
    report = read_report(pytester.path / "r")
    assert report["apis"] == ["toy"]
    judged = {r["capability"] for r in report["results"] if r["verdict"] == "pass"}
    assert judged == {"auth", "transport", "errors", "pagination"}
    assert {r["verdict"] for r in report["results"]} <= {"pass", "not-applicable"}
    walks = [r["case_id"] for r in report["results"] if r["test"] == "test_walk_complete"]
    assert walks == ["suites/conformance/test_pagination.py::test_walk_complete[toy:pagination:listWidgets]"]


@pytest.mark.parametrize("fault", ["anonymous", "page_repeats"])
def test_the_sixth_apis_faults_make_their_checks_fail(pytester, toy_only, fault):
    from conformance.mocks import mock_faults

    result = _run(pytester, "--mock-fault", fault)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert mock_faults("toy")[fault].breaks <= failed_checks(read_report(pytester.path / "r"))
