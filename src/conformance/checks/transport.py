"""Transport and versioning checks: required headers, methods, content type, unknown paths, HTTPS."""

from __future__ import annotations

from conformance.checks.base import (
    NotApplicable,
    check,
    documented_refusal,
    failure,
    refused_as_documented,
    status_was,
    statuses,
)
from conformance.client.recording import Exchange
from conformance.contracts.models import ContentTypeRule, MethodRule, Rule, StatusRule

RequiredHeaderNotEnforced = failure("RequiredHeaderNotEnforced", "Required header not enforced")
UnsupportedHeaderValueAccepted = failure(
    "UnsupportedHeaderValueAccepted", "Unsupported header value accepted"
)
WrongMethodNotRejected = failure("WrongMethodNotRejected", "Unsupported method not answered 405")
UnknownPathNotFound = failure("UnknownPathNotFound", "Unknown path not answered 404")
WrongContentTypeAccepted = failure("WrongContentTypeAccepted", "Body with the wrong content type accepted")
PlainHttpAccepted = failure("PlainHttpAccepted", "Unencrypted HTTP accepted")


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
def transport_method_not_allowed(
    rule: MethodRule, request: Exchange, code_pointer: str | None = None
) -> None:
    """A method the path does not support gets 405 (with the documented message, code, `Allow`).

    Profile: transport.method_not_allowed.
    """
    problems = []
    if not refused_as_documented(rule, request, code_pointer):
        problems.append(status_was(request))
    if rule.message:
        wanted = rule.message.format(method=request.method)
        if wanted not in request.response_body:
            problems.append(f"no message {wanted!r} in the body")
    if rule.allow_header and not request.header("allow"):
        problems.append("no Allow header")
    if problems:
        expected = documented_refusal(rule, code_pointer)
        if rule.message:
            expected += f" with message {rule.message.format(method=request.method)!r}"
        if rule.allow_header:
            expected += " and an Allow header"
        raise WrongMethodNotRejected(expected, "; ".join(problems), [request])


@check("transport")
def transport_unknown_path_not_found(
    rule: StatusRule, request: Exchange, code_pointer: str | None = None
) -> None:
    """A path (operation) the API does not have gets 404.

    Profile: transport.unknown_path.
    """
    if not refused_as_documented(rule, request, code_pointer):
        raise UnknownPathNotFound(documented_refusal(rule, code_pointer), status_was(request), [request])


@check("transport")
def transport_content_type_enforced(
    rule: ContentTypeRule, request: Exchange, code_pointer: str | None = None
) -> None:
    """A body sent with another content type than the documented one is refused.

    Profile: transport.content_type.
    """
    if not refused_as_documented(rule, request, code_pointer):
        raise WrongContentTypeAccepted(
            documented_refusal(rule, code_pointer) + f" for Content-Type "
            f"{request.request_header('content-type')}",
            status_was(request),
            [request],
        )


@check("transport")
def transport_https_only(rule: Rule, plain: Exchange | None, base_url: str) -> None:
    """The same request over plain `http` is refused (checked only when the target is `https`).

    Profile: transport.https_only.
    """
    if not base_url.startswith("https://") or plain is None:
        raise NotApplicable(
            "the target is plain http (a loopback mock); HTTPS-only is checked on https targets"
        )
    if 200 <= plain.status < 300:
        raise PlainHttpAccepted("the request refused over http", status_was(plain), [plain])
