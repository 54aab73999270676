"""Client-side pacing: keep one identity's traffic under a documented limit, as a well-behaved
client does. Time is injected: against a mock the clock is advanced, a live target is slept on."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Protocol


class Paces(Protocol):
    def before_request(self) -> None:
        """Wait (on the injected clock) until one more request stays inside the limit."""


class Pacer:
    """Mirrors a token bucket (`rate` per second, `burst`) and waits before a request would drain
    it below `margin` tokens (other clients of the identity may share the bucket)."""

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float],
        wait: Callable[[float], None],
        margin: float = 2.0,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.wait = wait
        self.tokens = float(burst)
        self.last = clock()
        self.margin = margin
        self._lock = threading.Lock()

    def before_request(self) -> None:
        with self._lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens < self.margin:
                self.wait((self.margin - self.tokens) / self.rate)
                self.tokens = self.margin
                self.last = self.clock()
            self.tokens -= 1


class WindowPacer:
    """At most `limit - margin` requests in any `window` seconds (stricter than a fixed window of
    the same size, so it also keeps a fixed-window quota)."""

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float],
        wait: Callable[[float], None],
        margin: int = 1,
    ) -> None:
        self.allowed = max(limit - margin, 1)
        self.window = window
        self.clock = clock
        self.wait = wait
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def before_request(self) -> None:
        with self._lock:
            now = self.clock()
            while self._sent and self._sent[0] <= now - self.window:
                self._sent.popleft()
            if len(self._sent) >= self.allowed:
                self.wait(self._sent[0] + self.window - now + 0.001)
                now = self.clock()
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
            self._sent.append(now)
