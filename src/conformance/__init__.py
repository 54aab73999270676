"""conformance: contract and conformance testing for vendor HTTP APIs.

The public surface is small; everything else lives in the subpackages
(`contracts`, `client`, `targets`, `mocks`, `checks`, `report`).
"""

from __future__ import annotations

from conformance.contracts import Contract, ContractError, available_apis, load_contract

__all__ = ["Contract", "ContractError", "__version__", "available_apis", "load_contract"]

__version__ = "0.1.0"
