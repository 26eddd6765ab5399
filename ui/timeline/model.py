"""What the timeline shows: one loaded day, and where each reservation's block sits now.

``load_timeline`` runs on a worker thread (it only calls services, each with its own unit of
work) and returns a frozen snapshot. ``TimelineModel`` lives on the UI thread: it indexes the
snapshot by table and keeps *overrides*, the places of blocks the host just dragged, until the
database confirms or refuses the move.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from app.db.enums import BLOCKING_STATUSES
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.floor_plan import FloorTable, floor_tables
from app.services.reservation_views import ReservationView
from app.services.service_hours_view import ServiceHours, service_hours
from ui.timeline.axis import Span, build_spans
from ui.timeline.rows import RowLayout
from ui.timeline.style import FADED_STATUSES


@dataclass(frozen=True)
class TimelineSnapshot:
    restaurant_id: int
    day: dt.date
    hours: ServiceHours
    tables: tuple[FloorTable, ...]
    reservations: tuple[ReservationView, ...]


def direct(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a service as it is (``fetch``'s default; the panel passes ``HostContext.shared``)."""
    return fn(*args, **kwargs)


def load_timeline(
    db: Database, restaurant_id: int, day: dt.date, fetch: Callable[..., Any] = direct
) -> TimelineSnapshot:
    """Everything the timeline draws for ``day``. Worker thread; returns frozen values.
    ``fetch(service, *args)`` makes the service calls (shared with other panels, or direct)."""
    return TimelineSnapshot(
        restaurant_id,
        day,
        fetch(service_hours, db, restaurant_id, day),
        tuple(fetch(floor_tables, db, restaurant_id)),
        tuple(fetch(day_reservations, db, restaurant_id, day)),
    )


@dataclass(frozen=True)
class Placement:
    """Where a block is drawn: its time and the tables (rows) it spans."""

    start: dt.datetime
    end: dt.datetime
    table_ids: tuple[int, ...]

    @property
    def minutes(self) -> int:
        return round((self.end - self.start).total_seconds() / 60)


class TimelineModel:
    def __init__(self, snapshot: TimelineSnapshot, *, show_faded: bool = False) -> None:
        self.snapshot = snapshot
        self.zone = ZoneInfo(snapshot.hours.timezone)
        self.show_faded = show_faded
        self.buffer = dt.timedelta(minutes=snapshot.hours.buffer_minutes)
        self.by_code = {r.confirmation_code: r for r in snapshot.reservations}
        self.overrides: dict[str, Placement] = {}
        visible_tables = {t.id for t in snapshot.tables if t.is_active}
        self.rows = RowLayout(
            snapshot.tables,
            unassigned=any(
                not set(r.table_ids) & visible_tables
                for r in snapshot.reservations
                if r.status in BLOCKING_STATUSES
            ),
        )
        self._index()

    # -- what is shown --------------------------------------------------------------------

    def is_shown(self, reservation: ReservationView) -> bool:
        return self.show_faded or reservation.status not in FADED_STATUSES

    def set_show_faded(self, show: bool) -> None:
        self.show_faded = show
        self._index()

    def spans(self) -> list[Span]:
        busy = []
        for reservation in self.snapshot.reservations:
            place = self.placement(reservation.confirmation_code)
            busy.append((place.start, place.end + self.buffer))
        return build_spans(self.snapshot.hours.windows, busy, self.zone, self.snapshot.day)

    def placement(self, code: str) -> Placement:
        override = self.overrides.get(code)
        if override is not None:
            return override
        r = self.by_code[code]
        return Placement(r.starts_at, r.ends_at, r.table_ids)

    def codes_on(self, table_id: int | None) -> list[str]:
        """Codes drawn on a table's row (None: the unassigned row), faded ones first."""
        return self._by_table.get(table_id, [])

    def shown_reservations(self) -> list[ReservationView]:
        return [r for r in self.snapshot.reservations if self.is_shown(r)]

    # -- moves in flight ------------------------------------------------------------------

    def set_override(self, code: str, placement: Placement) -> None:
        self.overrides[code] = placement
        self._index()

    def clear_override(self, code: str) -> None:
        if self.overrides.pop(code, None) is not None:
            self._index()

    def accept(self, view: ReservationView) -> None:
        """The database took a move: show the saved reservation until the next reload."""
        self.by_code[view.confirmation_code] = view
        self.snapshot = replace(
            self.snapshot,
            reservations=tuple(
                view if r.confirmation_code == view.confirmation_code else r
                for r in self.snapshot.reservations
            ),
        )
        self.overrides.pop(view.confirmation_code, None)
        self._index()

    def _index(self) -> None:
        visible_tables = set(self.rows.tables)
        by_table: dict[int | None, list[str]] = defaultdict(list)
        overrides = self.overrides

        def start_and_tables(r: ReservationView) -> tuple[dt.datetime, tuple[int, ...]]:
            moved = overrides.get(r.confirmation_code)  # ``placement`` without building one
            return (r.starts_at, r.table_ids) if moved is None else (moved.start, moved.table_ids)

        ordered = sorted(
            (r for r in self.snapshot.reservations if self.is_shown(r)),
            key=lambda r: (r.status not in FADED_STATUSES, start_and_tables(r)[0]),
        )
        for reservation in ordered:
            code = reservation.confirmation_code
            on = [t for t in start_and_tables(reservation)[1] if t in visible_tables]
            if on:
                for table_id in on:
                    by_table[table_id].append(code)
            elif reservation.status in BLOCKING_STATUSES and self.rows.unassigned_row():
                by_table[None].append(code)
        self._by_table = dict(by_table)
