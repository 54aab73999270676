"""A pytest plugin for tests/test_selfcheck.py, loaded into each self-check run with
`conformance selfcheck … -- -p tests.plugins.weakened_duplicate_check`: the pagination duplicate
check made a no-op (a page walk that returns an element twice no longer fails `pagination_walk_complete`;
gaps still do), so the faults only it catches must survive."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from conformance.checks import REGISTRY, pagination

_ORIGINAL = pagination.pagination_walk_complete


@functools.wraps(_ORIGINAL)
def _weakened(*args: Any, **kwargs: Any) -> None:
    try:
        _ORIGINAL(*args, **kwargs)
    except pagination.PageItemDuplicated:
        return  # the weakening: a duplicated element is no failure


_NAME = _ORIGINAL.__name__


def pytest_configure(config: Any) -> None:
    # the suites call the module's function; the judge accepts it only as the registered one
    pagination.pagination_walk_complete = _weakened
    REGISTRY[_NAME] = dataclasses.replace(REGISTRY[_NAME], function=_weakened)


def pytest_unconfigure(config: Any) -> None:
    pagination.pagination_walk_complete = _ORIGINAL
    REGISTRY[_NAME] = dataclasses.replace(REGISTRY[_NAME], function=_ORIGINAL)
