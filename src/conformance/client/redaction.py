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
_CHUNK = 16


class Redactor:
    """Masks secrets in headers, URLs and bodies. Thread-safe; learns new secrets as they appear."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._by_length: dict[int, set[str]] = {}
        # the secrets as a few tries, merged like a binary counter (sizes 16, 32, 64, ...): a run can
        # learn thousands, and one pattern rebuilt per learned secret would cost the square; secrets
        # that overlap always share one trie, so the longest of them is masked whole
        self._chunks: list[tuple[list[str], re.Pattern[str]]] = []
        self._pending: list[str] = []
        self._pending_pattern: re.Pattern[str] | None = None
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        with self._lock:
            new = list(dict.fromkeys(s for s in secrets if s and len(s) >= _MIN_SECRET_LEN))
            new = [s for s in new if s not in self._secrets]
            if not new:
                return
            overlaps = any(a != b and a in b for a in new for b in new) or any(
                a in b or b in a  # of two secrets of one length, neither holds the other
                for a in new
                for length, known in self._by_length.items()
                if length != len(a)
                for b in known
            )
            self._secrets.update(new)
            for secret in new:
                self._by_length.setdefault(len(secret), set()).add(secret)
            if overlaps:  # one trie of them all: the longest match wins, as with one pattern
                every = sorted(self._secrets)
                self._chunks, self._pending = [(every, re.compile(_trie(every)))], []
            else:
                self._pending += new
                if len(self._pending) >= _CHUNK:
                    self._chunks.append((self._pending, re.compile(_trie(self._pending))))
                    self._pending = []
                    while len(self._chunks) > 1 and len(self._chunks[-1][0]) >= len(self._chunks[-2][0]):
                        merged = self._chunks.pop()[0] + self._chunks.pop()[0]
                        self._chunks.append((merged, re.compile(_trie(merged))))
            self._pending_pattern = re.compile(_trie(self._pending)) if self._pending else None

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self._secrets)

    def text(self, value: str) -> str:
        patterns = [*(pattern for _, pattern in self._chunks), self._pending_pattern]
        for pattern in patterns:
            if pattern is not None:
                value = pattern.sub(MASK, value)
        return value

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


def _trie(secrets: Iterable[str]) -> str:
    """One regular expression matching any of `secrets`, the longest where one is a prefix of
    another, built as a trie: a plain alternation of hundreds of secrets (every key a run creates)
    is tried branch by branch at every position of every body; a trie is followed character by
    character, whatever the number of secrets."""
    root: dict[str, Any] = {}
    for secret in secrets:
        node = root
        for char in secret:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        out = []
        while True:
            children = sorted(k for k in node if k)
            ends = "" in node
            if len(children) == 1 and not ends:  # a run of single characters: no group needed
                out.append(re.escape(children[0]))
                node = node[children[0]]
                continue
            if children:
                group = "(?:" + "|".join(re.escape(c) + pattern(node[c]) for c in children) + ")"
                out.append(group + ("?" if ends else ""))  # greedy: the longer secret first
            return "".join(out)

    return pattern(root)
