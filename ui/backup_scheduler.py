"""The automatic daily backup of the local database while the desktop app is open.

A restaurant's host stand stays open for days, so the scheduler does not only back up at
start: it checks once when started and then every hour; ``daily_backup`` writes at most one
backup per local date (``backups_dir()/daily/tobeout-YYYY-MM-DD.sqlite3``) and keeps two weeks
of them. PostgreSQL databases are skipped (the server has its own backup regime).

Threading contract: a BackupScheduler is created, started and stopped on the UI thread. Each
backup runs on a worker thread of its own TaskRunner (it only touches files, never widgets);
``backup_written(path)`` and ``backup_failed(message)`` are then emitted on the UI thread. A
failure is reported, never raised, and the next hourly check tries again. At most one backup
runs at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import ToBeOutError
from app.services.backups import DAILY_KEEP_DAYS, daily_backup, takes_daily_backups
from app.services.database import Database
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

HOUR_MS = 60 * 60 * 1000


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class BackupScheduler(QObject):
    backup_written = Signal(str)  # the new backup's path
    backup_failed = Signal(str)  # a message a manager can read
    finished = Signal()  # one check done (written, nothing to do, or failed)

    def __init__(
        self,
        db: Database,
        *,
        folder: Path | None = None,
        interval_ms: int = HOUR_MS,
        keep_days: int = DAILY_KEEP_DAYS,
        clock: Callable[[], dt.datetime] = local_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.folder = folder
        self.keep_days = keep_days
        self.clock = clock
        self._tasks = TaskRunner(self, max_threads=1)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.run_now)
        self._running = False

    @property
    def enabled(self) -> bool:
        """Only the local SQLite file is backed up by the app."""
        return takes_daily_backups(self.db)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if not self.enabled:
            return
        self.run_now()
        self._timer.start()

    def stop(self) -> None:
        """Stop the hourly checks; a backup already running is finished (files stay whole)."""
        self._timer.stop()
        self._tasks.shutdown()

    def run_now(self) -> None:
        if self._running or not self.enabled:
            return
        self._running = True
        self._tasks.run(
            daily_backup, self.db, now=self.clock(), folder=self.folder,
            keep_days=self.keep_days, on_done=self._done, on_error=self._failed,
        )  # fmt: skip

    def _done(self, written: Path | None) -> None:
        self._running = False
        if written is not None:
            log.info("daily backup written to %s", written)
            self.backup_written.emit(str(written))
        self.finished.emit()

    def _failed(self, exc: Exception) -> None:
        self._running = False
        reason = exc.message if isinstance(exc, ToBeOutError) else str(exc) or repr(exc)
        log.warning("daily backup failed: %s", reason)
        self.backup_failed.emit(f"The daily backup failed: {reason}")
        self.finished.emit()


def start_daily_backups(
    db: Database, *, parent: QObject, report: Callable[[str], None] | None = None
) -> BackupScheduler:
    """Start the daily backups for the app's database (a no-op for PostgreSQL); failures go
    to ``report`` (the status bar) as well as to the log."""
    scheduler = BackupScheduler(db, parent=parent)
    if report is not None:
        scheduler.backup_failed.connect(report)
    scheduler.start()
    return scheduler
