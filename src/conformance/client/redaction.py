"""Redaction of secrets at the moment an exchange is recorded.

Two nets: by name (credential-bearing headers, form fields, JSON keys and query
parameters are masked whatever their value) and by value (every credential the
harness was configured with, and every token it has seen issued, is masked wherever
it appears: URLs, bodies, headers).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from conformance.core.exchange import MASK

SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "cookie", "set-cookie", "x-auth-token"}
)
SECRET_KEYS = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "client_secret",
        "client_id",
        "secret",
        "api_key",
        "apikey",
        "key",
        "password",
        "session",
        "session_cookie",
    }
)
_MIN_SECRET_LEN = 6  # shorter values are too likely to occur by chance


class Redactor:
    """Masks secrets in headers, URLs and bodies. Thread-safe; learns new secrets as they appear."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        with self._lock:
            for secret in secrets:
                if secret and len(secret) >= _MIN_SECRET_LEN:
                    self._secrets.add(secret)
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered)) if ordered else None

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self._secrets)

    def text(self, value: str) -> str:
        pattern = self._pattern
        return pattern.sub(MASK, value) if pattern else value

    def header(self, name: str, value: str) -> str:
        if name.lower() in SECRET_HEADERS:
            scheme, _, rest = value.partition(" ")
            if rest and scheme.lower() in ("bearer", "basic", "token"):
                return f"{scheme} {MASK}"
            return MASK
        return self.text(value)

    def headers(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, self.header(k, v)) for k, v in pairs]

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, MASK if k.lower() in SECRET_KEYS else v) for k, v in pairs], safe="[]/")
        return self.text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))

    def body(self, text: str, content_type: str | None) -> str:
        ctype = (content_type or "").lower()
        if "json" in ctype or text[:1] in ("{", "["):
            try:
                data = json.loads(text)
            except ValueError:
                return self.text(text)
            return self.text(json.dumps(self._scrub(data), ensure_ascii=False))
        if "x-www-form-urlencoded" in ctype:
            pairs = parse_qsl(text, keep_blank_values=True)
            return self.text(urlencode([(k, MASK if k.lower() in SECRET_KEYS else v) for k, v in pairs]))
        return self.text(text)

    def _scrub(self, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: MASK if (k.lower() in SECRET_KEYS and isinstance(v, str | int)) else self._scrub(v)
                for k, v in data.items()
            }
        if isinstance(data, list):
            return [self._scrub(v) for v in data]
        return data
