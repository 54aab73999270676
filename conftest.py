"""Root conftest: pick the Hypothesis profile (registered by the conformance plugin: dev, ci,
live). `--hypothesis-profile NAME` overrides; CI runs use `ci` (deterministic, no shrinking)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.load_profile(
    os.environ.get("CONFORMANCE_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
