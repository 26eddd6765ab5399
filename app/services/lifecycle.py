"""A reservation's life after booking: status changes, moves, reschedules, learned figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.enums import BLOCKING_STATUSES, ReservationStatus
from app.db.models import Reservation, ReservationTable
from app.domain import fields
from app.domain.availability import evaluate
from app.domain.booking_rules import BookingRules, money
from app.domain.requests import read_wishes
from app.domain.status_flow import REASON_REQUIRED, check_transition, parse_status
from app.errors import InvalidInput, NotAvailable
from app.services.availability import guest_context
from app.services.booking import resolve_slot
from app.services.booking_writes import (
    hold_tables,
    lock_restaurant,
    overlap_error,
    record_status,
    refresh_timeslot,
    set_blocking,
    write_reservation,
)
from app.services.database import Database
from app.services.day_loader import load_restaurant, load_snapshot
from app.services.guests import record_visit
from app.services.reservation_views import ReservationView, find_reservation, view_of
from app.services.table_scores import refresh_table_scores

S = ReservationStatus
_TAKEN = "That table is no longer free then: someone else just booked it."


def change_status(
    db: Database,
    code_or_id: str | int,
    status: str | ReservationStatus,
    *,
    actor: str = "host",
    user_id: int | None = None,
    reason: str | None = None,
    total_amount: object = None,
    rating: int | None = None,
    now: dt.datetime | None = None,
) -> ReservationView:
    """Move a reservation along the status flow; refused transitions change nothing."""
    now = now or dt.datetime.now(dt.UTC)
    target = status if isinstance(status, ReservationStatus) else parse_status(status)
    clean_reason = fields.text(reason, "reason", max_length=1000)
    amount = None if total_amount in (None, "") else money(total_amount, "bill total")
    if rating is not None:
        rating = fields.integer(rating, "rating", minimum=1, maximum=5)
    try:
        with db.unit_of_work() as uow:
            session = uow.session
            reservation = find_reservation(session, code_or_id)
            lock_restaurant(session, reservation.restaurant_id)
            session.refresh(reservation)
            current = reservation.status
            check_transition(current, target)
            if target in REASON_REQUIRED and not clean_reason:
                raise InvalidInput(f"Say why the reservation is {target.value.replace('_', '-')}.")
            _, rules = load_restaurant(session, reservation.restaurant_id)
            _apply(session, reservation, target, rules, clean_reason, amount, rating, now)
            record_status(
                session, reservation, target, actor=actor, user_id=user_id,
                reason=clean_reason, now=now, from_status=current,
            )  # fmt: skip
            session.flush()
            refresh_timeslot(session, reservation.timeslot_id)
            view = view_of(reservation)
            uow.changed("reservation", reservation.id)
            uow.changed("guest", reservation.guest_id)
            uow.commit()
    except IntegrityError as exc:
        if overlap_error(exc):
            raise NotAvailable(_TAKEN) from None
        raise
    return view


def _apply(
    session: Session,
    reservation: Reservation,
    target: ReservationStatus,
    rules: BookingRules,
    reason: str | None,
    amount: Decimal | None,
    rating: int | None,
    now: dt.datetime,
) -> None:
    reservation.status = target
    if target == S.SEATED:
        reservation.arrival_time = now
        set_blocking(reservation, True)  # a no-show who turns up holds the table again
        if now < reservation.starts_at:
            _seat_early(session, reservation, now)
    elif target == S.COMPLETED:
        reservation.departure_time = now
        if reservation.arrival_time is None:
            reservation.arrival_time = reservation.starts_at
        if amount is not None:
            reservation.total_amount = amount
        if rating is not None:
            reservation.rating = rating
        set_blocking(reservation, False)
        session.flush()
        record_visit(session, reservation.guest, reservation, rules)
        refresh_table_scores(session, rules, reservation.restaurant_id,
                             [link.table_id for link in reservation.table_links], now)  # fmt: skip
    elif target == S.CANCELLED:
        reservation.cancellation_reason = reason
        set_blocking(reservation, False)
    elif target == S.NO_SHOW:
        reservation.no_show_reason = reason
        set_blocking(reservation, False)
    elif target == S.RESCHEDULED:
        set_blocking(reservation, False)
    else:
        set_blocking(reservation, target in BLOCKING_STATUSES)


def _seat_early(session: Session, reservation: Reservation, now: dt.datetime) -> None:
    """A party that arrives early holds its table from now, when the table is free from now.

    The check runs before the holds move: letting the database refuse the overlap would
    poison the session (a failed flush inside the unit of work cannot be retried safely).
    """
    table_ids = [link.table_id for link in reservation.table_links]
    if not table_ids:
        return
    earlier = session.scalar(
        select(func.count())
        .select_from(ReservationTable)
        .where(
            ReservationTable.table_id.in_(table_ids),
            ReservationTable.reservation_id != reservation.id,
            ReservationTable.blocking.is_(True),
            ReservationTable.starts_at < reservation.starts_at,
            ReservationTable.blocked_until > now,
        )
    )
    if earlier:
        return  # the table is still promised to an earlier party: keep the booked start
    for link in reservation.table_links:
        link.starts_at = now


def move_reservation(
    db: Database,
    code_or_id: str | int,
    *,
    date: dt.date | None = None,
    time: dt.time | None = None,
    party_size: int | None = None,
    duration: int | None = None,
    tables: tuple[str, ...] | None = None,
    actor: str = "host",
    user_id: int | None = None,
    now: dt.datetime | None = None,
    seat: bool = False,
) -> ReservationView:
    """Change time, party size, length or tables of the same booking, through every rule.

    ``seat`` also seats the party in the same transaction (a reservation dropped on a table
    as the guests arrive): either both happen or neither does.
    """
    now = now or dt.datetime.now(dt.UTC)
    try:
        with db.unit_of_work() as uow:
            session = uow.session
            reservation = find_reservation(session, code_or_id)
            lock_restaurant(session, reservation.restaurant_id)
            if reservation.status not in BLOCKING_STATUSES:
                raise InvalidInput(f"A {reservation.status.value} reservation cannot be moved.")
            _, rules = load_restaurant(session, reservation.restaurant_id)
            day = date or reservation.date
            slot = resolve_slot(rules, day, time or reservation.time)
            party = fields.integer(party_size or reservation.guests, "party size", minimum=1,
                                   maximum=100)  # fmt: skip
            minutes = fields.integer(duration or _kept_duration(reservation, rules, party),
                                     "duration (minutes)", minimum=15, maximum=720)  # fmt: skip
            snapshot = load_snapshot(session, reservation.restaurant_id, rules, day, now)
            only = None
            if tables:
                by_name = {t.name.lower(): t.id for t in snapshot.tables}
                missing = [n for n in tables if n.lower() not in by_name]
                if missing:
                    raise InvalidInput(f"There is no table named {missing[0]!r}.")
                only = tuple(by_name[n.lower()] for n in tables)
            elif date is None and time is None and party_size is None:
                only = tuple(link.table_id for link in reservation.table_links) or None
            seated = reservation.status in (S.SEATED, S.DINING)
            same_slot = day == reservation.date and slot.local_time == reservation.time
            verdict = evaluate(
                snapshot, slot, party, duration=minutes,
                wishes=read_wishes(reservation.special_requests,
                                   reservation.occasion_type and reservation.occasion_type.value),
                guest=guest_context(session, reservation.guest),
                ignore_reservation=reservation.id,
                ignore_covers=reservation.guests if same_slot else 0,
                only_tables=only,
                check_time=not (seated or same_slot),
            )  # fmt: skip
            if not verdict.available or verdict.assignment is None:
                detail = verdict.message or "That change is not possible."
                if verdict.assignment and verdict.assignment.rejected and only:
                    detail = f"{detail} ({verdict.assignment.rejected[0].reason})"
                raise NotAvailable(detail)
            old_timeslot = reservation.timeslot_id
            row = snapshot.timeslots.get(slot.local_time)
            reservation.date = day
            reservation.time = slot.local_time
            reservation.starts_at = slot.starts_at
            reservation.ends_at = slot.starts_at + dt.timedelta(minutes=minutes)
            reservation.duration = minutes
            reservation.guests = party
            reservation.timeslot_id = row.id if row else None
            assert verdict.assignment.chosen is not None
            session.flush()
            reservation.table_links.clear()
            session.flush()
            hold_tables(reservation, verdict.assignment.chosen.table_ids, rules.buffer)
            session.flush()
            if seat and reservation.status is not S.SEATED:
                current = reservation.status
                check_transition(current, S.SEATED)
                _apply(session, reservation, S.SEATED, rules, None, None, None, now)
                record_status(
                    session, reservation, S.SEATED, actor=actor, user_id=user_id, reason=None,
                    now=now, from_status=current,
                )  # fmt: skip
                session.flush()
            refresh_timeslot(session, old_timeslot)
            refresh_timeslot(session, reservation.timeslot_id)
            view = view_of(reservation)
            uow.changed("reservation", reservation.id)
            uow.commit()
    except IntegrityError as exc:
        if overlap_error(exc):
            raise NotAvailable(_TAKEN) from None
        raise
    return view


def _kept_duration(reservation: Reservation, rules: BookingRules, party: int) -> int:
    # A duration the host set by hand stays; one that came from the turn times follows the party.
    if reservation.duration != rules.turn_time(reservation.guests):
        return reservation.duration
    return rules.turn_time(party)


def reschedule(
    db: Database,
    code_or_id: str | int,
    *,
    date: dt.date,
    time: dt.time,
    party_size: int | None = None,
    actor: str = "host",
    user_id: int | None = None,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> ReservationView:
    """A new booking replaces the old one (status rescheduled, linked); all or nothing."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        with db.unit_of_work() as uow:
            session = uow.session
            old = find_reservation(session, code_or_id)
            lock_restaurant(session, old.restaurant_id)
            check_transition(old.status, S.RESCHEDULED)
            restaurant, rules = load_restaurant(session, old.restaurant_id)
            party = fields.integer(party_size or old.guests, "party size", minimum=1,
                                   maximum=100)  # fmt: skip
            slot = resolve_slot(rules, date, time)
            snapshot = load_snapshot(session, old.restaurant_id, rules, date, now)
            verdict = evaluate(
                snapshot, slot, party,
                wishes=read_wishes(old.special_requests,
                                   old.occasion_type and old.occasion_type.value),
                guest=guest_context(session, old.guest),
                ignore_reservation=old.id,
                ignore_covers=old.guests if old.date == date and old.time == slot.local_time
                else 0,
            )  # fmt: skip
            if not verdict.available or verdict.assignment is None:
                raise NotAvailable(verdict.message or "That time is not available.")
            assert verdict.assignment.chosen is not None
            previous = old.status
            old.status = S.RESCHEDULED
            set_blocking(old, False)
            record_status(session, old, S.RESCHEDULED, actor=actor, user_id=user_id,
                          reason=reason or f"moved to {date} {slot.label}", now=now,
                          from_status=previous)  # fmt: skip
            session.flush()
            new = write_reservation(
                session, restaurant=restaurant, rules=rules, guest=old.guest, slot=slot,
                party_size=party, duration=rules.turn_time(party),
                table_ids=verdict.assignment.chosen.table_ids,
                status=previous if previous in (S.PENDING, S.CONFIRMED) else S.CONFIRMED,
                source=old.source, occasion=old.occasion_type,
                special_requests=old.special_requests, snapshot=snapshot, actor=actor,
                user_id=user_id, now=now, conversation_id=old.conversation_id,
                rescheduled_from=old,
            )  # fmt: skip
            refresh_timeslot(session, old.timeslot_id)
            view = view_of(new)
            uow.changed("reservation", old.id, new.id)
            uow.commit()
    except IntegrityError as exc:
        if overlap_error(exc):
            raise NotAvailable(_TAKEN) from None
        raise
    return view
