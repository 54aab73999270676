"""Serve a mock over HTTP for a benchmark, exactly as `conformance mock serve` does (create_mock
with a clock that follows real time, uvicorn, access log off), optionally with its rate limiters
raised out of reach (`--unlimited`): a load generator or `st run` would otherwise measure 429
answers, and Prism, the alternative, has no rate limit. The limiter code still runs on every
request; only its limit changes.

    python benchmarks/_serve.py --api cropster --port 8765 [--unlimited] [--seed-count 0]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from conformance.mocks import create_mock
from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.blocks.ratelimit import (
    FixedWindowLimiter,
    SlidingWindowLimiter,
    TokenBucketLimiter,
)
from conformance.targets import served_mock_exports

OUT_OF_REACH = 10**9


def lift_limits(app: object) -> list[str]:
    """Raise every rate limiter the mock holds out of reach; the names of those changed."""
    lifted = []
    for name, value in vars(app).items():
        if isinstance(value, SlidingWindowLimiter):
            value.limit = OUT_OF_REACH
        elif isinstance(value, TokenBucketLimiter):
            value.rate, value.burst = float(OUT_OF_REACH), OUT_OF_REACH
        elif isinstance(value, FixedWindowLimiter):
            value.limit_for = lambda _key: OUT_OF_REACH
        else:
            continue
        lifted.append(name)
    return lifted


def main() -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--unlimited", action="store_true")
    args = parser.parse_args()
    app = create_mock(args.api, clock=VirtualClock(follow_real_time=True))
    if args.unlimited:
        lift_limits(app)
    # one JSON line first: the CONFORMANCE_<API>_* values that point a live run (or a tool) at it
    print(json.dumps(served_mock_exports(args.api, app, "127.0.0.1", args.port)), flush=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
