"""The plugin's names: option flags, markers, and the session and item state it keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance.contracts import Contract
from conformance.report.model import CheckResult, RunResult

OPT_TARGET = "--target"
OPT_API = "--api"
OPT_ALLOW_WRITES = "--allow-writes"
OPT_ALLOW_RATE_LIMIT_PROBE = "--allow-rate-limit-probe"
OPT_ALLOW_PRODUCTION = "--allow-production"
OPT_MOCK_FAULT = "--mock-fault"
OPT_MOCK_PERSONA = "--mock-persona"
OPT_REPORT_DIR = "--report-dir"
OPT_BASELINE = "--baseline"
OPT_TODAY = "--today"
OPT_REQUEST_BUDGET = "--request-budget"
OPT_MAX_EXPIRY_WAIT = "--max-expiry-wait"
OPT_FAIL_ON_SHOULD = "--fail-on-should"
OPT_PROPERTY_PHASES = "--property-phases"
PROPERTY_PHASES = ("examples", "coverage", "fuzzing")  # schemathesis phases the property suite may run

CASE_MARKER = "conformance_case"
PER_OPERATION_TEST = "test_operation_conforms"  # the property test: a subtest per operation
MARKERS = {
    CASE_MARKER: "set by the plugin on each (test, API) case it generates: only these enter the report",
    "capability(name)": "the capability a suite test checks (auth, transport, pagination, errors, "
    "rate_limit, locking, webhooks); not applicable as 'not documented' where the profile "
    "does not declare it",
    "writes": "the test creates or changes data: skipped in live mode unless --allow-writes",
    "rate_limit_probe": "the test spends a rate-limit quota: skipped in live mode unless "
    "--allow-rate-limit-probe",
    "control_plane": "the test needs the target's /__mock__/ control plane (a mock): skipped without one",
    "only_api(*ids)": "a scenario of these APIs only: parametrised over the selected ones among them",
}


@dataclass
class Settings:
    target: str
    apis: list[str]
    allow_writes: bool
    allow_rate_limit_probe: bool
    allow_production: bool
    faults: dict[str, list[str]]
    report_dir: Path
    persona: str | None = None  # mock mode: every selected mock runs as this persona
    live_configs: dict[str, dict[str, str]] = field(default_factory=dict)
    baseline: Path | None = None
    today: dt.date = field(default_factory=dt.date.today)
    request_budget: int | None = None  # live: requests per API per run (default: each profile's)
    max_wait_seconds: float = 30.0  # live: the longest real wait for a token to expire, a webhook
    contracts: dict[str, Contract] = field(default_factory=dict)
    report_dir_given: bool = False  # --report-dir: write there even for a partial run
    fail_on_should: bool = False  # the gate fails on SHOULD failures too
    property_phases: tuple[str, ...] | None = None  # None: all for mocks, examples+fuzzing for live


SETTINGS = pytest.StashKey[Settings]()
RUN = pytest.StashKey[RunResult]()
LIVE_TARGETS = pytest.StashKey[dict[str, Any]]()
CHECKS = pytest.StashKey[list[CheckResult]]()  # per item: every check judged
OBSERVATIONS = pytest.StashKey[list[dict[str, Any]]]()  # per item: advisory findings
REDACTOR = pytest.StashKey[Any]()  # per item: the target's redactor
RECORDER = pytest.StashKey[Any]()  # per item: the recorder of its exchanges and events
