"""Contracts: the OpenAPI document and the conformance profile of each API, validated."""

from __future__ import annotations

from conformance.contracts.errors import ContractError
from conformance.contracts.loader import (
    Contract,
    OperationSpec,
    available_apis,
    default_contracts_dir,
    load_contract,
    load_contract_from,
    load_profile,
)
from conformance.contracts.models import CAPABILITIES, Capability, Profile, Rule, Severity, StatusRule

__all__ = [
    "CAPABILITIES",
    "Capability",
    "Contract",
    "ContractError",
    "OperationSpec",
    "Profile",
    "Rule",
    "Severity",
    "StatusRule",
    "available_apis",
    "default_contracts_dir",
    "load_contract",
    "load_contract_from",
    "load_profile",
]
