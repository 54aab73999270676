"""The public surface is what `__all__` says, and nothing listed there is missing."""

from __future__ import annotations

import importlib

import pytest

import conformance

PUBLIC = {
    "conformance": [
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
    ],
}
PACKAGES = ["conformance.core", "conformance.checks", "conformance.contracts", "conformance.client",
            "conformance.drive", "conformance.targets", "conformance.report", "conformance.plugin",
            "conformance.webhooks", "conformance.stateful"]  # fmt: skip


def test_the_facade_exports_exactly_its_public_names():
    assert sorted(conformance.__all__) == sorted(PUBLIC["conformance"])


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_declares_all_and_has_every_name_it_lists(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []
