"""One total deadline for a blocking call that reads from the network.

HTTP clients time out per read: a model endpoint that sends its headers and then one byte every
four seconds never trips a five-second read timeout, and held a request for 32 s before this
existed. Here the work runs on a worker thread and the caller waits on a queue with the time that
is left, so the caller is released at the deadline whatever the other side does; the worker is
told to stop and its connection closed, so it ends at its next read.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


class DeadlinePassed(TimeoutError):
    """The work did not finish within its deadline."""


class Cancel:
    """Passed to the work: it checks `stopped` between reads and registers how to close its connection."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._closers: list[Callable[[], object]] = []
        self._lock = threading.Lock()

    @property
    def stopped(self) -> bool:
        return self._event.is_set()

    def on_stop(self, close: Callable[[], object]) -> None:
        with self._lock:
            self._closers.append(close)
            stopped = self._event.is_set()
        if stopped:
            _quietly(close)

    def stop(self) -> None:
        with self._lock:
            self._event.set()
            closers = list(self._closers)
        for close in closers:
            _quietly(close)


def _quietly(close: Callable[[], object]) -> None:
    # Closing a connection the caller has already given up on: a failure changes nothing.
    with contextlib.suppress(Exception):
        close()


def iterate_within(seconds: float, work: Callable[[Cancel], Iterator[T]]) -> Iterator[T]:
    """The items `work` yields, each as it comes; DeadlinePassed once `seconds` have passed in all.

    Exceptions of the work are raised here, in the caller's thread.
    """
    items: queue.Queue[tuple[str, object]] = queue.Queue()
    cancel = Cancel()

    def run() -> None:
        try:
            for item in work(cancel):
                if cancel.stopped:
                    return
                items.put(("item", item))
            items.put(("end", None))
        except BaseException as exc:  # handed to the caller, who decides
            items.put(("error", exc))

    threading.Thread(target=run, name="deadline-worker", daemon=True).start()
    end = time.monotonic() + seconds
    try:
        while True:
            try:
                kind, value = items.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                raise DeadlinePassed(f"no complete answer within {seconds:g} s") from None
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            yield value  # type: ignore[misc]
    finally:
        cancel.stop()


def call_within(seconds: float, work: Callable[[Cancel], T]) -> T:
    """`work(cancel)`'s result, or DeadlinePassed once `seconds` have passed."""
    for result in iterate_within(seconds, lambda cancel: iter([work(cancel)])):
        return result
    raise AssertionError("the work returned nothing")  # pragma: no cover - iter([x]) yields once
