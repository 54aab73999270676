"""The one error a broken contract raises: it names the file, the key, the value and the fix."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any


class ContractError(Exception):
    """A contract file (profile.yaml or openapi.yaml) is missing, malformed or inconsistent."""

    def __init__(
        self,
        path: Path | str,
        key: str,
        problem: str,
        *,
        value: Any = None,
        valid: Iterable[Any] | None = None,
    ) -> None:
        self.path = Path(path)
        self.key = key
        self.problem = problem
        self.value = value
        self.valid = list(valid) if valid is not None else None
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.path}: invalid contract at key '{self.key}': {self.problem}"]
        if self.value is not None:
            lines.append(f"  Given: {self.value!r}")
        if self.valid:
            lines.append(f"  Valid: {', '.join(repr(v) for v in self.valid)}")
        return "\n".join(lines)
