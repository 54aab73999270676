"""Targets: where the suites send traffic. A mock in-process (default) or a live base URL.

Suites see a `Target`, never a mock module; this layer is the only door to the mocks.
"""

from __future__ import annotations

from conformance.targets.config import ENV_PREFIX, SECRET_CONFIG_KEYS, TargetConfigError, env_name
from conformance.targets.control import CONTROL_PATH, ControlPlane, ControlPlaneError
from conformance.targets.factories import (
    OffsetClock,
    live_config,
    live_target,
    mock_faults,
    mock_personas,
    mock_target,
    served_mock_exports,
)
from conformance.targets.safety import BudgetExhausted, CleanUp, Ledger, UnsafeRequest, clean_up
from conformance.targets.target import Target, TargetKind

__all__ = [
    "CONTROL_PATH",
    "ENV_PREFIX",
    "SECRET_CONFIG_KEYS",
    "BudgetExhausted",
    "CleanUp",
    "ControlPlane",
    "ControlPlaneError",
    "Ledger",
    "OffsetClock",
    "Target",
    "TargetConfigError",
    "TargetKind",
    "UnsafeRequest",
    "clean_up",
    "env_name",
    "live_config",
    "live_target",
    "mock_faults",
    "mock_personas",
    "mock_target",
    "served_mock_exports",
]
