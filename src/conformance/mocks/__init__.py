"""Stateful mock servers of the five APIs, built from `mocks.blocks`.

Mocks never import `conformance.checks`: a mock must not be shaped to pass the checks.
"""

from __future__ import annotations

from conformance.mocks.registry import MOCKS, create_mock, mock_faults

__all__ = ["MOCKS", "create_mock", "mock_faults"]
