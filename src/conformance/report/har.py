"""The run's exchanges as an HTTP Archive (HAR 1.2, written by `harfile`), beside the report.

Every exchange is the recorded one, so it is already redacted. Each entry's comment names the case
and the check that judged it (and whether it is the exchange that broke the rule), so a HAR viewer
or a replay tool can find the failing traffic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import harfile

from conformance.report.model import RunResult


def _records(pairs: list[Any]) -> list[harfile.Record]:
    return [harfile.Record(name=str(k), value=str(v)) for k, v in pairs]


def _header(pairs: list[Any], name: str) -> str:
    return next((str(v) for k, v in pairs if str(k).lower() == name), "")


def _entry(har: harfile.HarFile, ex: dict[str, Any], started: str, comment: str) -> None:
    url = str(ex.get("url", ""))
    request_headers = list(ex.get("request_headers", []))
    response_headers = list(ex.get("response_headers", []))
    body = str(ex.get("request_body") or "")
    mime = _header(request_headers, "content-type")
    response_body = str(ex.get("response_body") or "")
    elapsed = float(ex.get("elapsed_ms") or 0.0)
    har.add_entry(
        startedDateTime=started,
        time=elapsed,
        request=harfile.Request(
            method=str(ex.get("method", "GET")),
            url=url,
            httpVersion="HTTP/1.1",
            headers=_records(request_headers),
            queryString=_records(parse_qsl(urlsplit(url).query, keep_blank_values=True)),
            postData=harfile.PostData(mimeType=mime, text=body) if body else None,
            bodySize=len(body.encode()),
        ),
        response=harfile.Response(
            status=int(ex.get("status", 0)),
            statusText="",
            httpVersion="HTTP/1.1",
            headers=_records(response_headers),
            content=harfile.Content(
                size=len(response_body.encode()),
                mimeType=_header(response_headers, "content-type"),
                text=response_body,
            ),
            bodySize=len(response_body.encode()),
        ),
        timings=harfile.Timings(send=0, wait=elapsed, receive=0),
        comment=comment,
    )


def write_har(run: RunResult, path: Path) -> Path:
    """One entry per recorded exchange of every case (each once per case), in case order."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("conformance")
    except PackageNotFoundError:  # pragma: no cover - a source checkout without metadata
        ours = "0"
    started = run.started or dt.datetime.now(dt.UTC).isoformat()
    with harfile.HarFile.open(
        path,
        creator=harfile.Creator(name="conformance", version=ours),
        comment=f"conformance run, target {run.target}, APIs {', '.join(run.apis)}; secrets redacted",
    ) as har:
        for r in run.results:
            seen: set[str] = set()
            for check in r.checks:
                culprits = check.breaking()
                for ex in check.evidence:
                    key = str(ex.get("id"))
                    if key in seen:
                        continue
                    seen.add(key)
                    mark = " — broke the rule" if key in culprits else ""
                    comment = f"{r.case_id} · {check.name} ({check.verdict}){mark}"
                    _entry(har, ex, started, comment)
    return path
