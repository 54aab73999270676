"""Property-based conformance: schemathesis generates requests from each contract's OpenAPI
document (valid and invalid); each is sent through the harness's own client (recorded, redacted,
polite, guarded in live mode) and the answer is judged:

- server errors and answers off the documented response (status, content type, headers, body) fail
  with the profile's `schema_rules` (MUST);
- accepted invalid input fails only where the documents state the rejection (`schema_rules.
  documented_rejections`: that rule's severity and source); other accepted invalid input, refused
  valid input and undocumented statuses are advisory observations that never fail ("Latitude");
- a method the path does not document is judged by the profile's 405 rule (or RFC 9110, SHOULD);
- every operation that declares authentication must refuse the call without it.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from typing import Any

import jsonschema
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from conformance import checks, documented, not_applicable
from conformance.client import ApiKeyBearer, BearerPlusApiKey, render_templates
from conformance.core import CheckFailure, Exchange, NotApplicable, jsonpointer
from conformance.drive import omit
from conformance.targets import UnsafeRequest

pytestmark = pytest.mark.capability("schema")

RESPONSE_CHECKS = [response_schema_conformance, content_type_conformance, response_headers_conformance]
METHOD_CHECKS = [unsupported_method, allow_header_conformance]
ADVISORY_CHECKS = [status_code_conformance, positive_data_acceptance]
INPUT_CHECKS = [negative_data_rejection, missing_required_header]
# what every answer of a sequence is judged by, and a generated case's answer besides
SEQUENCE_GROUPS = [[not_a_server_error], RESPONSE_CHECKS]
CASE_GROUPS = [*SEQUENCE_GROUPS, METHOD_CHECKS, ADVISORY_CHECKS, INPUT_CHECKS]
# a schema -> its contract, for the custom checks below (schemathesis hands a check only the case)
_CONTRACTS: dict[int, Any] = {}
LOCATIONS = {
    ParameterLocation.BODY: "body",
    ParameterLocation.QUERY: "query",
    ParameterLocation.PATH: "path",
    ParameterLocation.HEADER: "header",
}


def _credentials(client) -> dict[str, str]:
    if isinstance(client.auth, ApiKeyBearer):
        return {"Authorization": f"Bearer {client.auth.api_key}"}
    token, _ = client.fetch_token()
    headers = {"Authorization": f"Bearer {token}"}
    if isinstance(client.auth, BearerPlusApiKey):
        headers["x-api-key"] = client.auth.api_key
    return headers


def _session_cookie(contract, target, case) -> dict[str, str]:
    """The admin session, as the cookie the operation's security scheme names (so schemathesis's
    auth checks know where the credential is)."""
    raw = target.admin_cookie()
    schemes = contract.openapi.get("components", {}).get("securitySchemes", {})
    for requirement in case.operation.definition.raw.get("security", []):
        for name in requirement:
            scheme = schemes.get(name, {})
            if raw and scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
                return {scheme["name"]: raw.split("=", 1)[-1]}
    return {}


@pytest.fixture
def credentials(client) -> dict[str, str]:
    """The identity's credentials as headers, fetched once for all of an operation's examples."""
    return _credentials(client)


@pytest.fixture
def auth_probed() -> set[str]:
    """The operations already probed without credentials in this run of examples."""
    return set()


@pytest.fixture
def api_schema(contract, target, client, credentials, property_phases):
    schema = schemathesis.openapi.from_path(str(contract.directory / "openapi.yaml"))
    if target.asgi_app is not None:
        schema.app = target.asgi_app  # schemathesis's own probes (ignored auth) stay in-process
    # schemathesis's own probes (ignored auth) carry what every call needs, as our client would
    headers = {**contract.required_headers(), **credentials}
    schema.config.update(base_url=target.base_url, headers=headers, parameters=client.path_values)
    # schemathesis would read literals out of the in-process app's modules to generate with: that is
    # our mock's source, which must not steer what the vendor is sent (nor can it, live); and its
    # constant draws make generated values unhashable in a second run in one process (4.32.5)
    schema.config.analysis.constants.enabled = False
    for phase in ("examples", "coverage", "fuzzing"):  # --property-phases (live default: no coverage)
        getattr(schema.config.phases, phase).enabled = phase in property_phases
    _CONTRACTS[id(schema.raw_schema)] = contract  # kept by the schema's filtered copies
    schema.hooks.register_hook_with_name(_collect_results, "after_validate")
    return schema


# a case -> its checks' results, as schemathesis's after_validate hook hands them (one entry per
# check that ran: its name, and its failure if it failed); read once by the case's _Judge
_RESULTS: dict[int, list[Any]] = {}


def _collect_results(context, case, response, results) -> None:
    _RESULTS[id(case)] = list(results)


# -- our single-response rules, as schemathesis checks ---------------------------------------------
#
# Three rules of the profiles hold for every answer, whatever request produced it; registered with
# schemathesis, they judge every generated case (per operation and in the stateful phase), and a
# finding becomes the verdict of the pure check in conformance.checks for that rule:
# - an error status the profile documents gets its envelope and, where the profile documents one
#   code for that status, that code (errors.codes[]: each entry's seed section);
# - a 2xx of an operation under a rate limit that promises headers carries them
#   (rate_limit.rules.headers_present);
# - a 2xx of a locking resource's create, get or update carries the entity's integer version
#   (locking.rules.version_present: CONTRACT-DECISIONS, "every entity has integer version").


_RULES: dict[tuple[int, str, int], list[tuple[Any, Any, dict]]] = {}


def single_response_rules(contract, operation_id: str, status: int) -> list[tuple[Any, Any, dict]]:
    """(check, rule, evidence besides `response`) of each single-response rule for this answer."""
    key = (id(contract), operation_id, status)
    if key not in _RULES:  # asked for every generated answer
        _RULES[key] = _single_response_rules(contract, operation_id, status)
    return _RULES[key]


def _single_response_rules(contract, operation_id: str, status: int) -> list[tuple[Any, Any, dict]]:
    profile, out = contract.profile, []
    if status >= 400 and operation_id == profile.operations.token:
        return out  # OAuth's own error body (RFC 6749 §5.2): the auth suite's token error checks
    if status >= 400:
        codes = [c for c in profile.errors.codes if status in c.status]
        envelopes = {c.envelope for c in codes}
        if len(envelopes) == 1:
            name = envelopes.pop()
            schema = contract.resolved_schema(name)
            out.append(
                (checks.errors.errors_envelope_conforms, codes[0], {"schema": schema, "schema_name": name})
            )
        errors = {c.error for c in codes}
        if len(errors) == 1 and None not in errors and profile.errors.code_pointer:
            pointer = {"code_pointer": profile.errors.code_pointer}
            out.append((checks.errors.errors_code_matches, codes[0], pointer))
        return out
    if not 200 <= status < 300:
        return out
    rate = profile.rate_limit
    rule = rate and rate.headers and rate.rules.headers_present
    if (
        rule
        and (rate.applies_to == "all" or rate.operation == operation_id)
        and _key_limited(contract, operation_id)
    ):
        out.append((checks.rate_limit.rate_limit_headers_present, rule, {"headers": rate.headers}))
    locking = profile.locking
    if locking is not None and locking.rules.version_present is not None:
        resources = [profile.operations.resources[name] for name in locking.resources]
        if any(operation_id in (r.create, r.get, r.update) for r in resources):
            out.append(
                (
                    checks.locking.locking_version_present,
                    locking.rules.version_present,
                    {"version_field": locking.version_field},
                )
            )
    return out


def _key_limited(contract, operation_id: str) -> bool:
    """Not an operation of a separate credential (an admin session, OAuth's token endpoint): the
    rate limit counts the API's own credentials."""
    schemes = contract.openapi.get("components", {}).get("securitySchemes", {})
    security = contract.operation(operation_id).raw.get("security", contract.openapi.get("security", []))
    named = [schemes.get(name, {}) for requirement in security for name in requirement]
    return bool(named) and not any(s.get("type") == "apiKey" and s.get("in") == "cookie" for s in named)


def answer_arguments(check, exchange: Exchange) -> dict[str, Any]:
    """The answer as the check takes it (the rate-limit checks judge a list of attempts)."""
    if check is checks.rate_limit.rate_limit_headers_present:
        return {"attempts": [exchange]}
    return {"response": exchange}


def _judged(check, rule, exchange: Exchange, evidence: dict) -> str | None:
    """What the pure check finds wrong with the answer (None: nothing)."""
    try:
        check(rule, **answer_arguments(check, exchange), **evidence)
    except NotApplicable:
        return None
    except CheckFailure as failure:
        return f"{failure.title}: expected {failure.expected}, got {failure.actual}"
    return None


def _as_exchange(response, case) -> Exchange:
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    body = response.content.decode(response.encoding or "utf-8", "replace") if response.content else ""
    url = str(getattr(response.request, "url", "") or case.formatted_path)
    return Exchange(0, case.method, url, [], "", response.status_code, headers, body, response.elapsed * 1000)


def _registered(rule_kind: str):
    def run(ctx, response, case) -> bool | None:
        contract = _CONTRACTS.get(id(case.operation.schema.raw_schema))
        if contract is None:
            return None  # a schema of someone else's: not ours to judge
        operation_id = case.operation.definition.raw.get("operationId", "")
        exchange = _as_exchange(response, case)
        for check, rule, evidence in single_response_rules(contract, operation_id, response.status_code):
            if rule_kind in check.__name__:
                found = _judged(check, rule, exchange, evidence)
                if found:
                    raise AssertionError(f"{rule.key}: {found}")
        return True

    return run


@schemathesis.check
def documented_error_for_status(ctx, response, case) -> bool | None:
    """An error status the profile documents answers with its envelope and, where the profile
    documents one code for it, that code (errors.codes[])."""
    return _registered("errors_")(ctx, response, case)


@schemathesis.check
def rate_headers_on_success(ctx, response, case) -> bool | None:
    """Every 2xx of a rate-limited operation carries the documented rate-limit headers
    (rate_limit.rules.headers_present)."""
    return _registered("rate_limit_")(ctx, response, case)


@schemathesis.check
def version_on_every_entity(ctx, response, case) -> bool | None:
    """Every entity of a locking resource is answered with its integer version
    (locking.rules.version_present)."""
    return _registered("locking_")(ctx, response, case)


SINGLE_RESPONSE_CHECKS = {
    "errors_": documented_error_for_status,
    "rate_limit_": rate_headers_on_success,
    "locking_": version_on_every_entity,
}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_operation_conforms(case, contract, target, client, credentials, auth_probed, verify):
    rules = documented(contract.profile.schema_rules, f"{contract.api} schema_rules")
    operation_id = case.operation.definition.raw.get("operationId", "")
    token_op = contract.profile.operations.token
    if token_op and contract.operation(token_op).server and operation_id == token_op:
        not_applicable("the token endpoint lives on its own host (covered by the auth suite)")
    if target.control is None and not contract.is_read(operation_id):
        not_applicable("a vendor's sandbox: generated writes could change entities this run did not create")
    rate = contract.profile.rate_limit
    if rate is not None and rate.applies_to == "all" and rate.window_seconds <= 10 and target.control:
        target.control.advance(
            rate.window_seconds
        )  # a fresh window: generated cases are judged, not throttled
    session = _session_cookie(contract, target, case)
    if session:
        case.cookies = {**(case.cookies or {}), **session}
    _drop_forged_cursor(contract, case)
    if isinstance(case.body, dict | list):
        case.body = render_templates(case.body, {})  # "{unique}" in examples: fresh names per case
    _unique_values(contract, case)
    try:
        exchange, response = _send(case, contract, target, client, credentials)
    except UnsafeRequest as refused:
        client.recorder.event("not sent", f"{case.method} {case.formatted_path}: {refused}")
        return
    judge = _Judge(case, contract, exchange, response, verify, CASE_GROUPS)
    every_verdict(
        lambda: judge.must(checks.schema.schema_no_server_error, rules.server_error, [not_a_server_error]),
        lambda: judge.must(checks.schema.schema_response_conforms, rules.response_conforms, RESPONSE_CHECKS),
        lambda: judge.single_response(),
    )
    auth_rule = rules.auth_required or contract.profile.auth.rules.missing_credentials
    if auth_rule is not None and not session and _positive(case) and operation_id not in auth_probed:
        auth_probed.add(operation_id)  # once per operation: the same call without credentials
        probe = _send_without_credentials(case, contract, target, client, credentials)
        refused = getattr(auth_rule, "status", None) or [401, 403]
        if probe is not None and probe.status not in refused:
            seen = f"HTTP {probe.status} for {case.method} {case.formatted_path} without Authorization"
            verify(checks.schema.schema_auth_required, auth_rule, response=probe, findings=[seen])
    method_rule = (contract.profile.transport and contract.profile.transport.method_not_allowed) or (
        rules.unsupported_method
    )
    if method_rule is not None:
        judge.must(checks.schema.schema_method_not_allowed, method_rule, METHOD_CHECKS)
    else:
        judge.advise(METHOD_CHECKS, "RFC 9110 §15.5.6 (405 Method Not Allowed); the documents are silent")
    judge.advise(ADVISORY_CHECKS, "the documents are silent here (CONTRACT-DECISIONS, Latitude)")
    judge.inputs(rules.documented_rejections)


def every_verdict(*judgings) -> None:
    """Run every judging on the answer, then fail with the first failure: one finding must not hide
    another rule's (an envelope off the schema, and its code off the documented one)."""
    failed = None
    for judging in judgings:
        try:
            judging()
        except pytest.fail.Exception as failure:
            failed = failed or failure
    if failed is not None:
        raise failed


def _send(case, contract, target, client, credentials, leave_out: str | None = None):
    """Send the generated request through our client: recorded, redacted, polite, guarded."""
    declared = {
        p.get("name", "").lower()
        for p in case.operation.definition.raw.get("parameters", [])
        if p.get("in") == "header"
    }
    defaults = {
        k: v for k, v in contract.required_headers(case.operation.definition.raw.get("operationId")).items()
    }
    defaults = {k: v for k, v in defaults.items() if k.lower() not in declared}  # generated ones stay as made
    kwargs = case.as_transport_kwargs(base_url=target.base_url)
    # what the case was generated with wins: deliberately invalid credentials, or a header left out
    omitted = leave_out or _generated_header(case)
    ours = {k: v for k, v in {**defaults, **credentials}.items() if k.lower() != omitted}
    headers = {**ours, **{k: str(v) for k, v in kwargs.get("headers", {}).items()}}
    cookies = kwargs.get("cookies") or {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    for name in case.operation.path_parameters or []:
        value = (case.path_parameters or {}).get(name.name)
        if value is not None and str(value) not in client.path_values.values():
            client.made_up(str(value))  # generated ids name nobody's entity
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif "data" in kwargs:
        data = kwargs["data"]
        body["content"] = data if isinstance(data, str | bytes) else json.dumps(data)
    if leave_out:
        headers = {k: v for k, v in headers.items() if k.lower() != leave_out}
    if omitted and omitted not in {k.lower() for k in headers}:
        body["extensions"] = omit(omitted)  # not even the gateway key the client adds by itself
    exchange = client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params") or None,
        headers=headers,
        auth=False,
        **body,
    )
    return exchange, client.raw_response(exchange)


def _send_without_credentials(case, contract, target, client, credentials):
    """The same valid request without Authorization (a gateway key stays: it is not a user's)."""
    if not _secured(contract, case):
        return None
    without = {k: v for k, v in credentials.items() if k.lower() != "authorization"}
    try:
        exchange, _ = _send(case, contract, target, client, without, leave_out="authorization")
    except UnsafeRequest:
        return None
    return exchange


def _secured(contract, case) -> bool:
    security = case.operation.definition.raw.get("security", contract.openapi.get("security", []))
    return bool(security) and all(requirement for requirement in security)


def _generated_header(case) -> str | None:
    """The header a coverage case is about (left out or made invalid on purpose), lower-cased."""
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    if getattr(data, "parameter_location", None) == ParameterLocation.HEADER and data.parameter:
        return str(data.parameter).lower()
    return None


def _positive(case) -> bool:
    """Generated to be valid everywhere (an invalid request may be refused for another reason)."""
    return (
        case.meta is not None
        and not any(case.meta.is_negative_at(location) for location in LOCATIONS)
        and case.meta.generation.mode != "negative"
        and _generated_header(case) is None
    )


class _Judge:
    """Runs schemathesis checks on one answer and hands what they find to the right rule.

    One pass: every check the judging will ask about runs in one `validate_response` (each call
    converts the answer, builds a check context and formats a report of its failures); what each
    check found is read from the `after_validate` hook's per-check results (`_collect_results`)."""

    def __init__(self, case, contract, exchange, response, verify, groups) -> None:
        self.case, self.contract, self.exchange, self.verify = case, contract, exchange, verify
        self.response = Response.from_any(response)
        operation_id = case.operation.definition.raw.get("operationId", "")
        self.applicable = single_response_rules(contract, operation_id, self.exchange.status)
        self.registered = [
            f for prefix, f in SINGLE_RESPONSE_CHECKS.items()
            if any(check.__name__.startswith(prefix) for check, _, _ in self.applicable)
        ]  # fmt: skip
        self.planned = list(dict.fromkeys([f for group in groups for f in group] + self.registered))
        self._found: dict[str, list[Failure]] | None = None

    def _judge_all(self) -> dict[str, list[Failure]]:
        if self._found is None:
            _RESULTS.pop(id(self.case), None)
            with contextlib.suppress(FailureGroup, Failure):
                self.case.validate_response(self.response, checks=self.planned)
            results = _RESULTS.pop(id(self.case), None)
            if results is None:  # the hook did not run: nothing judged must not read as "conforms"
                raise RuntimeError("schemathesis ran no after_validate hook: the checks' results are unknown")
            self._found = {}
            for result in results:
                if result.failure is not None:
                    self._found.setdefault(result.name, []).append(result.failure)
        return self._found

    def findings(self, functions) -> list[Failure]:
        unplanned = [f.__name__ for f in functions if f not in self.planned]
        if unplanned:
            raise RuntimeError(f"checks not in this judge's pass: {unplanned}")
        found = self._judge_all()
        return list(dict.fromkeys(f for function in functions for f in found.get(function.__name__, [])))

    def must(self, check, rule, functions) -> None:
        found = self.findings(functions)
        if found:
            self.verify(check, rule, response=self.exchange, findings=[str(f) for f in found])

    def single_response(self) -> None:
        """Our single-response rules, through their registered schemathesis checks (in the one pass
        over the answer); on a finding each rule is judged by its pure check (verdict, severity,
        evidence)."""
        if not self.registered or not self.findings(self.registered):
            return
        every_verdict(
            *(
                lambda check=check, rule=rule, evidence=evidence: self.verify(
                    check, rule, **answer_arguments(check, self.exchange), **evidence
                )
                for check, rule, evidence in self.applicable
            )
        )

    def advise(self, functions, source: str) -> None:
        for finding in self.findings(functions):
            detail = f"{finding.message.split(chr(10), 1)[0]} (HTTP {self.exchange.status})"
            self.verify.observe(finding.title, detail, source, [self.exchange])

    def inputs(self, rejections) -> None:
        found = self.findings(INPUT_CHECKS)
        if not found:
            return
        broken = _broken_input_rules(self.case)
        operation_id = self.case.operation.definition.raw.get("operationId", "")
        for rejection in rejections:
            if rejection.operations and operation_id not in rejection.operations:
                continue
            if any(_covers(rejection, where, keyword, name) for where, keyword, name in broken):
                rule = self.contract.rule(rejection.rule)
                self.verify(
                    checks.schema.schema_invalid_input_rejected,
                    rule,
                    response=self.exchange,
                    findings=[str(f) for f in found] + [f"broken: {_describe(broken)}"],
                )
                return
        for finding in found:
            broke = _describe(broken) or "the schema"
            detail = f"{finding.message.split(chr(10), 1)[0]} (the request broke {broke})"
            self.verify.observe(
                finding.title, detail, "the documents do not say this input is refused", [self.exchange]
            )


def _covers(rejection, where: str, keyword: str, name: str) -> bool:
    if rejection.location != where or (rejection.keyword and rejection.keyword != keyword):
        return False
    return (
        rejection.name is None or name == rejection.name or name.startswith(rejection.name.rstrip("/") + "/")
    )


def _describe(broken) -> str:
    return ", ".join(f"{where} {name or '/'} ({keyword})" for where, keyword, name in broken[:4])


def _broken_input_rules(case) -> list[tuple[str, str, str]]:
    """(location, JSON Schema keyword, parameter name or body pointer) the generated request breaks."""
    out: list[tuple[str, str, str]] = []
    definition = case.operation.definition.raw
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.BODY):
        content = (definition.get("requestBody") or {}).get("content") or {}
        body_schema = next(iter(content.values()), {}).get("schema")
        if body_schema is not None:
            resolver = {**case.operation.schema.raw_schema, **body_schema}
            validator = jsonschema.Draft202012Validator(resolver)
            for error in validator.iter_errors(case.body):
                pointer = jsonpointer.join(error.absolute_path)
                if error.validator == "required":
                    missing = [k for k in error.validator_value if k not in (error.instance or {})]
                    out += [("body", "required", f"{pointer}/{jsonpointer.escape(k)}") for k in missing]
                elif error.validator == "type" and error.instance is None:
                    out.append(("body", "null", pointer))  # null for a field: open (Latitude)
                else:
                    out.append(("body", str(error.validator), pointer))
    for location, values in (("query", case.query), ("path", case.path_parameters), ("header", case.headers)):
        parameters = [p for p in definition.get("parameters", []) if p.get("in") == location]
        for parameter in parameters:
            name = parameter.get("name", "")
            present = (
                {k.lower(): v for k, v in (values or {}).items()} if location == "header" else (values or {})
            )
            value = present.get(name.lower() if location == "header" else name)
            if value is None:
                if parameter.get("required"):
                    out.append((location, "required", name))
                continue
            for keyword in _parameter_errors(
                parameter.get("schema") or {}, value, case.operation.schema.raw_schema
            ):
                out.append((location, keyword, name))
    return out


def _parameter_errors(schema: dict, value: Any, document: dict) -> list[str]:
    """The keywords a parameter value breaks (a query string is also read as JSON: "5" is 5)."""
    validator = jsonschema.Draft202012Validator({**document, **schema})
    candidates = [value]
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            candidates.append(json.loads(value))
    errors = [[str(e.validator) for e in validator.iter_errors(c)] for c in candidates]
    return min(errors, key=len) if errors else []


def _drop_forged_cursor(contract, case) -> None:
    """A schema-valid but unissued cursor is correctly refused (400): generated cursors are dropped
    from positive cases; forged cursors are the pagination suite's `invalid_page` check."""
    pagination = contract.profile.pagination
    if pagination is None or pagination.cursor_parameter is None:
        return
    name = pagination.cursor_parameter
    if _negative(case, ParameterLocation.QUERY if not name.startswith("/") else ParameterLocation.BODY):
        return
    if not name.startswith("/"):
        if isinstance(case.query, dict):
            case.query.pop(name, None)
        return
    if isinstance(case.body, dict) and isinstance(jsonpointer.get(case.body, name), str):
        jsonpointer.put(case.body, name, None)


def _unique_values(contract, case) -> None:
    """Values the API requires to be unique (e.g. names) get a unique suffix in positive cases."""
    if not isinstance(case.body, dict) or _negative(case, ParameterLocation.BODY):
        return
    for pointer in contract.profile.schema_hints.unique_fields:
        value = jsonpointer.get(case.body, pointer)
        if isinstance(value, str):
            jsonpointer.put(case.body, pointer, f"{value} #{uuid.uuid4().hex[:8]}")


def _negative(case, location) -> bool:
    """Whether schemathesis generated this part of the case to violate the schema."""
    return case.meta is None or case.meta.is_negative_at(location) or case.meta.generation.mode == "negative"


# -- the stateful phase -----------------------------------------------------------------------------

STATEFUL_SCENARIOS = 10  # at most, per API (each of up to the profile's stateful_step_count steps)


def _linked(contract) -> tuple[set[str], set[str]]:
    """The operations whose answers the contract links to others (where sequences start), and the
    operations they link to."""
    sources, targets = set(), set()
    for path in contract.openapi.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            for response in operation.get("responses", {}).values():
                links = response.get("links") if isinstance(response, dict) else None
                if links:
                    sources.add(operation["operationId"])
                    targets.update(link["operationId"] for link in links.values() if "operationId" in link)
    return sources, targets


def test_stateful_links(api_schema, contract, target, client, credentials, verify):
    """Schemathesis's stateful phase: sequences that follow the contract's OpenAPI links (create ->
    get -> update, import -> set weight -> list, key create -> use -> revoke), each request sent
    through our client and each answer judged as a generated case is, our single-response rules
    included. A failing sequence is reported as schemathesis shrinks it."""
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis.errors import FlakyStrategyDefinition
    from schemathesis.core.errors import NoLinksFound

    rules = documented(contract.profile.schema_rules, f"{contract.api} schema_rules")
    if target.control is None:
        not_applicable("a vendor's sandbox: the linked operations write entities from generated data")
    starts, targets = _linked(contract)
    if starts:  # the contract's own links: the sequences they describe, not every operation at random
        api_schema = api_schema.include(operation_id=sorted(starts | targets))
    machine = api_schema.as_state_machine()  # without links: the ones schemathesis infers
    rate = contract.profile.rate_limit

    class Driven(machine):  # type: ignore[misc, valid-type]
        def before_call(self, case) -> None:
            if rate is not None and rate.applies_to == "all" and rate.window_seconds <= 10:
                target.control.advance(rate.window_seconds)  # judged, not throttled
            session = _session_cookie(contract, target, case)
            if session:
                case.cookies = {**(case.cookies or {}), **session}
            # the configured path values (a tenant) as the per-operation phase has them: 4.32's
            # stateful cases draw their own
            fixed = {k: v for k, v in client.path_values.items() if k in (case.path_parameters or {})}
            if fixed and not _negative(case, ParameterLocation.PATH):
                case.path_parameters = {**case.path_parameters, **fixed}
            operation_id = case.operation.definition.raw.get("operationId", "")
            example = client.example(operation_id) if operation_id in starts and _positive(case) else None
            if example is not None:
                # a sequence starts from the documented example (fresh names): a generated body
                # rarely resolves the references a create needs (422), and then no link is followed
                case.body = example
            _drop_forged_cursor(contract, case)
            if isinstance(case.body, dict | list):
                case.body = render_templates(case.body, {})
            _unique_values(contract, case)

        def call(self, case, **kwargs):
            exchange, response = _send(case, contract, target, client, credentials)
            self.exchanges[id(case)] = exchange
            return Response.from_httpx(response, verify=True)

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            judge = _Judge(case, contract, self.exchanges.pop(id(case)), response, verify, SEQUENCE_GROUPS)
            every_verdict(
                lambda: judge.must(
                    checks.schema.schema_no_server_error, rules.server_error, [not_a_server_error]
                ),
                lambda: judge.must(
                    checks.schema.schema_response_conforms, rules.response_conforms, RESPONSE_CHECKS
                ),
                lambda: judge.single_response(),
            )

    Driven.exchanges = {}
    # generation only, as schemathesis's own stateful phase: a replay meets the mock in another state
    # (names taken, lots consumed), so shrinking would see other answers and call the test flaky
    base = settings()
    config = settings(
        base,
        max_examples=min(base.max_examples, STATEFUL_SCENARIOS),
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        Driven.run(settings=config)
    except NoLinksFound as none:
        not_applicable(f"the contract links no operations: {str(none).splitlines()[0]}")
    except FlakyStrategyDefinition:
        # a scenario replayed against a mock that moved on (a name now taken: no link to follow):
        # what ran was judged; schemathesis's own stateful phase counts this "flaky" and goes on
        client.recorder.event(
            "stateful", "Hypothesis stopped early: a replayed scenario met the mock changed"
        )
