"""Mock modules stay small: a mock that outgrows one file becomes a package of private modules."""

from __future__ import annotations

from pathlib import Path

import conformance.mocks

MAX_LINES = 400
ROOT = Path(conformance.mocks.__file__).parent


def test_no_mock_module_is_over_400_lines():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text().splitlines()) for p in ROOT.rglob("*.py")}
    too_big = {name: n for name, n in sorted(sizes.items()) if n > MAX_LINES}
    assert not too_big, f"modules over {MAX_LINES} lines (split them into a package): {too_big}"
