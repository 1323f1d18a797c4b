"""Stage timings of a request, reported the same way by answers, summaries and digests."""

from __future__ import annotations

import time


class Stopwatch:
    """Laps named stages; `timings()` gives each stage and the total in milliseconds."""

    def __init__(self, started: float | None = None) -> None:
        self._started = started if started is not None else time.perf_counter()
        self._last = self._started
        self._stages: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self._stages[f"{stage}_ms"] = round((now - self._last) * 1000, 1)
        self._last = now

    def timings(self) -> dict[str, float]:
        total = round((time.perf_counter() - self._started) * 1000, 1)
        return {**self._stages, "total_ms": total}
