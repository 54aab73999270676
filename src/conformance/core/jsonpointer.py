"""JSON Pointers (RFC 6901), the one implementation every layer uses, on the `jsonpointer` library.

Reading is lenient (`get` answers a default where the document has nothing at the pointer, as a
check must judge any body); writing builds new documents (`with_value`, `without`) or fills one in
place (`put`, creating the objects on the way).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import jsonpointer as _jp

__all__ = ["escape", "get", "join", "parts", "put", "valid", "with_value", "without"]


def parts(pointer: str) -> list[str]:
    """The unescaped reference tokens of `pointer` ('' is the whole document)."""
    return list(_jp.JsonPointer(pointer).parts) if pointer else []


def escape(token: str) -> str:
    """One reference token, escaped (`~` -> `~0`, `/` -> `~1`)."""
    return str(_jp.escape(token))


def join(tokens: Iterable[str | int]) -> str:
    """A pointer from unescaped tokens: ['a/b', 0] -> '/a~1b/0'."""
    return "".join("/" + escape(str(t)) for t in tokens)


def valid(pointer: str) -> bool:
    """Whether `pointer` is a syntactically valid JSON Pointer."""
    try:
        _jp.JsonPointer(pointer)
    except _jp.JsonPointerException:
        return False
    return True


def get(doc: Any, pointer: str, default: Any = None) -> Any:
    """The value at `pointer` ('' is `doc` itself), or `default` when the document has none there."""
    if not pointer:
        return doc
    try:
        found = _jp.resolve_pointer(doc, pointer, default)
    except _jp.JsonPointerException:  # not a pointer at all (e.g. no leading '/')
        return default
    return default if isinstance(found, _jp.EndOfList) else found


def put(doc: dict[str, Any], pointer: str, value: Any) -> None:
    """Set `value` at `pointer` in place, creating intermediate objects as needed."""
    *parents, last = parts(pointer)
    node: Any = doc
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node.setdefault(token, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def with_value(doc: Any, pointer: str, value: Any) -> Any:
    """A copy of `doc` with `value` at `pointer` (its parent must exist)."""
    out = copy.deepcopy(doc)
    if not pointer:
        return copy.deepcopy(value)
    return _jp.set_pointer(out, pointer, value, inplace=True)


def without(doc: Any, pointer: str) -> Any:
    """A copy of `doc` without the member or element at `pointer` (absent: unchanged)."""
    out = copy.deepcopy(doc)
    parent, last = _jp.JsonPointer(pointer).to_last(out)
    if isinstance(parent, list):
        index = int(str(last))
        if 0 <= index < len(parent):
            del parent[index]
    elif isinstance(parent, dict):
        parent.pop(last, None)
    return out
