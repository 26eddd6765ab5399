"""Hand-built restaurants for the KPI tests: every row is here so every figure can be worked out.

Three restaurants:

- **Bistro** (Europe/Moscow, UTC+3 all year, no DST): the main set over Monday 23 and Tuesday
  24 November 2026, with walk-ins, a reschedule, a combined booking, Sofia's bookings and
  handoffs, ratings on both sides of the period's UTC window, and ten timed replies.
  Wednesday is closed (it only has one stray reservation), Tuesday has special hours.
- **Other place**: same town, no tables at all; its rows must never leak into the Bistro's.
- **Berlin** (Europe/Berlin): Saturday 24 and Sunday 25 October 2026, the night clocks go back
  (03:00 CEST → 02:00 CET), with a Saturday service 22:00–04:00 that lasts 7 real hours.

The expected values are worked out by hand in ``test_kpis.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.db.enums import (
    BLOCKING_STATUSES,
    Platform,
    ReservationSource,
    ReservationStatus,
    SenderType,
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

UTC = dt.UTC
S = ReservationStatus
SRC = ReservationSource
MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")

SUN_BEFORE = dt.date(2026, 11, 22)
MON = dt.date(2026, 11, 23)
TUE = dt.date(2026, 11, 24)
WED = dt.date(2026, 11, 25)
# The Bistro's Monday–Tuesday window in UTC: [Sun 21:00, Tue 21:00).
BISTRO_STARTS_AT = dt.datetime(2026, 11, 22, 21, 0, tzinfo=UTC)
BISTRO_ENDS_AT = dt.datetime(2026, 11, 24, 21, 0, tzinfo=UTC)

BERLIN_SAT = dt.date(2026, 10, 24)
BERLIN_SUN = dt.date(2026, 10, 25)

BISTRO_HOURS = {
    "mon": [["12:00", "15:00"], ["18:00", "23:00"]],
    "tue": [["12:00", "15:00"], ["18:00", "23:00"]],
    # Wednesday is missing: closed.
    "thu": [["18:00", "23:00"]],
    "fri": [["18:00", "23:00"]],
    "sat": [["18:00", "23:00"]],
    "sun": [["18:00", "23:00"]],
}
BISTRO_SETTINGS: dict[str, Any] = {
    "currency": "RUB",
    # Tuesday 24 November: dinner only (5 hours instead of 8).
    "special_dates": {"2026-11-24": {"hours": [["18:00", "23:00"]], "note": "Staff training"}},
}
BERLIN_HOURS = {"sat": [["22:00", "04:00"]], "sun": [["12:00", "15:00"]]}

_codes = itertools.count(1)


@dataclass(frozen=True)
class Bistro:
    restaurant_id: int
    other_restaurant_id: int
    table_ids: dict[str, int]


def local(zone: ZoneInfo, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local wall-clock time (unambiguous ones only) as a UTC instant."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).astimezone(UTC)


class Builder:
    """Adds rows for one restaurant with the few fields each test cares about."""

    def __init__(self, session: Session, restaurant: Restaurant) -> None:
        self.session = session
        self.restaurant = restaurant
        self.zone = ZoneInfo(restaurant.timezone)
        self.guest = Guest(
            restaurant_id=restaurant.id, name="Anna Petrova", phone=f"+7916{next(_codes):07d}"
        )
        session.add(self.guest)
        session.flush()

    def table(self, name: str, seats: int, *, active: bool = True) -> int:
        table = DiningTable(
            restaurant_id=self.restaurant.id, name=name, min_guests=1, max_guests=seats,
            is_active=active,
        )  # fmt: skip
        self.session.add(table)
        self.session.flush()
        return table.id

    def thread(
        self,
        *,
        rating: int | None = None,
        last_message_at: dt.datetime | None = None,
        handoff: bool = False,
    ) -> int:
        thread = ConversationThread(
            restaurant_id=self.restaurant.id, guest_id=self.guest.id, platform=Platform.TELEGRAM,
            platform_user_id=f"user-{next(_codes)}", satisfaction_rating=rating,
            last_message_at=last_message_at, agent_handoff=handoff,
        )  # fmt: skip
        self.session.add(thread)
        self.session.flush()
        return thread.id

    def message(
        self,
        thread_id: int,
        at: dt.datetime,
        response_ms: int | None,
        sender: SenderType = SenderType.AI,
    ) -> None:
        self.session.add(
            Message(
                conversation_id=thread_id, sender_type=sender, message_text="…",
                created_at=at, response_time=response_ms,
            )
        )  # fmt: skip

    def reservation(
        self,
        day: dt.date,
        clock: tuple[int, int],
        minutes: int,
        status: ReservationStatus,
        source: ReservationSource,
        history: Sequence[tuple[str, ReservationStatus]],
        *,
        starts_at: dt.datetime | None = None,
        tables: Sequence[int] = (),
        table_id: int | None = None,
        rating: int | None = None,
        total: str | None = None,
        arrival: dt.datetime | None = None,
        departure: dt.datetime | None = None,
        conversation_id: int | None = None,
        rescheduled_from_id: int | None = None,
    ) -> int:
        """A reservation with its status history (``history[0]`` is the creation row).

        ``starts_at`` defaults to the wall-clock time on ``day``; pass it for a service-day
        booking after midnight ("Saturday 01:30" happens on Sunday).
        """
        hour, minute = clock
        starts = starts_at or local(self.zone, day, hour, minute)
        ends = starts + dt.timedelta(minutes=minutes)
        reservation = Reservation(
            restaurant_id=self.restaurant.id, guest_id=self.guest.id, date=day,
            time=dt.time(hour, minute), starts_at=starts, ends_at=ends, guests=2,
            duration=minutes, status=status, source=source,
            confirmation_code=f"KPI{next(_codes):05d}",
            table_id=table_id if table_id is not None else (tables[0] if tables else None),
            rating=rating, total_amount=None if total is None else Decimal(total),
            arrival_time=arrival, departure_time=departure, conversation_id=conversation_id,
            rescheduled_from_id=rescheduled_from_id,
        )  # fmt: skip
        self.session.add(reservation)
        self.session.flush()
        previous: ReservationStatus | None = None
        for step, (actor, to_status) in enumerate(history):
            self.session.add(
                ReservationStatusChange(
                    reservation_id=reservation.id, from_status=previous, to_status=to_status,
                    # Made a week ahead, one hour per later step.
                    changed_at=starts - dt.timedelta(days=7) + dt.timedelta(hours=step),
                    actor=actor,
                )
            )  # fmt: skip
            previous = to_status
        for table in tables:
            self.session.add(
                ReservationTable(
                    reservation_id=reservation.id, table_id=table, starts_at=starts,
                    blocked_until=ends + dt.timedelta(minutes=15),
                    blocking=status in BLOCKING_STATUSES,
                )
            )  # fmt: skip
        self.session.flush()
        return reservation.id


def _restaurant(
    session: Session, name: str, zone: str, hours: dict[str, Any], settings: dict[str, Any]
) -> Builder:
    restaurant = Restaurant(name=name, timezone=zone, opening_hours=hours, settings=settings)
    session.add(restaurant)
    session.flush()
    return Builder(session, restaurant)


# Status histories (actor, status); the first row is the creation row (from_status NULL).
HOST_COMPLETED = [("host", S.PENDING), ("host", S.CONFIRMED), ("host", S.SEATED),
                  ("host", S.COMPLETED)]  # fmt: skip
WALK_IN = [("host", S.SEATED), ("host", S.COMPLETED)]


def build_bistro(db: Database) -> Bistro:
    with db.unit_of_work() as uow:
        b = _restaurant(uow.session, "Bistro", "Europe/Moscow", BISTRO_HOURS, BISTRO_SETTINGS)
        t1, t2, t3 = b.table("T1", 2), b.table("T2", 4), b.table("T3", 4)
        t4 = b.table("T4", 6, active=False)  # retired: neither seats nor table-minutes

        # Conversations (ratings count by last message, window [Sun 21:00 UTC, Tue 21:00 UTC)).
        c1 = b.thread(rating=5, last_message_at=local(MOSCOW, MON, 17, 0))
        c2 = b.thread(rating=2, last_message_at=local(MOSCOW, TUE, 12, 0), handoff=True)
        # Handed back to Sofia (flag cleared) after a colleague wrote in it.
        c3 = b.thread(last_message_at=local(MOSCOW, TUE, 10, 0))
        b.thread(rating=4, last_message_at=BISTRO_STARTS_AT - dt.timedelta(seconds=1))  # Sunday
        b.thread(rating=1, last_message_at=BISTRO_ENDS_AT)  # Wednesday 00:00 local
        c6 = b.thread(rating=3, last_message_at=BISTRO_STARTS_AT)  # Monday 00:00 local

        # R1 web, completed, confirmed by the host; clocked 19:05–20:35 on T2.
        b.reservation(MON, (19, 0), 90, S.COMPLETED, SRC.WEB, HOST_COMPLETED, tables=[t2],
                      rating=5, total="100.00", arrival=local(MOSCOW, MON, 19, 5),
                      departure=local(MOSCOW, MON, 20, 35))  # fmt: skip
        # R2 Sofia created it straight as confirmed; the guest never came.
        b.reservation(MON, (20, 0), 90, S.NO_SHOW, SRC.TELEGRAM,
                      [("sofia", S.CONFIRMED), ("system", S.NO_SHOW)], tables=[t1],
                      conversation_id=c1)  # fmt: skip
        # R3 Sofia, still pending, in a conversation handed to a person.
        b.reservation(TUE, (18, 30), 90, S.PENDING, SRC.TELEGRAM, [("sofia", S.PENDING)],
                      conversation_id=c2)  # fmt: skip
        # R4 phone, created by the host (Sofia only confirmed it), combined T2+T3, 19:00–21:00.
        b.reservation(TUE, (19, 0), 120, S.COMPLETED, SRC.PHONE,
                      [("host", S.PENDING), ("sofia", S.CONFIRMED), ("host", S.SEATED),
                       ("host", S.COMPLETED)],
                      tables=[t2, t3], rating=3, total="250.50",
                      arrival=local(MOSCOW, TUE, 19, 0),
                      departure=local(MOSCOW, TUE, 21, 0))  # fmt: skip
        # R5 walk-in on T1 (table_id only, no link rows), booked span 13:00–14:00.
        b.reservation(MON, (13, 0), 60, S.COMPLETED, SRC.WALK_IN, WALK_IN, table_id=t1,
                      rating=4, total="40.25")  # fmt: skip
        # R6 the old half of a reschedule (confirmed once, then moved to R7).
        r6 = b.reservation(MON, (21, 0), 90, S.RESCHEDULED, SRC.PHONE,
                           [("host", S.PENDING), ("host", S.CONFIRMED),
                            ("host", S.RESCHEDULED)])  # fmt: skip
        # R7 its new half: Sofia made it, confirmed, then cancelled; staff wrote in c3.
        b.reservation(TUE, (21, 0), 90, S.CANCELLED, SRC.WHATSAPP,
                      [("sofia", S.PENDING), ("sofia", S.CONFIRMED), ("host", S.CANCELLED)],
                      conversation_id=c3, rescheduled_from_id=r6)  # fmt: skip
        # R8 web, seated now: arrived 20:10, no departure yet, booked 20:00–21:30 on T1.
        b.reservation(TUE, (20, 0), 90, S.SEATED, SRC.WEB,
                      [("host", S.PENDING), ("host", S.CONFIRMED), ("host", S.SEATED)],
                      tables=[t1], arrival=local(MOSCOW, TUE, 20, 10))  # fmt: skip
        # R11 Sofia, no conversation recorded, confirmed then cancelled.
        b.reservation(
            MON,
            (18, 0),
            90,
            S.CANCELLED,
            SRC.WHATSAPP,
            [("sofia", S.PENDING), ("sofia", S.CONFIRMED), ("host", S.CANCELLED)],
        )
        # R12 Sofia in c1, cancelled while still pending.
        b.reservation(TUE, (18, 45), 90, S.CANCELLED, SRC.TELEGRAM,
                      [("sofia", S.PENDING), ("sofia", S.CANCELLED)],
                      conversation_id=c1)  # fmt: skip
        # R14 walk-in on T3 whose departure was typed before its arrival: 0 minutes.
        b.reservation(
            MON,
            (20, 30),
            60,
            S.COMPLETED,
            SRC.WALK_IN,
            WALK_IN,
            tables=[t3],
            arrival=local(MOSCOW, MON, 21, 0),
            departure=local(MOSCOW, MON, 20, 50),
        )
        # Outside the period: R9 on closed Wednesday, R15 on the Sunday before.
        b.reservation(WED, (19, 0), 90, S.COMPLETED, SRC.PHONE, HOST_COMPLETED, tables=[t2],
                      rating=1, total="999.00", arrival=local(MOSCOW, WED, 19, 0),
                      departure=local(MOSCOW, WED, 20, 0))  # fmt: skip
        b.reservation(SUN_BEFORE, (22, 30), 60, S.COMPLETED, SRC.PHONE, HOST_COMPLETED,
                      tables=[t3], rating=2, total="50.00")  # fmt: skip

        # Sofia's replies in the window, inserted out of order: 100, 200, …, 1000 ms.
        for minute, ms in enumerate((700, 100, 1000, 300, 900, 200, 500, 800, 400, 600)):
            b.message((c1, c2, c6)[minute % 3], local(MOSCOW, MON, 11, minute), ms)
        # Not replies of the period: a guest's message, an untimed reply, a colleague's reply,
        # and replies one second before the window and exactly at its end (Wednesday).
        b.message(c1, local(MOSCOW, MON, 12, 0), 50, SenderType.USER)
        b.message(c1, local(MOSCOW, MON, 12, 1), None)
        b.message(c3, local(MOSCOW, TUE, 9, 0), 20_000, SenderType.AGENT)
        b.message(c6, BISTRO_STARTS_AT - dt.timedelta(seconds=1), 5)
        b.message(c6, BISTRO_ENDS_AT, 9_999)

        # The other place: no tables; one completed, rated booking and a rated conversation.
        o = _restaurant(uow.session, "Other place", "Europe/Moscow", BISTRO_HOURS, {})
        o.reservation(MON, (19, 0), 90, S.COMPLETED, SRC.WEB, HOST_COMPLETED, rating=1,
                      total="500.00")  # fmt: skip
        other_thread = o.thread(rating=1, last_message_at=local(MOSCOW, MON, 18, 0))
        o.message(other_thread, local(MOSCOW, MON, 18, 0), 30_000)

        bistro = Bistro(b.restaurant.id, o.restaurant.id, {"T1": t1, "T2": t2, "T3": t3, "T4": t4})
        uow.commit()
    return bistro


def build_berlin(db: Database) -> int:
    """The DST weekend; returns the restaurant id."""
    with db.unit_of_work() as uow:
        b = _restaurant(uow.session, "Kneipe", "Europe/Berlin", BERLIN_HOURS, {"currency": "EUR"})
        b1, b2 = b.table("B1", 4), b.table("B2", 2)

        # D1 Saturday's service, "Saturday 01:30" = Sunday 01:30 CEST = Sat 23:30 UTC; three
        # real hours to 02:30 UTC (03:30 CET), which the wall clock shows as two.
        b.reservation(BERLIN_SAT, (1, 30), 180, S.COMPLETED, SRC.PHONE, HOST_COMPLETED,
                      starts_at=dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), tables=[b1],
                      rating=5, total="120.00")  # fmt: skip
        # D2 Sunday lunch 13:00 CET (12:00 UTC); clocked 12:00–13:00 UTC on B2.
        b.reservation(BERLIN_SUN, (13, 0), 90, S.COMPLETED, SRC.PHONE, HOST_COMPLETED,
                      tables=[b2], total="60.00",
                      arrival=dt.datetime(2026, 10, 25, 12, 0, tzinfo=UTC),
                      departure=dt.datetime(2026, 10, 25, 13, 0, tzinfo=UTC))  # fmt: skip

        thread = b.thread()
        # Around the local midnights: Fri/Sat 22:00 UTC (CEST), Sat/Sun 22:00 UTC (CEST),
        # Sun/Mon 23:00 UTC (CET).
        b.message(thread, dt.datetime(2026, 10, 23, 21, 59, 59, tzinfo=UTC), 5_000)  # Fri 23:59:59
        b.message(thread, dt.datetime(2026, 10, 23, 22, 0, tzinfo=UTC), 100)  # Sat 00:00
        b.message(thread, dt.datetime(2026, 10, 24, 22, 30, tzinfo=UTC), 200)  # Sun 00:30 CEST
        b.message(thread, dt.datetime(2026, 10, 25, 22, 59, tzinfo=UTC), 300)  # Sun 23:59 CET
        b.message(thread, dt.datetime(2026, 10, 25, 23, 0, tzinfo=UTC), 7_000)  # Mon 00:00
        b.thread(rating=1, last_message_at=dt.datetime(2026, 10, 23, 21, 59, 59, tzinfo=UTC))
        b.thread(rating=4, last_message_at=dt.datetime(2026, 10, 25, 22, 59, tzinfo=UTC))
        b.thread(rating=2, last_message_at=dt.datetime(2026, 10, 25, 23, 0, tzinfo=UTC))
        restaurant_id = b.restaurant.id
        uow.commit()
    return restaurant_id
