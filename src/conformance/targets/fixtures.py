"""Live fixtures: the entities example bodies reference (a customer, a location), found on the
target — named by a `CONFORMANCE_<API>_FIXTURE_*` variable, else discovered through its own
reads, else the example's value (which our default mock has) — so a sandbox with other data gets
bodies that resolve there."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from conformance.client import ApiClient
from conformance.contracts import Contract
from conformance.contracts.models import Fixture
from conformance.core import jsonpointer

_VALUE = re.compile(r"\{value\}")
UNRESOLVED = object()


def fill(template: Any, value: Any) -> Any:
    """The fixture `template` with `{value}` filled (a whole-string `{value}` keeps the value's type)."""
    if template == "{value}":
        return value
    if isinstance(template, str):
        return _VALUE.sub(str(value), template)
    if isinstance(template, dict):
        return {k: fill(v, value) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, value) for v in template]
    return template


class Fixtures:
    """Resolves each fixture once per target, on first use by an example body."""

    def __init__(self, contract: Contract, config: dict[str, str], reader: Callable[[], ApiClient]) -> None:
        self.contract = contract
        self.config = config
        self.reader = reader
        self.values: dict[str, Any] = {}
        self._lock = threading.RLock()

    def uses(self, operation_id: str) -> list[tuple[str, Any]]:
        """(pointer, value) to put into the example body of `operation_id`."""
        out = []
        for name, fixture in self.contract.profile.fixtures.items():
            for use in fixture.uses:
                if use.operation != operation_id:
                    continue
                value = self.value(name)
                if value is not UNRESOLVED:
                    out.append((use.pointer, fill(use.value, value)))
        return out

    def value(self, name: str) -> Any:
        with self._lock:
            if name not in self.values:
                self.values[name] = self._resolve(name, self.contract.profile.fixtures[name])
            return self.values[name]

    def _resolve(self, name: str, fixture: Fixture) -> Any:
        if fixture.variable and self.config.get(fixture.variable):
            return self.config[fixture.variable]
        recipe = fixture.discover
        if recipe is None:
            return UNRESOLVED
        avoid = self.value(recipe.distinct_from) if recipe.distinct_from else UNRESOLVED
        client = self.reader()
        try:
            kwargs: dict[str, Any] = {"params": dict(recipe.params) or None}
            if recipe.body is not None:
                kwargs["json"] = recipe.body
            page = client.call(recipe.operation, **kwargs)
        finally:
            client.close()
        if not page.ok:
            return UNRESOLVED
        items = page.json_at(recipe.items)
        for item in items if isinstance(items, list) else []:
            found = jsonpointer.get(item, recipe.value)
            if found is not None and found != avoid:
                return found
        return UNRESOLVED
