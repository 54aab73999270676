"""`python -m conformance.cli` runs the `conformance` command."""

from __future__ import annotations

from conformance.cli import entry

raise SystemExit(entry())
