"""The shared mock building blocks."""

from __future__ import annotations

import threading

import pytest

from conformance.checks.pagination import parse_link
from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.blocks.pagination import PageNumberParams, PageParamError, link_header, page_by_number
from conformance.mocks.blocks.ratelimit import SlidingWindowLimiter
from conformance.mocks.blocks.routing import Router
from conformance.mocks.blocks.store import VersionConflict, VersionedStore
from conformance.mocks.blocks.tokens import ClientRecord, TokenIssuer
from conformance.mocks.blocks.webhooks import WebhookDispatcher


async def _handler() -> None:
    return None


def test_virtual_clock_only_moves_forward():
    clock = VirtualClock()
    start = clock.now()
    assert clock.advance(10) == start + 10
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)


def test_token_expires_on_the_clock():
    clock = VirtualClock()
    issuer = TokenIssuer(clock.now, 3600)
    token = issuer.issue(ClientRecord("c", "s"))
    assert issuer.check(f"Bearer {token.value}").ok
    clock.advance(3599)
    assert issuer.check(f"Bearer {token.value}").ok
    clock.advance(1)
    assert issuer.check(f"Bearer {token.value}").status == "expired"
    assert issuer.check(None).status == "missing"
    assert issuer.check("Basic xyz").status == "malformed"
    assert issuer.check("Bearer nope").status == "unknown"


def test_store_compare_and_set_has_exactly_one_winner_across_threads():
    store = VersionedStore(VirtualClock().now)
    entity = store.create("ns", {"n": 0})
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def writer(i: int) -> None:
        barrier.wait()
        try:
            store.replace("ns", entity.id, {"n": i}, expected_version=1)
            outcomes.append(f"won:{i}")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1 and outcomes.count("conflict") == 19
    assert store.get("ns", entity.id).version == 2
    assert store.get("ns", entity.id).data == {"n": int(winners[0].split(":")[1])}


def test_page_params_defaults_clamp_aliases_and_errors():
    params = PageNumberParams(
        "pageNumber",
        "pageSize",
        default_size=20,
        max_size=200,
        aliases={"page": "pageNumber", "size": "pageSize"},
    )
    assert params.parse({}) == (1, 20)
    assert params.parse({"pageSize": "500"}) == (1, 200)
    assert params.parse({"page": "3", "size": "5"}) == (3, 5)
    assert params.parse({"page": "3", "pageNumber": "4"}) == (4, 20)
    for bad in ({"pageNumber": "0"}, {"pageSize": "x"}, {"pageNumber": "²"}):
        with pytest.raises(PageParamError):
            params.parse(bad)


def test_link_header_rels():
    params = PageNumberParams("pageNumber", "pageSize", default_size=20, max_size=200)
    items = list(range(45))
    first = parse_link(link_header("http://x/s", {}, page_by_number(items, 1, 10), params))
    assert set(first) == {"first", "next", "last"} and "pageNumber=5" in first["last"]
    last = parse_link(link_header("http://x/s", {}, page_by_number(items, 5, 10), params))
    assert set(last) == {"first", "prev", "last"} and "pageNumber=4" in last["prev"]
    empty = parse_link(link_header("http://x/s", {}, page_by_number([], 1, 10), params))
    assert set(empty) == {"first", "last"} and "pageNumber=1" in empty["last"]


def test_sliding_window_refuses_over_the_limit_and_recovers():
    clock = VirtualClock()
    limiter = SlidingWindowLimiter(clock.now, 3, 60)
    assert [limiter.hit("k").allowed for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("other").allowed  # per key
    clock.advance(60)
    assert limiter.hit("k").allowed


def test_router_tells_unknown_path_from_unknown_method():
    router = Router()
    router.add("/t/{tid}/orders/{id}", {"GET": _handler})
    router.add("/t/{tid}/orders/search", {"POST": _handler})
    assert router.match("/nope") is None
    match = router.match("/t/1/orders/search")
    assert match is not None and match.allowed == ["POST"]
    match = router.match("/t/1/orders/abc")
    assert match is not None and match.params == {"tid": "1", "id": "abc"}


def test_webhook_delivery_retries_on_non_2xx_on_the_clock():
    clock = VirtualClock()
    answers = iter([500, 503, 200])
    sent: list[dict[str, str]] = []

    def sender(url, headers, body):
        sent.append(dict(headers))
        return next(answers)

    dispatcher = WebhookDispatcher(clock.now, sender)
    dispatcher.register("http://127.0.0.1:9/hook", headers={"X-Secret": "abc"})
    dispatcher.emit("order.status_changed", {"id": "1"})
    assert dispatcher.pump() == 1
    assert dispatcher.pump() == 0  # the retry is not due yet
    clock.advance(10)
    dispatcher.pump()
    clock.advance(60)
    dispatcher.pump()
    delivery = dispatcher.outbox[0]
    assert [a["status"] for a in delivery.attempts] == [500, 503, 200] and delivery.done
    assert all(h["X-Secret"] == "abc" for h in sent)


@pytest.mark.parametrize(
    ("raw", "required", "outcome"),
    [
        (b"", False, None),
        (b"", True, "empty"),
        (b"\r", False, "malformed"),  # found by the property suite: whitespace is not an absent body
        (b" \n", True, "malformed"),
        (b"[]", False, "not_object"),
        (b'{"a": 1}', True, {"a": 1}),
    ],
)
def test_read_json_tells_absent_from_malformed(raw, required, outcome):
    import asyncio

    from starlette.requests import Request

    from conformance.mocks.blocks.app import BodyError, read_json

    async def receive() -> dict:
        return {"type": "http.request", "body": raw, "more_body": False}

    request = Request({"type": "http", "method": "POST", "headers": []}, receive)
    try:
        result = asyncio.run(read_json(request, required=required))
    except BodyError as exc:
        result = exc.kind
    assert result == outcome
