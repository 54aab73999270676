"""The cross-checks of a loaded contract: the profile against its OpenAPI document (operations,
schemas, pointers), its locking decisions, and the statements its rules enforce."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.contracts.errors import ContractError
from conformance.contracts.models import Profile

if TYPE_CHECKING:
    from conformance.contracts.loader import OperationSpec


def cross_check(
    directory: Path, profile: Profile, operations: dict[str, OperationSpec], document: dict[str, Any]
) -> None:
    """Raise a ContractError naming the first thing of `profile` its document or itself contradicts."""
    _cross_check(directory, profile, operations, document)
    _check_locking_decisions(directory / "profile.yaml", profile)
    _check_statements(directory / "profile.yaml", profile)


def _cross_check(
    directory: Path, profile: Profile, operations: dict[str, OperationSpec], document: dict[str, Any]
) -> None:
    profile_path = directory / "profile.yaml"
    if profile.api != directory.name:
        raise ContractError(
            profile_path,
            "api",
            "must equal the contract's directory name",
            value=profile.api,
            valid=[directory.name],
        )
    for key, op in profile.referenced_operations().items():
        if op not in operations:
            raise ContractError(
                profile_path,
                key,
                "names an operationId that openapi.yaml does not define",
                value=op,
                valid=sorted(operations),
            )
    schemas = set((document.get("components") or {}).get("schemas") or {})
    named: dict[str, str] = {}
    if profile.errors:
        named["errors.envelope"] = profile.errors.envelope
        for i, code in enumerate(profile.errors.codes):
            named[f"errors.codes[{i}].envelope"] = code.envelope
        for i, accepted in enumerate(profile.errors.accepted):
            if accepted.schema_name:
                named[f"errors.accepted[{i}].schema"] = accepted.schema_name
    if profile.rate_limit:
        named["rate_limit.envelope"] = profile.rate_limit.envelope
    if profile.webhooks:
        for i, event in enumerate(profile.webhooks.events):
            named[f"webhooks.events[{i}].payload_schema"] = event.payload_schema
    for key, name in named.items():
        if name not in schemas:
            raise ContractError(
                profile_path,
                key,
                "names a schema that components/schemas does not define",
                value=name,
                valid=sorted(schemas),
            )
    if profile.schema_rules:
        rules = profile.rules()
        codes = {c.id for c in profile.errors.codes} if profile.errors else set()
        for i, rejection in enumerate(profile.schema_rules.documented_rejections):
            alias = re.fullmatch(r"errors\.codes\[([^\]]+)\]", rejection.rule)
            if rejection.rule not in rules and not (alias and alias[1] in codes):
                raise ContractError(
                    profile_path,
                    f"schema_rules.documented_rejections[{i}].rule",
                    "names no rule of this profile",
                    value=rejection.rule,
                    valid=sorted(rules),
                )
    resources = set(profile.operations.resources)
    if profile.locking:
        for name in profile.locking.resources:
            roles = profile.operations.resources.get(name)
            missing = [r for r in ("create", "get", "update") if roles is not None and not getattr(roles, r)]
            if missing:
                raise ContractError(
                    profile_path,
                    f"operations.resources.{name}",
                    f"a locking resource needs create, get and update; {', '.join(missing)} missing",
                    value=name,
                )
    for group, names in (
        ("locking.resources", profile.locking.resources if profile.locking else []),
        (
            "webhooks.events.resource",
            [e.resource for e in profile.webhooks.events] if profile.webhooks else [],
        ),
    ):
        for name in names:
            if name not in resources:
                raise ContractError(
                    profile_path,
                    group,
                    "names a resource not under operations.resources",
                    value=name,
                    valid=sorted(resources),
                )


def _check_statements(profile_path: Path, profile: Profile) -> None:
    """Every `enforces` id names a statement of `statements:`."""
    for key, rule in profile.rules().items():
        for sid in rule.enforces:
            if sid not in profile.statements:
                raise ContractError(
                    profile_path,
                    f"{key}.enforces",
                    "names a statement that `statements:` does not list",
                    value=sid,
                    valid=sorted(profile.statements),
                )


def _check_locking_decisions(profile_path: Path, profile: Profile) -> None:
    locking = profile.locking
    for name in locking.by_decision if locking else {}:
        if locking is not None and name not in locking.resources:
            raise ContractError(
                profile_path,
                "locking.by_decision",
                "by_decision names resources not under resources",
                value=name,
                valid=sorted(locking.resources),
            )
