"""The naive way most peers check availability: one SQL overlap query per table and slot.

    SELECT 1 FROM reservation_tables
    WHERE table_id = ? AND blocking AND starts_at < ? AND blocked_until > ? LIMIT 1

Used by availability.py as the baseline. It is made as fair as it can be: one connection for
the whole grid, a table's answer for the shortest stay it serves is reused for longer stays
(taken for 105 minutes means taken for 120), each (table, stay) answer is shared by every
party size, and a booking asks the candidate tables smallest first, stopping at the first free
one. It only answers yes/no (no scoring, pacing or notice rules), so it does less than the
engine.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, bindparam, insert, literal, select

from app.db.models import DiningTable, Guest, Reservation, ReservationTable
from app.domain.booking_rules import BookingRules
from app.domain.floor import TableGroup
from app.domain.service_hours import Slot, slots_for
from app.services.booking import BookingRequest

_rt = ReservationTable.__table__.c
OVERLAP = (
    select(literal(1))
    .where(
        _rt.table_id == bindparam("table_id"),
        _rt.blocking.is_(True),
        _rt.starts_at < bindparam("until"),
        _rt.blocked_until > bindparam("start"),
    )
    .limit(1)
)
# (id, min_guests, max_guests)
TableRow = tuple[int, int, int]


@dataclass
class NaiveTarget:
    engine: Engine
    restaurant_id: int
    rules: BookingRules
    groups: Sequence[TableGroup]
    queries: int = field(default=0)


def table_is_free(conn: Connection, table_id: int, start: dt.datetime, until: dt.datetime) -> bool:
    params = {"table_id": table_id, "start": start, "until": until}
    return conn.execute(OVERLAP, params).first() is None


def naive_tables(conn: Connection, restaurant_id: int) -> list[TableRow]:
    t = DiningTable.__table__.c
    query = (
        select(t.id, t.min_guests, t.max_guests)
        .where(t.restaurant_id == restaurant_id, t.is_active.is_(True))
        .order_by(t.max_guests, t.name)
    )
    return [(row.id, row.min_guests, row.max_guests) for row in conn.execute(query)]


def stays_needed(
    target: NaiveTarget, tables: list[TableRow], parties: Sequence[int]
) -> dict[int, list[int]]:
    """Per table, the distinct stays (minutes incl. buffer) of the parties it can serve."""
    rules = target.rules
    need: dict[int, set[int]] = {table_id: set() for table_id, _, _ in tables}
    for party in parties:
        stay = rules.turn_time(party) + rules.buffer
        for table_id, low, high in tables:
            if low <= party <= high:
                need[table_id].add(stay)
        for group in target.groups:
            if group.min_guests <= party <= group.max_guests:
                for member in group.ids:
                    need[member].add(stay)
    return {table_id: sorted(stays) for table_id, stays in need.items()}


def free_flags(
    conn: Connection, target: NaiveTarget, slot: Slot, stays: dict[int, list[int]]
) -> dict[tuple[int, int], bool]:
    """(table, stay) → free, shortest stay first: a table taken for it is taken for longer."""
    flags: dict[tuple[int, int], bool] = {}
    for table_id, minutes_list in stays.items():
        free = True
        for minutes in minutes_list:
            if free:
                until = slot.starts_at + dt.timedelta(minutes=minutes)
                free = table_is_free(conn, table_id, slot.starts_at, until)
                target.queries += 1
            flags[(table_id, minutes)] = free
    return flags


def naive_grid(target: NaiveTarget, day: dt.date, parties: Sequence[int]) -> list[list[bool]]:
    """Slots × tables overlap queries, then every party size from those flags."""
    rules = target.rules
    with target.engine.connect() as conn:
        tables = naive_tables(conn, target.restaurant_id)
        stays = stays_needed(target, tables, parties)
        per_slot = [free_flags(conn, target, slot, stays) for slot in slots_for(rules, day)]
    return [_party_row(target, tables, per_slot, party) for party in parties]


def _party_row(
    target: NaiveTarget,
    tables: list[TableRow],
    per_slot: list[dict[tuple[int, int], bool]],
    party: int,
) -> list[bool]:
    stay = target.rules.turn_time(party) + target.rules.buffer
    singles = [tid for tid, low, high in tables if low <= party <= high]
    groups = [g.ids for g in target.groups if g.min_guests <= party <= g.max_guests]
    return [
        any(flags[(tid, stay)] for tid in singles)
        or any(all(flags[(m, stay)] for m in ids) for ids in groups)
        for flags in per_slot
    ]


def naive_booking(target: NaiveTarget, request: BookingRequest) -> bool:
    """Guest, candidate tables, one overlap query per candidate, then the two inserts."""
    rules = target.rules
    local = dt.datetime.combine(request.date, request.time, tzinfo=rules.timezone)
    start = local.astimezone(dt.UTC)
    minutes = rules.turn_time(request.party_size)
    until = start + dt.timedelta(minutes=minutes + rules.buffer)
    party = request.party_size
    with target.engine.begin() as conn:
        guest_id = naive_guest(conn, target.restaurant_id, request)
        candidates = naive_tables(conn, target.restaurant_id)
        free = (
            t
            for t, low, high in candidates
            if low <= party <= high and table_is_free(conn, t, start, until)
        )
        chosen = next(free, None)
        if chosen is None:
            return False
        reservation_id = naive_reservation(conn, target, guest_id, chosen, request, start)
        conn.execute(
            insert(ReservationTable),
            {
                "reservation_id": reservation_id,
                "table_id": chosen,
                "starts_at": start,
                "blocked_until": until,
                "blocking": True,
            },
        )
    return True


def naive_guest(conn: Connection, restaurant_id: int, request: BookingRequest) -> int:
    g = Guest.__table__.c
    found = conn.execute(
        select(g.id).where(g.restaurant_id == restaurant_id, g.phone == request.phone)
    ).scalar()
    if found is not None:
        return int(found)
    row = {
        "restaurant_id": restaurant_id,
        "name": request.name,
        "phone": request.phone,
        "preferences": {},
        "allergies": [],
        "preferred_times": [],
    }
    return int(conn.execute(insert(Guest).returning(g.id), row).scalar_one())


def naive_reservation(
    conn: Connection,
    target: NaiveTarget,
    guest_id: int,
    table_id: int,
    request: BookingRequest,
    start: dt.datetime,
) -> int:
    minutes = target.rules.turn_time(request.party_size)
    row = {
        "restaurant_id": target.restaurant_id,
        "guest_id": guest_id,
        "table_id": table_id,
        "date": request.date,
        "time": request.time,
        "starts_at": start,
        "ends_at": start + dt.timedelta(minutes=minutes),
        "guests": request.party_size,
        "duration": minutes,
        "status": "confirmed",
        "source": "phone",
        "confirmation_code": "N" + secrets.token_hex(5).upper(),
        "reminder_sent": {},
    }
    statement = insert(Reservation).returning(Reservation.__table__.c.id)
    return int(conn.execute(statement, row).scalar_one())
