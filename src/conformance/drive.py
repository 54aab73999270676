"""Traffic helpers for the suites: build documented triggers, walk pages, fire concurrent writes.

These send requests; they never judge them (that is what `conformance.checks` is for).
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.client import ApiClient, Exchange, Recorder
from conformance.client.recording import EXCHANGE_KEY
from conformance.client.transports import OMIT_HEADERS_KEY
from conformance.contracts import Contract
from conformance.contracts.models import Pagination, Trigger


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer_parts(pointer: str) -> list[str]:
    return [_unescape(p) for p in pointer.split("/")[1:]] if pointer else []


def _step(doc: Any, part: str) -> Any:
    return doc[int(part)] if isinstance(doc, list) else doc[part]


def pointer_remove(doc: Any, pointer: str) -> Any:
    out = copy.deepcopy(doc)
    *parents, last = pointer_parts(pointer)
    node = out
    for part in parents:
        node = _step(node, part)
    if isinstance(node, list):
        del node[int(last)]
    else:
        node.pop(last, None)
    return out


def pointer_set(doc: Any, pointer: str, value: Any) -> Any:
    out = copy.deepcopy(doc)
    *parents, last = pointer_parts(pointer)
    node = out
    for part in parents:
        node = _step(node, part)
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out


def required_headers(contract: Contract, operation_id: str | None = None) -> dict[str, str]:
    """Headers the transport rules require on this operation (e.g. `Accept-Version: 1`)."""
    transport = contract.profile.transport
    if transport is None:
        return {}
    return {h.name: h.value for h in transport.required_headers if operation_id not in h.except_operations}


def fill_path_params(client: ApiClient, operation_id: str, given: Mapping[str, str]) -> dict[str, str]:
    """Path parameters for a probe: the target's (tenant...), the given ones, a random UUID otherwise."""
    names = client.contract.operation(operation_id).path_parameter_names()
    values = {**client.path_values, **given}
    return {n: values.get(n) or str(uuid.uuid4()) for n in names}


def json_at(doc: Any, pointer: str) -> Any:
    """The value at a JSON Pointer ('' is the document), or None when absent."""
    for part in pointer_parts(pointer):
        if isinstance(doc, dict):
            doc = doc.get(part)
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            return None
    return doc


def pointer_put(doc: dict[str, Any], pointer: str, value: Any) -> None:
    """Set a value at a JSON Pointer, creating intermediate objects."""
    *parents, last = pointer_parts(pointer)
    node = doc
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def send_trigger(target: Any, recorder: Recorder, client: ApiClient, trigger: Trigger) -> Exchange:
    """Send the request a profile's error `trigger` describes (as the identity or scopes it names)."""
    if trigger.control == "fail_next":
        if target.control is None:
            raise LookupError("this trigger needs the /__mock__/ control plane")
        target.control.fail_next()
    paced = trigger.repeat == 1  # a repeated trigger is meant to exceed limits
    if trigger.scopes is not None:
        client = target.client(recorder, scopes=trigger.scopes, paced=paced)
    elif trigger.identity != "default" or not paced:
        client = target.client(recorder, identity=trigger.identity, paced=paced)
    op = client.contract.operation(trigger.operation)
    path_params = fill_path_params(client, trigger.operation, client.render(dict(trigger.path_params)))
    kwargs: dict[str, Any] = {
        "headers": dict(trigger.headers),
        "params": dict(trigger.params) or None,
        "auth": trigger.auth,
    }
    if not trigger.auth:
        kwargs["headers"] = {**required_headers(client.contract, trigger.operation), **kwargs["headers"]}
    if trigger.raw_body is not None:
        kwargs["content"] = trigger.raw_body
        kwargs["headers"].setdefault("Content-Type", trigger.content_type or "application/json")
    elif op.request_example is not None and (trigger.method or op.method) not in ("GET", "DELETE", "HEAD"):
        body = client.example(trigger.operation)
        for pointer in trigger.remove:
            body = pointer_remove(body, pointer)
        for pointer, value in trigger.set.items():
            body = pointer_set(body, pointer, client.render(value))
        kwargs["json"] = body
    exchange = client.call(trigger.operation, method=trigger.method, path_params=path_params, **kwargs)
    for _ in range(trigger.repeat - 1):
        exchange = client.call(trigger.operation, method=trigger.method, path_params=path_params, **kwargs)
    return exchange


def omit(*headers: str) -> dict[str, Any]:
    """Request extensions that make the transport drop headers added by auth (e.g. Accept-Version)."""
    return {OMIT_HEADERS_KEY: [h.lower() for h in headers]}


# -- pagination ------------------------------------------------------------------------------------


def list_resource(contract: Contract, operation_id: str) -> str:
    for name, resource in contract.profile.operations.resources.items():
        if resource.list == operation_id:
            return name
    raise KeyError(f"{contract.api}: no resource lists with {operation_id!r}")


def page_request(
    client: ApiClient,
    operation_id: str,
    pagination: Pagination,
    *,
    page: int | None = None,
    size: Any = None,
    offset: Any = None,
    cursor: Any = None,
    extra: Mapping[str, Any] | None = None,
) -> Exchange:
    """One list request; each argument lands where the profile says (query parameter or body pointer)."""
    params: dict[str, Any] = {}
    body: dict[str, Any] = {}
    values: list[tuple[str | None, Any]] = [
        (pagination.page_parameter, page),
        (pagination.size_parameter, size),
        (pagination.offset_parameter, offset),
        (pagination.cursor_parameter, cursor),
        *(extra or {}).items(),
    ]
    for name, value in values:
        if name is None or value is None:
            continue
        if name.startswith("/"):
            pointer_put(body, name, value)
        else:
            params[name] = value
    op = client.contract.operation(operation_id)
    kwargs: dict[str, Any] = {"params": params}
    if op.method in ("POST", "PUT"):
        kwargs["json"] = body
    return client.call(operation_id, **kwargs)


def walk_pages(
    client: ApiClient,
    operation_id: str,
    pagination: Pagination,
    size: int,
    *,
    items: str = "",
    extra: Mapping[str, Any] | None = None,
    max_pages: int = 200,
) -> list[Exchange]:
    """Request page after page the way the style says, until its end signal (bounded)."""
    pages: list[Exchange] = []
    number, offset, cursor = pagination.first_page, 0, None
    while len(pages) < max_pages:
        if pagination.style == "page_number_headers":
            page = page_request(client, operation_id, pagination, page=number, size=size, extra=extra)
        elif pagination.style == "offset_limit":
            page = page_request(client, operation_id, pagination, offset=offset, size=size, extra=extra)
        else:
            page = page_request(client, operation_id, pagination, cursor=cursor, size=size, extra=extra)
        pages.append(page)
        body = page.json()
        found = json_at(body, items)
        if page.status != 200 or not isinstance(found, list):
            break
        if pagination.style == "cursor_body":
            cursor = json_at(body, pagination.end_cursor or "")
            if cursor is None:
                break
            continue
        if not found:
            break
        if pagination.style == "page_number_headers" and pagination.headers:
            total_pages = page.header(pagination.headers.total_pages)
            if total_pages is not None and total_pages.isdigit() and number >= int(total_pages):
                break
        if pagination.style == "offset_limit" and pagination.total:
            total = json_at(body, pagination.total)
            if isinstance(total, int) and offset + len(found) >= total:
                break
        number += 1
        offset += size
    return pages


# -- rate limits -----------------------------------------------------------------------------------

MAX_PROBE_REQUESTS = 100  # a probe that would need more than this creates a small-quota key or skips


class ProbeUnavailable(LookupError):
    """The quota cannot be spent within bounds on this target; the message says what would help."""


@dataclass
class QuotaProbe:
    attempts: list[Exchange]
    limit: int
    client: ApiClient
    fresh: bool  # the window was unused when the probe started, so counts are exact
    dedicated: bool  # a key made for the probe spent the quota (the default credentials did not)


def spend_rate_limit(target: Any, recorder: Recorder, client: ApiClient) -> QuotaProbe:
    """Send the rate-limited operation until the first refusal (at most limit + 1 requests), with a
    dedicated small-quota key where the profile says how to make one."""
    rate = client.contract.profile.rate_limit
    if rate is None:
        raise ProbeUnavailable("the profile documents no rate limit")
    probe, limit, fresh, dedicated = (
        target.client(recorder, paced=False),
        rate.limit,
        target.control is not None,
        False,
    )
    if rate.dedicated_key is not None:
        cookie = target.admin_cookie()
        if cookie:
            from conformance.client import ApiKeyBearer

            key = rate.dedicated_key
            created = client.call(key.operation, json=dict(key.body), headers={"Cookie": cookie}, auth=False)
            if not 200 <= created.status < 300:
                raise ProbeUnavailable(f"could not create a probe key: {created.summary()}")
            secret = str(json_at(client.unredacted_json(created), key.secret_pointer))
            probe, limit, fresh, dedicated = (
                target.client(recorder, auth=ApiKeyBearer(secret)),
                key.limit,
                True,
                True,
            )
    if limit + 1 > MAX_PROBE_REQUESTS:
        name = client.contract.profile.config.admin_cookie or "an admin session"
        raise ProbeUnavailable(
            f"the quota is {limit} requests; set {name} so a probe key with a small quota can be created"
        )
    op = rate.operation
    spec = client.contract.operation(op)
    kwargs: dict[str, Any] = {
        "params": dict(rate.operation_params) or None,
        "path_params": fill_path_params(client, op, {}),
    }
    if spec.method in ("POST", "PUT"):
        kwargs["json"] = client.example(op) or {}
    if fresh and target.control is not None and not dedicated:
        # get credentials first (a token call may count against the limit too), then start from a
        # fresh window on the mock's clock, so the count is exact
        probe.call(op, **kwargs)
        target.control.advance(rate.window_seconds)
    attempts: list[Exchange] = []
    for _ in range(limit + 1):
        attempts.append(probe.call(op, **kwargs))
        if attempts[-1].status in rate.rules.quota_enforced.status:
            break
    return QuotaProbe(attempts, limit, probe, fresh, dedicated)


# -- concurrency -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRequest:
    method: str
    url: str
    headers: dict[str, str]
    json: Any


def concurrent_requests(
    transport: httpx.AsyncBaseTransport,
    recorder: Recorder,
    planned: Sequence[PlannedRequest],
    timeout: float = 30.0,
) -> list[Exchange]:
    """Send all requests at once from one event loop; return their exchanges in order."""
    from conformance.client.recording import AsyncRecordingTransport

    async def run() -> list[Exchange]:
        async with httpx.AsyncClient(
            transport=AsyncRecordingTransport(transport, recorder), timeout=timeout
        ) as http:
            responses = await asyncio.gather(
                *(http.request(p.method, p.url, headers=p.headers, json=p.json) for p in planned)
            )
        return [r.extensions[EXCHANGE_KEY] for r in responses]

    return asyncio.run(run())


def code_pointer(contract: Contract) -> str | None:
    """Where the API's error bodies carry their error code (None when the profile names none)."""
    return contract.profile.errors.code_pointer if contract.profile.errors else None
