"""Runs service calls off the UI thread and brings their results back to it (Picard's habit).

Threading contract: ``TaskRunner.run`` is called on the UI thread. The callable runs on a
worker thread of the runner's QThreadPool and must not touch widgets; it opens its own unit of
work through the services. ``on_done(result)`` or ``on_error(exception)`` is then called on the
UI thread. Callbacks of a runner that was shut down are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
