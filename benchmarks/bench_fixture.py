"""A big restaurant's booking book for the availability benchmark, written with bulk inserts.

200 tables in five rooms (2/4/6/8-tops laid out in rows, every other neighbour 20 cm apart so
the engine can join pairs), and ``days`` × ``per_day`` reservations placed so that no two
blocking holds on one table overlap (buffer included). Rows go in with SQLAlchemy Core
``insert`` (the booking engine would take far too long for tens of thousands); every booking
still gets its ``reservation_tables`` holds, so the exclusion constraint / triggers see them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert

from app.db.base import Base
from app.db.enums import ReservationSource, ReservationStatus, TableShape, TableStatus
from app.db.models import DiningTable, Guest, Reservation, ReservationTable, Restaurant
from app.domain.codes import ALPHABET
from app.domain.floor import TableGroup, TableInfo, joinable_groups

ZONE_NAME = "Europe/Moscow"
ZONE = ZoneInfo(ZONE_NAME)
FIRST_DAY = dt.date(2027, 3, 1)
# The clock the benchmark runs at: the morning before the first booked day (UTC).
NOW = dt.datetime(2027, 2, 28, 6, 0, tzinfo=dt.UTC)
HOURS = {d: [["12:00", "23:30"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SETTINGS = {
    "slot_interval_minutes": 15,
    "buffer_minutes": 15,
    "min_notice_minutes": 30,
    "last_seating_minutes_before_close": 60,
    "turn_times": {"1-2": 90, "3-4": 105, "5-8": 120, "9+": 150},
    "country": "RU",
}
BUFFER = dt.timedelta(minutes=15)
TURNS = ((2, 90), (4, 105), (8, 120))
ROOMS = ("Main room", "Hall", "Terrace", "Winter garden", "Bar")
# Per room of 40 tables: seats → how many.
ROOM_MIX = {2: 14, 4: 16, 6: 6, 8: 4}
MIN_GUESTS = {2: 1, 4: 2, 6: 3, 8: 5}
WIDTH = {2: 70, 4: 90, 6: 160, 8: 200}
PARTY_WEIGHTS = {1: 4, 2: 40, 3: 12, 4: 22, 5: 6, 6: 7, 7: 3, 8: 3, 9: 1, 10: 1, 11: 0.5, 12: 0.5}
GUESTS = 5000
# Status mix: the first three hold their tables, a cancelled booking does not.
STATUSES = (
    (ReservationStatus.CONFIRMED, 0.88),
    (ReservationStatus.PENDING, 0.05),
    (ReservationStatus.REMINDED, 0.03),
    (ReservationStatus.CANCELLED, 0.04),
)


@dataclass
class Fixture:
    restaurant_id: int
    days: list[dt.date]
    table_ids: list[int]
    reservations: int = 0
    holds: int = 0
    skipped: int = 0


# One booking before it is written: (table ids, start, minutes, party, status).
PlannedRow = tuple[tuple[int, ...], dt.datetime, int, int, ReservationStatus]


@dataclass
class Plan:
    """One day's bookings before they are written."""

    rows: list[PlannedRow] = field(default_factory=list)
    skipped: int = 0


def turn_minutes(party: int) -> int:
    for top, minutes in TURNS:
        if party <= top:
            return minutes
    return 150


@dataclass(frozen=True)
class TableSpec:
    name: str
    seats: int
    room: str
    x: int
    y: int
    features: tuple[str, ...]
    priority: int

    @property
    def position(self) -> dict[str, object]:
        return {
            "x": self.x,
            "y": self.y,
            "width": WIDTH[self.seats],
            "height": 80,
            "rotation": 0,
            "area": self.room,
        }

    def row(self, restaurant_id: int) -> dict[str, object]:
        return {
            "restaurant_id": restaurant_id,
            "name": self.name,
            "min_guests": MIN_GUESTS[self.seats],
            "max_guests": self.seats,
            "status": TableStatus.FREE,
            "priority": self.priority,
            "ai_score": 0.5,
            "is_active": True,
            "position": self.position,
            "features": list(self.features),
            "shape": TableShape.ROUND if self.seats == 2 else TableShape.RECTANGULAR,
            "preferred_for": [],
        }

    def info(self, table_id: int) -> TableInfo:
        return TableInfo.from_row(
            id=table_id,
            name=self.name,
            min_guests=MIN_GUESTS[self.seats],
            max_guests=self.seats,
            position=self.position,
            features=self.features,
            preferred_for=(),
            priority=self.priority,
            ai_score=0.5,
            bookable=True,
        )


def table_specs(rng: random.Random) -> list[TableSpec]:
    """Five rooms of 40 tables in rows of eight; neighbours alternate 20 cm and 120 cm apart."""
    specs: list[TableSpec] = []
    for room in ROOMS:
        seats = [s for s, count in ROOM_MIX.items() for _ in range(count)]
        rng.shuffle(seats)
        for index, size in enumerate(seats):
            row = index // 8
            in_row = enumerate(seats[row * 8 : index])
            x = sum(WIDTH[s] + (20 if i % 2 == 0 else 120) for i, s in in_row)
            features = ("window",) if row == 0 else ()
            if index % 11 == 0:
                features += ("accessible",)
            specs.append(
                TableSpec(
                    f"{room[0]}{index + 1}", size, room, x, row * 200, features, rng.randint(3, 9)
                )
            )
    return specs


def start_time(rng: random.Random) -> dt.time:
    """Lunch 12:00-14:30, a thin afternoon, and a dinner rush peaking around 19:30."""
    roll = rng.random()
    if roll < 0.35:
        minutes = 12 * 60 + 15 * rng.randint(0, 10)
    elif roll < 0.45:
        minutes = 15 * 60 + 15 * rng.randint(0, 10)
    else:
        minutes = int(rng.gauss(19.5 * 60, 55))
        minutes = min(max(minutes, 18 * 60), 22 * 60 + 30) // 15 * 15
    return dt.time(minutes // 60, minutes % 60)


class DayPlanner:
    """Places one day's bookings first-fit on randomly ordered tables (no overlaps)."""

    def __init__(self, tables: list[TableInfo], groups: list[TableGroup], rng: random.Random):
        self.tables = tables
        self.groups = [g for g in groups if len(g.tables) == 2]
        self.rng = rng
        self.busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {t.id: [] for t in tables}

    def free(self, table_id: int, start: dt.datetime, until: dt.datetime) -> bool:
        return all(until <= s or start >= e for s, e in self.busy[table_id])

    def options(self, party: int) -> list[tuple[int, ...]]:
        if party <= 8:
            found = [(t.id,) for t in self.tables if t.min_guests <= party <= t.max_guests]
        else:
            found = [g.ids for g in self.groups if g.min_guests <= party <= g.max_guests]
        self.rng.shuffle(found)
        return found

    def place(self, day: dt.date, party: int, status: ReservationStatus) -> Plan | None:
        minutes = turn_minutes(party)
        options = self.options(party)
        for _ in range(12):
            local = dt.datetime.combine(day, start_time(self.rng), tzinfo=ZONE)
            start = local.astimezone(dt.UTC)
            until = start + dt.timedelta(minutes=minutes) + BUFFER
            if status is ReservationStatus.CANCELLED:
                return Plan([(options[0], start, minutes, party, status)])
            for ids in options:
                if all(self.free(i, start, until) for i in ids):
                    for i in ids:
                        self.busy[i].append((start, until))
                    return Plan([(ids, start, minutes, party, status)])
        return None


def plan_day(
    day: dt.date, per_day: int, tables: list[TableInfo], groups: list[TableGroup], seed: int
) -> Plan:
    rng = random.Random(seed)
    planner = DayPlanner(tables, groups, rng)
    plan = Plan()
    parties, weights = zip(*PARTY_WEIGHTS.items(), strict=True)
    statuses, status_weights = zip(*STATUSES, strict=True)
    while len(plan.rows) < per_day and plan.skipped < per_day:
        party = rng.choices(parties, weights)[0]
        status = rng.choices(statuses, status_weights)[0]
        placed = planner.place(day, party, status)
        if placed is None:
            plan.skipped += 1
        else:
            plan.rows += placed.rows
    return plan


def code_of(number: int) -> str:
    """A unique 7-character code (the engine's own codes have 6, so they never collide)."""
    chars = []
    for _ in range(7):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


def reservation_row(
    restaurant_id: int, guest_id: int, day: dt.date, row: PlannedRow, number: int
) -> dict[str, object]:
    ids, start, minutes, party, status = row
    return {
        "restaurant_id": restaurant_id,
        "guest_id": guest_id,
        "table_id": min(ids),
        "date": day,
        "time": start.astimezone(ZONE).time().replace(tzinfo=None),
        "starts_at": start,
        "ends_at": start + dt.timedelta(minutes=minutes),
        "guests": party,
        "duration": minutes,
        "status": status,
        "source": ReservationSource.PHONE,
        "confirmation_code": code_of(number),
        "reminder_sent": {},
        "alternatives_offered": 0,
        "deposit_required": False,
        "deposit_paid": False,
    }


def insert_returning_ids(
    conn: Connection, model: type[Base], rows: list[dict[str, object]]
) -> list[int]:
    statement = insert(model).returning(model.__table__.c.id, sort_by_parameter_order=True)
    return [row[0] for row in conn.execute(statement, rows)]


def create_restaurant(conn: Connection, rng: random.Random) -> tuple[int, list[TableInfo]]:
    rid = insert_returning_ids(
        conn,
        Restaurant,
        [
            {
                "name": "Benchmark Brasserie",
                "timezone": ZONE_NAME,
                "opening_hours": HOURS,
                "settings": SETTINGS,
                "average_service_time": 90,
                "max_advance_booking": 120,
                "is_active": True,
            }
        ],
    )[0]
    specs = table_specs(rng)
    ids = insert_returning_ids(conn, DiningTable, [spec.row(rid) for spec in specs])
    return rid, [spec.info(table_id) for spec, table_id in zip(specs, ids, strict=True)]


def create_guests(conn: Connection, restaurant_id: int) -> list[int]:
    rows: list[dict[str, object]] = [
        {
            "restaurant_id": restaurant_id,
            "name": f"Guest {i}",
            "phone": f"+7903{i:07d}",
            "preferences": {},
            "allergies": [],
            "preferred_times": [],
            "visit_count": 0,
            "loyalty_points": 0,
            "ai_personality_profile": {},
            "communication_history": [],
        }
        for i in range(GUESTS)
    ]
    return insert_returning_ids(conn, Guest, rows)


def write_day(
    conn: Connection,
    fixture: Fixture,
    day: dt.date,
    plan: Plan,
    guest_ids: list[int],
    rng: random.Random,
) -> None:
    rows = [
        reservation_row(
            fixture.restaurant_id, rng.choice(guest_ids), day, row, fixture.reservations + n
        )
        for n, row in enumerate(plan.rows)
    ]
    ids = insert_returning_ids(conn, Reservation, rows)
    links = [
        {
            "reservation_id": rid,
            "table_id": table_id,
            "starts_at": start,
            "blocked_until": start + dt.timedelta(minutes=minutes) + BUFFER,
            "blocking": status is not ReservationStatus.CANCELLED,
        }
        for rid, (table_ids, start, minutes, _, status) in zip(ids, plan.rows, strict=True)
        for table_id in table_ids
    ]
    conn.execute(insert(ReservationTable), links)
    fixture.reservations += len(rows)
    fixture.holds += len(links)
    fixture.skipped += plan.skipped


def populate(engine: Engine, days: int, per_day: int, seed: int = 2027) -> Fixture:
    """Write the restaurant, its guests and every day's bookings; returns what was written."""
    rng = random.Random(seed)
    with engine.begin() as conn:
        rid, tables = create_restaurant(conn, rng)
        guest_ids = create_guests(conn, rid)
        groups = joinable_groups(tables)
        fixture = Fixture(rid, [], [t.id for t in tables])
        for offset in range(days):
            day = FIRST_DAY + dt.timedelta(days=offset)
            plan = plan_day(day, per_day, tables, groups, seed * 1000 + offset)
            write_day(conn, fixture, day, plan, guest_ids, rng)
            fixture.days.append(day)
    return fixture
