"""Seating a walk-in: straight onto a free table, with the same holds and history as a booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.enums import GuestSource, ReservationSource, ReservationStatus
from app.db.models import Guest
from app.domain import fields
from app.domain.availability import DaySnapshot
from app.domain.booking_rules import BookingRules
from app.domain.service_hours import ServiceWindow, Slot, service_day_of, services_for
from app.errors import InvalidInput, NotAvailable
from app.services.booking_writes import lock_restaurant, overlap_error, write_reservation
from app.services.database import Database
from app.services.day_loader import load_restaurant, load_snapshot
from app.services.guests import find_or_create_guest
from app.services.reservation_views import ReservationView, view_of

# The shared profile for walk-ins who give no phone number.
WALK_IN_PHONE = "walk-in"
# Shorter than this before the next booking, a table is not offered to a walk-in at all.
MIN_WALK_IN_MINUTES = 30


def seat_walk_in(
    db: Database,
    restaurant_id: int,
    *,
    table_ids: tuple[int, ...],
    party_size: int,
    name: str | None = None,
    phone: str | None = None,
    actor: str = "host",
    user_id: int | None = None,
    now: dt.datetime | None = None,
) -> ReservationView:
    """Seat a party now; if a booking follows soon, the stay is shortened to end before it."""
    now = (now or dt.datetime.now(dt.UTC)).replace(second=0, microsecond=0)
    party = fields.integer(party_size, "party size", minimum=1, maximum=100)
    if not table_ids:
        raise InvalidInput("Choose a table for the walk-in.")
    try:
        with db.unit_of_work() as uow:
            session = uow.session
            lock_restaurant(session, restaurant_id)
            restaurant, rules = load_restaurant(session, restaurant_id)
            guest = _walk_in_guest(session, restaurant_id, name, phone, restaurant.settings)
            day = service_day_of(rules, now)
            snapshot = load_snapshot(session, restaurant_id, rules, day, now)
            tables = {t.id: t for t in snapshot.tables}
            chosen = [tables.get(i) for i in table_ids]
            if any(t is None for t in chosen):
                raise InvalidInput("That table is not in this restaurant.")
            seats = sum(t.max_guests for t in chosen if t is not None)
            if party > seats:
                raise NotAvailable(f"{party} guests do not fit at {seats} seats.")
            if not all(t is not None and t.bookable for t in chosen):
                raise NotAvailable("That table is out of service (maintenance or inactive).")
            minutes = _stay(snapshot, table_ids, now, rules.turn_time(party), rules.buffer)
            slot = Slot(now, now.astimezone(rules.timezone), _window(rules, day, now))
            reservation = write_reservation(
                session, restaurant=restaurant, rules=rules, guest=guest, slot=slot,
                party_size=party, duration=minutes, table_ids=table_ids,
                status=ReservationStatus.SEATED, source=ReservationSource.WALK_IN,
                occasion=None, special_requests=None, snapshot=snapshot, actor=actor,
                user_id=user_id, now=now,
            )  # fmt: skip
            reservation.arrival_time = now
            session.flush()
            view = view_of(reservation)
            uow.changed("reservation", reservation.id)
            uow.commit()
    except IntegrityError as exc:
        if overlap_error(exc):
            raise NotAvailable("That table was just taken by another booking.") from None
        raise
    return view


def _stay(
    snapshot: DaySnapshot, table_ids: tuple[int, ...], now: dt.datetime, turn: int, buffer: int
) -> int:
    """The turn time, cut short to end (with the buffer) before the table's next booking."""
    occupancy = snapshot.occupancy
    limit = now + dt.timedelta(minutes=turn + buffer)
    for table_id in table_ids:
        blocker = occupancy.blocker(table_id, now, limit)
        if blocker is None:
            continue
        if blocker.starts_at <= now:
            raise NotAvailable("That table is occupied or held right now.")
        limit = min(limit, blocker.starts_at)
    minutes = int((limit - now).total_seconds() // 60) - buffer
    if minutes < MIN_WALK_IN_MINUTES:
        raise NotAvailable(
            f"That table is booked in {minutes + buffer} minutes; too soon to seat a walk-in."
        )
    return min(turn, minutes)


def _window(rules: BookingRules, day: dt.date, now: dt.datetime) -> ServiceWindow:
    windows = services_for(rules, day)
    for window in windows:
        if window.opens_at <= now < window.closes_at:
            return window
    # Seating outside service hours is the host's call; the visit still needs a service day.
    return ServiceWindow(day, "walk-in", now, now + dt.timedelta(hours=4), now)


def _walk_in_guest(
    session: Session,
    restaurant_id: int,
    name: str | None,
    phone: str | None,
    settings: dict[str, Any] | None,
) -> Guest:
    if phone:
        region = str((settings or {}).get("country") or "RU")
        return find_or_create_guest(session, restaurant_id, phone=phone, name=name or "Walk-in",
                                    source=GuestSource.WALK_IN, region=region)  # fmt: skip
    guest = session.scalars(
        select(Guest).where(Guest.restaurant_id == restaurant_id, Guest.phone == WALK_IN_PHONE)
    ).one_or_none()
    if guest is None:
        guest = Guest(restaurant_id=restaurant_id, name="Walk-in", phone=WALK_IN_PHONE,
                      source=GuestSource.WALK_IN, preferences={}, allergies=[],
                      preferred_times=[])  # fmt: skip
        session.add(guest)
        session.flush()
    return guest
