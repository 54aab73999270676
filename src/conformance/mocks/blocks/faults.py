"""Fault switches: what a faulty mock does and which checks must fail against it.

A mock declares its faults once, in `FAULTS = fault_table(name=Fault(...), ...)`; the fault
matrix, the CLI listing and the control plane are derived from that table. `breaks` names checks
by their registry key as plain strings, because mocks never import `conformance.checks`; `rules`
names the profile rules it breaks (by key, a documented error by its id: `errors.codes[not_found]`)
where one check judges several rules, so coverage can say which documented statement it bites.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, init=False)
class Fault:
    """One way a mock can break its contract on purpose."""

    description: str  # what the faulty mock does, one line
    breaks: frozenset[str]  # the checks (conformance.checks.REGISTRY keys) that must fail against it
    select: str | None  # a pytest -k expression that runs only the suite tests that can see it
    rules: frozenset[str]  # the profile rules it breaks (`errors.codes[<id>]`), where a check judges many

    def __init__(
        self,
        description: str,
        breaks: str | Iterable[str],
        select: str | None = None,
        rules: str | Iterable[str] = (),
    ) -> None:
        checks = frozenset({breaks} if isinstance(breaks, str) else breaks)
        if not description.strip() or "\n" in description:
            raise ValueError(f"a fault's description is one non-empty line, got {description!r}")
        if not checks or not all(isinstance(c, str) and c for c in checks):
            raise ValueError(
                f"fault {description!r}: 'breaks' names at least one check, got {sorted(checks)!r}"
            )
        if select is not None and not select.strip():
            raise ValueError(f"fault {description!r}: 'select' is a pytest -k expression or None, got ''")
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "breaks", checks)
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "rules", frozenset({rules} if isinstance(rules, str) else rules))


def fault_table(**faults: Fault) -> Mapping[str, Fault]:
    """A mock's read-only `FAULTS` table; keyword names keep every fault name an identifier."""
    for name, value in faults.items():
        if not isinstance(value, Fault):
            raise TypeError(f"fault {name!r}: expected a Fault, got {type(value).__name__} {value!r}")
    return MappingProxyType(dict(faults))


class UnknownFault(ValueError):
    """A fault name that the mock does not declare (a typo never silently means 'off')."""

    def __init__(self, api: str, name: str, valid: Iterable[str]) -> None:
        super().__init__(f"{api} mock: unknown fault {name!r}. Valid: {', '.join(sorted(valid))}")
        self.api = api
        self.name = name
