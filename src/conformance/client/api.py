"""A contract-aware client: call an operation by its operationId, get back the recorded exchange."""

from __future__ import annotations

import copy
import re
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from conformance.client.auth import TokenError, _TokenAuth
from conformance.client.politeness import Politeness, PoliteTransport
from conformance.client.recording import EXCHANGE_KEY, Recorder, RecordingTransport
from conformance.client.transports import OMIT_HEADERS_KEY
from conformance.contracts import Contract
from conformance.core import Exchange, jsonpointer

_UNSET: Any = object()


def render_templates(value: Any, values: Mapping[str, str]) -> Any:
    """Fill `{unique}`, `{uuid}` and `{NAME}` (from `values`) in every string of `value`."""
    fresh = {"unique": secrets.token_hex(4), "uuid": str(uuid.uuid4())}

    def fill(item: Any) -> Any:
        if isinstance(item, str) and "{" in item:
            return re.sub(
                r"{([A-Za-z_]+)}", lambda m: fresh.get(m.group(1)) or values.get(m.group(1), m.group(0)), item
            )
        if isinstance(item, dict):
            return {k: fill(v) for k, v in item.items()}
        if isinstance(item, list):
            return [fill(v) for v in item]
        return item

    return fill(value)


@dataclass(frozen=True)
class PlannedCall:
    """An operation call about to be sent."""

    operation_id: str
    method: str
    path_params: Mapping[str, str]
    query: Mapping[str, Any]
    body: Any  # the JSON body, or None


class CallGuard(Protocol):
    """Sees every operation call before it is sent and after it is answered (live-target safety)."""

    def before_call(self, call: PlannedCall) -> None:
        """Raise to refuse the call before anything is sent."""

    def after_call(self, operation_id: str, exchange: Exchange) -> None:
        """Learn from the answer (e.g. the id of an entity the call created)."""

    def fabricated(self, value: str) -> None:
        """`value` is an id the harness made up (it names no entity of the target)."""


class ApiClient:
    """Sends requests for one API and one identity; every exchange lands in `recorder`."""

    def __init__(
        self,
        contract: Contract,
        *,
        base_url: str,
        token_url: str | None,
        transport: httpx.BaseTransport,
        recorder: Recorder,
        auth: httpx.Auth | None,
        path_values: Mapping[str, str],
        timeout: float = 30.0,
        politeness: Politeness | None = None,
        guard: CallGuard | None = None,
        fixtures: Callable[[str], list[tuple[str, Any]]] | None = None,
        template_values: Mapping[str, str] | None = None,
    ) -> None:
        self.contract = contract
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.recorder = recorder
        self.auth = auth
        self.path_values = dict(path_values)
        self.politeness = politeness
        self.guard = guard
        self.fixtures = fixtures
        self.template_values: Mapping[str, str] = template_values or {}
        self._raw: dict[int, httpx.Response] = {}
        recording: httpx.BaseTransport = RecordingTransport(transport, recorder)
        self._transport = PoliteTransport(recording, politeness, recorder) if politeness else recording
        self.http = httpx.Client(
            transport=self._transport, auth=auth, timeout=timeout, follow_redirects=False
        )

    def close(self) -> None:
        self.http.close()

    # -- URLs ------------------------------------------------------------------------------------

    def url_for(self, operation_id: str, path_params: Mapping[str, str] | None = None) -> str:
        op = self.contract.operation(operation_id)
        if operation_id == self.contract.profile.auth.token_operation and self.token_url:
            return self.token_url
        values = {**self.path_values, **(path_params or {})}
        path = op.path
        for name in op.path_parameter_names():
            if name not in values:
                raise KeyError(f"{operation_id}: no value for path parameter {name!r}")
            path = path.replace("{" + name + "}", str(values[name]))
        return self.base_url + path

    def made_up(self, value: str) -> str:
        """Note an id the harness invented (a random UUID for a probe): it names nobody's entity."""
        if self.guard is not None:
            self.guard.fabricated(value)
        return value

    def example(self, operation_id: str) -> Any:
        """The request example the contract gives for an operation, rendered (see `render`), with
        the target's own entities where the example references some (the profile's fixtures)."""
        body = self.render(copy.deepcopy(self.contract.operation(operation_id).request_example))
        for pointer, value in self.fixtures(operation_id) if self.fixtures and body is not None else []:
            if value is None:  # the fixture is unresolved and its field is best left out
                body = jsonpointer.without(body, pointer)
            else:
                body = jsonpointer.with_value(body, pointer, value)
        return body

    def render(self, value: Any) -> Any:
        """Fill templates in strings: `{unique}` (fresh per call, so repeated runs do not collide),
        `{uuid}` (a fresh UUID), `{NAME}` (a target config value such as `{OTHER_ORG_ID}`)."""
        return render_templates(value, self.template_values)

    # -- requests --------------------------------------------------------------------------------

    def call(
        self,
        operation_id: str,
        *,
        path_params: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = _UNSET,
        content: str | bytes | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        method: str | None = None,
        auth: bool = True,
        extensions: Mapping[str, Any] | None = None,
    ) -> Exchange:
        op = self.contract.operation(operation_id)
        values = {**self.path_values, **(path_params or {})}
        if self.guard is not None:
            body = None if json is _UNSET else json
            self.guard.before_call(
                PlannedCall(operation_id, method or op.method, values, dict(params or {}), body)
            )
        headers = dict(headers or {})
        media = op.request_content_type or ""
        typed = any(k.lower() == "content-type" for k in headers)
        if json is not _UNSET and media.endswith("+json") and not typed:
            headers["Content-Type"] = media  # e.g. application/json-patch+json, as the contract says
        exchange = self.request(
            method or op.method,
            self.url_for(operation_id, path_params),
            params=params,
            json=json,
            content=content,
            data=data,
            headers=headers,
            auth=auth,
            extensions=extensions,
        )
        if self.guard is not None:
            self.guard.after_call(operation_id, exchange)
        return exchange

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = _UNSET,
        content: str | bytes | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        extensions: Mapping[str, Any] | None = None,
    ) -> Exchange:
        if not url.startswith(("http://", "https://")):
            url = self.base_url + url
        kwargs: dict[str, Any] = {"params": params, "headers": dict(headers or {})}
        if json is not _UNSET:
            kwargs["json"] = json
        elif content is not None:
            kwargs["content"] = content
        elif data is not None:
            kwargs["data"] = data
        if not auth:
            kwargs["auth"] = None
            if isinstance(self.auth, _TokenAuth):
                for name, value in self.auth.unauthenticated_headers().items():
                    kwargs["headers"].setdefault(name, value)
        if extensions:
            kwargs["extensions"] = dict(extensions)
        response = self.http.request(method, url, **kwargs)
        exchange = response.extensions.get(EXCHANGE_KEY)
        assert isinstance(exchange, Exchange)
        self._raw[exchange.id] = response
        return exchange

    def raw_response(self, exchange: Exchange) -> httpx.Response:
        """The httpx response as received (for a library that judges it, e.g. schemathesis's checks);
        never for evidence or output: the recorded exchange is the redacted one."""
        response = self._raw.get(exchange.id)
        if response is None:
            raise KeyError(f"exchange {exchange.id} was not made by this client")
        return response

    def unredacted_json(self, exchange: Exchange) -> Any:
        """The body as received, secrets included: only to replay a credential the API just issued
        (a new key's secret); never for evidence or output."""
        response = self._raw.get(exchange.id)
        if response is None:
            raise KeyError(f"exchange {exchange.id} was not made by this client")
        return response.json()

    def token_call(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        omit: tuple[str, ...] | list[str] = (),
        content: str | None = None,
        content_type: str | None = None,
        form: Mapping[str, str] | None = None,
    ) -> Exchange:
        """A token request as this identity would send it, changed as a probe says: headers set or
        left out, another body or content type, form fields changed. Never raises on a refusal: the
        answer is the evidence."""
        if not isinstance(self.auth, _TokenAuth):
            raise TypeError(f"{self.contract.api}: this API's auth has no token endpoint")
        request = self.auth.build_token_request()
        raw = request.read()
        body: bytes | str = raw
        if form is not None:
            fields = dict(httpx.QueryParams(raw.decode()))
            fields.update(form)
            body = str(httpx.QueryParams({k: v for k, v in fields.items() if v is not None}))
        if content is not None:
            body = content
        merged = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        for name in [*omit, *(headers or {})]:
            merged = {k: v for k, v in merged.items() if k.lower() != name.lower()}
        merged.update(headers or {})
        if content_type is not None:
            merged = {k: v for k, v in merged.items() if k.lower() != "content-type"}
            if content_type:
                merged["Content-Type"] = content_type
        variant = httpx.Request(request.method, request.url, headers=merged, content=body)
        extensions = {OMIT_HEADERS_KEY: [h.lower() for h in omit]} if omit else None
        if extensions:
            variant.extensions.update(extensions)
        response = self.http.send(variant, auth=None)
        exchange = response.extensions[EXCHANGE_KEY]
        assert isinstance(exchange, Exchange)
        self._raw[exchange.id] = response
        return exchange

    def fetch_token(self) -> tuple[str, Exchange]:
        """Ask the token endpoint for a fresh token; the raw value is for replay in a test only."""
        if not isinstance(self.auth, _TokenAuth):
            raise TypeError(f"{self.contract.api}: this API's auth has no token endpoint")
        response = self.http.send(self.auth.build_token_request(), auth=None)
        exchange = response.extensions[EXCHANGE_KEY]
        if response.status_code != 200:
            raise TokenError(self.auth.token_url, response.status_code, exchange.response_body[:200])
        try:
            token, _ = self.auth.read_token(response)
        except (KeyError, TypeError, ValueError) as exc:
            raise TokenError(self.auth.token_url, response.status_code, f"no token in body ({exc})") from None
        return token, exchange
