"""A random but reproducible restaurant history, for checking rewritten queries against the
queries they replaced (``reference_queries``) on both databases.

Two restaurants (the second must never leak into the first's figures), a few hundred days of
bookings around ``TODAY`` on distinct table seatings, and the awkward cases the metrics have
rules for: walk-ins, reschedules, a guest's lunch and dinner on one day, bookings without a
status history or without a table, combined tables, departures typed before arrivals, lead
times within a millisecond of a bucket boundary, conversations handed to a person by the flag
or by an agent's message, untimed AI messages and blacklisted guests.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.analytics.scope import SOFIA_ACTOR
from app.db.enums import (
    BLOCKING_STATUSES,
    Platform,
    ReservationSource,
    ReservationStatus,
    SenderType,
    TableStatus,
)
from app.db.models import (
    ConversationThread,
    DiningTable,
    Guest,
    Message,
    Reservation,
    ReservationStatusChange,
    ReservationTable,
    Restaurant,
)
from app.services.database import Database

S = ReservationStatus
Src = ReservationSource
TODAY = dt.date(2026, 11, 24)
ZONE = "Europe/Moscow"
HOURS = {d: [["12:00", "23:30"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SEATINGS = ((12, 0), (14, 30), (18, 0), (20, 30))
# (seats, active): the last table is retired, so it is not capacity but still has history.
LAYOUT = ((2, True), (2, True), (4, True), (4, True), (6, True), (8, True), (8, True), (4, False))
PAST = ((S.COMPLETED, 60), (S.NO_SHOW, 8), (S.CANCELLED, 12), (S.RESCHEDULED, 4),
        (S.SEATED, 3), (S.DINING, 3), (S.CONFIRMED, 5), (S.PENDING, 3), (S.INQUIRY, 2))  # fmt: skip
FUTURE = ((S.CONFIRMED, 50), (S.PENDING, 20), (S.REMINDED, 15), (S.CANCELLED, 15))
SOURCES = ((Src.PHONE, 25), (Src.WEB, 20), (Src.TELEGRAM, 15), (Src.WHATSAPP, 10),
           (Src.AI_ASSISTANT, 15), (Src.WALK_IN, 15))  # fmt: skip
ACTORS = (SOFIA_ACTOR, "host", "website", "cli")
# Lead-time bucket bounds in hours, probed to within a millisecond either side.
BOUNDS_H = (24, 72, 168, 720)
_codes = itertools.count(1)
ROWS = ("conversation_threads", "reservations", "reservation_tables",
        "reservation_status_history", "messages")  # fmt: skip
TABLES = {
    "conversation_threads": ConversationThread.__table__,
    "reservations": Reservation.__table__,
    "reservation_tables": ReservationTable.__table__,
    "reservation_status_history": ReservationStatusChange.__table__,
    "messages": Message.__table__,
}


@dataclass
class History:
    restaurant_id: int
    other_restaurant_id: int
    counts: dict[str, int] = field(default_factory=dict)


def _pick(rng: random.Random, options: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]


class _Writer:
    def __init__(
        self, session: Session, rng: random.Random, name: str, guests: int, ids: itertools.count
    ) -> None:
        self.session = session
        self.rng = rng
        self.ids = ids
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in ROWS}
        self.zone = ZoneInfo(ZONE)
        restaurant = Restaurant(
            name=name, timezone=ZONE, opening_hours=HOURS, settings={"currency": "RUB"},
            average_service_time=90, max_advance_booking=60,
        )  # fmt: skip
        session.add(restaurant)
        session.flush()
        self.restaurant_id = restaurant.id
        self.tables: list[int] = []
        for n, (seats, active) in enumerate(LAYOUT):
            table = DiningTable(
                restaurant_id=restaurant.id, name=f"T{n + 1}", min_guests=1, max_guests=seats,
                position={"x": n * 100, "y": 0, "width": 80, "height": 80, "rotation": 0,
                          "area": "Main"},
                features=[], preferred_for=[], priority=5, status=TableStatus.FREE,
                is_active=active,
            )  # fmt: skip
            session.add(table)
            session.flush()
            self.tables.append(table.id)
        self.guests: list[int] = []
        for n in range(guests):
            guest = Guest(
                restaurant_id=restaurant.id, name=rng.choice(("Anna", "anna", "Ivan", "Zoë")),
                phone=f"+7916{restaurant.id:02d}{n:05d}", blacklisted=n % 13 == 5,
            )  # fmt: skip
            session.add(guest)
            session.flush()
            self.guests.append(guest.id)
        # A long tail: a few regulars, many occasional guests.
        self.weights = [1 / (rank + 3) for rank in range(guests)]
        self.reservations = 0

    def day(self, day: dt.date, count: int) -> None:
        rng = self.rng
        slots = [(t, s) for t in range(len(self.tables)) for s in range(len(SEATINGS))]
        rng.shuffle(slots)
        taken: set[tuple[int, int]] = set()
        for table_index, seating in slots[:count]:
            if (table_index, seating) in taken:
                continue
            taken.add((table_index, seating))
            guest = rng.choices(self.guests, self.weights)[0]
            tables = [table_index]
            # Some big parties hold the next table at the same seating too.
            partner = (table_index + 1) % len(self.tables)
            if rng.random() < 0.1 and (partner, seating) not in taken:
                taken.add((partner, seating))
                tables.append(partner)
            self.reservation(day, seating, guest, tables)
            # Now and then the same guest comes back for dinner: two reservations, one visit.
            if seating < 2 and rng.random() < 0.08:
                later = (table_index, seating + 2)
                if later not in taken:
                    taken.add(later)
                    self.reservation(day, seating + 2, guest, [table_index])

    def reservation(self, day: dt.date, seating: int, guest: int, tables: list[int]) -> None:
        rng = self.rng
        hour, minute = SEATINGS[seating]
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)
        starts_at = local.astimezone(dt.UTC)
        duration = rng.choice((90, 105))
        ends_at = starts_at + dt.timedelta(minutes=duration)
        source = _pick(rng, SOURCES)
        status = _pick(rng, PAST if day <= TODAY else FUTURE)
        if day == TODAY and seating >= 2:
            status = rng.choice((S.SEATED, S.DINING, S.CONFIRMED))
        created_at = starts_at - self._lead()
        arrived = status in (S.SEATED, S.DINING, S.COMPLETED)
        arrival = departure = None
        if arrived and rng.random() < 0.85:
            arrival = starts_at + dt.timedelta(seconds=rng.randint(-900, 1800),
                                               microseconds=rng.randint(0, 999_999))  # fmt: skip
            if status is S.COMPLETED and rng.random() < 0.9:
                # Now and then a departure typed before the arrival.
                departure = arrival + dt.timedelta(minutes=rng.randint(-20, 150))
        table_id = self.tables[tables[0]] if rng.random() < 0.9 else None
        linked = rng.random() < 0.8
        conversation_id = None
        actor = rng.choice(ACTORS) if rng.random() < 0.9 else None
        if actor == SOFIA_ACTOR and rng.random() < 0.6:
            conversation_id = self.conversation(guest, created_at)
        self.reservations += 1
        rid = next(self.ids)
        self.rows["reservations"].append({
            "id": rid, "restaurant_id": self.restaurant_id, "guest_id": guest,
            "table_id": table_id, "date": day, "time": local.time().replace(tzinfo=None),
            "starts_at": starts_at, "ends_at": ends_at, "guests": rng.randint(1, 8),
            "duration": duration, "status": status, "source": source,
            "confirmation_code": f"RH{next(_codes):07d}", "arrival_time": arrival,
            "departure_time": departure,
            "cancellation_reason": rng.choice(("Plans changed", " plans  CHANGED", "", None))
            if status is S.CANCELLED else None,
            "rating": rng.choice((None, None, 1, 2, 3, 4, 5)) if arrived else None,
            "total_amount": Decimal(f"{rng.randint(0, 900_000) / 100:.2f}")
            if arrived and rng.random() < 0.9 else None,
            "conversation_id": conversation_id, "reminder_sent": {}, "deposit_required": False,
            "deposit_paid": False, "alternatives_offered": 0, "created_at": created_at,
            "updated_at": created_at,
        })  # fmt: skip
        if linked:
            for index in tables:
                self.rows["reservation_tables"].append({
                    "reservation_id": rid, "table_id": self.tables[index],
                    "starts_at": starts_at, "blocked_until": ends_at + dt.timedelta(minutes=15),
                    "blocking": status in BLOCKING_STATUSES,
                })  # fmt: skip
        if actor is not None:
            self.history(rid, status, actor, created_at)

    def write(self) -> None:
        """Insert the collected rows, parents first."""
        for name in ROWS:
            if self.rows[name]:
                self.session.execute(insert(TABLES[name]), self.rows[name])

    def _lead(self) -> dt.timedelta:
        rng = self.rng
        if rng.random() < 0.15:
            # Within a millisecond of a bucket bound, either side (and exactly on it).
            edge = dt.timedelta(hours=rng.choice(BOUNDS_H))
            return edge + dt.timedelta(microseconds=rng.choice((-1000, -600, -500, -400, 0, 1,
                                                                400, 500, 600, 1000)))  # fmt: skip
        if rng.random() < 0.03:
            return -dt.timedelta(minutes=rng.randint(1, 30))  # typed in after the start
        return dt.timedelta(minutes=rng.randint(0, 60 * 24 * 45), microseconds=rng.randint(0, 999))

    def history(
        self, reservation_id: int, status: ReservationStatus, actor: str, at: dt.datetime
    ) -> None:
        rng = self.rng
        first = rng.choice((S.PENDING, S.CONFIRMED, S.INQUIRY, S.SEATED))
        path = [first]
        if status is not first:
            if rng.random() < 0.3:
                path.append(rng.choice((S.CONFIRMED, S.REMINDED, S.PENDING)))
            path.append(status)
        before: ReservationStatus | None = None
        for step, to_status in enumerate(path):
            self.rows["reservation_status_history"].append({
                "reservation_id": reservation_id, "from_status": before, "to_status": to_status,
                "changed_at": at + dt.timedelta(hours=step),
                "actor": actor if step == 0 else rng.choice(ACTORS), "reason": None,
                "changed_by_user_id": None,
            })  # fmt: skip
            before = to_status

    def conversation(self, guest: int, created_at: dt.datetime) -> int:
        rng = self.rng
        started = created_at - dt.timedelta(minutes=rng.randint(1, 30))
        messages: list[tuple[SenderType, int, int | None]] = [
            (SenderType.USER, 0, None),
            (SenderType.AI, 1, rng.randint(300, 5000)),
            (SenderType.USER, 2, None),
            (SenderType.AI, 3, rng.choice((None, rng.randint(300, 5000)))),
        ]
        if rng.random() < 0.15:
            messages.append((SenderType.AGENT, 5, None))
        last = started + dt.timedelta(minutes=messages[-1][1])
        cid = next(self.ids)
        self.rows["conversation_threads"].append({
            "id": cid, "restaurant_id": self.restaurant_id, "guest_id": guest,
            "platform": Platform.TELEGRAM, "platform_user_id": f"u{guest}",
            "satisfaction_rating": rng.choice((None, 1, 3, 5)),
            "last_message_at": last if rng.random() < 0.95 else None,
            "agent_handoff": rng.random() < 0.1, "status": "completed", "stage": "confirming",
            "context": {}, "message_count": len(messages), "created_at": started,
            "updated_at": started,
        })  # fmt: skip
        for sender, minute, response_ms in messages:
            self.rows["messages"].append({
                "conversation_id": cid, "sender_type": sender, "message_text": "…",
                "message_type": "text", "metadata": {}, "entities_extracted": {},
                "is_flagged": False, "created_at": started + dt.timedelta(minutes=minute),
                "response_time": response_ms,
            })  # fmt: skip
        return cid


def build(db: Database, *, seed: int = 20261124, days: int = 420) -> History:
    """Write the history (one committed transaction per restaurant) and return its ids."""
    rng = random.Random(seed)
    # Explicit ids for reservations and conversations (rows go in as bulk inserts), far above
    # anything a sequence hands out in a fresh test database.
    row_ids = itertools.count(1_000_000)
    ids = []
    for name, guests, per_day, span in (("Random Brasserie", 60, 9, days),
                                        ("Random Elsewhere", 8, 2, 40)):  # fmt: skip
        with db.unit_of_work() as uow:
            writer = _Writer(uow.session, rng, name, guests, row_ids)
            first = TODAY - dt.timedelta(days=span - 15)
            for n in range(span):
                writer.day(first + dt.timedelta(days=n), rng.randint(per_day // 2, per_day * 2))
            writer.write()
            uow.commit()
        ids.append(writer.restaurant_id)
    return History(ids[0], ids[1])
