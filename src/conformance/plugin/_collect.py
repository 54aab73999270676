"""Collection: every suite test that takes `api` becomes one case per selected API — and, when it
also names a kind of profile item (`error_code`, `list_operation`, …), one case per item — with ids
like `cartoncloud:pagination:searchConsignments`; and what a case needs is checked before it runs."""

from __future__ import annotations

import gc
import os
from typing import Any

import pytest

from conformance.contracts import CAPABILITIES, Contract
from conformance.contracts.items import ITEM_KINDS, HeaderProbe
from conformance.contracts.models import AcceptedInput, ErrorCode
from conformance.core import NotApplicable
from conformance.plugin._keys import (
    CASE_MARKER,
    OPT_ALLOW_RATE_LIMIT_PROBE,
    OPT_ALLOW_WRITES,
    PER_OPERATION_TEST,
    SETTINGS,
)


def capability(node: Any) -> str | None:
    marker = node.get_closest_marker("capability")
    return str(marker.args[0]) if marker and marker.args else None


def _parametrises_api_itself(metafunc: pytest.Metafunc) -> bool:
    for marker in metafunc.definition.iter_markers("parametrize"):
        names = marker.args[0] if marker.args else marker.kwargs.get("argnames", "")
        if "api" in ([n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)):
            return True
    return False


def _item_marks(contract: Contract, item: Any) -> list[pytest.MarkDecorator]:
    """Marks an item itself calls for: an error whose trigger writes, spends quota or needs a mock."""
    if isinstance(item, HeaderProbe):
        return [] if contract.is_read(item.operation) else [pytest.mark.writes]
    trigger = item.trigger if isinstance(item, ErrorCode | AcceptedInput) else None
    if trigger is None:
        return []
    marks = []
    if not (contract.is_read(trigger.operation) and trigger.method in (None, "GET")) or trigger.given:
        marks.append(pytest.mark.writes)
    if trigger.rate_limit or trigger.repeat > 1 or trigger.spend_quota:
        marks += [pytest.mark.writes, pytest.mark.rate_limit_probe]
    if trigger.control:
        marks.append(pytest.mark.control_plane)
    return marks


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "api" not in metafunc.fixturenames or _parametrises_api_itself(metafunc):
        return  # not a suite test, or one that parametrises `api` itself
    settings = metafunc.config.stash[SETTINGS]
    name = capability(metafunc.definition) or "general"
    apis = settings.apis
    only = metafunc.definition.get_closest_marker("only_api")
    if only is not None:
        apis = [a for a in apis if a in only.args]
    case = getattr(pytest.mark, CASE_MARKER)
    kinds = [k for k in metafunc.fixturenames if k in ITEM_KINDS]
    if len(kinds) > 1:
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid}: one kind of profile item per test, not {kinds}"
        )
    if not kinds:
        metafunc.parametrize(
            "api", [pytest.param(a, id=f"{a}:{name}", marks=case) for a in apis], scope="function"
        )
        return
    kind = ITEM_KINDS[kinds[0]]
    params = []
    for api in apis:
        contract = settings.contracts[api]
        items = kind.of(contract)
        if not items:
            params.append(pytest.param(api, None, id=f"{api}:{name}", marks=case))
        for item_id, item in items:
            marks = [case, *_item_marks(contract, item)]
            params.append(pytest.param(api, item, id=f"{api}:{name}:{item_id}", marks=marks))
    metafunc.parametrize(("api", kind.name), params, scope="function")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker, the longest cases first: the property test is one item per API (its
    operations are subtests) and CartonCloud's takes about half the run's case time, so wherever
    collection order happens to put it, the worker that gets it last ends long after the other
    (measured: 43 s against 20 s). xdist hands each worker a contiguous share of this order and lets
    an idle one steal from the others' tails, so a heavy item first is one the other worker works
    around. Every worker sorts the same way (xdist requires equal collections); a serial run keeps
    the files' order."""
    if not hasattr(config, "workerinput"):
        return
    contracts = config.stash[SETTINGS].contracts

    def cost(item: pytest.Item) -> int:
        api = case_api(item)
        if api is None or getattr(item, "originalname", "") != PER_OPERATION_TEST or api not in contracts:
            return 0
        return len(contracts[api].operations)

    items.sort(key=cost, reverse=True)  # stable: everything else keeps its order


GC_YOUNG_THRESHOLD = 10_000  # objects allocated between young collections (CPython's default: 700)
GC_SETTING = "CONFORMANCE_GC"  # "default": leave the garbage collector as Python sets it
_GC_BEFORE = pytest.StashKey[tuple[int, ...]]()  # the thresholds the run found, restored at its end


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once conformance cases are collected, tune the garbage collector for the run: freeze what
    exists (modules, contracts, the collected items: never garbage, and otherwise walked by every
    full collection) and collect the young generation less often. Generating and judging cases
    allocates millions of short-lived containers; with Python's defaults the collector took 5.7 s
    of a 49.5 s property run (CartonCloud's search and create operations, `-n 0`; gc.callbacks),
    with these 2.6 s. `CONFORMANCE_GC=default` leaves the collector alone. What is garbage now is
    collected first (never frozen), and `pytest_unconfigure` undoes both, so a process that runs
    many sessions (the self-check's pool) does not keep one session's objects through the next."""
    if os.environ.get(GC_SETTING) == "default" or not any(case_api(i) for i in session.items):
        return
    session.config.stash[_GC_BEFORE] = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def pytest_unconfigure(config: pytest.Config) -> None:
    before = config.stash.get(_GC_BEFORE, None)
    if before is not None:
        gc.unfreeze()
        gc.set_threshold(*before)
        del config.stash[_GC_BEFORE]


def case_api(item: pytest.Item) -> str | None:
    """The API of a conformance case the plugin generated; None for any other test (e.g. the
    harness's own tests that parametrise `api` themselves, which must never enter a report)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or item.get_closest_marker(CASE_MARKER) is None:
        return None
    api = callspec.params.get("api")
    return api if isinstance(api, str) else None


def pytest_runtest_setup(item: pytest.Item) -> None:
    api = case_api(item)
    if api is None:
        return
    settings = item.config.stash[SETTINGS]
    profile = settings.contracts[api].profile
    declared = capability(item)
    if declared in CAPABILITIES and not profile.declares(declared):
        raise NotApplicable(f"not documented: {api} declares no {declared} in its profile")
    params = item.callspec.params  # type: ignore[attr-defined]
    for kind in ITEM_KINDS.values():
        if kind.name in params and params[kind.name] is None:
            raise NotApplicable(f"not documented: {api} profile lists no {kind.description}")
    if settings.target == "live":
        if item.get_closest_marker("writes") and not settings.allow_writes:
            pytest.skip(f"needs {OPT_ALLOW_WRITES} in live mode (the test writes data)")
        if item.get_closest_marker("rate_limit_probe") and not settings.allow_rate_limit_probe:
            pytest.skip(f"needs {OPT_ALLOW_RATE_LIMIT_PROBE} in live mode (the test spends rate-limit quota)")
