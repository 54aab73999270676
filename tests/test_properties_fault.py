"""The schemathesis property suite is real: it fails against a mock whose errors break the
documented envelope, and the failure text it prints carries no token."""

from __future__ import annotations

from tests.conftest import SUITES, read_report


def test_property_suite_fails_against_wrong_error_envelope(pytester):
    result = pytester.runpytest_subprocess(
        str(SUITES / "properties"),
        "--api",
        "cartoncloud",
        "--mock-fault",
        "error_envelope_object",
        "--hypothesis-profile",
        "live",
        "--report-dir",
        str(pytester.path / "r"),
        "-p",
        "no:cacheprovider",
    )
    assert result.ret == 1, result.stdout.str()[-2000:]
    result.stdout.fnmatch_lines(["*Response violates schema*"])
    failed = [r for r in read_report(pytester.path / "r")["results"] if r["verdict"] == "fail"]
    assert failed and all(r["capability"] == "schema" for r in failed)
    assert "Bearer " not in "".join(r["reason"] for r in failed).replace("Bearer [REDACTED]", "")
