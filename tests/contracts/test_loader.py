"""The contract loader: the CartonCloud contract loads; every broken profile names file and key."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conformance.contracts import ContractError, available_apis, load_contract, load_contract_from
from tests.conftest import REPO

CONTRACTS = REPO / "contracts"


def test_cartoncloud_contract_loads_with_every_operation():
    contract = load_contract("cartoncloud")
    assert "cartoncloud" in available_apis()
    assert {"getAccessToken", "createOutboundOrder", "updateConsignment", "searchInboundOrders"} <= set(
        contract.operations
    )
    assert contract.profile.locking is not None
    assert contract.profile.locking.rules.stale_version_rejected.status == [409]


def _broken_copy(tmp_path: Path, edit) -> Path:
    target = tmp_path / "cartoncloud"
    shutil.copytree(CONTRACTS / "cartoncloud", target)
    data = yaml.safe_load((target / "profile.yaml").read_text())
    edit(data)
    (target / "profile.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return target


@pytest.mark.parametrize(
    ("edit", "key", "value", "valid"),
    [
        (
            lambda d: d["locking"]["rules"]["stale_version_rejected"].update(severity="MAYBE"),
            "locking.rules.stale_version_rejected.severity",
            "MAYBE",
            "'MUST', 'SHOULD'",
        ),
        (lambda d: d["pagination"].update(stlye="cursor_body"), "pagination.stlye", "cursor_body", None),
        (lambda d: d["auth"].pop("kind"), "auth.kind", None, None),
        (
            lambda d: d["rate_limit"].update(operation="createWidget"),
            "rate_limit.operation",
            "createWidget",
            "createOutboundOrder",
        ),
        (
            lambda d: d["errors"]["codes"][0].update(envelope="NoSuchSchema"),
            "errors.codes[0].envelope",
            "NoSuchSchema",
            "ErrorArray",
        ),
        (
            lambda d: d["locking"].update(resources=["widgets"]),
            "locking.resources",
            "widgets",
            "inbound_orders",
        ),
    ],
    ids=[
        "bad-literal",
        "unknown-key",
        "missing-key",
        "unknown-operation",
        "unknown-schema",
        "unknown-resource",
    ],
)
def test_malformed_profile_names_file_key_value_and_valid_ones(tmp_path, edit, key, value, valid):
    directory = _broken_copy(tmp_path, edit)
    with pytest.raises(ContractError) as info:
        load_contract_from(directory)
    message = str(info.value)
    assert str(directory / "profile.yaml") in message
    assert f"key '{key}'" in message
    if value is not None:
        assert repr(value) in message
    if valid is not None:
        assert valid in message


def test_seed_rule_must_be_must(tmp_path):
    directory = _broken_copy(
        tmp_path, lambda d: d["auth"]["rules"]["invalid_token"].update(severity="SHOULD")
    )
    with pytest.raises(ContractError, match="severity MUST"):
        load_contract_from(directory)


def test_invalid_yaml_names_the_line(tmp_path):
    target = tmp_path / "cartoncloud"
    shutil.copytree(CONTRACTS / "cartoncloud", target)
    (target / "profile.yaml").write_text("api: cartoncloud\nauth: [unclosed\n")
    with pytest.raises(ContractError, match=r"line \d+, column \d+"):
        load_contract_from(target)


def test_invalid_openapi_is_reported(tmp_path):
    target = tmp_path / "cartoncloud"
    shutil.copytree(CONTRACTS / "cartoncloud", target)
    doc = yaml.safe_load((target / "openapi.yaml").read_text())
    doc["paths"]["/uaa/userinfo"]["get"]["responses"] = "not a mapping"
    (target / "openapi.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(ContractError, match="openapi.yaml.*not a valid OpenAPI"):
        load_contract_from(target)


def test_a_document_is_validated_again_once_edited(tmp_path, monkeypatch):
    """The validation cache is by content: a valid document leaves a mark, the same document edited
    into an invalid one is refused (its bytes have no mark)."""
    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(tmp_path / "cache"))
    target = tmp_path / "cartoncloud"
    shutil.copytree(CONTRACTS / "cartoncloud", target)
    load_contract_from(target)
    assert len(list((tmp_path / "cache" / "openapi-valid").iterdir())) == 1
    doc = yaml.safe_load((target / "openapi.yaml").read_text())
    doc["paths"]["/uaa/userinfo"]["get"]["responses"] = "not a mapping"
    (target / "openapi.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(ContractError, match="openapi.yaml.*not a valid OpenAPI"):
        load_contract_from(target)
    assert len(list((tmp_path / "cache" / "openapi-valid").iterdir())) == 1  # no mark for it


def test_broken_profile_is_one_clear_usage_error_without_traceback(tmp_path):
    directory = _broken_copy(tmp_path, lambda d: d["locking"].update(header=42))
    env = {"CONFORMANCE_CONTRACTS_DIR": str(directory.parent), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(REPO / "suites" / "conformance"),
            "-q",
            "-p",
            "no:cacheprovider",
            "--api",
            "cartoncloud",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert "Traceback" not in output
    assert "profile.yaml: invalid contract at key 'locking.header'" in output


def test_a_resource_locked_by_decision_is_judged_as_should():
    from conformance.contracts.items import ITEM_KINDS

    profile = load_contract("cartoncloud").profile
    resources = dict(ITEM_KINDS["locking_resource"].items(profile))
    stale = profile.locking.rules.stale_version_rejected
    documented, decided = resources["inbound_orders"].rule(stale), resources["warehouse_products"].rule(stale)
    assert documented is stale
    assert (decided.severity, decided.x_source, decided.key) == ("SHOULD", "decision", stale.key)
    assert "warehouse_products" in decided.source and decided.status == stale.status


def test_by_decision_names_only_locking_resources(tmp_path):
    target = _broken_copy(tmp_path, lambda d: d["locking"]["by_decision"].update(customers="x"))
    with pytest.raises(ContractError, match="by_decision names resources not under resources"):
        load_contract_from(target)
