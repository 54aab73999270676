"""Outbound webhooks: registrations, an outbox, delivery with retries scheduled on the clock."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx

Sender = Callable[[str, Mapping[str, str], bytes], int]
RETRY_DELAYS = (10.0, 60.0, 300.0, 1800.0)  # seconds after each failed attempt


def http_sender(url: str, headers: Mapping[str, str], body: bytes) -> int:
    with httpx.Client(timeout=5.0) as client:
        return client.post(url, headers=dict(headers), content=body).status_code


@dataclass
class Registration:
    id: int
    url: str
    events: frozenset[str]  # empty: every event
    headers: dict[str, str] = field(default_factory=dict)
    statuses: frozenset[str] = frozenset()  # empty: a change to any status


@dataclass
class Delivery:
    id: int
    registration: int
    event: str
    url: str
    headers: dict[str, str]
    body: bytes
    attempts: list[dict[str, Any]] = field(default_factory=list)
    due_at: float = 0.0
    done: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "url": self.url,
            "attempts": self.attempts,
            "done": self.done,
            "due_at": self.due_at,
        }


class WebhookDispatcher:
    def __init__(
        self,
        clock: Callable[[], float],
        sender: Sender = http_sender,
        *,
        drop_headers: bool = False,
        disabled: bool = False,
        retries: bool = True,
        ignore_statuses: bool = False,
        first_event_only: bool = False,
    ) -> None:
        self.clock = clock
        self.sender = sender
        self.drop_headers = drop_headers
        self.disabled = disabled
        self.retries = retries
        self.ignore_statuses = ignore_statuses  # a fault: a registration's statuses are not honoured
        self.first_event_only = first_event_only  # a fault: a registration keeps only its first event
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.registrations: dict[int, Registration] = {}
        self.outbox: list[Delivery] = []  # every delivery, for the control plane's record
        self._pending: list[Delivery] = []  # those not done yet: what a pump looks at

    def register(
        self,
        url: str,
        events: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        statuses: list[str] | None = None,
    ) -> Registration:
        """A receiver for some events (all when none is named) and, for status changes, some
        statuses (every change when none is named)."""
        events = list(events or ())[:1] if self.first_event_only else list(events or ())
        with self._lock:
            reg = Registration(
                next(self._ids), url, frozenset(events), dict(headers or {}), frozenset(statuses or ())
            )
            self.registrations[reg.id] = reg
            return reg

    def emit(self, event: str, payload: Any, status: str | None = None) -> list[Delivery]:
        """Queue `event` for each registration that wants it (and, given the new `status`, wants a
        change to that status)."""
        if self.disabled:
            return []
        body = b""  # encoded once, for the first registration that wants it (often none does)
        created = []
        with self._lock:
            for reg in self.registrations.values():
                if reg.events and event not in reg.events:
                    continue
                wanted = reg.statuses and not self.ignore_statuses
                if wanted and status is not None and status not in reg.statuses:
                    continue
                headers = {"Content-Type": "application/json"}
                if not self.drop_headers:
                    headers |= reg.headers
                body = body or json.dumps(payload, separators=(",", ":")).encode()
                delivery = Delivery(
                    next(self._ids), reg.id, event, reg.url, headers, body, due_at=self.clock()
                )
                self.outbox.append(delivery)
                self._pending.append(delivery)
                created.append(delivery)
        return created

    def pump(self) -> int:
        """Attempt every due delivery once; failed ones are rescheduled. Returns attempts made."""
        now = self.clock()
        with self._lock:
            due = [d for d in self._pending if d.due_at <= now]
        for delivery in due:
            try:
                status = self.sender(delivery.url, delivery.headers, delivery.body)
                error = None
            except httpx.HTTPError as exc:
                status, error = 0, type(exc).__name__
            ok = 200 <= status < 300
            with self._lock:
                delivery.attempts.append({"at": now, "status": status, "error": error})
                if ok:
                    delivery.done = True
                elif self.retries and len(delivery.attempts) <= len(RETRY_DELAYS):
                    delivery.due_at = now + RETRY_DELAYS[len(delivery.attempts) - 1]
                else:
                    delivery.done = True  # given up
        with self._lock:
            self._pending = [d for d in self._pending if not d.done]
        return len(due)

    async def pump_async(self) -> int:
        now = self.clock()
        with self._lock:
            idle = not any(d.due_at <= now for d in self._pending)
        if idle:  # nothing due: no hop to a worker thread (one per request in-process)
            return 0
        return await anyio.to_thread.run_sync(self.pump)

    def reset(self) -> None:
        with self._lock:
            self.registrations.clear()
            self.outbox.clear()
            self._pending.clear()
