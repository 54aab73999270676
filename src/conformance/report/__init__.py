"""Reports: the results model, and the JSON, JUnit and HTML outputs made from it."""

from __future__ import annotations

from conformance.report.model import SCHEMA_VERSION, CheckResult, RunResult, TestResult
from conformance.report.writers import render_html, write_all

__all__ = ["SCHEMA_VERSION", "CheckResult", "RunResult", "TestResult", "render_html", "write_all"]
