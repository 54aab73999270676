"""A pytest plugin for bench_property.py: counts the generated cases the property suite sends
(each call of suites/properties/test_schema.py's `_send`, one per Hypothesis example that is not
"not applicable"; the same call sent again without credentials, once per operation, is no new
case) and writes {"by_api": {api: N}} to $BENCH_CASES_OUT."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

_count: dict[str, int] = {}


def pytest_collection_finish(session):
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", "") and module.__file__.endswith("properties/test_schema.py"):
            original = module._send

            def counting_send(case, contract, *args, _original=original, **kwargs):
                if kwargs.get("leave_out") is None:  # not the same call again without credentials
                    _count[contract.api] = _count.get(contract.api, 0) + 1
                return _original(case, contract, *args, **kwargs)

            module._send = counting_send


def pytest_sessionfinish(session):
    out = os.environ.get("BENCH_CASES_OUT")
    if out:
        Path(out).write_text(json.dumps({"by_api": _count}))
