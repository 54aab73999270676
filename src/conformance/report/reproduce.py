"""Runnable `curl` lines for recorded exchanges.

A recorded exchange is redacted (`[REDACTED]` where a secret was). To run it again, each masked
credential becomes the `$CONFORMANCE_<API>_<KEY>` variable that holds it, the bearer token of an
OAuth API becomes `$CONFORMANCE_<API>_TOKEN` (set by a token call printed above the request), and
the URL keeps the real base URL — except for the in-process mock, which has no address: its lines
use `$CONFORMANCE_<API>_BASE_URL` and say how to serve the same mock (`conformance mock serve`),
whose `export` lines set every variable used here. No secret value is ever written.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus

from conformance.core.exchange import MASK

IN_PROCESS = "in-process mock"
SERVED = "served mock"
LIVE = "live"
_SKIPPED_HEADERS = ("host", "content-length", "user-agent", "accept-encoding", "connection")
_FIELD_KEYS = {"client_id": "CLIENT_ID", "client_secret": "CLIENT_SECRET", "api_key": "API_KEY"}
_FORM_MASK = quote(MASK)  # "%5BREDACTED%5D"
_JSON_MASKED = re.compile(r'"(?P<key>[^"\\]+)"\s*:\s*"' + re.escape(MASK) + '"')
_TOKEN_READER = (
    'python3 -c \'import json,sys; d=json.load(sys.stdin); print((d.get("data") or d)["access_token"])\''
)


@dataclass(frozen=True)
class Var:
    name: str


Part = str | Var


def word(*parts: Part) -> str:
    """One shell word: literal text single-quoted, variables double-quoted so they expand."""
    out = [f'"${{{p.name}}}"' if isinstance(p, Var) else shlex.quote(p) for p in parts if p != ""]
    return "".join(out) or "''"


@dataclass(frozen=True)
class Endpoint:
    """How one API of a run was reached (recorded by the plugin; no secret in it)."""

    api: str
    mode: str = IN_PROCESS
    base_url: str = ""
    token_url: str = ""
    env_prefix: str = ""
    auth_kind: str = ""
    client_auth: str = "none"
    token_headers: dict[str, str] = field(default_factory=dict)
    scopes: list[str] = field(default_factory=list)
    serve: str = ""

    @classmethod
    def from_dict(cls, api: str, data: dict[str, Any] | None) -> Endpoint:
        data = dict(data or {})
        data["token_headers"] = dict(json.loads(data["token_headers"])) if data.get("token_headers") else {}
        data["scopes"] = data["scopes"].split() if data.get("scopes") else []
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "api"}
        return cls(api=api, **known)

    def var(self, key: str) -> Var:
        return Var(f"{self.env_prefix or f'CONFORMANCE_{self.api.upper()}_'}{key}")

    @property
    def addressable(self) -> bool:
        """The recorded URLs can be sent again as they are (a live target or a served mock)."""
        return self.mode != IN_PROCESS

    def url_parts(self, url: str) -> list[Part]:
        if not self.addressable:
            # the longer prefix first: a token URL may lie below the base URL
            for key, prefix in sorted(
                (("TOKEN_URL", self.token_url), ("BASE_URL", self.base_url)), key=lambda kv: -len(kv[1])
            ):
                if prefix and url.startswith(prefix):
                    return [self.var(key), url[len(prefix) :]]
        return [url]

    @property
    def bearer(self) -> Var:
        return self.var("API_KEY") if self.auth_kind == "api_key_bearer" else self.var("TOKEN")

    def setup_lines(self, needs_token: bool) -> list[str]:
        lines = []
        if not self.addressable:
            lines.append(
                f"# the in-process mock has no address: serve the same mock first (another shell): "
                f"{self.serve or f'conformance mock serve --api {self.api} --port 8765'}"
                " — then eval the export lines it prints"
            )
        if needs_token and self.bearer.name.endswith("_TOKEN"):
            lines.append(f"export {self.bearer.name}={self.token_command()}")
        return lines

    def token_command(self) -> str:
        token_url = self.url_parts(self.token_url) if self.token_url else [self.var("TOKEN_URL")]
        parts = ["curl", "-sS", "-X", "POST", word(*token_url), "-H", word("Accept: application/json")]
        for name, value in self.token_headers.items():
            parts += ["-H", word(f"{name}: {value}")]
        if self.auth_kind == "bearer_plus_api_key":
            body: list[Part] = ['{"client_id": "', self.var("CLIENT_ID"), '", "client_secret": "']
            body += [self.var("CLIENT_SECRET"), '"}']
            parts += ["-H", word("x-api-key: ", self.var("API_KEY"))]
            parts += ["-H", word("Content-Type: application/json")]
            parts += ["--data-raw", word(*body)]
        else:
            if self.client_auth == "basic":
                parts += ["-u", word(self.var("CLIENT_ID"), ":", self.var("CLIENT_SECRET"))]
            parts += ["-d", "grant_type=client_credentials"]
            if self.scopes:
                parts += ["--data-urlencode", word(f"scope={' '.join(self.scopes)}")]
            if self.client_auth != "basic":
                parts += ["--data-urlencode", word("client_id=", self.var("CLIENT_ID"))]
                parts += ["--data-urlencode", word("client_secret=", self.var("CLIENT_SECRET"))]
        return '"$(' + " ".join(parts) + " | " + _TOKEN_READER + ')"'


def _header_args(endpoint: Endpoint, name: str, value: str) -> tuple[list[str], bool]:
    """curl arguments for one recorded header, and whether it needs the bearer token."""
    lname = name.lower()
    if MASK not in value:
        return ["-H", word(f"{name}: {value}")], False
    scheme, _, rest = value.partition(" ")
    if lname in ("authorization", "proxy-authorization") and rest == MASK:
        if scheme.lower() == "basic":
            return ["-u", word(endpoint.var("CLIENT_ID"), ":", endpoint.var("CLIENT_SECRET"))], False
        return ["-H", word(f"{name}: {scheme} ", endpoint.bearer)], endpoint.bearer.name.endswith("_TOKEN")
    if lname == "x-api-key":
        return ["-H", word(f"{name}: ", endpoint.var("API_KEY"))], False
    if lname == "cookie":
        return ["-H", word(f"{name}: ", endpoint.var("SESSION_COOKIE"))], False
    return ["-H", word(f"{name}: {value}")], False


def _body_parts(endpoint: Endpoint, body: str, content_type: str) -> list[Part]:
    form = "x-www-form-urlencoded" in content_type
    if MASK not in body and not (form and _FORM_MASK in body):
        return [body]
    if form:  # the redactor url-encodes a form body: its mask is recorded as %5BREDACTED%5D
        parts: list[Part] = []
        for i, (key, value) in enumerate(parse_qsl(body, keep_blank_values=True)):
            parts.append(("&" if i else "") + f"{quote_plus(key)}=")
            known = _FIELD_KEYS.get(key.lower())
            parts.append(endpoint.var(known) if value == MASK and known else quote_plus(value, safe="[]"))
        return parts
    parts = []
    last = 0
    for match in _JSON_MASKED.finditer(body):
        known = _FIELD_KEYS.get(match["key"].lower())
        if not known:
            continue
        start = match.end() - len(MASK) - 1
        parts += [body[last:start], endpoint.var(known)]
        last = match.end() - 1
    return [*parts, body[last:]]


def curl(exchange: dict[str, Any], endpoint: Endpoint) -> str:
    """A runnable script for one exchange: set-up comments and exports, then the curl line."""
    method = str(exchange.get("method", "GET"))
    args = ["curl", "-sS", "-X", method, word(*endpoint.url_parts(str(exchange.get("url", ""))))]
    needs_token = False
    content_type = ""
    for name, value in exchange.get("request_headers", []):
        if name.lower() in _SKIPPED_HEADERS:
            continue
        if name.lower() == "content-type":
            content_type = value.lower()
        header, token = _header_args(endpoint, name, value)
        args += header
        needs_token = needs_token or token
    body = str(exchange.get("request_body") or "")
    if body:
        args += ["--data-raw", word(*_body_parts(endpoint, body, content_type))]
    script = endpoint.setup_lines(needs_token)
    if MASK in " ".join(args):
        script.append(f"# {MASK} below: a value the harness masked and no variable holds; fill it in")
    return "\n".join([*script, " ".join(args)])


@functools.lru_cache(maxsize=4096)
def pretty(body: str) -> str:
    """A JSON body indented for reading; any other body as it is. Remembered: the HTML report and
    the Allure results show each exchange, and a check's evidence repeats its case's exchanges
    (3 910 bodies, 1 502 different, in a main job; json's indenting encoder is pure Python)."""
    text = body.strip()
    if not text or text[:1] not in "{[":
        return body
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return body


_MIN_CAPTURED = 8  # shorter values (a status, a count) recur by chance: never captured
_TOKEN = "@@{}@@"


def _strings(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str, tuple[str | int, ...]]]:
    """Every string in a JSON document with where it is."""
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _strings(v, (*path, str(k)))]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in _strings(v, (*path, i))]
    return [(value, path)] if isinstance(value, str) and len(value) >= _MIN_CAPTURED else []


def _expand(line: str, names: dict[str, str]) -> str:
    """Each placeholder becomes its shell variable, quoted for where it stands in the line."""
    out, single, double, i = [], False, False, 0
    while i < len(line):
        if line.startswith("@@", i) and (end := line.find("@@", i + 2)) > 0 and line[i : end + 2] in names:
            name = names[line[i : end + 2]]
            out.append(f"'\"${{{name}}}\"'" if single else (f"${{{name}}}" if double else f'"${{{name}}}"'))
            i = end + 2
            continue
        char = line[i]
        if char == "'" and not double:
            single = not single
        elif char == '"' and not single:
            double = not double
        elif char == "\\" and double and i + 1 < len(line):
            out.append(line[i : i + 2])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def sequence_script(exchanges: list[dict[str, Any]], endpoint: Endpoint) -> str:
    """One script that sends a whole sequence again, in order: an id an answer handed out (an entity
    created at step 2) is read from that answer into a variable the later requests use, so it runs
    against a fresh target too. Secrets as in `curl` (a credential the sequence itself created and the
    harness masked cannot be replayed: the line says so)."""
    sources: dict[str, tuple[int, tuple[str | int, ...]]] = {}
    sent = ""  # what the requests so far said: a value they sent is not one an answer handed out
    for index, ex in enumerate(exchanges):
        sent += str(ex.get("url") or "") + str(ex.get("request_body") or "")
        try:
            body = json.loads(str(ex.get("response_body") or ""))
        except ValueError:
            continue
        for value, path in _strings(body):
            if MASK not in value and value not in sent:
                sources.setdefault(value, (index, path))
    tokens: dict[str, str] = {}  # a value an earlier answer handed out -> its placeholder
    names: dict[str, str] = {}  # placeholder -> the shell variable
    captures: dict[int, list[tuple[str, tuple[str | int, ...]]]] = {}  # step -> variables read there
    ordered = sorted(sources.items(), key=lambda item: -len(item[0]))  # the longer value first
    prepared = []
    for index, ex in enumerate(exchanges):
        ex = dict(ex)
        for value, (origin, path) in ordered:
            resent = any(value in str(ex.get(key) or "") for key in ("url", "request_body"))
            if origin >= index or not resent:
                continue
            if value not in tokens:
                name = f"S{origin + 1}_{len(captures.get(origin, [])) + 1}"
                tokens[value] = _TOKEN.format(name)
                names[tokens[value]] = name
                captures.setdefault(origin, []).append((name, path))
            for key in ("url", "request_body"):
                ex[key] = str(ex.get(key) or "").replace(value, tokens[value])
        prepared.append(ex)
    setup: list[str] = []
    lines: list[str] = []
    for index, ex in enumerate(prepared):
        *head, command = curl(ex, endpoint).split("\n")
        setup += [line for line in head if line not in setup]
        command = _expand(command, names)
        lines.append(f"# step {index + 1}: {ex.get('method')} -> HTTP {ex.get('status')} when recorded")
        if index in captures:
            lines.append(f"R{index + 1}=$({command}); printf '%s\\n' \"$R{index + 1}\"")
            for name, path in captures[index]:
                where = "".join(f"[{json.dumps(p)}]" for p in path)  # "id": no ' inside '…'

                reader = f"python3 -c 'import json,sys; print(json.load(sys.stdin){where})'"
                lines.append(f"{name}=$(printf '%s' \"$R{index + 1}\" | {reader})")
        else:
            lines.append(f"{command}; echo")
    return "\n".join([*setup, *lines])
