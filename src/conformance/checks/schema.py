"""Property checks: what schemathesis found wrong with the answer to one generated request, judged
against the rule the profile's `schema_rules` names for that kind of finding. The findings come in
as text (schemathesis's analysis of the recorded exchange); a finding no documented rule covers
never reaches these checks: the property suite reports it as an advisory observation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.checks._registry import check
from conformance.contracts.models import Rule
from conformance.core import CheckFailure, Exchange


class ServerErrorAnswered(CheckFailure):
    title = "A generated request got a server error"


class ResponseOffContract(CheckFailure):
    title = "Answer does not match the documented response"


class InvalidInputAccepted(CheckFailure):
    title = "Input the documents say is refused was accepted"


class UnauthenticatedCallAccepted(CheckFailure):
    title = "Operation answered a call without credentials"


class OtherMethodNotRefused(CheckFailure):
    title = "A method the path does not document was not refused"


def _raise(failure: type[CheckFailure], expected: str, response: Exchange, findings: Sequence[str]) -> None:
    if findings:
        raise failure(
            expected, " | ".join(f.strip().replace("\n", " ")[:300] for f in findings[:3]), [response]
        )


@check("schema", judges="schema_rules.server_error")
def schema_no_server_error(rule: Rule, response: Exchange, findings: Sequence[str]) -> None:
    """No generated request, valid or not, is answered with a server error (5xx)."""
    _raise(ServerErrorAnswered, "an answer below 500", response, findings)


@check("schema", judges="schema_rules.response_conforms")
def schema_response_conforms(rule: Rule, response: Exchange, findings: Sequence[str]) -> None:
    """The answer's status, content type, headers and body are the documented ones."""
    _raise(ResponseOffContract, "a response the contract documents", response, findings)


def _documented_rejection(rule: Rule, contract: Any) -> bool:
    rules = contract.profile.schema_rules
    return bool(rules) and rule.key in {contract.rule(r.rule).key for r in rules.documented_rejections}


@check(
    "schema",
    judges=("errors.codes[]", "pagination.rules.*", "transport.required_headers[].*", "schema_rules.*"),
    applies=lambda rule, contract: _documented_rejection(rule, contract),
)
def schema_invalid_input_rejected(rule: Rule, response: Exchange, findings: Sequence[str]) -> None:
    """A generated request breaking an input rule the documents state is refused."""
    _raise(InvalidInputAccepted, "a refusal, as the documents say", response, findings)


@check("schema", judges=("schema_rules.auth_required", "auth.rules.missing_credentials"))
def schema_auth_required(rule: Rule, response: Exchange, findings: Sequence[str]) -> None:
    """Every operation that documents authentication refuses the same call without credentials."""
    _raise(UnauthenticatedCallAccepted, "401 without credentials", response, findings)


@check("schema", judges=("schema_rules.unsupported_method", "transport.method_not_allowed"))
def schema_method_not_allowed(rule: Rule, response: Exchange, findings: Sequence[str]) -> None:
    """A method a path does not document is refused (405 with an Allow header, RFC 9110 §15.5.6)."""
    _raise(OtherMethodNotRefused, "405 with the documented methods in Allow", response, findings)
