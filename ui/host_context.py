"""What every host-stand widget shares: the database, the signed-in user, the restaurant, the day.

Widgets never call each other: they read this context, run service calls through its
``tasks``, and refresh when it emits ``data_changed`` (one change signal for the whole app).

Threading contract: a HostContext lives on the UI thread. ``data_changed`` may be triggered by
a commit on a worker thread; it is delivered to the UI thread by a queued connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt, Signal

from app.services.accounts import UserSummary
from app.services.changes import Change
from app.services.database import Database
from app.services.live_updates import ANY
from app.services.permissions import Permission, allowed
from ui.tasks import SharedCalls, TaskRunner

# What every view may show; an unspecific change refreshes them all.
REFRESH_KINDS = ("restaurant", "table", "timeslot", "guest", "reservation", "conversation")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class HostContext(QObject):
    day_changed = Signal(object)  # dt.date
    restaurant_changed = Signal(int)
    data_changed = Signal(str, object)  # kind, frozenset of ids
    message_posted = Signal(str)  # a short note for the status bar
    _changes_arrived = Signal(object)

    def __init__(
        self,
        db: Database,
        user: UserSummary,
        restaurant_id: int,
        day: dt.date,
        *,
        timezone: str = "Europe/Moscow",
        clock: Callable[[], dt.datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.restaurant_id = restaurant_id
        self.timezone = timezone
        self._day = day
        self.clock = clock
        self.tasks = TaskRunner(self)
        # Read-only service calls the panels make together (the day's reservations) run once.
        self.shared = SharedCalls(one_at_a_time=db.is_sqlite)
        # Commits may happen on worker threads: hop to the UI thread before telling widgets.
        self._changes_arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = db.changes.subscribe(self._on_change)

    @property
    def day(self) -> dt.date:
        return self._day

    def set_day(self, day: dt.date) -> None:
        if day != self._day:
            self._day = day
            self.shared.invalidate()  # the panels' loads for this day share fresh answers
            self.day_changed.emit(day)

    def set_restaurant(self, restaurant_id: int, timezone: str) -> None:
        if restaurant_id != self.restaurant_id:
            self.restaurant_id = restaurant_id
            self.timezone = timezone
            self.shared.invalidate()
            self.restaurant_changed.emit(restaurant_id)

    def now(self) -> dt.datetime:
        return self.clock()

    def can(self, permission: Permission) -> bool:
        return allowed(self.user, permission)

    def announce(self, changes: Iterable[Change]) -> None:
        """Tell the widgets about changes that happened elsewhere (another terminal, Sofia)."""
        self.shared.invalidate()
        self._changes_arrived.emit(list(changes))

    def _on_change(self, change: Change) -> None:
        # Runs in the committing thread, before any widget hears of it: no load that starts
        # after the commit can be handed an answer read before it.
        self.shared.invalidate()
        self._changes_arrived.emit([change])

    def _deliver(self, changes: list[Change]) -> None:
        if not changes or any(change.kind == ANY for change in changes):
            # Unknown or everything (SQLite from another process, a reconnect): all kinds.
            for kind in REFRESH_KINDS:
                self.data_changed.emit(kind, frozenset())
            return
        for change in changes:
            self.data_changed.emit(change.kind, change.ids)

    def close(self) -> None:
        self._unsubscribe()
        self.tasks.shutdown()
