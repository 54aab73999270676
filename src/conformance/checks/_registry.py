"""How a check is declared: `@check(capability, judges=...)` registers a pure function under its
name and states, once, which profile rules it judges (their keys, `[]` for any index, `*` for any
name) and of what kind (the annotation of its `rule` parameter)."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from conformance.contracts.models import Rule

F = TypeVar("F", bound=Callable[..., None])


class CheckDeclarationError(TypeError):
    """A check is declared wrongly (its name, a duplicate, its `judges`)."""


@dataclass(frozen=True)
class CheckInfo:
    name: str
    capability: str
    function: Callable[..., None]
    judges: tuple[str, ...]
    rule_type: type[Rule]
    applies: Callable[[Any, Any], bool] | None = None  # (rule, contract) -> whether it can judge it

    def can_judge(self, rule: Rule, contract: Any) -> bool:
        """Whether this check judges `rule` of `contract` (its key, its kind, and what it needs)."""
        return (
            self.accepts(rule.key)
            and isinstance(rule, self.rule_type)
            and (self.applies is None or self.applies(rule, contract))
        )

    @property
    def doc(self) -> str:
        """The rule the check enforces, in one line (its docstring's first line)."""
        return (self.function.__doc__ or "").strip().splitlines()[0]

    def accepts(self, key: str) -> bool:
        """Whether a rule at this profile key is one the check judges."""
        return any(_pattern(p).fullmatch(key) for p in self.judges)


REGISTRY: dict[str, CheckInfo] = {}


def _pattern(judged: str) -> re.Pattern[str]:
    text = re.escape(judged).replace(r"\[\]", r"\[\d+\]").replace(r"\*", r"[^.\[\]]+")
    return re.compile(text)


def _rule_type(function: Callable[..., None]) -> type[Rule]:
    hints = typing.get_type_hints(function)
    kind = hints.get("rule")
    if not (isinstance(kind, type) and issubclass(kind, Rule)):
        raise CheckDeclarationError(
            f"check {function.__name__}: its first parameter `rule` needs a Rule type"
        )
    return kind


def check(
    capability: str,
    *,
    judges: str | tuple[str, ...],
    applies: Callable[[Any, Any], bool] | None = None,
) -> Callable[[F], F]:
    """Register a check function under its name, e.g. `locking_stale_version_rejected`, judging the
    rules at `judges` (e.g. "locking.rules.stale_version_rejected", "errors.codes[]"); `applies`
    narrows that to the rules it can judge (`(rule, contract) -> bool`, e.g. only errors that name a
    field), for what coverage reports."""

    def register(function: F) -> F:
        name = function.__name__
        if not name.startswith(capability + "_"):
            raise CheckDeclarationError(
                f"check {name!r} must be named <capability>_<property> ({capability}_…)"
            )
        if name in REGISTRY:
            raise CheckDeclarationError(f"a check named {name!r} is already registered")
        if not (function.__doc__ or "").strip():
            raise CheckDeclarationError(f"check {name!r} needs a docstring stating its rule")
        keys = (judges,) if isinstance(judges, str) else tuple(judges)
        REGISTRY[name] = CheckInfo(name, capability, function, keys, _rule_type(function), applies)
        return function

    return register


def info(function: Callable[..., Any]) -> CheckInfo:
    """The registration of a check function; a clear error for anything else."""
    found = REGISTRY.get(getattr(function, "__name__", ""))
    if found is None or found.function is not function:
        raise CheckDeclarationError(f"{function!r} is not a registered check (decorate it with @check)")
    return found
