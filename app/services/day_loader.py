"""Loads what the booking rules need for one service day: a handful of queries, no N+1.

Threading: call inside a unit of work on the calling thread; the snapshot it returns is plain
data and may be handed to any thread.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.db.enums import BLOCKING_STATUSES, ReservationStatus, TableStatus
from app.db.models import DiningTable, Reservation, ReservationTable, Restaurant, Timeslot
from app.domain.assignment import BIG_TABLE_SEATS
from app.domain.availability import DaySnapshot, TimeslotInfo, largest_single
from app.domain.booking_rules import BookingRules, rules_from
from app.domain.floor import TableGroup, TableInfo, joinable_groups
from app.domain.occupancy import Hold, Occupancy
from app.domain.service_hours import services_for
from app.errors import InvalidInput, NotFound

# A party still seated this long after its start is a forgotten booking, not a real overstay.
MAX_OVERSTAY = dt.timedelta(hours=12)
# A party still at its table after its booked end needs at least this long to pay and leave.
OVERSTAY_GRACE = dt.timedelta(minutes=30)
# The longest a booked hold can reach past its reservation's start: the longest stay a booking
# may ask for (720 min) plus the longest buffer (120 min). Bounds the holds query from below.
MAX_BOOKED_HOLD = dt.timedelta(minutes=720 + 120)
# A party seated early holds its table from its arrival; one seated more than this before its
# booked start is a mistake the snapshot does not look for (bounds the holds query from above).
MAX_EARLY_SEAT = dt.timedelta(hours=24)
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
    """The restaurant's tables, rebuilt only when the floor plan changed.

    A cheap fingerprint query (count, sum of ids, latest ``updated_at``) runs on every call, in
    the caller's transaction, so an edit committed by any process (or pending in this session)
    is seen at once; only the JSON decoding and ``TableInfo`` building is cached.
    """
    t = DiningTable
    fingerprint = tuple(
        session.execute(
            select(func.count(t.id), func.sum(t.id), func.max(t.updated_at)).where(
                t.restaurant_id == restaurant_id
            )
        ).one()
    )
    cache = _tables_cache_for(session)
    cached = cache.get(restaurant_id) if cache is not None else None
    if cached is not None and cached[0] == fingerprint:
        return list(cached[1])
    tables = _read_tables(session, restaurant_id)
    if cache is not None:
        with _tables_lock:
            cache[restaurant_id] = (fingerprint, tuple(tables))
    return tables


# Per engine (one database), per restaurant: (fingerprint, tables). Weak keys: a disposed
# engine takes its entries with it, and a new engine never inherits another one's tables.
_tables_cache: weakref.WeakKeyDictionary[
    Any, dict[int, tuple[tuple[Any, ...], tuple[TableInfo, ...]]]
]
_tables_cache = weakref.WeakKeyDictionary()
_tables_lock = threading.Lock()


def _tables_cache_for(session: Session) -> dict[int, Any] | None:
    try:
        engine = session.get_bind()
    except Exception:  # an unbound session: no cache  # pragma: no cover
        return None
    with _tables_lock:
        cache = _tables_cache.get(engine)
        if cache is None:
            cache = _tables_cache[engine] = {}
    return cache


def _read_tables(session: Session, restaurant_id: int) -> list[TableInfo]:
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
        **_party_demand(session, restaurant_id, service_day, largest_single(tables)),
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
    rows: dict[tuple[int, int], tuple] = {}
    for low, high in _start_ranges(start, until, now):
        # Bounded by reservations.starts_at (ix_reservations_restaurant_starts): without it
        # the query reads the whole booking history.
        bounded = query.where(Reservation.starts_at >= low, Reservation.starts_at < high)
        for row in session.execute(bounded):
            rows[(row.table_id, row.reservation_id)] = tuple(row)
    buffer = dt.timedelta(minutes=rules.buffer)
    holds = []
    for table_id, reservation_id, starts_at, blocked_until, status, party in rows.values():
        if status in at_table:
            # A party at the table keeps it until it leaves, however long past its booked end.
            blocked_until = max(blocked_until, now + OVERSTAY_GRACE + buffer)
        holds.append(Hold(table_id, reservation_id, starts_at, blocked_until, party))
    return holds


def _start_ranges(
    start: dt.datetime, until: dt.datetime, now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Reservation start times that can hold a table in [start, until), as 1 or 2 ranges.

    A booked hold reaching ``start`` began at most MAX_BOOKED_HOLD before it. An overstaying
    party (seated or dining) counts while its hold began less than MAX_OVERSTAY before ``now``;
    a party seated early holds from its arrival, so its reservation starts at most
    MAX_EARLY_SEAT after the hold (and after ``now`` for one seated now).
    """
    ranges = sorted([
        (start - MAX_BOOKED_HOLD, until + MAX_EARLY_SEAT),
        (now - MAX_OVERSTAY, now + MAX_EARLY_SEAT),
    ])  # fmt: skip
    (low1, high1), (low2, high2) = ranges
    if low2 <= high1:  # overlapping: one range
        return [(low1, max(high1, high2))]
    return ranges


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


def _party_demand(
    session: Session, restaurant_id: int, day: dt.date, single: int
) -> dict[str, dict[int, float]]:
    """Big parties per hour on this weekday over the last four weeks (average per day).

    ``big_party_demand`` counts parties over ``BIG_TABLE_SEATS``; ``group_party_demand`` those
    no single table seats (over ``single`` seats), which only joined groups can take.
    """
    weeks = 4
    same_weekdays = [day - dt.timedelta(days=7 * i) for i in range(1, weeks + 1)]
    rows = session.execute(
        select(Reservation.time, Reservation.guests).where(
            Reservation.restaurant_id == restaurant_id,
            Reservation.date.in_(same_weekdays),
            Reservation.guests > min(BIG_TABLE_SEATS, single),
            Reservation.status != ReservationStatus.CANCELLED,
        )
    )
    big: dict[int, float] = defaultdict(float)
    grouped: dict[int, float] = defaultdict(float)
    for clock, guests in rows:
        if guests > BIG_TABLE_SEATS:
            big[clock.hour] += 1 / weeks
        if guests > single:
            grouped[clock.hour] += 1 / weeks
    return {"big_party_demand": dict(big), "group_party_demand": dict(grouped)}


def _big_party_demand(session: Session, restaurant_id: int, day: dt.date) -> dict[int, float]:
    """Big parties per hour on this weekday over the last four weeks (average per day)."""
    return _party_demand(session, restaurant_id, day, BIG_TABLE_SEATS)["big_party_demand"]
