"""HTTP header grammar the checks and the traffic layer share: RFC 8288 `Link`, RFC 9110
`Retry-After`, and what counts as success. Parsed by httpx and the standard library."""

from __future__ import annotations

import datetime as dt
import email.utils

import httpx

__all__ = ["is_success", "parse_link", "retry_after_seconds"]


def is_success(status: int) -> bool:
    """A 2xx status."""
    return 200 <= status < 300


def parse_link(value: str | None) -> dict[str, str]:
    """RFC 8288 `Link` -> {rel: url}, one entry per relation type of a space-separated `rel`.

    httpx parses the header (parameters in any order, quoted or not); it keeps `rel="next prev"`
    as one key, so relation lists are split here.
    """
    if not value:
        return {}
    links: dict[str, str] = {}
    for key, link in httpx.Response(200, headers={"link": value}).links.items():
        url = link.get("url", "")
        for rel in str(link.get("rel", key)).split():
            links.setdefault(rel.lower(), url)
    return links


def retry_after_seconds(value: str | int | float | None, now: float | None = None) -> float | None:
    """Seconds to wait from a retry hint: delta-seconds (`"120"`, 120) or an HTTP-date
    (`"Wed, 21 Oct 2026 07:28:00 GMT"`, measured from `now`, default the real time). None when the
    value is absent or neither form; a date in the past gives 0."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    reference = dt.datetime.now(dt.UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - reference)
