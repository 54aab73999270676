"""Shared pieces of the `conformance` command: where the checkout is, exit codes, reading runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from conformance.contracts import default_contracts_dir


def _repo_root() -> Path:
    return default_contracts_dir().resolve().parent


EXIT_USAGE = 2  # a usage error, an unreadable file, or a run that gave no verdict


def _read_run(command: str, path: str) -> Any:
    from conformance.report import RunResult

    source = Path(path)
    try:
        return RunResult.from_dict(json.loads(source.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        print(f"conformance {command}: cannot read {source}: {exc}", file=sys.stderr)
        return None


DEFAULT_REPORT = "reports/conformance.json"


def _report_path(given: str | None) -> str:
    """The report to read: as given; else reports/conformance.json here, or else the checkout's
    (where `conformance run` writes it, whatever the working directory)."""
    if given:
        return given
    here = Path(DEFAULT_REPORT)
    if here.is_file():
        return str(here)
    checkout = _repo_root() / DEFAULT_REPORT
    return str(checkout if checkout.is_file() else here)


REPORT_HELP = (
    f"a run's conformance.json (default: {DEFAULT_REPORT} in the working directory, else this checkout's)"
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("conformance")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "unknown"
