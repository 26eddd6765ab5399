"""The writes every booking change shares: locks, table holds, history rows, timeslot counters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.enums import (
    BLOCKING_STATUSES,
    OccasionType,
    ReservationSource,
    ReservationStatus,
)
from app.db.models import (
    Guest,
    Reservation,
    ReservationStatusChange,
    ReservationTable,
    Restaurant,
    Timeslot,
)
from app.db.models.table_bookings import EXCLUSION_CONSTRAINT, OVERLAP_MESSAGE
from app.domain.availability import DaySnapshot
from app.domain.booking_rules import BookingRules
from app.domain.codes import new_confirmation_code
from app.domain.deposits import deposit_for
from app.domain.service_hours import Slot

# First key of the advisory lock that serialises bookings per restaurant on PostgreSQL.
BOOKING_LOCK_KEY = 7301


def lock_restaurant(session: Session, restaurant_id: int) -> None:
    """Serialise booking writes for one restaurant until the transaction ends.

    SQLite transactions already start with BEGIN IMMEDIATE (one writer at a time). On
    PostgreSQL a transaction-scoped advisory lock makes the check-then-write atomic, so pacing
    is never overrun by two terminals at once; the exclusion constraint stays the backstop.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key, :restaurant)"),
            {"key": BOOKING_LOCK_KEY, "restaurant": restaurant_id},
        )


def overlap_error(exc: IntegrityError) -> bool:
    detail = str(exc.orig)
    return OVERLAP_MESSAGE in detail or EXCLUSION_CONSTRAINT in detail


def unique_code(session: Session) -> str:
    for _ in range(20):
        code = new_confirmation_code()
        taken = session.scalar(select(func.count()).where(Reservation.confirmation_code == code))
        if not taken:
            return code
    raise RuntimeError("could not find a free confirmation code")  # 244M codes: never happens


def record_status(
    session: Session,
    reservation: Reservation,
    to_status: ReservationStatus,
    *,
    actor: str,
    user_id: int | None,
    reason: str | None,
    now: dt.datetime,
    from_status: ReservationStatus | None = None,
) -> None:
    session.add(
        ReservationStatusChange(
            reservation=reservation,
            from_status=from_status,
            to_status=to_status,
            changed_at=now,
            changed_by_user_id=user_id,
            actor=actor,
            reason=reason,
        )
    )


def hold_tables(reservation: Reservation, table_ids: Iterable[int], buffer_minutes: int) -> None:
    blocked_until = reservation.ends_at + dt.timedelta(minutes=buffer_minutes)
    blocking = reservation.status in BLOCKING_STATUSES
    reservation.table_links = [
        ReservationTable(
            table_id=table_id,
            starts_at=reservation.starts_at,
            blocked_until=blocked_until,
            blocking=blocking,
        )
        for table_id in table_ids
    ]
    reservation.table_id = min(table_ids) if table_ids else None


def set_blocking(reservation: Reservation, blocking: bool) -> None:
    for link in reservation.table_links:
        link.blocking = blocking


def refresh_timeslot(session: Session, timeslot_id: int | None) -> None:
    """Recount a timeslot's booked covers from its holding reservations (never drifts)."""
    if timeslot_id is None:
        return
    session.flush()
    covers = session.scalar(
        select(func.coalesce(func.sum(Reservation.guests), 0)).where(
            Reservation.timeslot_id == timeslot_id,
            Reservation.status.in_(BLOCKING_STATUSES),
        )
    )
    row = session.get(Timeslot, timeslot_id)
    if row is not None:
        row.current_bookings = int(covers or 0)


def write_reservation(
    session: Session,
    *,
    restaurant: Restaurant,
    rules: BookingRules,
    guest: Guest,
    slot: Slot,
    party_size: int,
    duration: int,
    table_ids: tuple[int, ...],
    status: ReservationStatus,
    source: ReservationSource,
    occasion: OccasionType | None,
    special_requests: str | None,
    snapshot: DaySnapshot,
    actor: str,
    user_id: int | None,
    now: dt.datetime,
    conversation_id: int | None = None,
    ai_confidence: float | None = None,
    rescheduled_from: Reservation | None = None,
    deposit: Decimal | None = None,
) -> Reservation:
    """Write a booking; ``deposit`` is the host's own amount (0 waives), else the rules decide."""
    timeslot = snapshot.timeslots.get(slot.local_time)
    if deposit is None:
        special_date = rules.special_dates.get(slot.service.service_day)
        deposit = deposit_for(
            rules,
            party_size,
            special_event=bool(timeslot and timeslot.special_event),
            special_date=special_date,
        )
    elif deposit <= 0:
        deposit = None
    reservation = Reservation(
        restaurant_id=restaurant.id,
        guest=guest,
        timeslot_id=timeslot.id if timeslot else None,
        date=slot.service.service_day,
        time=slot.local_time,
        starts_at=slot.starts_at,
        ends_at=slot.starts_at + dt.timedelta(minutes=duration),
        guests=party_size,
        duration=duration,
        status=status,
        special_requests=special_requests,
        occasion_type=occasion,
        source=source,
        confirmation_code=unique_code(session),
        deposit_required=deposit is not None,
        deposit_amount=deposit,
        reminder_sent={},
        conversation_id=conversation_id,
        ai_confidence=ai_confidence,
        alternatives_offered=0,
        rescheduled_from=rescheduled_from,
    )
    session.add(reservation)
    hold_tables(reservation, table_ids, rules.buffer)
    record_status(
        session, reservation, status, actor=actor, user_id=user_id, reason=None, now=now,
        from_status=None,
    )  # fmt: skip
    session.flush()  # the exclusion constraint / trigger speaks here
    refresh_timeslot(session, reservation.timeslot_id)
    return reservation
