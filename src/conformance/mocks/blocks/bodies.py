"""Reading request bodies the way every mock refuses them: an empty, malformed, too deeply nested
or non-object body is a BodyError the mock turns into its vendor's 400, never a crash."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

__all__ = ["MAX_JSON_DEPTH", "BodyError", "as_int", "read_form", "read_json"]

MAX_JSON_DEPTH = 200  # deeper bodies are refused as malformed: handlers may recurse over them


class BodyError(Exception):
    """The request body is not what the endpoint accepts (`kind`: empty, malformed, not_object)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def as_int(value: Any) -> int | None:
    """A JSON integer as JSON Schema sees it (2 and 2.0, never true or "2"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


async def read_json(request: Request, *, required: bool = True, object_only: bool = True) -> Any:
    raw = await request.body()
    if not raw:  # whitespace alone is not an absent body: JSON parsers reject it
        if required:
            raise BodyError("empty", "Request body is missing")
        return None
    too_deep = f"Malformed JSON: nested deeper than {MAX_JSON_DEPTH} levels"
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError("malformed", f"Malformed JSON: {exc}") from None
    except RecursionError:
        raise BodyError("malformed", too_deep) from None
    # each level of nesting opens a bracket: a body with few brackets cannot be too deep
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and _deeper_than(data, MAX_JSON_DEPTH):
        raise BodyError("malformed", too_deep)
    if object_only and not isinstance(data, dict):
        raise BodyError("not_object", "Request body must be a JSON object")
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether `data` nests more than `limit` arrays/objects deep (walked without recursion, so a
    hostile body cannot exhaust the stack of whatever handles it next)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


async def read_form(request: Request) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body (first value of each field)."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("malformed", "Form body is not UTF-8") from None
    return {k: v for k, v in reversed(parse_qsl(text, keep_blank_values=True))}
