"""What the floor plan shows, loaded in one background call: tables with their live state and
the reservations around them.

Threading contract: ``load_floor`` runs on a worker thread (it only calls services, each its own
unit of work) and returns a frozen ``FloorSnapshot`` the UI thread reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from app.db.enums import BLOCKING_STATUSES, ReservationStatus
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.day_views import live_tables
from app.services.floor_plan import FloorTableLive, floor_tables
from app.services.reservation_views import ReservationView

S = ReservationStatus
UPCOMING = frozenset({S.PENDING, S.CONFIRMED, S.REMINDED})
# A booking this close to its start (or already started) is seated on a drop, not just moved.
DUE_WINDOW = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class FloorSnapshot:
    day: dt.date
    now: dt.datetime
    zone: ZoneInfo
    tables: tuple[FloorTableLive, ...]
    reservations: tuple[ReservationView, ...] = field(default=())

    @cached_property
    def _tables_by_id(self) -> dict[int, FloorTableLive]:
        return {t.table.id: t for t in self.tables}

    @cached_property
    def _reservations_by_key(self) -> dict[str | int, ReservationView]:
        index: dict[str | int, ReservationView] = {}
        for r in reversed(self.reservations):  # the first match wins, as a scan would find it
            index[r.id] = r
            index[r.confirmation_code] = r
        return index

    def table(self, table_id: int) -> FloorTableLive | None:
        return self._tables_by_id.get(table_id)

    def reservation(self, code_or_id: str | int) -> ReservationView | None:
        return self._reservations_by_key.get(code_or_id)

    def on_table(self, table_id: int) -> list[ReservationView]:
        """The table's current and upcoming reservations (the popup's list), by start."""
        return [
            r for r in self.reservations
            if table_id in r.table_ids and r.status in BLOCKING_STATUSES and r.ends_at > self.now
        ]  # fmt: skip

    def current_guest(self, table_id: int) -> ReservationView | None:
        live = self.table(table_id)
        if live is None or live.live.current is None:
            return None
        return self.reservation(live.live.current.reservation_id)


def direct(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a service as it is (``fetch``'s default; panels pass ``HostContext.shared.call``)."""
    return fn(*args, **kwargs)


def load_floor(
    db: Database,
    restaurant_id: int,
    day: dt.date,
    now: dt.datetime,
    timezone: str,
    fetch: Callable[..., Any] = direct,
) -> FloorSnapshot:
    """Worker thread. ``fetch(service, *args)`` makes the service calls (shared or direct)."""
    zone = ZoneInfo(timezone)
    # The tables are the timeline's too (one shared read); their states are the floor's own.
    tables = fetch(
        live_tables, db, restaurant_id, now, tuple(fetch(floor_tables, db, restaurant_id))
    )
    days = {day, now.astimezone(zone).date(), (now.astimezone(zone) - dt.timedelta(hours=6)).date()}
    seen: dict[int, ReservationView] = {}
    for d in sorted(days):
        for r in fetch(day_reservations, db, restaurant_id, d):
            seen[r.id] = r
    reservations = tuple(sorted(seen.values(), key=lambda r: (r.starts_at, r.id)))
    return FloorSnapshot(day, now, zone, tuple(tables), reservations)


def is_due(reservation: ReservationView, now: dt.datetime) -> bool:
    """Waiting to be seated and starting within the due window (or already late)."""
    return (
        reservation.status in UPCOMING
        and reservation.starts_at - now <= DUE_WINDOW
        and reservation.ends_at > now
    )
