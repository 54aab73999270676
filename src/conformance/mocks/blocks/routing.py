"""A small router that tells "no such path" (404) from "no such method here" (405),
so each vendor mock can apply its documented order of checks."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[..., Awaitable[Any]]
_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)}")


@dataclass(frozen=True)
class RouteMatch:
    template: str
    params: dict[str, str]
    handlers: dict[str, Handler]
    tags: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> list[str]:
        return sorted(self.handlers)


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], dict[str, Handler], dict[str, Any]]] = []

    def add(self, template: str, handlers: Mapping[str, Handler], **tags: Any) -> None:
        pattern = (
            "^"
            + _PARAM.sub(
                lambda m: f"(?P<{m.group(1)}>[^/]+)",
                re.escape(template).replace(r"\{", "{").replace(r"\}", "}"),
            )
            + "$"
        )
        self._routes.append(
            (template, re.compile(pattern), {m.upper(): h for m, h in handlers.items()}, tags)
        )
        # literal segments win over parameters: /orders/search before /orders/{id}
        self._routes.sort(key=lambda r: len(_PARAM.findall(r[0])))

    def match(self, path: str) -> RouteMatch | None:
        for template, pattern, handlers, tags in self._routes:
            found = pattern.match(path)
            if found:
                return RouteMatch(template, found.groupdict(), handlers, tags)
        return None
