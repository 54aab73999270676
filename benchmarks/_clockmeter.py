"""A pytest plugin for bench_clock.py: sums, per test, the seconds the suites moved a mock's
clock (`ControlPlane.advance`: pacing, token lifetimes, rate-limit windows) -- the time a run on a
real clock would have had to wait -- and writes them to $BENCH_CLOCK_OUT as JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conformance.targets.control import ControlPlane

_advanced: dict[str, float] = {}
_current: list[str] = [""]
_original = ControlPlane.advance


def _counting_advance(self: ControlPlane, seconds: float) -> None:
    _advanced[_current[0]] = _advanced.get(_current[0], 0.0) + float(seconds)
    _original(self, seconds)


ControlPlane.advance = _counting_advance  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _current[0] = item.nodeid
    try:
        return (yield)
    finally:
        _current[0] = ""


def pytest_sessionfinish(session):
    out = os.environ.get("BENCH_CLOCK_OUT")
    if out:
        Path(out).write_text(json.dumps(_advanced, indent=1))
