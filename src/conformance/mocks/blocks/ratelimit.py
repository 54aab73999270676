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
