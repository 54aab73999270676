"""The harness's own cache directory (validated OpenAPI documents, bytecode): one place decides it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """$CONFORMANCE_CACHE_DIR, else $XDG_CACHE_HOME/conformance (~/.cache/conformance); None when
    CONFORMANCE_CACHE_DIR is "off" (nothing cached)."""
    env = os.environ if environ is None else environ
    where = env.get("CONFORMANCE_CACHE_DIR") or str(
        Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "conformance"
    )
    return None if where == "off" else Path(where)
