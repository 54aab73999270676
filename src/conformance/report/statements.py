"""The documented statements a report counts (`statements:` of each profile, with the rules that
enforce them), and the self-check's kill rates it shows beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conformance.contracts import Contract


def statements_of(contract: Contract) -> list[dict[str, Any]]:
    """Each documented statement: id, text, capability (its rules', or the one the profile gives),
    the rule keys that enforce it, and why it is not applicable where the profile says so."""
    enforcing: dict[str, list[str]] = {}
    for key, rule in contract.rules.items():
        for sid in rule.enforces:
            enforcing.setdefault(sid, []).append(key)
    out = []
    for sid, statement in contract.profile.statements.items():
        keys = enforcing.get(sid, [])
        capability = statement.capability or (keys[0].split(".", 1)[0] if keys else "general")
        out.append(
            {
                "id": sid,
                "text": statement.text,
                "capability": "schema" if capability == "schema_rules" else capability,
                "rules": keys,
                "not_applicable": statement.not_applicable,
            }
        )
    return out


def selfcheck_summary(directory: Path) -> dict[str, Any] | None:
    """The kill rates of the self-check recorded beside a report (reports/selfcheck.json)."""
    from conformance.report.selfcheck import read_selfcheck

    check = read_selfcheck(directory)
    if check is None:
        return None
    killed, total = check.kill_rate()
    return {
        "finished": check.finished,
        "seconds": check.seconds,
        "passed": check.passed,
        "killed": killed,
        "faults": total,
        "clean_green": all(c.green for c in check.clean),
        "survivors": [f.name for f in check.survivors()],
        "kill_rate": {
            api: {
                cap: list(check.kill_rate(api, cap))
                for cap in check.capabilities()
                if check.kill_rate(api, cap)[1]
            }
            for api in check.apis
        },
    }
