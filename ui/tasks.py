"""Runs service calls off the UI thread and brings their results back to it (Picard's habit).

Threading contract: ``TaskRunner.run`` is called on the UI thread. The callable runs on a
worker thread of the runner's QThreadPool and must not touch widgets; it opens its own unit of
work through the services. ``on_done(result)`` or ``on_error(exception)`` is then called on the
UI thread. Callbacks of a runner that was shut down are dropped.

``SharedCalls.call`` runs on worker threads: panels loading the same day at once (floor plan,
timeline, day list) share one service call instead of each querying the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; its signals, emitted by a worker, are queued back to it."""

    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # every failure is reported to the UI, never lost
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()
        self._closed = False

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        **kwargs: Any,
    ) -> None:
        if self._closed:
            return
        relay = _Relay()
        self._relays.add(relay)

        def finished(result: Any) -> None:
            self._relays.discard(relay)
            if on_done is not None and not self._closed:
                on_done(result)

        def failed(exc: Exception) -> None:
            self._relays.discard(relay)
            if self._closed:
                return
            if on_error is not None:
                on_error(exc)
            else:
                log.error("background task failed", exc_info=exc)

        relay.done.connect(finished)
        relay.failed.connect(failed)
        self._pool.start(_Task(lambda: fn(*args, **kwargs), relay))

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the workers finish (tests and shutdown only; never in a UI handler)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        self._closed = True
        self._pool.waitForDone(5000)


def _key_part(value: Any) -> Hashable:
    """An argument as part of a call's key: itself, or its identity when it has no hash (the
    ``Database``, a dataclass that compares by value)."""
    try:
        hash(value)
    except TypeError:
        return (type(value), id(value))
    return value  # type: ignore[no-any-return]


class SharedCalls:
    """Coalesces identical read-only service calls made by several panels at about the same
    time: the first caller runs the service, the others wait for (and share) its answer.

    An answer is reused only while nothing was invalidated since it was asked for (the host
    context invalidates on every commit, every change from another terminal, and when the day
    or restaurant changes) and for at most ``ttl`` seconds: it joins loads that start
    together, it is not a cache (going back to a day queries it again).

    Threading contract: ``call`` runs on worker threads (it may block the calling worker on
    another worker's query, never the UI thread); ``invalidate`` may be called from any thread.
    Answers are shared between callers, so services must return immutable values (a list is
    copied for each caller).
    """

    def __init__(self, ttl: float = 1.0, *, one_at_a_time: bool = False) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._version = 0
        self._answers: dict[Hashable, tuple[float, Future[Any]]] = {}
        # On SQLite the calls run one at a time: every transaction takes the write lock
        # (BEGIN IMMEDIATE), and readers colliding on it back off in sleeps of 1 to 100 ms;
        # in turn they finish sooner. A server (PostgreSQL) answers them side by side.
        self._serial: AbstractContextManager[object] = (
            threading.Lock() if one_at_a_time else nullcontext()
        )

    def invalidate(self) -> None:
        with self._lock:
            self._version += 1
            self._answers.clear()

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        named = tuple((name, _key_part(value)) for name, value in sorted(kwargs.items()))
        key = (fn, tuple(map(_key_part, args)), named)
        now = time.monotonic()
        with self._lock:
            for old in [k for k, (at, _f) in self._answers.items() if now - at > self.ttl]:
                del self._answers[old]
            found = self._answers.get(key)
            owner = found is None
            if found is None:
                future: Future[Any] = Future()
                self._answers[key] = (now, future)
            else:
                future = found[1]
        if owner:
            try:
                with self._serial:
                    answer = fn(*args, **kwargs)
                future.set_result(answer)
            except BaseException as exc:
                future.set_exception(exc)
                with self._lock:
                    if self._answers.get(key, (0.0, None))[1] is future:
                        del self._answers[key]
        result = future.result()
        return list(result) if isinstance(result, list) else result
