"""Header grammar on libraries (httpx for `Link`, `email.utils` for HTTP-dates, `jsonpointer`), and
the checks that read those headers and pointers: real vendors send forms a regex misses."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from conformance.checks.pagination import pagination_link_header
from conformance.checks.rate_limit import rate_limit_reset_consistent
from conformance.client import Recorder, Redactor
from conformance.contracts import load_contract
from conformance.core import CheckFailure
from conformance.core.http import parse_link, retry_after_seconds

NOW = 1_790_000_000.0  # a fixed "now" for HTTP-date arithmetic


def record(status: int, *, headers: dict[str, str] | None = None, json: object = None, url: str = ""):
    request = httpx.Request("GET", url or "http://api.example.test/v1/items?page=1")
    return Recorder(Redactor()).record(request, httpx.Response(status, headers=headers, json=json), 0.0)


def test_link_with_title_before_rel_is_parsed():
    """RFC 8288 allows parameters in any order: a `title=` before `rel` is as valid as after."""
    header = (
        '<https://api.example.test/v1/items?page=2>; title="page 2"; rel="next", '
        "<https://api.example.test/v1/items?page=9>; rel=last"
    )
    assert parse_link(header) == {
        "next": "https://api.example.test/v1/items?page=2",
        "last": "https://api.example.test/v1/items?page=9",
    }
    assert record(200, headers={"Link": header}).links["next"].endswith("page=2")


def test_link_with_a_relation_list_gives_each_relation():
    header = '<https://x.test/p?page=1>; rel="first prev"'
    assert parse_link(header) == {"first": "https://x.test/p?page=1", "prev": "https://x.test/p?page=1"}
    assert parse_link(None) == {} and parse_link("") == {}


def test_retry_after_as_delta_seconds_and_as_an_http_date():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(30) == 30.0
    date = email.utils.formatdate(NOW + 90, usegmt=True)  # e.g. "Wed, 21 Oct 2026 07:28:00 GMT"
    assert date.endswith("GMT")
    assert retry_after_seconds(date, now=NOW) == pytest.approx(90.0)
    past = email.utils.formatdate(NOW - 10, usegmt=True)
    assert retry_after_seconds(past, now=NOW) == 0.0
    for bad in ("soon", "-5", "", "\uff11\uff12"):  # full-width digits are not delta-seconds
        assert retry_after_seconds(bad, now=NOW) is None, bad


def _rate_limit_attempts(body: object) -> list:
    ok = {"X-RateLimit-Reset": "1790000060"}
    return [record(200, headers=ok), record(200, headers=ok), record(429, headers=ok, json=body)]


def test_a_nested_retry_pointer_is_read_as_a_json_pointer():
    """`retry_after_field` is a JSON Pointer (RFC 6901), not a top-level key: `/error/retry_after`
    must find 30 in `{"error": {"retry_after": 30}}`, and judge 0 there as out of the window."""
    rate = load_contract("origintrace").profile.rate_limit
    assert rate is not None and rate.headers is not None
    rule = rate.rules.reset_consistent
    headers = rate.headers.model_copy(update={"reset": "X-RateLimit-Reset"})
    nested = "/error/retry_after"
    rate_limit_reset_consistent(
        rule,
        attempts=_rate_limit_attempts({"error": {"retry_after": 30}}),
        headers=headers,
        window_seconds=60,
        retry_after_field=nested,
    )
    with pytest.raises(CheckFailure, match=r"/error/retry_after in \(0, 60\]"):
        rate_limit_reset_consistent(
            rule,
            attempts=_rate_limit_attempts({"error": {"retry_after": 0}, "retry_after": 30}),
            headers=headers,
            window_seconds=60,
            retry_after_field=nested,
        )


def test_the_link_header_check_reads_a_link_with_title_first():
    """The pagination check judges a vendor page whose `Link` puts `title=` before `rel`: correct
    links pass, a wrong `next` fails (the old regex saw no links at all and failed both)."""
    pagination = load_contract("cartoncloud").profile.pagination
    assert pagination is not None and pagination.headers is not None
    rule = pagination.rules.link_header
    base = "https://api.example.test/tenants/t/outbound-orders/search"

    def page(link_next: int) -> object:
        link = (
            f'<{base}?pageNumber=1>; title="first"; rel="first", '
            f'<{base}?pageNumber={link_next}>; title="page {link_next}"; rel="next", '
            f'<{base}?pageNumber=3>; title="last"; rel="last"'
        )
        return record(200, headers={"Link": link, "Total-Pages": "3"}, url=f"{base}?pageNumber=1")

    pagination_link_header(rule, pages=[page(2)], headers=pagination.headers, page_parameter="pageNumber")
    with pytest.raises(CheckFailure, match="LinkHeaderWrong|rels -> pages"):
        pagination_link_header(rule, pages=[page(3)], headers=pagination.headers, page_parameter="pageNumber")
