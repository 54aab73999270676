"""Rate limiters on the injected clock."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # when a slot frees up again (epoch seconds)
    retry_after: int  # whole seconds to wait when refused

    @property
    def reset_epoch(self) -> int:
        return math.ceil(self.reset_at)


class SlidingWindowLimiter:
    """At most `limit` hits per key in any `window` seconds; every attempt counts."""

    def __init__(
        self, clock: Callable[[], float], limit: int, window: float, *, count_rejected: bool = False
    ) -> None:
        self.clock = clock
        self.limit = limit
        self.window = window
        self.count_rejected = count_rejected
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> Decision:
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            allowed = len(hits) < self.limit
            if allowed or self.count_rejected:
                hits.append(now)
            reset_at = (hits[0] + self.window) if hits else now
            remaining = max(self.limit - len(hits), 0)
            return Decision(allowed, self.limit, remaining, reset_at, max(math.ceil(reset_at - now), 1))

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


class FixedWindowLimiter:
    """`limit` hits per key in a window that starts at the key's first request (OriginTrace).
    Limits may differ per key (`limit_for`)."""

    def __init__(
        self,
        clock: Callable[[], float],
        window: float,
        limit_for: Callable[[str], int],
        *,
        shared: bool = False,
        aligned: bool = False,
        sliding: bool = False,
    ) -> None:
        self.clock = clock
        self.window = window
        self.limit_for = limit_for
        self.shared = shared  # a fault: every key spends one window
        self.aligned = aligned  # a fault: windows start at multiples of the window (the top of the hour)
        self.sliding = sliding  # a fault: a sliding window instead of a fixed one
        self._windows: dict[str, tuple[float, int]] = {}
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, *, spend: bool = True) -> Decision:
        """`spend=False`: the decision as it stands, the request not counted (a fault's way)."""
        now = self.clock()
        limit = self.limit_for(key)
        slot = "*" if self.shared else key
        if self.sliding:
            with self._lock:
                hits = self._hits.setdefault(slot, deque())
                while hits and hits[0] <= now - self.window:
                    hits.popleft()
                allowed = len(hits) < limit
                if allowed:
                    hits.append(now)
                reset_at = (hits[0] + self.window) if hits else now + self.window
                left = max(limit - len(hits), 0)
                return Decision(allowed, limit, left, reset_at, max(math.ceil(reset_at - now), 1))
        with self._lock:
            start, count = self._windows.get(slot, (now, 0))
            if now >= start + self.window:
                start, count = (now - now % self.window if self.aligned else now), 0
            allowed = count < limit
            if allowed and spend:
                count += 1
            self._windows[slot] = (start, count)
            reset_at = start + self.window
            return Decision(
                allowed, limit, max(limit - count, 0), reset_at, max(math.ceil(reset_at - now), 1)
            )

    def peek(self, key: str) -> bool:
        """Whether `key` has quota left in its window (nothing is spent)."""
        now = self.clock()
        slot = "*" if self.shared else key
        with self._lock:
            start, count = self._windows.get(slot, (now, 0))
            return now >= start + self.window or count < self.limit_for(key)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
            self._hits.clear()


class TokenBucketLimiter:
    """`rate` tokens per second up to `burst`; a request takes one token (Cropster: 5/s, burst 10)."""

    def __init__(self, clock: Callable[[], float], rate: float, burst: int) -> None:
        self.clock = clock
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> Decision:
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            self._buckets[key] = (tokens, now)
            refill = (1 - tokens) / self.rate if self.rate > 0 else 86400.0  # rate 0 never refills: "a day"
            wait = 0.0 if tokens >= 1 else refill
            return Decision(allowed, self.burst, int(tokens), now + wait, max(math.ceil(wait), 1))

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
