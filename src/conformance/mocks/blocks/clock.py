"""Injected time. Nothing in a mock sleeps: tests advance the clock instead."""

from __future__ import annotations

import threading
import time

FIXED_EPOCH = 1_767_225_600.0  # 2026-01-01T00:00:00Z: in-process mocks start here, frozen


class VirtualClock:
    """Seconds since the epoch; frozen (in-process) or following real time (a served mock),
    in both cases moved forward by `advance`."""

    def __init__(self, start: float | None = None, *, follow_real_time: bool = False) -> None:
        self._lock = threading.Lock()
        self._follow = follow_real_time
        self._base = time.time() if start is None and follow_real_time else (start or FIXED_EPOCH)
        self._origin = time.monotonic()
        self._offset = 0.0

    @property
    def follows_real_time(self) -> bool:
        """A served mock's clock: time passes for the mock as it does for its clients."""
        return self._follow

    def now(self) -> float:
        with self._lock:
            elapsed = time.monotonic() - self._origin if self._follow else 0.0
            return self._base + elapsed + self._offset

    __call__ = now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError(f"the clock only moves forward; got {seconds!r}")
        with self._lock:
            self._offset += seconds
        return self.now()
