"""The channel sync worker inside the desktop app: ``SyncWorker.run_forever`` on a QThread.

It polls every active integration of the database this terminal may poll (one poller per
integration across terminals: the others stand by) and is idle when there are none, so a bot
added while the app runs is picked up on the next round. After each round it reads the
integrations' state and reports it.

Threading contract: ``SyncThread`` is created, started and stopped on the UI thread. The worker
(its HTTP clients, locks and sessions) is created and used only on the private QThread.
``state_changed`` is emitted from that thread and reaches UI-thread receivers queued; it never
blocks the UI thread. ``stop`` sets the stop event (which also cuts the worker's pauses and
back-off sleeps short) and waits for the thread at most ``timeout_ms``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal

from app.channels.integrations import IntegrationView, list_integrations
from app.channels.worker import CIRCUIT_THRESHOLD, RoundReport, SyncWorker
from app.services.database import Database

log = logging.getLogger(__name__)
STOP_TIMEOUT_MS = 5000
_lingering: set[QThread] = set()  # threads that outlived stop(): never destroyed running


@dataclass(frozen=True)
class ChannelState:
    """One integration as the status bar and the integrations dialog show it."""

    integration_id: int
    restaurant_id: int
    type: str  # "telegram", "whatsapp"
    active: bool
    last_sync: dt.datetime | None
    error_count: int
    last_error: str | None
    circuit_open: bool  # the worker leaves it alone for a while after repeated failures
    standby: bool  # another terminal polls it

    @property
    def label(self) -> str:
        return {"telegram": "Telegram", "whatsapp": "WhatsApp"}.get(self.type, self.type)


def states_of(
    views: list[IntegrationView], circuit: Collection[int] = (), standby: Collection[int] = ()
) -> tuple[ChannelState, ...]:
    return tuple(
        ChannelState(
            integration_id=v.id,
            restaurant_id=v.restaurant_id,
            type=v.type.value,
            active=v.is_active,
            last_sync=v.last_sync,
            error_count=v.error_count,
            last_error=v.last_error,
            circuit_open=v.id in circuit,
            standby=v.id in standby,
        )  # fmt: skip
        for v in views
    )


class _ReportingWorker(SyncWorker):
    """A SyncWorker that hands every round's report to ``on_round`` (on the worker thread)."""

    def __init__(
        self, db: Database, on_round: Callable[[RoundReport], None], **options: Any
    ) -> None:
        super().__init__(db, **options)
        self._on_round = on_round

    def run_once(self) -> RoundReport:
        report = super().run_once()
        try:
            self._on_round(report)
        except Exception:  # reporting must never stop the worker
            log.exception("cannot report the channels' state")
        return report


class _SyncLoop(QThread):
    state_changed = Signal(object)  # tuple[ChannelState, ...]

    def __init__(self, db: Database, options: dict[str, Any]) -> None:
        super().__init__()
        self.setObjectName("channel-sync")
        self._db = db
        self._options = options
        self.stop_event = threading.Event()
        self._last: tuple[ChannelState, ...] | None = None
        self._circuit: set[int] = set()

    def run(self) -> None:
        options = {"sleep": self.stop_event.wait, **self._options}
        worker = _ReportingWorker(self._db, self._report, **options)
        worker.run_forever(self.stop_event)  # closes the worker (locks, clients) on return

    def _report(self, report: RoundReport) -> None:
        views = list_integrations(self._db, self._options.get("restaurant_id"))
        # The circuit opens when a failed round reaches the threshold, stays open while the
        # worker skips the integration, and closes when it polls it successfully again.
        self._circuit |= set(report.skipped)
        self._circuit |= {
            v.id for v in views if v.id in report.failed and v.error_count >= CIRCUIT_THRESHOLD
        }
        self._circuit -= set(report.polled) - set(report.failed)
        states = states_of(views, self._circuit, set(report.standby))
        if states != self._last:
            self._last = states
            self.state_changed.emit(states)


class SyncThread(QObject):
    state_changed = Signal(object)  # tuple[ChannelState, ...], delivered on the UI thread

    def __init__(self, db: Database, parent: QObject | None = None, **worker_options: Any) -> None:
        """``worker_options`` go to ``SyncWorker`` (now, sleep, restaurant_id, engine, ...)."""
        super().__init__(parent)
        worker_options.setdefault("long_poll", False)  # a long poll would hold up closing
        self._loop = _SyncLoop(db, worker_options)
        self._loop.state_changed.connect(self.state_changed, Qt.ConnectionType.QueuedConnection)

    @property
    def qthread(self) -> QThread:
        return self._loop

    def start(self) -> None:
        self._loop.start()

    def is_running(self) -> bool:
        return self._loop.isRunning()

    def stop(self, timeout_ms: int = STOP_TIMEOUT_MS) -> bool:
        """Ask the worker to stop and wait for it; False if it is still busy after the wait."""
        self._loop.stop_event.set()
        if not self._loop.isRunning():
            return True
        if self._loop.wait(timeout_ms):
            return True
        log.warning("the channel worker is still busy after %d ms; it stops on its own", timeout_ms)
        _lingering.add(self._loop)  # never destroyed while it runs
        return False
