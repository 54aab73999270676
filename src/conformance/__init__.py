"""conformance: contract and conformance testing for vendor HTTP APIs.

The public surface is small: contracts (load, inspect), the check declaration, and the verdict
helpers suites use. Everything else lives in the subpackages (see ARCHITECTURE.md).
"""

from __future__ import annotations

from conformance.contracts import Contract, ContractError, available_apis, load_contract
from conformance.core import CheckFailure, Exchange, NotApplicable, documented, not_applicable

__all__ = [
    "CheckFailure",
    "Contract",
    "ContractError",
    "Exchange",
    "NotApplicable",
    "__version__",
    "available_apis",
    "documented",
    "load_contract",
    "not_applicable",
]

__version__ = "0.1.0"
