"""One results model under pytest-xdist: the controller writes the same verdicts a serial run does."""

from __future__ import annotations

import json

from tests.conftest import SUITES, read_report


def verdicts(report: dict) -> dict[str, str]:
    return {r["case_id"]: r["verdict"] for r in report["results"]}


def test_xdist_run_reports_the_same_cases_and_verdicts_as_a_serial_run(pytester):
    common = [
        str(SUITES / "conformance"),
        "--api",
        "cartoncloud",
        "--mock-fault",
        "racy_update",
        "-p",
        "no:cacheprovider",
    ]
    serial = pytester.runpytest_subprocess(*common, "--report-dir", str(pytester.path / "serial"))
    parallel = pytester.runpytest_subprocess(*common, "-n", "2", "--report-dir", str(pytester.path / "xdist"))
    assert serial.ret == parallel.ret == 1  # the fault fails one check (per locking resource) either way
    one, two = read_report(pytester.path / "serial"), read_report(pytester.path / "xdist")
    assert len(one["results"]) > 30
    assert verdicts(one) == verdicts(two)
    assert one["summary"]["matrix"] == two["summary"]["matrix"]
    allure = list((pytester.path / "xdist" / "allure-results").glob("*-result.json"))
    assert len(allure) == len(two["results"])
    statuses = sorted(json.loads(p.read_text())["status"] for p in allure)
    assert statuses.count("failed") == 3  # inbound orders, outbound orders, consignments
