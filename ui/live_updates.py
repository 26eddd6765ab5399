"""Runs the change watcher on its own thread and hands what it hears to the UI thread.

Threading contract: ``LiveUpdates`` is created and started on the UI thread; its watcher loop
runs on a private QThread; ``changes_arrived``, ``connection_lost`` and ``connection_restored``
are emitted from that thread and reach UI-thread receivers through queued connections.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal

from app.services.database import Database
from app.services.live_updates import ChangeWatcher


class _WatchLoop(QThread):
    changes_arrived = Signal(object)  # list[Change]
    connection_lost = Signal(str)
    connection_restored = Signal()

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._url = db.url
        self._stop = threading.Event()

    def run(self) -> None:
        watcher = ChangeWatcher(self._url)
        was_connected = True
        try:
            while not self._stop.is_set():
                changes = watcher.wait_for_changes(timeout=0.5)
                if watcher.connected and not was_connected:
                    self.connection_restored.emit()
                    # Whatever changed while we were away is unknown: refresh everything.
                    self.changes_arrived.emit([])
                elif not watcher.connected and was_connected:
                    self.connection_lost.emit(watcher.last_error or "connection lost")
                was_connected = watcher.connected
                if changes:
                    self.changes_arrived.emit(changes)
        finally:
            watcher.close()

    def stop(self) -> None:
        self._stop.set()


class LiveUpdates(QObject):
    changes_arrived = Signal(object)
    connection_lost = Signal(str)
    connection_restored = Signal()

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loop = _WatchLoop(db)
        self._loop.changes_arrived.connect(self.changes_arrived)
        self._loop.connection_lost.connect(self.connection_lost)
        self._loop.connection_restored.connect(self.connection_restored)

    def start(self) -> None:
        self._loop.start()

    def stop(self) -> None:
        self._loop.stop()
        self._loop.wait(3000)
