"""Client-side pacing: keep one identity's traffic under a documented limit, as a well-behaved
client does. Time is injected: against a mock the clock is advanced, a live target is slept on."""

from __future__ import annotations

from collections.abc import Callable


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

    def before_request(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < self.margin:
            self.wait((self.margin - self.tokens) / self.rate)
            self.tokens = self.margin
            self.last = self.clock()
        self.tokens -= 1
