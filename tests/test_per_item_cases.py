"""One test case per profile item: a fault in the last of five list operations is one failing
case, the other four pass and are judged (a loop would have stopped, or hidden it)."""

from __future__ import annotations

from tests.conftest import SUITES, read_report

PAGINATION = str(SUITES / "conformance" / "test_pagination.py")


def test_a_fault_in_the_last_of_the_list_operations_fails_exactly_one_case(pytester):
    result = pytester.runpytest_inprocess(
        PAGINATION, "--api", "cartoncloud", "--mock-fault", "consignments_page_gap",
        "-k", "test_walk_complete", "--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider",
    )  # fmt: skip
    result.assert_outcomes(passed=4, failed=1)
    verdicts = {
        r["case_id"].split("::")[1]: r["verdict"] for r in read_report(pytester.path / "r")["results"]
    }
    assert verdicts == {
        "test_walk_complete[cartoncloud:pagination:searchInboundOrders]": "pass",
        "test_walk_complete[cartoncloud:pagination:searchOutboundOrders]": "pass",
        "test_walk_complete[cartoncloud:pagination:searchWarehouseProducts]": "pass",
        "test_walk_complete[cartoncloud:pagination:listCustomers]": "pass",
        "test_walk_complete[cartoncloud:pagination:searchConsignments]": "fail",
    }


def test_minus_k_selects_one_item(pytester):
    result = pytester.runpytest_inprocess(
        PAGINATION, "--api", "cartoncloud", "-k", "test_walk_complete and searchOutboundOrders",
        "--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider",
    )  # fmt: skip
    result.assert_outcomes(passed=1)
    (only,) = read_report(pytester.path / "r")["results"]
    assert only["case_id"].endswith("test_walk_complete[cartoncloud:pagination:searchOutboundOrders]")
