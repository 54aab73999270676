"""Live fixtures: the entities example bodies reference (a customer, a location), found on the
target — named by a `CONFORMANCE_<API>_FIXTURE_*` variable, else discovered through its own
reads, else the example's value (which our default mock has) or no value at all (where the
documents state a default) — so a sandbox with other data gets bodies that resolve there.
A fixture's variable name in a profile template (`{FIXTURE_CUSTOMER_CODE}`) is its value too."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
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
        self.items: dict[str, Any] = {}  # the discovered item each fixture was read from
        self._lock = threading.RLock()

    def uses(self, operation_id: str) -> list[tuple[str, Any]]:
        """(pointer, value) to put into the example body of `operation_id` (None: leave it out)."""
        out = []
        for name, fixture in self.contract.profile.fixtures.items():
            for use in fixture.uses:
                if use.operation != operation_id:
                    continue
                value = self.value(name)
                if value is not UNRESOLVED:
                    out.append((use.pointer, fill(use.value, value)))
                elif fixture.unresolved == "remove":
                    out.append((use.pointer, None))  # None: the field is left out
        return out

    def template(self, variable: str) -> Any:
        """The value of the fixture whose variable is `variable` (UNRESOLVED if none or unknown)."""
        for name, fixture in self.contract.profile.fixtures.items():
            if fixture.variable == variable:
                return self.value(name)
        return UNRESOLVED

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
        if recipe.same_item_as:
            self.value(recipe.same_item_as)
            item = self.items.get(recipe.same_item_as)
            found = jsonpointer.get(item, recipe.value) if item is not None else None
            return UNRESOLVED if found is None else found
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
                self.items[name] = item
                return found
        return UNRESOLVED


class TemplateValues(Mapping[str, str]):
    """The values `{NAME}` templates are filled from: the target's config values, then its
    fixtures by variable name (resolved on first use)."""

    def __init__(self, base: Mapping[str, str], fixtures: Fixtures) -> None:
        self.base = dict(base)
        self.fixtures = fixtures

    def __getitem__(self, key: str) -> str:
        if key in self.base:
            return self.base[key]
        value = self.fixtures.template(key)
        if value is UNRESOLVED:
            raise KeyError(key)
        return str(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)
