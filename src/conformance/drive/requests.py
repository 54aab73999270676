"""Building requests the way a profile describes them: required headers, path parameters, example
bodies, and the documented trigger of an error."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from conformance.client import ApiClient, Recorder
from conformance.client.transports import OMIT_HEADERS_KEY
from conformance.contracts import Contract
from conformance.contracts.models import Trigger
from conformance.core import Exchange, jsonpointer

if TYPE_CHECKING:
    from conformance.targets import Target

BODY_METHODS = ("POST", "PUT", "PATCH")


def required_headers(contract: Contract, operation_id: str | None = None) -> dict[str, str]:
    """Headers the transport rules require on this operation (e.g. `Accept-Version: 1`)."""
    return contract.required_headers(operation_id)


def fill_path_params(client: ApiClient, operation_id: str, given: Mapping[str, str]) -> dict[str, str]:
    """Path parameters for a probe: the target's (tenant...), the given ones, a random UUID otherwise."""
    names = client.contract.operation(operation_id).path_parameter_names()
    values = {**client.path_values, **given}
    return {n: values.get(n) or client.made_up(str(uuid.uuid4())) for n in names}


def example_body(client: ApiClient, operation_id: str) -> dict[str, Any]:
    """Keyword arguments carrying the operation's example body when its method has a body
    (`{"json": …}`), else nothing: how every probe of an operation sends what the contract shows."""
    if client.contract.operation(operation_id).method not in BODY_METHODS:
        return {}
    return {"json": client.example(operation_id) or {}}


def probe_call(client: ApiClient, operation_id: str, **kwargs: Any) -> Exchange:
    """Call an operation with its filled path parameters and its example body (overridable)."""
    call: dict[str, Any] = {
        "path_params": fill_path_params(client, operation_id, kwargs.pop("path_params", {}) or {}),
        **example_body(client, operation_id),
        **kwargs,
    }
    return client.call(operation_id, **call)


def omit(*headers: str) -> dict[str, Any]:
    """Request extensions that make the transport drop headers added by auth (e.g. Accept-Version)."""
    return {OMIT_HEADERS_KEY: [h.lower() for h in headers]}


def code_pointer(contract: Contract) -> str | None:
    """Where the API's error bodies carry their error code (None when the profile names none)."""
    return contract.code_pointer


class TriggerUnavailable(LookupError):
    """The trigger needs what this target lacks (an admin session, a control plane)."""


def _token_trigger(client: ApiClient, trigger: Trigger) -> Exchange:
    """A token request changed as the trigger says (its headers, a raw body, another content type)."""
    content_type = trigger.content_type
    if trigger.raw_body is not None and content_type is None:
        content_type = "application/json"
    return client.token_call(
        headers=client.render(dict(trigger.headers)),
        omit=list(trigger.omit_headers),
        content=trigger.raw_body,
        content_type=content_type,
    )


def send_trigger(target: Target, recorder: Recorder, client: ApiClient, trigger: Trigger) -> Exchange:
    """Send the request a profile's error `trigger` describes (as the identity or scopes it names)."""
    if trigger.spend_quota:
        from conformance.drive.quota import spend_rate_limit

        client = spend_rate_limit(target, recorder, client).client  # that identity's quota is spent
    if trigger.operation == client.contract.profile.auth.token_operation:
        return _token_trigger(client, trigger)
    if trigger.control == "fail_next":
        if target.control is None:
            raise LookupError("this trigger needs the /__mock__/ control plane")
        target.control.fail_next()
    polite = trigger.repeat == 1 and not trigger.spend_quota  # these are meant to exceed limits
    if trigger.scopes is not None:
        client = target.client(recorder, scopes=trigger.scopes, polite=polite)
    elif (trigger.identity != "default" or not polite) and not trigger.spend_quota:
        client = target.client(recorder, identity=trigger.identity, polite=polite)
    op = client.contract.operation(trigger.operation)
    for value in [*trigger.path_params.values(), *trigger.set.values()]:
        if isinstance(value, str):
            client.made_up(value)  # the profile's made-up ids (an unknown lot, a missing order)
    given_params = dict(trigger.path_params)
    if trigger.given is not None:
        body = client.example(trigger.given.operation)
        for pointer, value in trigger.given.set.items():
            body = jsonpointer.with_value(body, pointer, client.render(value))
        created = client.call(trigger.given.operation, json=body)
        if not created.ok:
            raise LookupError(f"the trigger's given entity could not be created: {created.summary()}")
        given_params[trigger.given.param] = str(created.json_at(trigger.given.id_pointer))
    path_params = fill_path_params(client, trigger.operation, client.render(given_params))
    kwargs: dict[str, Any] = {
        "headers": dict(trigger.headers),
        "params": dict(trigger.params) or None,
        "auth": trigger.auth,
    }
    if not trigger.auth:
        kwargs["headers"] = {**required_headers(client.contract, trigger.operation), **kwargs["headers"]}
    if trigger.admin_session:
        cookie = target.admin_cookie()
        if not cookie:
            raise TriggerUnavailable("this trigger needs the admin session (SESSION_COOKIE)")
        kwargs["headers"]["Cookie"] = cookie
        kwargs["auth"] = False
    omitted = [h.lower() for h in trigger.omit_headers]
    if trigger.content_type == "":
        omitted.append("content-type")
    if omitted:
        kwargs["extensions"] = omit(*omitted)
    if trigger.raw_body is not None:
        kwargs["content"] = trigger.raw_body
        if trigger.content_type != "":
            kwargs["headers"].setdefault("Content-Type", trigger.content_type or "application/json")
    elif op.request_example is not None and (trigger.method or op.method) not in ("GET", "DELETE", "HEAD"):
        body = client.example(trigger.operation)
        for pointer in trigger.remove:
            body = jsonpointer.without(body, pointer)
        for pointer, value in trigger.set.items():
            body = jsonpointer.with_value(body, pointer, client.render(value))
        kwargs["json"] = body
        if trigger.content_type:
            kwargs["headers"].setdefault("Content-Type", trigger.content_type)
    if trigger.path is not None:
        path = trigger.path
        for name, value in {**client.path_values, **path_params}.items():
            path = path.replace("{" + name + "}", value)
        return client.request(trigger.method or op.method, path, **kwargs)
    exchange = client.call(trigger.operation, method=trigger.method, path_params=path_params, **kwargs)
    for _ in range(trigger.repeat - 1):
        exchange = client.call(trigger.operation, method=trigger.method, path_params=path_params, **kwargs)
    return exchange
