"""The pytest plugin (entry point `pytest11`), split by job: options and settings (`_options`),
collection and case preconditions (`_collect`), the fixtures suites use (`_fixtures`), Hypothesis
profiles and seeds (`_hypothesis`), each case's record (`_records`), and verdicts
and reports (`_results`). Only this package imports pytest; judging lives in `conformance.verdicts`.
"""

from __future__ import annotations

from conformance.plugin._collect import (
    case_api,
    pytest_collection_finish,
    pytest_collection_modifyitems,
    pytest_generate_tests,
    pytest_runtest_setup,
    pytest_unconfigure,
)
from conformance.plugin._fixtures import (
    Verifier,
    client,
    contract,
    control,
    other_client,
    property_phases,
    recorder,
    run_model,
    target,
    verify,
)
from conformance.plugin._hypothesis import pytest_configure_node, register_hypothesis_profiles
from conformance.plugin._keys import CASE_MARKER, MARKERS, SETTINGS, Settings
from conformance.plugin._options import pytest_addoption, pytest_configure, pytest_report_header
from conformance.plugin._records import pytest_runtest_makereport
from conformance.plugin._results import ResultCollector

__all__ = [
    "CASE_MARKER",
    "MARKERS",
    "SETTINGS",
    "ResultCollector",
    "Settings",
    "Verifier",
    "case_api",
    "client",
    "contract",
    "control",
    "other_client",
    "property_phases",
    "pytest_addoption",
    "pytest_collection_finish",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_generate_tests",
    "pytest_report_header",
    "pytest_runtest_makereport",
    "pytest_runtest_setup",
    "pytest_unconfigure",
    "recorder",
    "register_hypothesis_profiles",
    "run_model",
    "target",
    "verify",
]
