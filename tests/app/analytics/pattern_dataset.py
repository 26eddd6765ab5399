"""Hand-built rows for the breakdown tests (booking patterns, AI figures, guest value).

Rows are written straight through the ORM with every column that matters spelled out, so each
expected figure in the tests can be worked out by reading the tables below. The restaurant is in
Europe/Berlin (CET/CEST) so the AI scenario can straddle the end of summer time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.analytics.period import DateRange
from app.analytics.scope import SOFIA_ACTOR, Scope, load_scope
from app.db.enums import AiActivityType, ReservationSource, ReservationStatus, TableStatus
from app.db.models import (
    AiActivity,
    DiningTable,
    Guest,
    Reservation,
    ReservationStatusChange,
    Restaurant,
)
from app.services.database import Database

S = ReservationStatus
Src = ReservationSource
UTC = dt.UTC
BERLIN = "Europe/Berlin"
HOURS = {
    day: [["12:00", "15:00"], ["18:00", "23:00"]]
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}
SETTINGS: dict[str, Any] = {"currency": "EUR", "country": "DE"}
_codes = itertools.count(1)
T = TypeVar("T")


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


@dataclass
class Builder:
    """Adds rows for one restaurant inside an open session."""

    session: Session
    restaurant_id: int
    zone: ZoneInfo
    table_id: int
    guests: dict[str, int] = field(default_factory=dict)
    reservations: dict[str, int] = field(default_factory=dict)

    def guest(self, name: str, *, blacklisted: bool = False) -> int:
        guest = Guest(
            restaurant_id=self.restaurant_id, name=name,
            phone=f"+4930{len(self.guests) + 1:07d}", blacklisted=blacklisted,
        )  # fmt: skip
        self.session.add(guest)
        self.session.flush()
        self.guests[name] = guest.id
        return guest.id

    def booking(
        self,
        key: str,
        guest: str,
        day: dt.date,
        clock: str,
        status: ReservationStatus,
        *,
        source: ReservationSource = Src.PHONE,
        party: int = 2,
        lead: dt.timedelta = dt.timedelta(hours=48),
        created_at: dt.datetime | None = None,
        total: str | None = None,
        reason: str | None = None,
        actor: str = "host",
    ) -> int:
        """A reservation at local ``day`` ``clock``, created ``lead`` before it starts."""
        if guest not in self.guests:
            self.guest(guest)
        time = dt.time.fromisoformat(clock)
        starts_at = dt.datetime.combine(day, time, tzinfo=self.zone).astimezone(UTC)
        created = created_at or starts_at - lead
        reservation = Reservation(
            restaurant_id=self.restaurant_id, guest_id=self.guests[guest],
            table_id=self.table_id, date=day, time=time, starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=90), guests=party, duration=90,
            status=status, source=source, confirmation_code=f"PT{next(_codes):06d}",
            total_amount=Decimal(total) if total is not None else None,
            cancellation_reason=reason, created_at=created, updated_at=created,
        )  # fmt: skip
        self.session.add(reservation)
        self.session.flush()
        # The creation row: the first status, written by ``actor`` when the booking was made.
        self.status_change(reservation.id, None, S.PENDING, created, actor)
        self.reservations[key] = reservation.id
        return reservation.id

    def status_change(
        self,
        reservation_id: int,
        from_status: ReservationStatus | None,
        to_status: ReservationStatus,
        at: dt.datetime,
        actor: str,
    ) -> None:
        self.session.add(
            ReservationStatusChange(
                reservation_id=reservation_id,
                from_status=from_status,
                to_status=to_status,
                changed_at=at,
                actor=actor,
            )
        )

    def activity(
        self,
        at: dt.datetime,
        *,
        model: str | None = None,
        tokens: tuple[int, int] = (0, 0),
        cost: str = "0",
        frustration: int | None = None,
        handoff: bool = False,
    ) -> None:
        self.session.add(
            AiActivity(
                restaurant_id=self.restaurant_id,
                type=AiActivityType.CONVERSATION,
                created_at=at,
                model_version=model,
                input_tokens=tokens[0],
                output_tokens=tokens[1],
                cost=Decimal(cost),
                user_frustration_level=frustration,
                human_handoff_required=handoff,
            )
        )


def build(db: Database, fill: Callable[[Builder], T], *, name: str = "Pattern Bistro") -> T:
    """A Berlin restaurant with one table, filled by ``fill`` in one committed transaction."""
    with db.unit_of_work() as uow:
        restaurant = Restaurant(
            name=name, timezone=BERLIN, opening_hours=HOURS, settings=dict(SETTINGS),
            average_service_time=90, max_advance_booking=60,
        )  # fmt: skip
        uow.session.add(restaurant)
        uow.session.flush()
        table = DiningTable(
            restaurant_id=restaurant.id, name="T1", min_guests=1, max_guests=8,
            position={"x": 0, "y": 0, "width": 80, "height": 80, "rotation": 0, "area": "Main"},
            features=[], preferred_for=[], priority=5, status=TableStatus.FREE, is_active=True,
        )  # fmt: skip
        uow.session.add(table)
        uow.session.flush()
        result = fill(Builder(uow.session, restaurant.id, ZoneInfo(BERLIN), table.id))
        uow.session.flush()
        uow.commit()
    return result


def scope_for(session: Session, restaurant_id: int, start: str, end: str, *, today: str) -> Scope:
    return load_scope(
        session,
        restaurant_id,
        DateRange(dt.date.fromisoformat(start), dt.date.fromisoformat(end)),
        today=dt.date.fromisoformat(today),
    )


# -- a week of bookings: Monday 16 – Sunday 22 November 2026 (CET all week) ------------------

MON, TUE, WED, THU, FRI, SAT, SUN = (dt.date(2026, 11, 16) + dt.timedelta(days=i) for i in range(7))
D = dt.timedelta(days=1)
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Week:
    restaurant_id: int
    other_restaurant_id: int
    reservations: dict[str, int]


# key, guest, service day, time, status, source, party, lead time (created this long before the
# start), bill, cancellation reason.
WEEK_ROWS: tuple[tuple[Any, ...], ...] = (
    # Monday
    ("r01", "Anna", MON, "19:00", S.CONFIRMED, Src.WEB, 2, 240 * H, None, None),
    ("r02", "Boris", MON, "19:30", S.COMPLETED, Src.PHONE, 4, 2 * H, "120.50", None),
    ("r03", "Clara", MON, "20:15", S.NO_SHOW, Src.PHONE, 3, 24 * H, None, None),
    ("r04", "Dmitri", MON, "19:00", S.INQUIRY, Src.WEB, 8, 1 * H, None, None),
    # Tuesday
    ("r05", "Eva", TUE, "12:00", S.SEATED, Src.WALK_IN, 2, 0 * H, None, None),
    ("r06", "Anna", TUE, "13:00", S.CANCELLED, Src.WEB, 2, 48 * H, None, "  Running late "),
    # Wednesday: five cancellations, their reasons written five ways
    ("r07", "Boris", WED, "19:00", S.CANCELLED, Src.TELEGRAM, 5, 30 * H, None, "RUNNING LATE"),
    ("r08", "Clara", WED, "19:00", S.CANCELLED, Src.PHONE, 2, 5 * H, None, None),
    ("r09", "Dmitri", WED, "20:00", S.CANCELLED, Src.WEB, 2, 5 * H, None, "\t \n"),
    ("r10", "Eva", WED, "20:00", S.CANCELLED, Src.WEB, 3, 5 * H, None, ""),
    ("r11", "Fedor", WED, "21:00", S.CANCELLED, Src.PHONE, 2, 100 * H, None, "Found another place"),
    # Thursday: r12 was moved to Friday (r13)
    ("r12", "Anna", THU, "19:00", S.RESCHEDULED, Src.WEB, 2, 50 * H, None, None),
    ("r21", "Galina", THU, "12:30", S.COMPLETED, Src.WEB, 2, 719 * H, "30.30", None),
    ("r22", "Hans", THU, "12:30", S.COMPLETED, Src.PHONE, 2, 167 * H, "10.10", None),
    # Friday
    ("r13", "Anna", FRI, "19:00", S.CONFIRMED, Src.WEB, 2, 10 * H, None, None),
    ("r14", "Boris", FRI, "21:00", S.NO_SHOW, Src.TELEGRAM, 6, 72 * H, None, None),
    # Saturday
    ("r15", "Clara", SAT, "18:00", S.COMPLETED, Src.TELEGRAM, 2, 72 * H - M, "80.25", None),
    ("r16", "Dmitri", SAT, "18:45", S.DINING, Src.AI_ASSISTANT, 4, 168 * H, None, None),
    # Sunday
    ("r17", "Eva", SUN, "13:00", S.COMPLETED, Src.WHATSAPP, 3, 720 * H, "60.00", None),
    ("r18", "Fedor", SUN, "13:30", S.NO_SHOW, Src.WHATSAPP, 2, 24 * H - M, None, None),
    ("r19", "Galina", SUN, "23:30", S.PENDING, Src.PHONE, 2, 3 * H, None, None),
    ("r20", "Hans", SUN, "12:00", S.COMPLETED, Src.WALK_IN, 3, 0 * H, "45.10", None),
    # Just outside the week: the Sunday before and the Monday after.
    ("x1", "Anna", MON - D, "19:00", S.COMPLETED, Src.PHONE, 2, 48 * H, "99.00", None),
    ("x2", "Boris", SUN + D, "19:00", S.NO_SHOW, Src.PHONE, 2, 48 * H, None, None),
)  # fmt: skip


def fill_week(b: Builder) -> tuple[int, dict[str, int]]:
    for key, guest, day, clock, status, source, party, lead, total, reason in WEEK_ROWS:
        b.booking(
            key, guest, day, clock, status, source=source, party=party, lead=lead, total=total,
            reason=reason,
        )  # fmt: skip
    return b.restaurant_id, dict(b.reservations)


def fill_other_restaurant(b: Builder) -> int:
    """Another restaurant's Monday: none of it may leak into the first one's figures."""
    b.booking("o1", "Otto", MON, "19:00", S.COMPLETED, party=6, lead=2 * H, total="999.00")
    b.booking("o2", "Olga", MON, "19:00", S.NO_SHOW, party=2, lead=2 * H)
    b.booking("o3", "Oleg", MON, "19:00", S.CANCELLED, party=2, reason="Running late")
    b.activity(utc(2026, 10, 25, 12, 0), model="gpt-4o", tokens=(999, 999), cost="9.999999")
    b.booking(
        "o4", "Olga", MON, "20:00", S.PENDING, created_at=utc(2026, 10, 25, 12, 0),
        actor=SOFIA_ACTOR,
    )  # fmt: skip
    return b.restaurant_id


def week(db: Database) -> Week:
    restaurant_id, reservations = build(db, fill_week)
    other = build(db, fill_other_restaurant, name="Elsewhere")
    return Week(restaurant_id, other, reservations)


# -- Sofia across the end of summer time: Saturday 24 – Monday 26 October 2026 ----------------
# Berlin: CEST (UTC+2) until Sunday 25 Oct 01:00 UTC (03:00 local), CET (UTC+1) after.
# Local midnight of the 24th is 23 Oct 22:00 UTC; local midnight after the 26th is 26 Oct 23:00 UTC.


MINI, BIG = "gpt-4o-mini", "gpt-4o"
# When (UTC), model (None: offline), input and output tokens, cost, frustration, hand-off.
DST_ACTIVITIES: tuple[tuple[Any, ...], ...] = (
    (utc(2026, 10, 23, 21, 59, 59), MINI, 7, 7, "0.1", None, False),  # 23:59:59 on the 23rd
    # Saturday 24th: 00:00 and 23:59 CEST
    (utc(2026, 10, 23, 22, 0), MINI, 100, 50, "0.000150", 1, False),
    (utc(2026, 10, 24, 21, 59), MINI, 200, 80, "0.000250", 3, True),
    # Sunday 25th: 00:30 CEST, 02:59:59 CEST, 02:00 CET (after the change), 23:59 CET
    (utc(2026, 10, 24, 22, 30), BIG, 1000, 300, "0.005500", 1, False),
    (utc(2026, 10, 25, 0, 59, 59), None, 0, 0, "0", 2, False),
    (utc(2026, 10, 25, 1, 0), BIG, 500, 200, "0.002750", 4, True),
    (utc(2026, 10, 25, 22, 59), None, 0, 0, "0", None, False),
    # Monday 26th: 00:30 CET and 23:59:59 CET
    (utc(2026, 10, 25, 23, 30), MINI, 300, 100, "0.000400", 5, True),
    (utc(2026, 10, 26, 22, 59, 59), MINI, 50, 10, "0.000050", 0, False),
    (utc(2026, 10, 26, 23, 0), BIG, 9, 9, "0.3", None, False),  # 00:00 on the 27th
)  # fmt: skip
# Bookings by who created them and when (their service date does not matter here).
DST_BOOKINGS = (
    ("s1", "Sara", utc(2026, 10, 24, 22, 30), SOFIA_ACTOR),
    ("s2", "Sara", utc(2026, 10, 23, 21, 59), SOFIA_ACTOR),
    ("s3", "Sara", utc(2026, 10, 25, 10, 0), "host"),
    ("s4", "Sven", utc(2026, 10, 26, 22, 59), SOFIA_ACTOR),  # Sofia confirms it 30 s later
    ("s5", "Sven", utc(2026, 10, 25, 9, 0), "host"),  # Sofia confirms it 5 min later
    ("s7", "Sven", utc(2026, 10, 26, 23, 0), SOFIA_ACTOR),
)


def fill_dst_ai(b: Builder) -> int:
    for at, model, tokens_in, tokens_out, cost, frustration, handoff in DST_ACTIVITIES:
        b.activity(
            at, model=model, tokens=(tokens_in, tokens_out), cost=cost,
            frustration=frustration, handoff=handoff,
        )  # fmt: skip
    for i, (key, guest, created_at, actor) in enumerate(DST_BOOKINGS):
        clock = f"{18 + i // 2}:{30 * (i % 2):02d}"
        # s4 and s5 were then confirmed by Sofia: a later history row, not a creation row.
        later = {"s4": dt.timedelta(seconds=30), "s5": dt.timedelta(minutes=5)}.get(key)
        status = S.CONFIRMED if later else S.PENDING
        rid = b.booking(
            key, guest, dt.date(2026, 11, 2), clock, status, created_at=created_at, actor=actor
        )
        if later:
            b.status_change(rid, S.PENDING, S.CONFIRMED, created_at + later, SOFIA_ACTOR)
    return b.restaurant_id


def dst_ai(db: Database) -> tuple[int, int]:
    """The Berlin restaurant's id, and another restaurant's (a Sofia booking, a costly turn)."""
    restaurant_id = build(db, fill_dst_ai)
    return restaurant_id, build(db, fill_other_restaurant, name="Elsewhere")


# -- guest histories: churn as of 20 November 2026, top guests of 1–20 November -------------


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(f"2026-{text}")


def fill_guests(b: Builder) -> tuple[int, dict[str, int]]:
    """Arrived visits (dates, party, bill) per guest, plus rows that must not count."""

    def visits(name: str, *rows: tuple[str, int, str]) -> None:
        for i, (day, party, total) in enumerate(rows):
            b.booking(f"{name}{i}", name, d(day), "19:00", S.COMPLETED, party=party, total=total)

    # Regular at risk: 1, 11, 22 Sep → gaps 21 days / 2 = 10.5; away 59 days.
    visits("Anna", ("09-01", 2, "50.00"), ("09-11", 2, "60.00"), ("09-22", 2, "70.00"))
    # Exactly twice the usual interval away: 11, 21, 31 Oct → 10 days; away 20 → not at risk.
    visits("Boris", ("10-11", 2, "10.00"), ("10-21", 2, "10.00"), ("10-31", 2, "10.00"))
    # One day more than twice: 10, 20, 30 Oct → 10 days; away 21. The last visit is still
    # at table (dining, no bill yet): it is a visit, worth 0.
    visits("Clara", ("10-10", 3, "40.00"), ("10-20", 3, "40.00"))
    b.booking("Clara2", "Clara", d("10-30"), "19:00", S.DINING, party=3)
    # Away 13 days (more than 2 × 3, but under two weeks): 1, 3, 7 Nov → not at risk.
    visits("Dmitri", ("11-01", 2, "20.00"), ("11-03", 2, "30.00"), ("11-07", 2, "50.00"))
    # Away exactly 14 days: 31 Oct, 2 and 6 Nov → 3 days; at risk.
    visits("Eva", ("10-31", 1, "25.50"), ("11-02", 1, "25.50"), ("11-06", 4, "25.50"))
    # Two visits only: not a regular.
    visits("Fedor", ("09-01", 2, "500.00"), ("09-05", 2, "500.00"))
    # Would be at risk, but blacklisted.
    b.guest("Galina", blacklisted=True)
    visits("Galina", ("08-01", 2, "900.00"), ("08-11", 2, "900.00"), ("08-21", 2, "900.00"))
    # Three reservations, two on the same day: two visits, not a regular.
    visits("Hans", ("09-01", 2, "300.00"), ("09-01", 2, "300.00"), ("09-10", 2, "300.00"))
    # Two arrivals, then a no-show and a cancellation: two visits, not a regular.
    visits("Irina", ("10-01", 2, "300.00"), ("10-11", 2, "300.00"))
    b.booking("Irina2", "Irina", d("10-21"), "19:00", S.NO_SHOW, total="300.00")
    b.booking("Irina3", "Irina", d("11-01"), "19:00", S.CANCELLED, total="300.00")
    # At risk as of the 20th (1, 11, 21 Sep; away 60); his visit on 25 Nov comes after it.
    visits("Jonas", ("09-01", 2, "30.00"), ("09-11", 2, "25.00"), ("09-21", 2, "25.00"))
    b.booking("Jonas3", "Jonas", d("11-25"), "19:00", S.COMPLETED, total="500.00")
    # Lunch and dinner on the 10th (one visit), and the 12th.
    b.booking("Kirill0", "Kirill", d("11-10"), "12:30", S.COMPLETED, total="50.00")
    b.booking("Kirill1", "Kirill", d("11-10"), "19:00", S.COMPLETED, total="50.00")
    b.booking("Kirill2", "Kirill", d("11-12"), "19:00", S.COMPLETED, total="0.00")
    # Same spend, same visits: ordered by name. Mark's booking on the 18th is yet to come.
    visits("Mark", ("11-15", 2, "40.00"))
    b.booking("Mark1", "Mark", d("11-18"), "19:00", S.CONFIRMED, total="70.00")
    visits("Lena", ("11-14", 5, "40.00"))
    return b.restaurant_id, dict(b.guests)


@dataclass(frozen=True)
class Guests:
    restaurant_id: int
    ids: dict[str, int]


def guests(db: Database) -> Guests:
    restaurant_id, ids = build(db, fill_guests)
    # Elsewhere, the same pattern as Anna's: another restaurant's regular.
    build(
        db,
        lambda b: [
            b.booking(f"A{i}", "Anna", d(day), "19:00", S.COMPLETED, total="1000.00")
            for i, day in enumerate(("09-01", "09-11", "09-22", "11-05"))
        ],
        name="Elsewhere",
    )
    return Guests(restaurant_id, ids)
