"""Years of one busy restaurant's history for the analytics benchmark, bulk-inserted.

``populate(engine, reservations=500_000)`` writes, for one restaurant of 150 tables (640 seats)
open 12:00-23:30 every day, ``reservations`` bookings spread over ~2½ years of service days
ending a fortnight after ``TODAY`` (busier on Fridays and Saturdays):

* reservations placed on five seatings a table (12:00, 14:15, 17:00, 19:15, 21:30, started on
  the quarter-hour or 15 min late, 90-105 min + 15 min buffer), so no two holds on a table
  overlap; ~1 % of large parties join two eight-tops (two ``reservation_tables`` rows);
* a realistic mix: sources (phone, web, Telegram, WhatsApp, the AI assistant, walk-ins),
  statuses (completed, no-shows, cancellations with reasons, a few reschedules; the last
  fortnight confirmed, pending and reminded; today partly seated and dining), party sizes
  fitted to tables, lead times from minutes to two months, bills, ratings, real arrival and
  departure times;
* a status history of ~1.9 rows a booking: the creation row (``from_status`` NULL) by
  ``sofia``, ``website`` or ``host`` (half of those with a signed-in user), then its outcome;
* ~40,000 guests with a long-tailed visit frequency (regulars and one-off guests);
* a conversation for a third of Sofia's bookings (satisfaction ratings, hand-offs, four to five
  messages with Sofia's reply times), and ~200,000 ``ai_activities`` with models, tokens,
  costs, frustration levels and hand-offs.

Rows go in through SQLAlchemy Core ``insert()`` with lists of dicts, 10,000 reservations (and
their dependants) per round, a transaction per 100,000 reservations. On PostgreSQL a superuser
load sets ``session_replication_role = replica`` for its transactions, which skips the
per-row NOTIFY and foreign-key triggers (the data are consistent by construction).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert, text

from app.db.models import (
    AiActivity,
    ConversationThread,
    DiningTable,
    Guest,
    Message,
    Reservation,
    ReservationStatusChange,
    ReservationTable,
    Restaurant,
    User,
)

TODAY = dt.date(2026, 11, 24)
FUTURE_DAYS = 14
NAME = "Analytics Benchmark Brasserie"
HOURS = {d: [["12:00", "23:30"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SETTINGS: dict[str, Any] = {
    "slot_interval_minutes": 15, "buffer_minutes": 15, "min_notice_minutes": 30,
    "last_seating_minutes_before_close": 60,
    "turn_times": {"1-2": 90, "3-4": 90, "5-8": 105, "9+": 105},
    "country": "RU", "currency": "RUB",
}  # fmt: skip
SEATINGS = ((12, 0), (14, 15), (17, 0), (19, 15), (21, 30))
TABLE_MIX = {2: 50, 4: 60, 6: 25, 8: 15}
PARTIES = {2: ((1, 2), (1, 9)), 4: ((2, 3, 4), (3, 3, 4)), 6: ((4, 5, 6), (3, 3, 4)),
           8: ((6, 7, 8), (3, 2, 3))}  # fmt: skip
WEEKDAY_LOAD = (0.75, 0.8, 0.85, 0.95, 1.2, 1.3, 1.05)
BUFFER = dt.timedelta(minutes=15)
GUESTS = 40_000
STAFF = (("Daria Kuznetsova", "daria@bench.example"), ("Ilya Orlov", "ilya@bench.example"),
         ("Marina Volkova", "marina@bench.example"))  # fmt: skip
SOURCES = (("phone", 28), ("web", 20), ("telegram", 15), ("whatsapp", 12),
           ("ai_assistant", 15), ("walk_in", 10))  # fmt: skip
SOFIA_SOURCES = ("telegram", "whatsapp", "ai_assistant")
PLATFORM = {"telegram": "telegram", "whatsapp": "whatsapp", "ai_assistant": "web"}
PAST_OUTCOMES = (("completed", 80), ("no_show", 5), ("cancelled", 13), ("rescheduled", 2))
FUTURE_STATUSES = (("confirmed", 80), ("pending", 8), ("reminded", 7), ("cancelled", 5))
CANCEL_REASONS = ("Plans changed", "Guest unwell", "Flight delayed", "Booked elsewhere",
                  "Weather", "Business meeting moved", "", None)  # fmt: skip
NO_SHOW_REASONS = ("No answer on two calls", "Phone switched off", None, None)
MODELS = (("gpt-4o-mini", 60, Decimal("0.00000015"), Decimal("0.0000006")),
          ("gpt-4o-2024-08-06", 25, Decimal("0.0000025"), Decimal("0.00001")),
          (None, 15, Decimal(0), Decimal(0)))  # fmt: skip
ACTIVITY_TYPES = ("conversation", "booking_attempt", "alternative_suggestion",
                  "sentiment_analysis", "frustration_detection")  # fmt: skip
FIRST = ("Anna", "Ivan", "Olga", "Sergei", "Maria", "Dmitri", "Elena", "Pavel", "Nina", "Li",
         "Анна", "Иван", "Ольга", "Сергей", "Мария", "Дмитрий", "Елена", "Marco")  # fmt: skip
LAST = ("Petrov", "Ivanova", "Smirnov", "Kuznetsova", "Popov", "Sokolova", "Lebedev", "Wei",
        "Петров", "Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Bianchi")  # fmt: skip
FLUSH_EVERY = 10_000
ACTIVITIES_PER_BOOKING = 0.4  # 200,000 for 500,000 bookings
COMMIT_EVERY = 100_000


@dataclass
class Loaded:
    restaurant_id: int
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Buffers:
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in ORDER}
    )
    written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ORDER, 0))

    def flush(self, conn: Connection) -> None:
        for name in ORDER:
            rows = self.rows[name]
            if rows:
                conn.execute(insert(TABLES[name]), rows)
                self.written[name] += len(rows)
                rows.clear()


TABLES = {
    "conversation_threads": ConversationThread.__table__,
    "reservations": Reservation.__table__,
    "reservation_tables": ReservationTable.__table__,
    "reservation_status_history": ReservationStatusChange.__table__,
    "messages": Message.__table__,
    "ai_activities": AiActivity.__table__,
}
ORDER = tuple(TABLES)


def _pick(rng: random.Random, options: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]


class History:
    """Generates and writes the rows; one instance per load (its counters are the ids)."""

    def __init__(self, zone: ZoneInfo, seed: int) -> None:
        self.zone = zone
        self.rng = random.Random(seed)
        self.reservation_ids = itertools.count(1)
        self.conversation_ids = itertools.count(1)
        self.codes = itertools.count(1)

    # -- fixed rows ------------------------------------------------------------------------

    def restaurant(self, conn: Connection, zone_name: str, reservations: int) -> int:
        settings = SETTINGS | {"benchmark": {"reservations": reservations,
                                             "today": TODAY.isoformat()}}  # fmt: skip
        conn.execute(insert(Restaurant.__table__), [{
            "id": 1, "name": NAME, "timezone": zone_name, "opening_hours": HOURS,
            "settings": settings, "average_service_time": 90, "max_advance_booking": 60,
            "is_active": True, "created_at": _utc(2024, 1, 1), "updated_at": _utc(2024, 1, 1),
        }])  # fmt: skip
        tables, table_id = [], 0
        for seats, count in TABLE_MIX.items():
            for n in range(count):
                table_id += 1
                tables.append({
                    "id": table_id, "restaurant_id": 1, "name": f"{'ABCD'[seats // 2 - 1]}{n + 1}",
                    "min_guests": 1, "max_guests": seats, "status": "free",
                    "position": {"x": n * 150, "y": seats * 100, "width": 80 + seats * 10,
                                 "height": 80, "rotation": 0, "area": "Main room"},
                    "features": [], "priority": 5, "shape": "square", "is_active": True,
                    "ai_score": 0.5, "preferred_for": [], "created_at": _utc(2024, 1, 1),
                    "updated_at": _utc(2024, 1, 1),
                })  # fmt: skip
        conn.execute(insert(DiningTable.__table__), tables)
        self.tables = [(row["id"], row["max_guests"]) for row in tables]
        self.eight_tops = [tid for tid, seats in self.tables if seats == 8]
        conn.execute(insert(User.__table__), [{
            "id": i + 1, "email": email, "password": "x" * 60, "role": "staff", "name": name,
            "is_active": True, "failed_login_count": 0, "created_at": _utc(2024, 1, 1),
        } for i, (name, email) in enumerate(STAFF)])  # fmt: skip
        return 1

    def guests(self, conn: Connection) -> None:
        rows = []
        for i in range(GUESTS):
            rows.append({
                "id": i + 1, "restaurant_id": 1,
                "name": f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
                "phone": f"+7916{i:07d}", "preferences": {}, "allergies": [], "visit_count": 0,
                "total_spent": Decimal("0.00"), "preferred_times": [], "blacklisted": i % 211 == 0,
                "loyalty_points": 0, "ai_personality_profile": {}, "communication_history": [],
                "created_at": _utc(2024, 1, 1), "updated_at": _utc(2024, 1, 1),
            })  # fmt: skip
            if len(rows) == FLUSH_EVERY:
                conn.execute(insert(Guest.__table__), rows)
                rows = []
        if rows:
            conn.execute(insert(Guest.__table__), rows)
        # Long tail: a few hundred regulars come weekly, most guests once or twice.
        weights = [1 / (rank + 20) ** 0.9 for rank in range(GUESTS)]
        self.guest_cum = list(itertools.accumulate(weights))

    # -- one service day -------------------------------------------------------------------

    def day(self, buffers: Buffers, day: dt.date, count: int) -> int:
        """Place ``count`` bookings on the day's seatings; returns how many did not fit."""
        rng = self.rng
        slots = [(t, s) for t in range(len(self.tables)) for s in range(len(SEATINGS))]
        rng.shuffle(slots)
        used: set[tuple[int, int]] = set()
        free_eights = {s: list(self.eight_tops) for s in range(len(SEATINGS))}
        for table_index, seating in slots:
            if count == 0:
                break
            if (table_index, seating) in used:
                continue
            used.add((table_index, seating))
            table_id, seats = self.tables[table_index]
            tables = [table_id]
            sizes, weights = PARTIES[seats]
            party = rng.choices(sizes, weights)[0]
            if seats == 8:
                free_eights[seating].remove(table_id)
                if rng.random() < 0.15 and free_eights[seating]:
                    partner = free_eights[seating].pop()
                    used.add((partner - 1, seating))
                    tables.append(partner)
                    party = rng.randint(10, 14)
            self.reservation(buffers, day, seating, tables, party)
            count -= 1
        return count

    def reservation(
        self, buffers: Buffers, day: dt.date, seating: int, tables: list[int], party: int
    ) -> None:
        rng = self.rng
        rid = next(self.reservation_ids)
        hour, minute = SEATINGS[seating]
        local = dt.datetime.combine(day, dt.time(hour, minute + rng.choice((0, 0, 15))),
                                    tzinfo=self.zone)  # fmt: skip
        starts_at = local.astimezone(dt.UTC)
        duration = 90 if party <= 4 else 105
        ends_at = starts_at + dt.timedelta(minutes=duration)
        source = _pick(rng, SOURCES)
        status = self._status(day, seating, source)
        if source == "walk_in":
            created_at = starts_at - dt.timedelta(minutes=rng.randint(0, 10))
        else:
            lead_hours = min(max(rng.lognormvariate(3.6, 1.4), 0.3), 24 * 60)
            created_at = starts_at - dt.timedelta(hours=lead_hours)
        guest_id = bisect_left(self.guest_cum, rng.random() * self.guest_cum[-1]) + 1
        arrived = status in ("completed", "seated", "dining")
        arrival = starts_at + dt.timedelta(minutes=rng.randint(-10, 20)) if arrived else None
        departure = (
            arrival + dt.timedelta(minutes=duration + rng.randint(-20, 25))
            if status == "completed" and arrival
            else None
        )
        conversation_id = None
        actor, user_id = self._creator(source)
        if actor == "sofia" and rng.random() < 0.34:
            conversation_id = self.conversation(buffers, guest_id, source, created_at)
        buffers.rows["reservations"].append({
            "id": rid, "restaurant_id": 1, "guest_id": guest_id, "table_id": tables[0],
            "date": day, "time": local.time().replace(tzinfo=None), "starts_at": starts_at,
            "ends_at": ends_at, "guests": party, "duration": duration, "status": status,
            "source": source, "confirmation_code": _code(next(self.codes)),
            "arrival_time": arrival, "departure_time": departure,
            "no_show_reason": rng.choice(NO_SHOW_REASONS) if status == "no_show" else None,
            "cancellation_reason":
                rng.choice(CANCEL_REASONS) if status == "cancelled" else None,
            "rating": _rating(rng) if status == "completed" and rng.random() < 0.25 else None,
            "total_amount": _bill(rng, party) if arrived and status != "seated" else None,
            "deposit_required": False, "deposit_paid": False, "reminder_sent": {},
            "conversation_id": conversation_id, "alternatives_offered": 0,
            "created_at": created_at, "updated_at": departure or created_at,
        })  # fmt: skip
        blocking = status in ("pending", "confirmed", "reminded", "seated", "dining")
        for table_id in tables:
            buffers.rows["reservation_tables"].append({
                "reservation_id": rid, "table_id": table_id, "starts_at": starts_at,
                "blocked_until": ends_at + BUFFER, "blocking": blocking,
            })  # fmt: skip
        self._history(buffers, rid, source, status, actor, user_id, created_at, starts_at,
                      departure)  # fmt: skip

    def _status(self, day: dt.date, seating: int, source: str) -> str:
        if day > TODAY:
            return _pick(self.rng, FUTURE_STATUSES)
        if day == TODAY and seating >= 2:  # the demo-style clock: 18:30 today
            if seating == 2:
                return "dining" if source != "walk_in" and self.rng.random() < 0.7 else "seated"
            return _pick(self.rng, FUTURE_STATUSES)
        if source == "walk_in":
            return "completed"
        return _pick(self.rng, PAST_OUTCOMES)

    def _creator(self, source: str) -> tuple[str, int | None]:
        if source in SOFIA_SOURCES and self.rng.random() < 0.85:
            return "sofia", None
        if source == "web":
            return "website", None
        if self.rng.random() < 0.5:
            return "host", self.rng.randint(1, len(STAFF))
        return "host", None

    def _history(
        self, buffers: Buffers, rid: int, source: str, status: str, actor: str,
        user_id: int | None, created_at: dt.datetime, starts_at: dt.datetime,
        departure: dt.datetime | None,
    ) -> None:  # fmt: skip
        rows = buffers.rows["reservation_status_history"]
        walk_in = source == "walk_in"
        first = "seated" if walk_in else ("pending" if status == "pending" else "confirmed")
        if status == "cancelled" and self.rng.random() < 0.3:
            first = "pending"
        rows.append({"reservation_id": rid, "from_status": None, "to_status": first,
                     "changed_at": created_at, "changed_by_user_id": user_id, "actor": actor,
                     "reason": None})  # fmt: skip
        if status == first:
            return
        if status == "cancelled":
            at = created_at + (starts_at - created_at) * self.rng.random()
        elif status == "completed":
            at = departure or starts_at + dt.timedelta(minutes=90)
        else:
            at = min(starts_at + dt.timedelta(minutes=30), created_at + dt.timedelta(days=60))
        rows.append({"reservation_id": rid, "from_status": first, "to_status": status,
                     "changed_at": max(at, created_at), "changed_by_user_id": None,
                     "actor": "host", "reason": None})  # fmt: skip

    def conversation(
        self, buffers: Buffers, guest_id: int, source: str, created_at: dt.datetime
    ) -> int:
        rng = self.rng
        cid = next(self.conversation_ids)
        handoff = rng.random() < 0.05
        started = created_at - dt.timedelta(minutes=rng.randint(2, 20))
        messages = [("user", 0), ("ai", 1), ("user", 2), ("ai", 3)]
        if handoff:
            messages.append(("agent", 5))
        for sender, minute in messages:
            buffers.rows["messages"].append({
                "conversation_id": cid, "sender_type": sender, "message_text": "…",
                "message_type": "text", "metadata": {}, "entities_extracted": {},
                "is_flagged": False, "created_at": started + dt.timedelta(minutes=minute),
                "response_time": rng.randint(700, 4500) if sender == "ai" else None,
            })  # fmt: skip
        last = started + dt.timedelta(minutes=messages[-1][1])
        buffers.rows["conversation_threads"].append({
            "id": cid, "restaurant_id": 1, "guest_id": guest_id, "platform": PLATFORM[source],
            "platform_user_id": f"u{guest_id}", "status": "completed", "stage": "confirming",
            "context": {}, "message_count": len(messages), "last_message_at": last,
            "satisfaction_rating": _rating(rng) if rng.random() < 0.4 else None,
            "agent_handoff": handoff, "created_at": started, "updated_at": last,
        })  # fmt: skip
        for turn in range(3):
            self.activity(buffers, started + dt.timedelta(minutes=turn), cid, guest_id)
        return cid

    def activity(
        self, buffers: Buffers, at: dt.datetime, conversation_id: int | None, guest_id: int | None
    ) -> None:
        rng = self.rng
        model = rng.choices(MODELS, [m[1] for m in MODELS])[0]
        input_tokens = rng.randint(800, 4000) if model[0] else 0
        output_tokens = rng.randint(50, 400) if model[0] else 0
        cost = (input_tokens * model[2] + output_tokens * model[3]).quantize(Decimal("0.000001"))
        frustration = rng.choices((None, 0, 1, 2, 3, 4, 5), (30, 35, 15, 10, 5, 3, 2))[0]
        buffers.rows["ai_activities"].append({
            "restaurant_id": 1, "type": rng.choice(ACTIVITY_TYPES), "metadata": {},
            "conversation_id": conversation_id, "guest_id": guest_id, "success": True,
            "model_version": model[0], "input_tokens": input_tokens,
            "output_tokens": output_tokens, "cost": cost, "user_frustration_level": frustration,
            "context_preserved": True, "alternatives_generated": 0,
            "booking_completed": rng.random() < 0.3, "human_handoff_required": rng.random() < 0.03,
            "processing_time": rng.randint(300, 3000), "created_at": at,
        })  # fmt: skip


def _utc(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


def _code(number: int) -> str:
    return f"BX{number:07d}"


def _rating(rng: random.Random) -> int:
    return rng.choices((5, 4, 3, 2, 1), (45, 35, 12, 5, 3))[0]


def _bill(rng: random.Random, party: int) -> Decimal:
    per_head = max(600.0, rng.gauss(2600, 700))
    return Decimal(f"{party * per_head:.2f}")


def service_days(reservations: int) -> Iterator[tuple[dt.date, int]]:
    """(day, bookings) for every service day, so that the bookings add up exactly."""
    mean_per_day = 560
    days = max(1, round(reservations / mean_per_day))
    first = TODAY + dt.timedelta(days=FUTURE_DAYS - days + 1)
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    weights = [WEEKDAY_LOAD[d.weekday()] for d in dates]
    scale = reservations / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(reservations - sum(counts)):
        counts[i % days] += 1
    capacity = len(SEATINGS) * sum(TABLE_MIX.values())
    if max(counts) > capacity:
        raise ValueError(f"{max(counts)} bookings a day do not fit {capacity} seatings")
    yield from zip(dates, counts, strict=True)


def populate(
    engine: Engine, reservations: int = 500_000, *, zone_name: str = "Europe/Moscow",
    seed: int = 2026, progress: Any = None,
) -> Loaded:  # fmt: skip
    """Write the whole history (see the module docstring) into a migrated, empty database."""
    history = History(ZoneInfo(zone_name), seed)
    buffers = Buffers()
    days = list(service_days(reservations))
    # Conversations bring ~0.36 activities a booking; the rest are turns that booked nothing.
    extra_per_day = max(0.0, ACTIVITIES_PER_BOOKING - 0.364) * reservations / len(days)
    with engine.connect() as conn:
        _fast_load(conn)
        restaurant_id = history.restaurant(conn, zone_name, reservations)
        history.guests(conn)
        conn.commit()
        pending = done = left_over = 0
        for day, planned in days:
            if pending == 0:
                _fast_load(conn)  # a new transaction
            # Joined tables take two seatings: what a full day cannot seat moves to the next.
            wanted = planned + left_over
            left_over = history.day(buffers, day, wanted)
            count = wanted - left_over
            noon = dt.datetime.combine(day, dt.time(12), tzinfo=history.zone)
            for _ in range(int(extra_per_day + history.rng.random())):
                at = noon + dt.timedelta(minutes=history.rng.randint(-600, 660))
                history.activity(buffers, at.astimezone(dt.UTC), None, None)
            pending += count
            done += count
            if len(buffers.rows["reservations"]) >= FLUSH_EVERY:
                buffers.flush(conn)
            if pending >= COMMIT_EVERY:
                buffers.flush(conn)
                conn.commit()
                pending = 0
                if progress:
                    progress(done)
        if left_over:
            raise RuntimeError(f"{left_over} bookings did not fit the last day")
        buffers.flush(conn)
        conn.commit()
    finish(engine)
    counts = dict(buffers.written) | {"guests": GUESTS, "tables": len(history.tables)}
    return Loaded(restaurant_id, TODAY, counts)


def _fast_load(conn: Connection) -> None:
    """PostgreSQL as superuser: skip row triggers (NOTIFY, FK checks) for this transaction.
    SQLite: a 256 MB page cache for the loading connection (index pages stay in memory)."""
    if conn.dialect.name != "postgresql":
        conn.exec_driver_sql("PRAGMA cache_size = -262144")
        return
    if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
        conn.execute(text("SET LOCAL session_replication_role = replica"))


def finish(engine: Engine) -> None:
    """Sequences past the explicit ids (PostgreSQL), then fresh planner statistics."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("restaurants", "tables", "users", "guests", "reservations",
                          "conversation_threads"):  # fmt: skip
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                ))  # fmt: skip
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
