"""Stateful mock servers of the contracts' APIs, built from `mocks.blocks`.

Each mock registers itself by defining a `MockApp` subclass with `api` set; its `FAULTS` say
what each fault does and which checks must fail against it. Mocks never import
`conformance.checks`: a mock must not be shaped to pass the checks.
"""

from __future__ import annotations

from conformance.mocks.blocks.app import DuplicateMock, MockApp
from conformance.mocks.blocks.faults import Fault, UnknownFault, fault_table
from conformance.mocks.blocks.personas import STANDARD, TIGHT, Persona, UnknownPersona, persona_table
from conformance.mocks.registry import (
    NoMock,
    available_mocks,
    create_mock,
    mock_class,
    mock_faults,
    mock_personas,
)

__all__ = [
    "STANDARD",
    "TIGHT",
    "DuplicateMock",
    "Fault",
    "MockApp",
    "NoMock",
    "Persona",
    "UnknownFault",
    "UnknownPersona",
    "available_mocks",
    "create_mock",
    "fault_table",
    "mock_class",
    "mock_faults",
    "mock_personas",
    "persona_table",
]
