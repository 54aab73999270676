"""Shared helpers for the harness's own tests."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.core import asgi
from conformance.core.asgi import free_port as free_port  # the tests import it from here

pytest_plugins = ["pytester"]


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """A bare `pytest` (the README's command: every test under `testpaths`) runs on every core.

    The harness's tests spend most of their time in pytest subprocesses (the persona matrix, the
    fault matrix): on 2 cores a serial run takes twice as long as `-n auto`. Only the bare command
    is changed: an explicit `-n N` (`-n 0` for serial), a path or node id, `--pdb` or
    `-p no:xdist` keep pytest's own behaviour. Runs of `suites/` never load this file.
    """
    option = config.option
    if (
        config.args_source is pytest.Config.ArgsSource.TESTPATHS
        and getattr(option, "numprocesses", "absent") is None
        and not config.getoption("usepdb", False)
        and not config.getoption("collectonly", False)
        and "PYTEST_XDIST_WORKER" not in os.environ
    ):
        option.numprocesses = "auto"
        if option.dist == "no":
            option.dist = "worksteal"  # the cases last from milliseconds to minutes


REPO = Path(__file__).resolve().parents[1]
SUITES = REPO / "suites"


class ServedApp(asgi.ServedApp):
    """An ASGI app on 127.0.0.1 in a background thread, as a context manager (stopped on exit)."""

    def __enter__(self) -> ServedApp:
        self.start(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[ServedApp] = []

    def _serve(app: Any) -> ServedApp:
        served = ServedApp(app).__enter__()
        started.append(served)
        return served

    yield _serve
    for served in started:
        served.__exit__()


def read_report(directory: Path) -> dict[str, Any]:
    return dict(json.loads((directory / "conformance.json").read_text()))


def failed_checks(report: dict[str, Any]) -> set[str]:
    return {c["name"] for r in report["results"] for c in r["checks"] if c["verdict"] == "fail"}


def require(present: bool, message: str) -> None:
    """Skip, saying what is missing — but under CI (where .ci/run provides it) fail instead."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} — .ci/run provides it, so CI must run this test")
    pytest.skip(message)
