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


def _collected(pytester, *args: str) -> list[str]:
    result = pytester.runpytest_subprocess(
        str(SUITES / "properties"), "--collect-only", "-q", "-p", "no:cacheprovider", *args
    )
    return [line for line in result.outlines if "::" in line]


def test_an_xdist_worker_collects_the_property_test_with_most_operations_first(pytester):
    """xdist gives each worker a contiguous share of the collection and lets an idle one steal from
    the tails: the longest item (CartonCloud's property test, 26 operations) must come first, or the
    worker that reaches it last ends long after the other. A serial run keeps the files' order."""
    serial = _collected(pytester)
    pytester.makepyfile(
        as_worker="def pytest_configure(config):\n"
        "    config.workerinput = {'workerid': 'gw0'}  # what xdist sets on a worker\n"
        "    config.workeroutput = {}\n"
    )
    worker = _collected(pytester, "-p", "as_worker")
    assert sorted(worker) == sorted(serial) and len(serial) == 10  # 5 APIs x (per operation, stateful)
    assert serial[0].endswith("test_operation_conforms[agcatalog:schema]")  # the files' order
    heavy = [n.split("[")[1] for n in worker if "test_operation_conforms" in n]
    assert worker[: len(heavy)] == [n for n in worker if "test_operation_conforms" in n]
    assert heavy[0] == "cartoncloud:schema]"
    rest = [n for n in serial if "test_operation_conforms" not in n]
    assert worker[len(heavy) :] == rest  # everything else in its order
