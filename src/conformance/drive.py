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


def send_trigger(client: ApiClient, trigger: Trigger) -> Exchange:
    """Send the request a profile's error `trigger` describes."""
    op = client.contract.operation(trigger.operation)
    path_params = fill_path_params(client, trigger.operation, trigger.path_params)
    kwargs: dict[str, Any] = {"headers": dict(trigger.headers)}
    if trigger.raw_body is not None:
        kwargs["content"] = trigger.raw_body
        kwargs["headers"].setdefault("Content-Type", trigger.content_type or "application/json")
    elif op.request_example is not None and (trigger.method or op.method) not in ("GET", "DELETE", "HEAD"):
        body = client.example(trigger.operation)
        for pointer in trigger.remove:
            body = pointer_remove(body, pointer)
        for pointer, value in trigger.set.items():
            body = pointer_set(body, pointer, value)
        kwargs["json"] = body
    return client.call(trigger.operation, method=trigger.method, path_params=path_params, **kwargs)


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
    size: int | None = None,
    body: Any = None,
) -> Exchange:
    params: dict[str, Any] = {}
    if page is not None:
        params[pagination.page_parameter] = page
    if size is not None:
        params[pagination.size_parameter] = size
    op = client.contract.operation(operation_id)
    kwargs: dict[str, Any] = {"params": params}
    if op.method in ("POST", "PUT"):
        kwargs["json"] = body if body is not None else {}
    return client.call(operation_id, **kwargs)


def walk_pages(
    client: ApiClient, operation_id: str, pagination: Pagination, size: int, *, max_pages: int = 200
) -> list[Exchange]:
    """Request page after page until the last (by `Total-Pages`) or an empty/failed page."""
    pages: list[Exchange] = []
    number = pagination.first_page
    while len(pages) < max_pages:
        page = page_request(client, operation_id, pagination, page=number, size=size)
        pages.append(page)
        body = page.json()
        if page.status != 200 or not isinstance(body, list) or not body:
            break
        total_pages = page.header(pagination.headers.total_pages) if pagination.headers else None
        if total_pages is not None and total_pages.isdigit() and number >= int(total_pages):
            break
        number += 1
    return pages


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
