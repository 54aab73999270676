"""The one dependency rule of ARCHITECTURE.md, enforced over src/conformance: each layer imports
only the layers below it; checks and mocks never import each other; only the plugin (and the CLI,
which starts pytest) imports pytest; the base layer imports nothing of ours; suites see targets,
never mocks."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from tests.conftest import REPO, SUITES

SRC = REPO / "src" / "conformance"

# layer -> the layers of ours it may import (every layer may import itself)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "contracts": {"core"},
    "checks": {"core", "contracts"},
    "client": {"core", "contracts"},
    "mocks": {"core", "contracts"},
    "report": {"core", "contracts"},
    "verdicts": {"core", "contracts", "checks", "report"},
    "targets": {"core", "contracts", "client", "mocks"},
    "drive": {"core", "contracts", "client", "targets"},
    "stateful": {"core", "contracts", "checks", "client", "targets", "drive"},
    "webhooks": {"core", "contracts", "client", "checks", "report", "verdicts"},
    "audit": {"core", "contracts", "checks", "mocks", "report"},
    "plugin": {
        "core", "contracts", "checks", "client", "report", "verdicts", "targets", "drive", "webhooks",
        "stateful",
    },
    "cli": {
        "core", "contracts", "checks", "client", "mocks", "report", "verdicts", "targets", "drive",
        "webhooks", "stateful", "plugin", "audit",
    },
    "__init__": {"core", "contracts"},
}  # fmt: skip
PYTEST_ALLOWED = {"plugin", "cli"}
THIRD_PARTY_OF_CORE = {"httpx", "jsonpointer", "uvicorn"}  # uvicorn: core.asgi.ServedApp
SUITES_NEVER = {"mocks", "plugin", "verdicts", "report", "cli"}


def _layer(module: Path, root: Path) -> str:
    parts = module.relative_to(root).with_suffix("").parts
    return parts[0]


def _imports(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def violations(root: Path) -> list[str]:
    """Every import in the package at `root` (a copy of src/conformance) that breaks the rule."""
    out = []
    for path in sorted(root.rglob("*.py")):
        layer = _layer(path, root)
        rel = path.relative_to(root)
        package = ".".join(("conformance", *rel.parent.parts))
        for line, module in _imports(path, package):
            top, _, rest = module.partition(".")
            where = f"{rel}:{line} ({layer})"
            if top == "conformance":
                target = rest.partition(".")[0] or "__init__"
                if target != layer and target not in ALLOWED[layer]:
                    out.append(f"{where} imports conformance.{target}")
            elif top in ("pytest", "_pytest") and layer not in PYTEST_ALLOWED:
                out.append(f"{where} imports pytest")
            elif layer == "core" and top not in THIRD_PARTY_OF_CORE and not _stdlib(top):
                out.append(f"{where} imports {top} (core: stdlib, httpx, jsonpointer and uvicorn only)")
    return out


def _stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names or name == "__future__"


def test_src_follows_the_dependency_rule():
    assert violations(SRC) == []


def test_every_layer_is_declared():
    layers = {_layer(p, SRC) for p in SRC.rglob("*.py")}
    assert layers <= set(ALLOWED), f"undeclared layers: {sorted(layers - set(ALLOWED))}"


def test_a_planted_forbidden_import_is_found(tmp_path):
    copy = tmp_path / "conformance"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "checks" / "auth.py").open("a") as handle:
        handle.write("\nfrom conformance.mocks import create_mock  # planted\n")
    with (copy / "mocks" / "blocks" / "clock.py").open("a") as handle:
        handle.write("\nimport conformance.checks.auth  # planted\n")
    with (copy / "core" / "exchange.py").open("a") as handle:
        handle.write("\nimport pytest  # planted\n")
    found = violations(copy)
    assert any("checks/auth.py" in v and "conformance.mocks" in v for v in found), found
    assert any("mocks/blocks/clock.py" in v and "conformance.checks" in v for v in found), found
    assert any("core/exchange.py" in v and "pytest" in v for v in found), found
    assert len(found) == 3


def test_suites_see_targets_never_mocks():
    bad = []
    for path in sorted(SUITES.rglob("*.py")):
        for line, module in _imports(path, "suites"):
            top, _, rest = module.partition(".")
            if top == "conformance" and rest.partition(".")[0] in SUITES_NEVER:
                bad.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    assert bad == []


MAX_MODULE_LINES = 400  # issue 8 (the architecture review): a module past it holds more than one job


def test_no_module_is_over_the_line_limit():
    long = {
        str(path.relative_to(SRC)): n
        for path in SRC.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these modules (more than {MAX_MODULE_LINES} lines): {long}"
