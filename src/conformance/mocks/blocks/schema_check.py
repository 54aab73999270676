"""A JSON Schema compiled once into plain Python checks that answer one question fast: is this body
certainly valid? jsonschema re-evolves a validator for every node of every body; most bodies a
mock receives are valid, and for those this answers with no jsonschema at all.

The check is sound, never complete: "valid" only where jsonschema (Draft 2020-12, formats not
asserted) finds no error; anything it is not sure of is "not known valid", and the caller asks
jsonschema, which then says what is wrong (or that nothing is). A schema with a keyword it does not
know (a `$ref` left on a cycle, `oneOf`, `pattern`...) gets no check at all (`compile_check` -> None).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# keywords that never make an instance invalid (annotations, OpenAPI's own, formats unasserted)
_IGNORED = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly",
     "format", "$comment", "discriminator", "xml", "externalDocs", "components"}
)  # fmt: skip
_JSON_SCALARS = (str, int, float, bool, type(None))
_JSON = frozenset({*_JSON_SCALARS, dict, list})  # what json.loads makes: anything else is not known valid


class _Unsupported(Exception):
    pass


def compile_check(schema: Any, *, strict_integers: bool = False) -> Check | None:
    """A function telling whether an instance is certainly valid against `schema`; None when the
    schema uses something this module does not check."""
    try:
        return _compile(schema, strict_integers)
    except _Unsupported:
        return None


def _compile(schema: Any, strict: bool) -> Check:
    if schema is True:
        return lambda instance: True
    if schema is False or not isinstance(schema, dict):
        raise _Unsupported
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in _IGNORED or keyword.startswith("x-"):
            continue
        build = _KEYWORDS.get(keyword)
        if build is None:
            raise _Unsupported(keyword)
        checks.append(build(value, schema, strict))
    if len(checks) == 1:
        return checks[0]
    return lambda instance: all(check(instance) for check in checks)


def _on(kinds: tuple[type, ...], test: Check) -> Check:
    """`test` for instances of `kinds`; other JSON values pass (the keyword does not apply)."""

    def check(instance: Any) -> bool:
        kind = type(instance)
        return test(instance) if kind in kinds else kind in _JSON

    return check


def _type(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(n, str) and n in _TYPES for n in names):
        raise _Unsupported("type")
    tests = [_strict_integer if name == "integer" and strict else _TYPES[name] for name in names]
    return lambda instance: any(test(instance) for test in tests)


def _integer(instance: Any) -> bool:
    kind = type(instance)
    return kind is int or (kind is float and instance.is_integer())


def _strict_integer(instance: Any) -> bool:
    return type(instance) is int


_TYPES: dict[str, Check] = {
    "object": lambda instance: type(instance) is dict,
    "array": lambda instance: type(instance) is list,
    "string": lambda instance: type(instance) is str,
    "integer": _integer,
    "number": lambda instance: type(instance) in (int, float),
    "boolean": lambda instance: type(instance) is bool,
    "null": lambda instance: instance is None,
}


def _enum(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if not isinstance(value, list):
        raise _Unsupported("enum")
    # only scalars of the same type count as equal here (jsonschema's equality tells 1 from True)
    allowed = [(type(v), v) for v in value if type(v) in _JSON_SCALARS]
    return lambda instance: any(type(instance) is kind and instance == v for kind, v in allowed)


def _bound(test: Callable[[Any, Any], bool]) -> Callable[[Any, dict[str, Any], bool], Check]:
    def build(value: Any, schema: dict[str, Any], strict: bool) -> Check:
        if type(value) not in (int, float):
            raise _Unsupported("bound")
        return _on((int, float), lambda instance: test(instance, value))

    return build


def _min_length(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if type(value) is not int:
        raise _Unsupported("minLength")
    return _on((str,), lambda instance: len(instance) >= value)


def _min_properties(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if type(value) is not int:
        raise _Unsupported("minProperties")
    return _on((dict,), lambda instance: len(instance) >= value)


def _required(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Unsupported("required")
    return _on((dict,), lambda instance: all(name in instance for name in value))


def _properties(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if not isinstance(value, dict):
        raise _Unsupported("properties")
    members = {name: _compile(sub, strict) for name, sub in value.items()}
    return _on((dict,), lambda instance: all(members[k](v) for k, v in instance.items() if k in members))


def _additional(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if "patternProperties" in schema:
        raise _Unsupported("additionalProperties")
    named = set(schema.get("properties") or {})
    extra = _compile(value, strict) if value is not False else None

    def test(instance: dict[str, Any]) -> bool:
        others = [v for k, v in instance.items() if k not in named]
        return not others if extra is None else all(extra(v) for v in others)

    return _on((dict,), test)


def _items(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if "prefixItems" in schema:
        raise _Unsupported("items")
    each = _compile(value, strict)
    return _on((list,), lambda instance: all(each(v) for v in instance))


def _all_of(value: Any, schema: dict[str, Any], strict: bool) -> Check:
    if not isinstance(value, list) or not value:
        raise _Unsupported("allOf")
    parts = [_compile(sub, strict) for sub in value]
    return lambda instance: all(part(instance) for part in parts)


_KEYWORDS: dict[str, Callable[[Any, dict[str, Any], bool], Check]] = {
    "type": _type,
    "enum": _enum,
    "minimum": _bound(lambda instance, limit: instance >= limit),
    "maximum": _bound(lambda instance, limit: instance <= limit),
    "exclusiveMinimum": _bound(lambda instance, limit: instance > limit),
    "exclusiveMaximum": _bound(lambda instance, limit: instance < limit),
    "minLength": _min_length,
    "minProperties": _min_properties,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
    "allOf": _all_of,
}
