"""The one booking path: the GUI, the CLI, Sofia and the channel worker all book through here.

One call is one transaction: the guest is found or created, the slot is checked against every
rule, the best table is chosen, and the reservation, its table holds, its first status-history
row and the timeslot's counter are written together, or nothing is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.enums import GuestSource, OccasionType, ReservationSource, ReservationStatus
from app.db.models import Guest, Restaurant
from app.domain import fields
from app.domain.assignment import Candidate
from app.domain.availability import GuestContext, SlotVerdict, evaluate
from app.domain.booking_rules import BookingRules, money
from app.domain.floor import TableInfo
from app.domain.requests import read_wishes
from app.domain.service_hours import Slot, find_slot, services_for
from app.errors import InvalidInput, NotAvailable
from app.services.availability import alternatives_for, guest_context
from app.services.booking_writes import (
    lock_restaurant,
    overlap_error,
    write_reservation,
)
from app.services.database import Database
from app.services.day_loader import load_restaurant, load_snapshot
from app.services.guests import find_or_create_guest, request_flags
from app.services.reservation_views import ReservationView, view_of

MAX_PARTY = 100
CREATION_STATUSES = (ReservationStatus.INQUIRY, ReservationStatus.PENDING,
                     ReservationStatus.CONFIRMED)  # fmt: skip


@dataclass(frozen=True)
class BookingRequest:
    restaurant_id: int
    date: dt.date
    time: dt.time
    party_size: int
    phone: str | None = None
    name: str | None = None
    email: str | None = None
    guest_id: int | None = None
    special_requests: str | None = None
    occasion: str | None = None
    source: str = "phone"
    duration: int | None = None
    # A host's explicit choice of table(s) by name; empty lets the engine choose.
    tables: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    needs_accessible: bool = False
    status: str = "confirmed"
    conversation_id: int | None = None
    ai_confidence: float | None = None
    # The deposit the host asks for; None lets the restaurant's deposit rules decide, 0 waives it.
    deposit: object = None


@dataclass(frozen=True)
class BookingResult:
    reservation: ReservationView
    explanation: tuple[str, ...]
    candidates: tuple[Candidate, ...]


def book(
    db: Database,
    request: BookingRequest,
    *,
    actor: str = "host",
    user_id: int | None = None,
    now: dt.datetime | None = None,
) -> BookingResult:
    """Book a table; raises InvalidInput (bad request) or NotAvailable (with alternatives)."""
    now = now or dt.datetime.now(dt.UTC)
    party = fields.integer(request.party_size, "party size", minimum=1, maximum=MAX_PARTY)
    source = fields.choice(request.source, ReservationSource, "source")
    occasion = (
        fields.choice(request.occasion, OccasionType, "occasion") if request.occasion else None
    )
    status = fields.choice(request.status, ReservationStatus, "status")
    if status not in CREATION_STATUSES:
        raise InvalidInput("A new booking starts as inquiry, pending or confirmed.")
    duration = (
        None
        if request.duration is None
        else fields.integer(request.duration, "duration (minutes)", minimum=15, maximum=720)
    )
    special = fields.text(request.special_requests, "special requests", max_length=1000)
    deposit = None if request.deposit in (None, "") else money(request.deposit, "deposit")
    try:
        with db.unit_of_work() as uow:
            session = uow.session
            lock_restaurant(session, request.restaurant_id)
            restaurant, rules = load_restaurant(session, request.restaurant_id)
            guest = _guest(session, restaurant, request, source)
            slot = resolve_slot(rules, request.date, request.time)
            snapshot = load_snapshot(session, restaurant.id, rules, request.date, now)
            only = _table_ids(snapshot.tables, request.tables)
            wishes = read_wishes(special, occasion, request.features, request.needs_accessible)
            context = guest_context(session, guest)
            verdict = evaluate(
                snapshot, slot, party, duration=duration, wishes=wishes, guest=context,
                only_tables=only,
            )  # fmt: skip
            if not verdict.available:
                raise _refusal(verdict, session, rules, request, party, duration, now, context)
            assert verdict.assignment is not None and verdict.assignment.chosen is not None
            reservation = write_reservation(
                session,
                restaurant=restaurant,
                rules=rules,
                guest=guest,
                slot=slot,
                party_size=party,
                duration=duration or rules.turn_time(party),
                table_ids=verdict.assignment.chosen.table_ids,
                status=status,
                source=source,
                occasion=occasion,
                special_requests=request_flags(guest, special),
                snapshot=snapshot,
                actor=actor,
                user_id=user_id,
                now=now,
                conversation_id=request.conversation_id,
                ai_confidence=request.ai_confidence,
                deposit=deposit,
            )
            session.flush()
            view = view_of(reservation)
            uow.changed("reservation", reservation.id)
            uow.changed("guest", guest.id)
            uow.commit()
    except IntegrityError as exc:
        if not overlap_error(exc):
            raise
        # Another terminal booked the table between our check and our write.
        raise NotAvailable(
            "Sorry, that table and time are no longer available: someone else just booked it.",
            _alternatives(db, request, party, duration, now),
        ) from None
    return BookingResult(view, tuple(verdict.assignment.explain()),
                         verdict.assignment.considered)  # fmt: skip


def _guest(
    session: Session, restaurant: Restaurant, request: BookingRequest, source: ReservationSource
) -> Guest:
    if request.guest_id is not None:
        guest = session.get(Guest, request.guest_id)
        if guest is None or guest.restaurant_id != restaurant.id:
            raise InvalidInput(f"There is no guest with id {request.guest_id} here.")
        if guest.blacklisted:
            raise NotAvailable(
                f"{guest.name} is on the restaurant's blocked list and cannot be booked."
            )
        return guest
    if not request.phone:
        raise InvalidInput("A phone number is needed to book (the guest's contact).")
    known = {member.value for member in GuestSource}
    guest_source = GuestSource(source.value) if source.value in known else None
    region = str((restaurant.settings or {}).get("country") or "RU")
    return find_or_create_guest(
        session, restaurant.id, phone=request.phone, name=request.name, email=request.email,
        source=guest_source, region=region,
    )  # fmt: skip


def resolve_slot(rules: BookingRules, day: dt.date, clock: dt.time) -> Slot:
    """The slot a date and time name, or why there is none."""
    slot = find_slot(rules, day, clock)
    if slot is not None:
        return slot
    windows = services_for(rules, day)
    if not windows:
        special = rules.special_dates.get(day)
        note = f" ({special.note})" if special and special.note else ""
        raise NotAvailable(f"The restaurant is closed on {day:%A %d %B %Y}{note}.")
    hours = ", ".join(
        f"{w.opens_at.astimezone(rules.timezone):%H:%M}–"
        f"{w.last_seating_at.astimezone(rules.timezone):%H:%M}"
        for w in windows
    )
    if clock.minute % rules.slot_interval:
        raise InvalidInput(
            f"{clock:%H:%M} is not a booking time: bookings start every "
            f"{rules.slot_interval} minutes ({hours} on {day:%d %B})."
        )
    raise NotAvailable(f"{clock:%H:%M} is outside the seating hours on {day:%A}: {hours}.")


def _table_ids(tables: Sequence[TableInfo], names: tuple[str, ...]) -> tuple[int, ...] | None:
    if not names:
        return None
    by_name = {t.name.lower(): t.id for t in tables}
    ids = []
    for name in names:
        table_id = by_name.get(name.strip().lower())
        if table_id is None:
            raise InvalidInput(f"There is no table named {name!r}.")
        ids.append(table_id)
    return tuple(ids)


def _refusal(
    verdict: SlotVerdict,
    session: Session,
    rules: BookingRules,
    request: BookingRequest,
    party: int,
    duration: int | None,
    now: dt.datetime,
    context: GuestContext,
) -> NotAvailable:
    message = verdict.message or "That time is not available."
    if request.tables and verdict.assignment and verdict.assignment.rejected:
        reason = verdict.assignment.rejected[0].reason
        names = "+".join(request.tables)
        if reason.endswith("is taken then"):
            message = f"Table {names} is no longer available at {request.time:%H:%M}: {reason}."
        else:
            message = f"Table {names} cannot take this booking: {reason}."
    # Same session: a second transaction would wait on this one's write lock under SQLite.
    wishes = read_wishes(request.special_requests, request.occasion, request.features,
                         request.needs_accessible)  # fmt: skip
    alternatives = alternatives_for(
        session, request.restaurant_id, rules, request.date, request.time, party,
        duration=duration, wishes=wishes, guest=context, now=now,
    )  # fmt: skip
    return NotAvailable(message, tuple(alternatives))


def _alternatives(
    db: Database,
    request: BookingRequest,
    party: int,
    duration: int | None,
    now: dt.datetime,
    context: GuestContext | None = None,
) -> tuple[object, ...]:
    with db.unit_of_work() as uow:
        _, rules = load_restaurant(uow.session, request.restaurant_id)
        wishes = read_wishes(request.special_requests, request.occasion, request.features,
                             request.needs_accessible)  # fmt: skip
        return tuple(
            alternatives_for(
                uow.session, request.restaurant_id, rules, request.date, request.time, party,
                duration=duration, wishes=wishes, guest=context, now=now,
            )
        )  # fmt: skip
