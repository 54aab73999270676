"""Transport and versioning checks: required headers, methods, content type, unknown paths, HTTPS."""

from __future__ import annotations

from conformance.checks._helpers import documented_refusal, refused_as_documented, status_was, statuses
from conformance.checks._registry import check
from conformance.contracts.models import ContentTypeRule, MethodRule, Rule, StatusRule
from conformance.core import CheckFailure, Exchange, NotApplicable


class RequiredHeaderNotEnforced(CheckFailure):
    title = "Required header not enforced"


class UnsupportedHeaderValueAccepted(CheckFailure):
    title = "Unsupported header value accepted"


class WrongMethodNotRejected(CheckFailure):
    title = "Unsupported method not answered 405"


class UnknownPathNotFound(CheckFailure):
    title = "Unknown path not answered 404"


class WrongContentTypeAccepted(CheckFailure):
    title = "Body with the wrong content type accepted"


class PlainHttpAccepted(CheckFailure):
    title = "Unencrypted HTTP accepted"


@check("transport", judges="transport.required_headers[].missing")
def transport_required_header_missing_rejected(rule: StatusRule, request: Exchange, header: str) -> None:
    """A request without a required header (e.g. `Accept-Version`) is refused."""
    if request.status not in rule.status:
        raise RequiredHeaderNotEnforced(
            f"HTTP {statuses(rule.status)} without {header}", status_was(request), [request]
        )


class ExemptOperationNeedsHeader(CheckFailure):
    title = "An operation exempt from a required header refused a request without it"


class SupportedHeaderValueRefused(CheckFailure):
    title = "A documented value of a required header refused"


@check("transport", judges="transport.required_headers[].exempt")
def transport_header_optional_where_exempt(rule: Rule, request: Exchange, header: str) -> None:
    """An operation the documents exempt from a required header answers without it (e.g. the token
    endpoint without `Accept-Version`)."""
    if not request.ok:
        raise ExemptOperationNeedsHeader(f"a 2xx without {header}", status_was(request), [request])


@check("transport", judges="transport.required_headers[].accepted")
def transport_header_value_accepted(rule: Rule, request: Exchange, header: str) -> None:
    """Every documented value of a required header is accepted (e.g. `Accept-Version` 1 to 8)."""
    if not request.ok:
        value = request.request_header(header)
        raise SupportedHeaderValueRefused(f"a 2xx for {header}: {value}", status_was(request), [request])


@check(
    "transport",
    judges=("transport.required_headers[].unsupported", "transport.required_headers[].exempt_unsupported"),
)
def transport_required_header_unsupported_rejected(rule: StatusRule, request: Exchange, header: str) -> None:
    """A request with an unsupported value of a required header is refused."""
    value = request.request_header(header)
    if request.status not in rule.status:
        raise UnsupportedHeaderValueAccepted(
            f"HTTP {statuses(rule.status)} for {header}: {value}", status_was(request), [request]
        )


@check("transport", judges="transport.method_not_allowed")
def transport_method_not_allowed(
    rule: MethodRule, request: Exchange, code_pointer: str | None = None
) -> None:
    """A method the path does not support gets 405 (with the documented message, code, `Allow`)."""
    problems = []
    if not refused_as_documented(rule, request, code_pointer):
        problems.append(status_was(request))
    if rule.message:
        wanted = rule.message.format(method=request.method)
        if wanted not in request.response_body:
            problems.append(f"no message {wanted!r} in the body")
    allow = request.header("allow")
    if rule.allow_header and not allow:
        problems.append("no Allow header")
    elif rule.allow is not None:
        listed = sorted({m.strip().upper() for m in (allow or "").split(",") if m.strip()})
        if listed != sorted(m.upper() for m in rule.allow):
            problems.append(f"Allow: {allow!r}")
    if problems:
        expected = documented_refusal(rule, code_pointer)
        if rule.message:
            expected += f" with message {rule.message.format(method=request.method)!r}"
        if rule.allow is not None:
            expected += f" and Allow: {', '.join(rule.allow)}"
        elif rule.allow_header:
            expected += " and an Allow header"
        raise WrongMethodNotRejected(expected, "; ".join(problems), [request])


@check("transport", judges=("transport.unknown_path", "transport.unknown_version"))
def transport_unknown_path_not_found(
    rule: StatusRule, request: Exchange, code_pointer: str | None = None
) -> None:
    """A path (operation) the API does not have gets 404."""
    if not refused_as_documented(rule, request, code_pointer):
        raise UnknownPathNotFound(documented_refusal(rule, code_pointer), status_was(request), [request])


@check("transport", judges=("transport.content_type", "transport.content_type_missing"))
def transport_content_type_enforced(
    rule: ContentTypeRule, request: Exchange, code_pointer: str | None = None
) -> None:
    """A body sent with another content type than the documented one, or with none, is refused."""
    if not refused_as_documented(rule, request, code_pointer):
        raise WrongContentTypeAccepted(
            documented_refusal(rule, code_pointer) + f" for Content-Type "
            f"{request.request_header('content-type') or '(none)'}",
            status_was(request),
            [request],
        )


@check("transport", judges="transport.https_only")
def transport_https_only(rule: Rule, plain: Exchange | None, base_url: str) -> None:
    """The same request over plain `http` is refused (checked only when the target is `https`)."""
    if not base_url.startswith("https://") or plain is None:
        raise NotApplicable(
            "the target is plain http (a loopback mock); HTTPS-only is checked on https targets"
        )
    if plain.ok:
        raise PlainHttpAccepted("the request refused over http", status_was(plain), [plain])
