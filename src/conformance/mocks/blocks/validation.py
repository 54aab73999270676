"""JSON Schema validation of request bodies as a persona reads them: integral floats refused where
an integer is expected (`strict_integers`), or numbers and booleans sent as strings coerced first
(`coerce`). The default reads JSON Schema as written (2 and 2.0 are both integers)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend


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
        self.validator = kind(schema)
        self.coerce = coerce

    def prepared(self, data: Any) -> Any:
        """The body to validate and store: with string numbers and booleans coerced, where allowed."""
        if not self.coerce:
            return data
        out = copy.deepcopy(data)
        for _ in range(50):  # each pass fixes what the last one revealed; bounded
            fixed = False
            for error in self.validator.iter_errors(out):
                value = _coerced(error)
                if value is not None and error.absolute_path:
                    _put(out, list(error.absolute_path), value)
                    fixed = True
            if not fixed:
                break
        return out

    def errors(self, data: Any) -> Iterator[ValidationError]:
        yield from self.validator.iter_errors(data)


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
