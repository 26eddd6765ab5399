"""Read-only views the host stand loads together when a day opens, shaped for sharing.

``live_floor`` reads the tables and their bookings as ORM objects in one call; the floor plan
and the timeline both need the tables, so the floor plan loads them once with ``floor_tables``
(shared with the timeline) and asks ``live_tables`` for the states, which reads the bookings as
plain columns. Same rules, same answer as ``live_floor``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from app.db.enums import BLOCKING_STATUSES, ReservationStatus, TableStatus
from app.db.models import Guest, Reservation, ReservationTable
from app.domain.table_states import BookingOnTable, live_state
from app.services.database import Database
from app.services.floor_plan import LOOK_AHEAD, LOOK_BACK, FloorTable, FloorTableLive


def live_tables(
    db: Database, restaurant_id: int, now: dt.datetime, tables: Sequence[FloorTable]
) -> list[FloorTableLive]:
    """``tables`` (from ``floor_tables``) with their state at ``now``, as ``live_floor`` gives
    them. Worker thread or CLI; one read-only unit of work."""
    relevant = (*BLOCKING_STATUSES, ReservationStatus.COMPLETED)
    r = Reservation
    with db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(
                ReservationTable.table_id,
                r.id,
                r.status,
                r.starts_at,
                r.ends_at,
                r.arrival_time,
                r.departure_time,
                Guest.name,
                r.guests,
            )  # fmt: skip
            .join(r, r.id == ReservationTable.reservation_id)
            .join(Guest, Guest.id == r.guest_id)
            .where(
                r.restaurant_id == restaurant_id,
                r.status.in_(relevant),
                r.starts_at >= now - LOOK_BACK,
                r.starts_at <= now + LOOK_AHEAD,
            )
            .order_by(r.starts_at, r.id)
        ).all()
    bookings: dict[int, list[BookingOnTable]] = defaultdict(list)
    for table_id, *fields in rows:
        bookings[table_id].append(BookingOnTable(*fields))
    return [
        FloorTableLive(
            t,
            live_state(
                now=now,
                is_active=t.is_active,
                in_maintenance=t.status == TableStatus.MAINTENANCE,
                last_cleaned=t.last_cleaned,
                bookings=bookings.get(t.id, ()),
            ),
        )
        for t in tables
    ]
