"""`conformance selfcheck` bites: with the pagination duplicate check made a no-op
(tests/plugins/weakened_duplicate_check.py, loaded into every run), the faults only it catches
survive and the self-check exits 1; with the check intact the same faults are killed and it exits 0.
A gap fault judged by the same check stays killed, so the weakening is what makes the difference."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conformance.report.selfcheck import FailedCheck, judge_fault
from tests.conftest import REPO

FAULTS = ["--api", "cartoncloud", "--fault", "duplicate_page_item", "--fault", "page_gap"]


def _selfcheck(tmp_path: Path, *pytest_args: str) -> tuple[int, dict[str, Any], str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "conformance.cli", "selfcheck", *FAULTS, "--no-clean", "-n", "1"]
    argv += ["--report-dir", str(tmp_path)]
    if pytest_args:
        argv += ["--", *pytest_args]
    done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    data = json.loads((tmp_path / "selfcheck.json").read_text(encoding="utf-8"))
    return done.returncode, data, done.stdout + done.stderr


def _statuses(data: dict[str, Any]) -> dict[str, str]:
    return {f["fault"]: f["status"] for f in data["faults"]}


def test_a_weakened_duplicate_check_lets_its_fault_survive_and_fails_the_selfcheck(tmp_path):
    code, data, output = _selfcheck(tmp_path / "weak", "-p", "tests.plugins.weakened_duplicate_check")
    assert _statuses(data) == {"duplicate_page_item": "survived", "page_gap": "killed"}, output
    assert code == 1, output
    assert "surviving faults: 1" in output and "SURVIVED cartoncloud:duplicate_page_item" in output
    assert data["summary"]["survivors"] == ["cartoncloud:duplicate_page_item"]
    assert data["summary"]["passed"] is False

    code, data, output = _selfcheck(tmp_path / "intact")
    assert _statuses(data) == {"duplicate_page_item": "killed", "page_gap": "killed"}, output
    assert code == 0 and data["summary"]["passed"] is True, output


def test_a_fault_is_killed_only_when_every_declared_check_fails_on_its_rules():
    expected = {"errors_status_matches": {"errors.codes[2]"}, "errors_envelope_conforms": set()}
    on_other_rule = [
        FailedCheck("errors_status_matches", "errors", "errors.codes[5]"),
        FailedCheck("errors_envelope_conforms", "errors", "errors.codes[5]"),
    ]
    assert judge_fault(expected, on_other_rule) == ("partly", ["errors_status_matches on errors.codes[2]"])
    both = [*on_other_rule, FailedCheck("errors_status_matches", "errors", "errors.codes[2]")]
    assert judge_fault(expected, both) == ("killed", [])
    assert judge_fault(expected, [])[0] == "survived"
