"""The self-check's runs: the jobs (the suites of one API against its clean mock, or against one
fault), and the worker that runs each in-process under pytest, in a pool of spawned processes (a
process imports pytest, hypothesis and schemathesis once, then runs many jobs)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUITE_DIRS = ("conformance", "scenarios")


@dataclass
class Job:
    api: str
    fault: str | None  # None: the clean mock
    capabilities: list[str] = field(default_factory=list)  # narrow to these (a fault without `select`)
    select: str | None = None  # the fault's -k expression
    properties: bool = True  # run the property suite too
    models: bool = True  # run the model-based suites too
    extra: list[str] = field(default_factory=list)  # more pytest arguments
    cost: float = 1.0  # an estimate, to start the long jobs first

    @property
    def name(self) -> str:
        return f"{self.api}:{self.fault}" if self.fault else f"{self.api} (clean mock)"

    def argv(self, root: Path, report_dir: Path) -> list[str]:
        suites = root / "suites"
        dirs = [str(suites / d) for d in SUITE_DIRS]
        if self.properties:
            dirs.append(str(suites / "properties"))
        if self.models:
            dirs.append(str(suites / "models"))
        argv = [
            *dirs,
            "--rootdir", str(root), "--api", self.api, "--report-dir", str(report_dir),
            "-p", "no:cacheprovider", "--hypothesis-profile", "ci", "-q", "--no-header", "-rN",
        ]  # fmt: skip
        if self.fault:
            argv += ["--mock-fault", self.fault]
        if self.select:
            argv += ["-k", self.select]
        return [*argv, *self.extra]


class CapabilitySelector:
    """A pytest plugin: keep only the cases of some capabilities (their `capability` marker)."""

    def __init__(self, capabilities: list[str]) -> None:
        self.capabilities = set(capabilities)

    def pytest_collection_modifyitems(self, config: Any, items: list[Any]) -> None:
        keep: list[Any] = []
        drop: list[Any] = []
        for item in items:
            marker = item.get_closest_marker("capability")
            (keep if marker and marker.args and marker.args[0] in self.capabilities else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep


_LOG: Any = None


def worker_init(log_dir: str) -> None:
    """Each worker writes pytest's output to its own log (the parent prints the progress)."""
    global _LOG
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    _LOG = open(Path(log_dir) / f"worker-{os.getpid()}.log", "a", encoding="utf-8")  # noqa: SIM115
    os.dup2(_LOG.fileno(), 1)
    os.dup2(_LOG.fileno(), 2)
    sys.stdout = sys.stderr = _LOG
    os.environ.setdefault("CONFORMANCE_HYPOTHESIS_PROFILE", "ci")


def _forget_suite_modules(root: Path) -> None:
    """Test modules are imported afresh by each run (libraries stay imported)."""
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(str(root / "suites")) or path == str(root / "conftest.py"):
            del sys.modules[name]


def run_job(job: Job, root: str, report_dir: str) -> dict[str, Any]:
    """Run one job in this process; its results as plain data (the parent judges them)."""
    import pytest

    started = time.monotonic()
    directory = Path(report_dir)
    print(f"\n===== {job.name}: {' '.join(job.argv(Path(root), directory))}", flush=True)
    plugins: list[Any] = [CapabilitySelector(job.capabilities)] if job.capabilities else []
    try:
        code = int(pytest.main(job.argv(Path(root), directory), plugins=plugins))
    except Exception as exc:  # a crash is the job's outcome, never the self-check's
        return {"exit_code": 3, "note": f"{type(exc).__name__}: {exc}", "results": [], "seconds": 0.0}
    finally:
        _forget_suite_modules(Path(root))
        with contextlib.suppress(Exception):
            sys.stdout.flush()
    seconds = time.monotonic() - started
    report = directory / "conformance.json"
    try:
        results = json.loads(report.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return {"exit_code": code, "note": "the run wrote no report", "results": [], "seconds": seconds}
    return {"exit_code": code, "note": "", "results": results, "seconds": seconds}
