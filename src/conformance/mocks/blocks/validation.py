"""JSON Schema validation of request bodies as a persona reads them: integral floats refused where
an integer is expected (`strict_integers`), or numbers and booleans sent as strings coerced first
(`coerce`). The default reads JSON Schema as written (2 and 2.0 are both integers)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend

from conformance.core import jsonpointer
from conformance.mocks.blocks.schema_check import compile_check


def _integer_not_float(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_StrictIntegers = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _integer_not_float),
)


class BodyValidator:
    """Validates bodies against one schema (with its components), the persona's way."""

    def __init__(
        self, schema: dict[str, Any], *, strict_integers: bool = False, coerce: bool = False
    ) -> None:
        kind = _StrictIntegers if strict_integers else Draft202012Validator
        flat = inlined(schema)
        self.validator = kind(flat)
        self.certainly_valid = compile_check(flat, strict_integers=strict_integers)  # None: no fast path
        self.coerce = coerce

    def prepared(self, data: Any) -> Any:
        """The body to validate and store: with string numbers and booleans coerced, where allowed."""
        if not self.coerce:
            return data
        out = copy.deepcopy(data)
        for _ in range(50):  # each pass fixes what the last one revealed; bounded
            fixed = False
            for error in self.errors(out):
                value = _coerced(error)
                if value is not None and error.absolute_path:
                    _put(out, list(error.absolute_path), value)
                    fixed = True
            if not fixed:
                break
        return out

    def errors(self, data: Any) -> Iterator[ValidationError]:
        if self.certainly_valid is not None and self.certainly_valid(data):
            return  # the common case, without jsonschema (which says what is wrong otherwise)
        yield from self.validator.iter_errors(data)


# keywords that move the base URI or name a place: a document with any of them keeps its `$ref`s
_SCOPES = frozenset({"$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"})
_DATA = frozenset({"enum", "const", "default", "example", "examples"})  # values, not schemas


def inlined(root: dict[str, Any]) -> dict[str, Any]:
    """`root` with each local `$ref` replaced by the schema it points at, so a validation does not
    resolve references on every request. The same meaning: a `$ref` with sibling keywords becomes
    an `allOf` of its target in its place (what `$ref` means in 2020-12), a `$ref` on a cycle stays
    (its target is still in `root`), and a document that sets base URIs or anchors is left alone.
    Only what the root validates is walked: its `components` are only where references point."""
    if _has_scope(root):
        return root
    done: dict[str, Any] = {}  # ref -> its target, inlined (shared wherever the ref appears)
    open_refs: set[str] = set()  # refs being inlined: meeting one again is a cycle

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if not isinstance(ref, str) or ref in open_refs or not ref.startswith("#") or "allOf" in node:
            return {k: v if k in _DATA or k == "$ref" else walk(v) for k, v in node.items()}
        if ref not in done:
            target = jsonpointer.get(root, unquote(ref[1:]), _KEEP)
            if target is _KEEP:
                return {k: v if k in _DATA or k == "$ref" else walk(v) for k, v in node.items()}
            open_refs.add(ref)
            done[ref] = walk(target)
            open_refs.discard(ref)
        if len(node) == 1:
            return done[ref]
        return {
            ("allOf" if k == "$ref" else k): ([done[ref]] if k == "$ref" else v if k in _DATA else walk(v))
            for k, v in node.items()
        }

    validated = walk({k: v for k, v in root.items() if k != "components"})
    if not isinstance(validated, dict):  # a boolean schema
        validated = {"allOf": [validated]}
    return {**validated, **({"components": root["components"]} if "components" in root else {})}


_KEEP = object()


def _has_scope(node: Any) -> bool:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if _SCOPES.intersection(item):
                return True
            stack.extend(v for k, v in item.items() if k not in _DATA)
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _coerced(error: ValidationError) -> Any:
    if error.validator != "type" or not isinstance(error.instance, str):
        return None
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    text = error.instance.strip()
    if "integer" in wanted and text.lstrip("-").isdigit():
        return int(text)
    if "number" in wanted:
        try:
            return float(text)
        except ValueError:
            return None
    if "boolean" in wanted and text in ("true", "false"):
        return text == "true"
    return None


def _put(doc: Any, path: list[Any], value: Any) -> None:
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
