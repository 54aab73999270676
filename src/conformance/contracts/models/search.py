"""The `search:` section of a profile: a search grammar of typed comparisons joined by all-of /
any-of junctions, nested, sent in the request body; which fields each search operation can
compare, and how; and the rules the search suite checks.

The grammar's vocabulary (type names, method names, members) is data, so the checks judge any API
with such a grammar without naming one: a check reads a recorded condition back through it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from conformance.contracts.models.rules import OperationId, Rule, StatusRule, Strict

Kind = Literal["text", "numeric", "date", "date_time", "boolean"]
# what a method means; `eq` for a comparison without a method (a boolean's equality)
Operator = Literal["eq", "ne", "contains", "not_contains", "starts_with", "gt", "ge", "lt", "le"]
KINDS: tuple[Kind, ...] = ("text", "numeric", "date", "date_time", "boolean")


class Comparison(Strict):
    """One comparison type of the grammar: its `type` name, the kind of value it compares, and its
    methods (method name -> operator). No methods: the comparison has no `method` member and
    compares for equality."""

    type: str
    kind: Kind
    methods: dict[str, Operator] = Field(default_factory=dict)


class Wrapper(Strict):
    """A typed wrapper object, e.g. `{"type": "JsonField", "pointer": "/name"}`: `type` is its type
    name and `member` the member that carries the payload."""

    type: str
    member: str


class Grammar(Strict):
    condition_pointer: str = Field(description="JSON Pointer of the top-level condition in the request body")
    type_member: str = "type"
    all_of: str = Field(description="type name of the junction that needs every condition")
    any_of: str = Field(description="type name of the junction that needs any condition")
    children: str = Field(description="member of a junction holding its conditions")
    field_member: str = "field"
    method_member: str = "method"
    value_member: str = "value"
    pointer_field: Wrapper = Field(description="a field named by a JSON Pointer into the entity")
    key_field: Wrapper | None = Field(default=None, description="a field named by a search key")
    value: Wrapper
    comparisons: list[Comparison]

    def comparison(self, kind: Kind) -> Comparison | None:
        return next((c for c in self.comparisons if c.kind == kind), None)

    @model_validator(mode="after")
    def _one_comparison_per_kind(self) -> Grammar:
        kinds = [c.kind for c in self.comparisons]
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"one comparison per kind, got {kinds}")
        return self


class SearchField(Strict):
    """A field a search operation can compare: the pointer a client names, the deprecated key that
    stands for it (if any), the kinds of comparison it takes, and where its value sits in an item
    (`value_at`, default: the pointer itself)."""

    pointer: str
    key: str | None = None
    kinds: list[Kind] = Field(min_length=1)
    value_at: str | None = None

    @property
    def location(self) -> str:
        return self.value_at or self.pointer


class SearchOperation(Strict):
    operation: OperationId
    resource: str | None = Field(
        default=None, description="seed resource (control plane); default: the resource listing with it"
    )
    items: str = Field(default="", description="JSON Pointer of the item array ('' = the body)")
    id_field: str = "id"
    fields: list[SearchField] = Field(min_length=1)


class Preference(Strict):
    """A request header that asks for a minimal representation, and the header that confirms it."""

    header: str
    value: str
    applied_header: str


class SearchRules(Strict):
    results_match: Rule
    minimal_representation: Rule | None = None
    bare_comparison_rejected: StatusRule | None = None
    invalid_condition_rejected: StatusRule | None = None


class Search(Strict):
    grammar: Grammar
    operations: list[SearchOperation] = Field(min_length=1)
    minimal: Preference | None = None
    bare_comparison_message: str | None = Field(
        default=None, description="words an error about a bare top-level comparison contains"
    )
    rules: SearchRules

    @model_validator(mode="after")
    def _fields_use_known_kinds(self) -> Search:
        known = {c.kind for c in self.grammar.comparisons}
        for op in self.operations:
            for field in op.fields:
                where = f"{op.operation} {field.pointer}"
                unknown = [k for k in field.kinds if k not in known]
                if unknown:
                    raise ValueError(f"{where}: the grammar has no {unknown} comparison")
                if field.key is not None and self.grammar.key_field is None:
                    raise ValueError(f"{where}: a key, but the grammar has no key_field")
        return self
