"""What the floor plan shows, loaded in one background call: tables with their live state and
the reservations around them.

Threading contract: ``load_floor`` runs on a worker thread (it only calls services, each its own
unit of work) and returns a frozen ``FloorSnapshot`` the UI thread reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from app.db.enums import BLOCKING_STATUSES, ReservationStatus
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.floor_plan import FloorTableLive, live_floor
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

    def table(self, table_id: int) -> FloorTableLive | None:
        return next((t for t in self.tables if t.table.id == table_id), None)

    def reservation(self, code_or_id: str | int) -> ReservationView | None:
        for r in self.reservations:
            if r.confirmation_code == code_or_id or r.id == code_or_id:
                return r
        return None

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


def load_floor(
    db: Database, restaurant_id: int, day: dt.date, now: dt.datetime, timezone: str
) -> FloorSnapshot:
    zone = ZoneInfo(timezone)
    tables = live_floor(db, restaurant_id, now)
    days = {day, now.astimezone(zone).date(), (now.astimezone(zone) - dt.timedelta(hours=6)).date()}
    seen: dict[int, ReservationView] = {}
    for d in sorted(days):
        for r in day_reservations(db, restaurant_id, d):
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
