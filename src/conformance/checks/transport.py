"""Transport and versioning checks: required headers, methods, unknown paths."""

from __future__ import annotations

from conformance.checks.base import check, failure, status_was, statuses
from conformance.client.recording import Exchange
from conformance.contracts.models import MethodRule, StatusRule

RequiredHeaderNotEnforced = failure("RequiredHeaderNotEnforced", "Required header not enforced")
UnsupportedHeaderValueAccepted = failure(
    "UnsupportedHeaderValueAccepted", "Unsupported header value accepted"
)
WrongMethodNotRejected = failure("WrongMethodNotRejected", "Unsupported method not answered 405")
UnknownPathNotFound = failure("UnknownPathNotFound", "Unknown path not answered 404")


@check("transport")
def transport_required_header_missing_rejected(rule: StatusRule, request: Exchange, header: str) -> None:
    """A request without a required header (e.g. `Accept-Version`) is refused.

    Profile: transport.required_headers[].missing.
    """
    if request.status not in rule.status:
        raise RequiredHeaderNotEnforced(
            f"HTTP {statuses(rule.status)} without {header}", status_was(request), [request]
        )


@check("transport")
def transport_required_header_unsupported_rejected(rule: StatusRule, request: Exchange, header: str) -> None:
    """A request with an unsupported value of a required header is refused.

    Profile: transport.required_headers[].unsupported.
    """
    value = request.request_header(header)
    if request.status not in rule.status:
        raise UnsupportedHeaderValueAccepted(
            f"HTTP {statuses(rule.status)} for {header}: {value}", status_was(request), [request]
        )


@check("transport")
def transport_method_not_allowed(rule: MethodRule, request: Exchange) -> None:
    """A method the path does not support gets 405 (with the documented message).

    Profile: transport.method_not_allowed.
    """
    problems = []
    if request.status not in rule.status:
        problems.append(status_was(request))
    if rule.message:
        wanted = rule.message.format(method=request.method)
        if wanted not in request.response_body:
            problems.append(f"no message {wanted!r} in the body")
    if rule.allow_header and not request.header("allow"):
        problems.append("no Allow header")
    if problems:
        raise WrongMethodNotRejected(
            f"HTTP {statuses(rule.status)}"
            + (f" with message {rule.message.format(method=request.method)!r}" if rule.message else ""),
            "; ".join(problems),
            [request],
        )


@check("transport")
def transport_unknown_path_not_found(rule: StatusRule, request: Exchange) -> None:
    """A path the API does not have gets 404.

    Profile: transport.unknown_path.
    """
    if request.status not in rule.status:
        raise UnknownPathNotFound(f"HTTP {statuses(rule.status)}", status_was(request), [request])
