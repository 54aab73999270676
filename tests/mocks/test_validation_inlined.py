"""BodyValidator validates against its schema with the `$ref`s inlined (no reference resolved per
request) and answers a body it knows valid without jsonschema (`blocks.schema_check`): the errors
must be exactly those of the schema as written, in the same order."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conformance.contracts import load_contract
from conformance.mocks.blocks.validation import BodyValidator, inlined

APIS = ["agcatalog", "cartoncloud", "cropster", "grafterr", "origintrace"]
# keywords whose value holds subschemas: inlined, their value shows the target instead of the $ref
APPLICATORS = {"oneOf", "anyOf", "allOf", "not", "items", "prefixItems", "properties", "patternProperties",
               "additionalProperties", "contains", "if", "then", "else", "dependentSchemas",
               "propertyNames", "unevaluatedItems", "unevaluatedProperties", "$ref"}  # fmt: skip
ODD = [None, "x", "", 0, -1, 1.5, 2.0, True, [], {}, [{}], "2024-13-45", "a" * 300]


def _bodies(api: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(operation, schema node, example) of every JSON request body with an example."""
    for item in load_contract(api).openapi["paths"].values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for media_type, media in op.get("requestBody", {}).get("content", {}).items():
                if "json" not in media_type or "schema" not in media:
                    continue
                examples = [media["example"]] if "example" in media else []
                examples += [
                    e.get("value") for e in media.get("examples", {}).values() if isinstance(e, dict)
                ]
                for example in examples:
                    yield op["operationId"], media["schema"], example


def _variants(doc: Any) -> Iterator[Any]:
    """`doc`, and `doc` with each member removed or replaced by odd values, one at a time."""
    yield doc
    for path in _paths(doc):
        parent = _at(doc, path[:-1])
        for value in ODD:
            changed = copy.deepcopy(doc)
            _at(changed, path[:-1])[path[-1]] = value
            yield changed
        if isinstance(parent, dict):
            changed = copy.deepcopy(doc)
            del _at(changed, path[:-1])[path[-1]]
            yield changed
    for path in [[], *_paths(doc)]:
        node = _at(doc, path)
        if isinstance(node, dict):
            changed = copy.deepcopy(doc)
            _at(changed, path)["unexpected"] = 1
            yield changed
        if isinstance(node, list) and node:
            changed = copy.deepcopy(doc)
            _at(changed, path).append(copy.deepcopy(node[0]))
            yield changed


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    out = []
    for key, child in children:
        out.append((*prefix, key))
        out += _paths(child, (*prefix, key))
    return out


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _errors(validator: Any, body: Any) -> list[tuple[Any, ...]]:
    errors = validator.errors(body) if isinstance(validator, BodyValidator) else validator.iter_errors(body)
    return [
        (
            list(e.absolute_path),
            e.validator,
            None if e.validator in APPLICATORS else repr(e.validator_value),
            e.message,
            repr(e.instance),
        )
        for e in errors
    ]


@pytest.mark.parametrize("api", APIS)
def test_inlined_schemas_give_the_same_errors_in_the_same_order(api: str) -> None:
    components = load_contract(api).openapi.get("components", {})
    checked = fast = 0
    for operation, schema, example in _bodies(api):
        root = {**schema, "components": components}
        for strict in (False, True):
            ours = BodyValidator(root, strict_integers=strict)
            reference = type(ours.validator)(root)  # the schema as written, $refs and all
            for body in _variants(example):
                expected = _errors(reference, body)
                assert _errors(ours, body) == expected, (operation, body)
                if ours.certainly_valid is not None and ours.certainly_valid(body):
                    assert expected == [], (operation, body)  # sound: "valid" only when it is
                    fast += 1
                checked += 1
    assert checked or api in ("origintrace",), f"{api}: no request example was checked"
    assert fast or api in ("origintrace",), f"{api}: no body was known valid without jsonschema"


def test_known_valid_only_where_jsonschema_finds_nothing() -> None:
    schema = {
        "type": "object",
        "required": ["n"],
        "additionalProperties": False,
        "properties": {
            "n": {"type": "integer", "minimum": 1},
            "s": {"type": ["string", "null"], "minLength": 2, "enum": ["ab", "cd", None]},
            "flags": {"type": "array", "items": {"type": "boolean"}},
        },
    }
    cases = [{"n": 1}, {"n": 2.0}, {"n": True}, {"n": 0}, {"n": 1, "s": None}, {"n": 1, "s": "a"},
             {"n": 1, "s": "ab"}, {"n": 1, "x": 1}, {"n": 1, "flags": [True, 1]}, {"n": float("nan")},
             {"n": 1, "flags": (True,)}, [], "x", None]  # fmt: skip
    for strict in (False, True):
        ours = BodyValidator(schema, strict_integers=strict)
        assert ours.certainly_valid is not None
        for case in cases:
            expected = _errors(type(ours.validator)(schema), case)
            assert _errors(ours, case) == expected, case
            assert not ours.certainly_valid(case) or expected == [], case
    assert BodyValidator(schema).certainly_valid({"n": 2.0})
    assert not BodyValidator(schema, strict_integers=True).certainly_valid({"n": 2.0})
    assert BodyValidator({"type": "string", "pattern": "^a"}).certainly_valid is None  # unknown keyword


def test_a_cycle_keeps_its_ref_and_a_ref_with_siblings_becomes_all_of() -> None:
    components = {
        "schemas": {
            "Tree": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
            },
            "Named": {"$ref": "#/components/schemas/Tree", "required": ["name"]},
        }
    }
    root = inlined({"$ref": "#/components/schemas/Named", "components": components})
    assert root["allOf"][0]["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Tree"}
    assert root["required"] == ["name"] and root["components"] is components
    written = {"$ref": "#/components/schemas/Named", "components": components}
    body = {"children": [{"children": [1]}]}
    assert _errors(BodyValidator(written).validator, body) == _errors(Draft202012Validator(written), body)
    assert len(_errors(Draft202012Validator(written), body)) == 2
