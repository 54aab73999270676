"""A contract-aware client: call an operation by its operationId, get back the recorded exchange."""

from __future__ import annotations

import copy
import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.client.auth import _TokenAuth
from conformance.client.pacing import Pacer
from conformance.client.recording import EXCHANGE_KEY, Recorder, RecordingTransport
from conformance.contracts import Contract
from conformance.core import Exchange

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
        pacer: Pacer | None = None,
        template_values: Mapping[str, str] | None = None,
    ) -> None:
        self.contract = contract
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.recorder = recorder
        self.auth = auth
        self.path_values = dict(path_values)
        self.pacer = pacer
        self.template_values = dict(template_values or {})
        self._raw: dict[int, httpx.Response] = {}
        self._transport = RecordingTransport(transport, recorder)
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

    def example(self, operation_id: str) -> Any:
        """The request example the contract gives for an operation, rendered (see `render`)."""
        return self.render(copy.deepcopy(self.contract.operation(operation_id).request_example))

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
        headers = dict(headers or {})
        media = op.request_content_type or ""
        typed = any(k.lower() == "content-type" for k in headers)
        if json is not _UNSET and media.endswith("+json") and not typed:
            headers["Content-Type"] = media  # e.g. application/json-patch+json, as the contract says
        return self.request(
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
        if self.pacer is not None:
            self.pacer.before_request()
        response = self.http.request(method, url, **kwargs)
        exchange = response.extensions.get(EXCHANGE_KEY)
        assert isinstance(exchange, Exchange)
        self._raw[exchange.id] = response
        return exchange

    def unredacted_json(self, exchange: Exchange) -> Any:
        """The body as received, secrets included: only to replay a credential the API just issued
        (a new key's secret); never for evidence or output."""
        response = self._raw.get(exchange.id)
        if response is None:
            raise KeyError(f"exchange {exchange.id} was not made by this client")
        return response.json()

    def fetch_token(self) -> tuple[str, Exchange]:
        """Ask the token endpoint for a fresh token; the raw value is for replay in a test only."""
        if not isinstance(self.auth, _TokenAuth):
            raise TypeError(f"{self.contract.api}: this API's auth has no token endpoint")
        response = self.http.send(self.auth.build_token_request(), auth=None)
        exchange = response.extensions[EXCHANGE_KEY]
        token, _ = self.auth.read_token(response)
        return token, exchange
