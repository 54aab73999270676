"""Fault switches: typed declarations, strict lookups, and every `.fault("…")` in a mock's source
naming a fault the mock declares (and every declared fault switching something)."""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

import httpx
import pytest

from conformance.client import SyncASGITransport
from conformance.mocks import (
    Fault,
    MockApp,
    UnknownFault,
    available_mocks,
    create_mock,
    fault_table,
    mock_class,
)

APIS = available_mocks()
MOCKS_PACKAGE = "conformance.mocks."


def _own_sources(cls: type[MockApp]) -> list[Path]:
    """The mock's module, or every module of the package it is defined in (`mocks/cartoncloud/`)."""
    name = cls.__module__
    if name.startswith(MOCKS_PACKAGE):
        name = MOCKS_PACKAGE + name[len(MOCKS_PACKAGE) :].split(".")[0]
    file = sys.modules[name].__file__
    assert file is not None, f"{name} has no source file"
    path = Path(file)
    return sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]


def _base_sources(cls: type[MockApp]) -> list[Path]:
    """The files of the MockApp bases the mock inherits fault switches from (`blocks/app.py`)."""
    own = set(_own_sources(cls))
    return sorted(
        {Path(inspect.getfile(base)) for base in cls.__mro__[1:] if issubclass(base, MockApp)} - own
    )


def _fault_calls(paths: list[Path]) -> list[tuple[Path, int, ast.expr | None]]:
    """Every `<x>.fault(<arg>)` call: where it is and its one argument."""
    calls = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "fault"
            ):
                arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
                calls.append((path, node.lineno, arg))
    return calls


def _membership_tests(paths: list[Path]) -> set[str]:
    """Fault names read as `"name" in self.faults` (how the base class switches its blocks)."""
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str)
                and len(node.ops) == 1
                and isinstance(node.ops[0], ast.In | ast.NotIn)
                and isinstance(node.comparators[0], ast.Attribute)
                and node.comparators[0].attr == "faults"
            ):
                names.add(node.left.value)
    return names


def _literal(arg: ast.expr | None) -> str | None:
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


@pytest.mark.parametrize("api", APIS)
def test_every_fault_switch_in_the_source_is_declared(api):
    cls = mock_class(api)
    calls = _fault_calls(_own_sources(cls))
    assert calls, f"{api}: no .fault(...) call found; the source walk is looking in the wrong place"
    not_literal = [f"{p.name}:{line}" for p, line, arg in calls if _literal(arg) is None]
    assert not not_literal, f"{api}: .fault() takes one string literal, so it can be checked: {not_literal}"
    undeclared = [
        f"{p.name}:{line} {_literal(arg)!r}" for p, line, arg in calls if _literal(arg) not in cls.FAULTS
    ]
    assert not undeclared, (
        f"{api}: .fault() names faults {cls.__name__}.FAULTS does not declare: {undeclared}"
    )
    direct = _membership_tests(_own_sources(cls))
    assert not direct, (
        f"{api}: read faults with self.fault(name), not `name in self.faults`: {sorted(direct)}"
    )


@pytest.mark.parametrize("api", APIS)
def test_every_declared_fault_switches_something(api):
    cls = mock_class(api)
    used = {_literal(arg) for _, _, arg in _fault_calls(_own_sources(cls))}
    used |= _membership_tests(_base_sources(cls))
    unused = sorted(set(cls.FAULTS) - used)
    assert not unused, f"{api}: declared faults that no code switches on: {unused}"


def test_fault_accepts_one_check_name_or_a_set_and_stores_a_frozenset():
    assert Fault("x", breaks="a").breaks == frozenset({"a"})
    assert Fault("x", breaks={"a", "b"}, select="test_a").breaks == frozenset({"a", "b"})
    assert Fault("x", breaks=["a"]) == Fault("x", breaks=frozenset({"a"}))
    with pytest.raises(AttributeError):
        Fault("x", breaks="a").breaks = frozenset()  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"description": "x", "breaks": set()}, "names at least one check"),
        ({"description": "x", "breaks": {""}}, "names at least one check"),
        ({"description": "", "breaks": "a"}, "one non-empty line"),
        ({"description": "two\nlines", "breaks": "a"}, "one non-empty line"),
        ({"description": "x", "breaks": "a", "select": " "}, "pytest -k expression"),
    ],
    ids=["no-checks", "empty-name", "no-description", "two-lines", "blank-select"],
)
def test_a_fault_that_breaks_nothing_or_says_nothing_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Fault(**kwargs)


def test_fault_table_is_read_only_and_holds_only_faults():
    table = fault_table(a=Fault("x", breaks="c"))
    with pytest.raises(TypeError):
        table["b"] = Fault("y", breaks="c")  # type: ignore[index]
    with pytest.raises(TypeError, match="fault 'b': expected a Fault, got str"):
        fault_table(b="just a description")  # type: ignore[arg-type]


def test_an_undeclared_fault_name_is_an_error_not_false():
    app = create_mock("cartoncloud")
    assert app.fault("ignore_if_match") is False
    with pytest.raises(
        UnknownFault, match="cartoncloud mock: unknown fault 'ignore_if_mach'.*ignore_if_match"
    ):
        app.fault("ignore_if_mach")
    with pytest.raises(UnknownFault, match="unknown fault 'nope'"):
        create_mock("cartoncloud", faults=["nope"])


def test_control_plane_lists_each_fault_with_its_description():
    app = create_mock("grafterr", faults=["no_rate_limit"])
    info = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock").get("/__mock__").json()
    assert info["faults"] == ["no_rate_limit"]
    assert info["available_faults"] == {name: f.description for name, f in app.FAULTS.items()}
    assert info["available_faults"]["no_rate_limit"] == "no rate limit"
