"""Loads what the booking rules need for one service day: a handful of queries, no N+1.

Threading: call inside a unit of work on the calling thread; the snapshot it returns is plain
data and may be handed to any thread.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.db.enums import BLOCKING_STATUSES, ReservationStatus, TableStatus
from app.db.models import DiningTable, Reservation, ReservationTable, Restaurant, Timeslot
from app.domain.assignment import BIG_TABLE_SEATS
from app.domain.availability import DaySnapshot, TimeslotInfo
from app.domain.booking_rules import BookingRules, rules_from
from app.domain.floor import TableGroup, TableInfo, joinable_groups
from app.domain.occupancy import Hold, Occupancy
from app.domain.service_hours import services_for
from app.errors import InvalidInput, NotFound

# A party still seated this long after its start is a forgotten booking, not a real overstay.
MAX_OVERSTAY = dt.timedelta(hours=12)
# A party still at its table after its booked end needs at least this long to pay and leave.
OVERSTAY_GRACE = dt.timedelta(minutes=30)
_groups_cache: dict[tuple[object, ...], list[TableGroup]] = {}


def load_restaurant(session: Session, restaurant_id: int) -> tuple[Restaurant, BookingRules]:
    restaurant = session.get(Restaurant, restaurant_id)
    if restaurant is None:
        raise NotFound(f"There is no restaurant with id {restaurant_id}.")
    try:
        rules = rules_from(
            timezone=restaurant.timezone,
            opening_hours=restaurant.opening_hours,
            settings=restaurant.settings,
            average_service_time=restaurant.average_service_time,
            max_advance_booking=restaurant.max_advance_booking,
        )
    except InvalidInput as exc:
        raise InvalidInput(
            f"{restaurant.name}'s settings are not valid, so bookings are paused: {exc.message} "
            "A manager can correct it in Restaurant settings."
        ) from exc
    return restaurant, rules


def load_tables(session: Session, restaurant_id: int) -> list[TableInfo]:
    t = DiningTable
    rows = session.execute(
        select(t.id, t.name, t.min_guests, t.max_guests, t.position, t.features, t.preferred_for,
               t.priority, t.ai_score, t.is_active, t.status)
        .where(t.restaurant_id == restaurant_id)
        .order_by(t.name)
    )  # fmt: skip
    return [
        TableInfo.from_row(
            id=row.id, name=row.name, min_guests=row.min_guests, max_guests=row.max_guests,
            position=row.position, features=row.features, preferred_for=row.preferred_for,
            priority=row.priority, ai_score=row.ai_score,
            bookable=row.is_active and row.status != TableStatus.MAINTENANCE,
        )
        for row in rows
    ]  # fmt: skip


def table_groups(tables: list[TableInfo], rules: BookingRules) -> list[TableGroup]:
    """Joinable groups, cached while the floor plan and the configured combinations hold."""
    key = (tuple(tables), rules.combinations)
    groups = _groups_cache.get(key)
    if groups is None:
        if len(_groups_cache) > 32:
            _groups_cache.clear()
        groups = _groups_cache[key] = joinable_groups(tables, rules.combinations)
    return groups


def load_snapshot(
    session: Session,
    restaurant_id: int,
    rules: BookingRules,
    service_day: dt.date,
    now: dt.datetime,
    tables: list[TableInfo] | None = None,
) -> DaySnapshot:
    tables = tables if tables is not None else load_tables(session, restaurant_id)
    windows = services_for(rules, service_day)
    day_start = dt.datetime.combine(service_day, dt.time(0), tzinfo=rules.timezone)
    start = min((w.opens_at for w in windows), default=day_start)
    longest = max([rules.default_turn, *(b.minutes for b in rules.turn_bands), 240])
    until = max((w.closes_at for w in windows), default=day_start + dt.timedelta(days=1))
    until += dt.timedelta(minutes=longest)
    return DaySnapshot(
        rules=rules,
        service_day=service_day,
        now=now,
        tables=tables,
        groups=table_groups(tables, rules),
        occupancy=Occupancy(_holds(session, restaurant_id, start, until, now, rules)),
        covers_by_slot=_covers(session, restaurant_id, rules, service_day),
        timeslots=_timeslots(session, restaurant_id, service_day),
        big_party_demand=_big_party_demand(session, restaurant_id, service_day),
    )


def _holds(
    session: Session,
    restaurant_id: int,
    start: dt.datetime,
    until: dt.datetime,
    now: dt.datetime,
    rules: BookingRules,
) -> list[Hold]:
    at_table = (ReservationStatus.SEATED, ReservationStatus.DINING)
    query = (
        select(
            ReservationTable.table_id,
            ReservationTable.reservation_id,
            ReservationTable.starts_at,
            ReservationTable.blocked_until,
            Reservation.status,
            Reservation.guests,
        )
        .join(Reservation, Reservation.id == ReservationTable.reservation_id)
        .where(
            Reservation.restaurant_id == restaurant_id,
            ReservationTable.blocking.is_(True),
            ReservationTable.starts_at < until,
            or_(
                ReservationTable.blocked_until > start,
                and_(
                    Reservation.status.in_(at_table),
                    ReservationTable.starts_at > now - MAX_OVERSTAY,
                ),
            ),
        )
    )
    buffer = dt.timedelta(minutes=rules.buffer)
    holds = []
    for table_id, reservation_id, starts_at, blocked_until, status, party in session.execute(query):
        if status in at_table:
            # A party at the table keeps it until it leaves, however long past its booked end.
            blocked_until = max(blocked_until, now + OVERSTAY_GRACE + buffer)
        holds.append(Hold(table_id, reservation_id, starts_at, blocked_until, party))
    return holds


def _covers(
    session: Session, restaurant_id: int, rules: BookingRules, service_day: dt.date
) -> dict[dt.datetime, int]:
    """Covers of holding bookings by the slot their start falls in (pacing counts arrivals)."""
    rows = session.execute(
        select(Reservation.starts_at, Reservation.guests).where(
            Reservation.restaurant_id == restaurant_id,
            Reservation.date == service_day,
            Reservation.status.in_(BLOCKING_STATUSES),
        )
    )
    windows = services_for(rules, service_day)
    step = dt.timedelta(minutes=rules.slot_interval)
    covers: dict[dt.datetime, int] = defaultdict(int)
    for starts_at, guests in rows:
        covers[slot_start_of(starts_at, windows, step)] += guests
    return dict(covers)


def slot_start_of(starts_at: dt.datetime, windows: list, step: dt.timedelta) -> dt.datetime:
    for window in windows:
        if window.opens_at <= starts_at < window.closes_at:
            return window.opens_at + ((starts_at - window.opens_at) // step) * step
    return starts_at


def _timeslots(session: Session, restaurant_id: int, day: dt.date) -> dict[dt.time, TimeslotInfo]:
    rows = session.scalars(
        select(Timeslot).where(Timeslot.restaurant_id == restaurant_id, Timeslot.date == day)
    )
    return {
        row.time.replace(tzinfo=None): TimeslotInfo(
            row.id, row.max_capacity, row.is_active, row.is_available, row.staff_level,
            row.special_event,
        )
        for row in rows
    }  # fmt: skip


def _big_party_demand(session: Session, restaurant_id: int, day: dt.date) -> dict[int, float]:
    """Big parties per hour on this weekday over the last four weeks (average per day)."""
    weeks = 4
    same_weekdays = [day - dt.timedelta(days=7 * i) for i in range(1, weeks + 1)]
    rows = session.scalars(
        select(Reservation.time).where(
            Reservation.restaurant_id == restaurant_id,
            Reservation.date.in_(same_weekdays),
            Reservation.guests > BIG_TABLE_SEATS,
            Reservation.status != ReservationStatus.CANCELLED,
        )
    )
    demand: dict[int, float] = defaultdict(float)
    for clock in rows:
        demand[clock.hour] += 1 / weeks
    return dict(demand)
