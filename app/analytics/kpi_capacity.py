"""Capacity behind the two capacity KPIs: open time, seats and the table-minutes guests used.

Revenue per available seat hour and table utilisation both divide by what the restaurant could
have sold: its active tables (or their seats) times the time it was open. Open time comes from
configuration (opening hours and special dates), so it is summed in Python from
``services_for``; everything stored in rows (seats, occupied minutes) stays an SQL expression
for ``kpis`` to aggregate.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from app.analytics.scope import Scope
from app.analytics.sql_time import at_least_zero, minutes_between
from app.db.models import DiningTable, Reservation, ReservationTable
from app.domain.service_hours import services_for


def open_minutes(scope: Scope) -> float:
    """Minutes the restaurant is open over the period, in real elapsed time.

    Each service belongs to the day it opens on (a Saturday service closing at 04:00 is
    Saturday's), the same rule reservations' service dates follow. ``opens_at``/``closes_at``
    are UTC instants, so a service across a DST change lasts its true 5, 7 … hours.
    """
    total = dt.timedelta()
    for day in scope.period.dates():
        for window in services_for(scope.rules, day):
            total += window.closes_at - window.opens_at
    return total.total_seconds() / 60


def active_tables(scope: Scope) -> Subquery:
    """A one-row subquery: ``tables`` (active tables) and ``seats`` (their ``max_guests``).

    The floor plan as it is now: tables have no history, so a table retired last month does
    not count for last month either.
    """
    return (
        select(
            func.count(DiningTable.id).label("tables"),
            func.coalesce(func.sum(DiningTable.max_guests), 0).label("seats"),
        )
        .where(DiningTable.restaurant_id == scope.restaurant_id, DiningTable.is_active.is_(True))
        .subquery()
    )


def tables_held() -> ColumnElement[int]:
    """How many tables a reservation held: its links, else its ``table_id``, else none.

    A combined booking has one ``reservation_tables`` row per table and uses each of them for
    the whole stay; older or hand-entered rows may only carry ``table_id``.
    """
    links = (
        select(func.count())
        .where(ReservationTable.reservation_id == Reservation.id)
        .scalar_subquery()
    )
    # NULLIF turns "no links" into NULL so COALESCE falls back to table_id (links appear once).
    return func.coalesce(
        func.nullif(links, 0), case((Reservation.table_id.is_not(None), 1), else_=0)
    )


def holds_a_table() -> ColumnElement[bool]:
    """``tables_held() > 0`` without counting: a ``table_id``, else any link (EXISTS).

    The same truth value, but a booking with its ``table_id`` set needs no subquery at all.
    """
    linked = select(ReservationTable.reservation_id).where(
        ReservationTable.reservation_id == Reservation.id
    )
    return or_(Reservation.table_id.is_not(None), linked.exists())


def occupied_minutes() -> ColumnElement[float]:
    """Minutes one table was used by a reservation, never negative.

    From the real arrival (else the booked start) to the real departure (else the booked end):
    a guest still dining holds the table from when they sat down. A departure typed before the
    arrival counts as nothing rather than subtracting from other bookings.
    """
    span = minutes_between(
        func.coalesce(Reservation.departure_time, Reservation.ends_at),
        func.coalesce(Reservation.arrival_time, Reservation.starts_at),
    )
    return at_least_zero(span)
