"""Availability: every slot of a day for a party, the table each would get, and alternatives."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.enums import ReservationStatus
from app.db.models import Guest, Reservation, ReservationTable
from app.domain import fields
from app.domain.assignment import TableVisit
from app.domain.availability import DaySnapshot, GuestContext, SlotVerdict, evaluate, grid
from app.domain.availability_matrix import MatrixCell, day_matrix
from app.domain.booking_rules import BookingRules
from app.domain.requests import TableWishes, read_wishes
from app.domain.service_hours import find_slot, services_for
from app.services.database import Database
from app.services.day_loader import load_restaurant, load_snapshot, load_tables

SAME_DAY_ALTERNATIVES = 3
NEXT_DAY_ALTERNATIVES = 3
DAYS_AHEAD = 7


@dataclass(frozen=True)
class SlotOption:
    time: str
    starts_at: dt.datetime
    service: str
    available: bool
    tables: tuple[str, ...]
    reason: str | None
    message: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "available": self.available,
            "tables": list(self.tables),
            "reason": self.reason,
            "message": self.message,
            "service": self.service,
            "starts_at": self.starts_at.isoformat(),
        }


@dataclass(frozen=True)
class Alternative:
    date: dt.date
    time: str
    tables: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "time": self.time, "tables": list(self.tables)}

    def __str__(self) -> str:
        return f"{self.date:%a %d %b} {self.time}"


@dataclass(frozen=True)
class AvailabilityResult:
    restaurant_id: int
    date: dt.date
    party_size: int
    closed: str | None
    slots: tuple[SlotOption, ...]
    requested: SlotOption | None
    alternatives: tuple[Alternative, ...]
    explanation: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "party_size": self.party_size,
            "closed": self.closed,
            "slots": [s.to_json() for s in self.slots],
            "requested": self.requested.to_json() if self.requested else None,
            "alternatives": [a.to_json() for a in self.alternatives],
            "explanation": list(self.explanation),
        }


def _option(verdict: SlotVerdict) -> SlotOption:
    return SlotOption(
        time=verdict.slot.label,
        starts_at=verdict.slot.starts_at,
        service=verdict.slot.service.label,
        available=verdict.available,
        tables=verdict.tables,
        reason=verdict.reason,
        message=verdict.message,
    )


def check_availability(
    db: Database,
    restaurant_id: int,
    day: dt.date,
    party_size: int,
    *,
    time: dt.time | None = None,
    duration: int | None = None,
    features: tuple[str, ...] = (),
    special_requests: str | None = None,
    occasion: str | None = None,
    needs_accessible: bool = False,
    guest_id: int | None = None,
    now: dt.datetime | None = None,
) -> AvailabilityResult:
    now = now or dt.datetime.now(dt.UTC)
    party = fields.integer(party_size, "party size", minimum=1, maximum=100)
    if duration is not None:
        duration = fields.integer(duration, "duration (minutes)", minimum=15, maximum=720)
    wishes = read_wishes(special_requests, occasion, features, needs_accessible)
    with db.unit_of_work() as uow:
        session = uow.session
        _, rules = load_restaurant(session, restaurant_id)
        guest = None
        if guest_id is not None:
            row = session.get(Guest, guest_id)
            guest = guest_context(session, row) if row is not None else None
        snapshot = load_snapshot(session, restaurant_id, rules, day, now)
        verdicts = grid(snapshot, party, duration=duration, wishes=wishes, guest=guest)
        closed = _closed_reason(rules, day) if snapshot.is_closed else None
        requested = None
        explanation: tuple[str, ...] = ()
        alternatives: tuple[Alternative, ...] = ()
        if time is not None:
            slot = find_slot(rules, day, time)
            if slot is not None:
                verdict = evaluate(snapshot, slot, party, duration=duration, wishes=wishes,
                                   guest=guest)  # fmt: skip
                requested = _option(verdict)
                if verdict.assignment is not None:
                    explanation = tuple(verdict.assignment.explain())
            if requested is None or not requested.available:
                alternatives = tuple(
                    alternatives_for(session, restaurant_id, rules, day, time, party,
                                     duration=duration, wishes=wishes, guest=guest, now=now,
                                     snapshot=snapshot, same_day=verdicts)
                )  # fmt: skip
        return AvailabilityResult(
            restaurant_id, day, party, closed, tuple(_option(v) for v in verdicts), requested,
            alternatives, explanation,
        )  # fmt: skip


def _closed_reason(rules: BookingRules, day: dt.date) -> str:
    special = rules.special_dates.get(day)
    if special is not None and special.note:
        return f"Closed: {special.note}"
    return "Closed"


def alternatives_for(
    session: Session,
    restaurant_id: int,
    rules: BookingRules,
    day: dt.date,
    time: dt.time,
    party_size: int,
    *,
    duration: int | None,
    wishes: TableWishes,
    guest: GuestContext | None,
    now: dt.datetime,
    snapshot: DaySnapshot | None = None,
    same_day: list[SlotVerdict] | None = None,
) -> list[Alternative]:
    """The nearest bookable times the same day, then the same time on the following days.

    ``snapshot`` (the day already loaded in this unit of work) and ``same_day`` (its grid for
    this party and these wishes) spare loading and computing the same day twice.
    """
    tables = snapshot.tables if snapshot is not None else load_tables(session, restaurant_id)
    result: list[Alternative] = []
    if snapshot is None:
        snapshot = load_snapshot(session, restaurant_id, rules, day, now, list(tables))
    if same_day is None:
        same_day = grid(snapshot, party_size, duration=duration, wishes=wishes, guest=guest)
    wanted = dt.datetime.combine(day, time)
    same_day = [v for v in same_day if v.available and v.slot.local_time != time]
    same_day.sort(key=lambda v: abs(v.slot.local.replace(tzinfo=None) - wanted))
    result += [Alternative(day, v.slot.label, v.tables) for v in same_day[:SAME_DAY_ALTERNATIVES]]
    found = 0
    for offset in range(1, DAYS_AHEAD + 1):
        later = day + dt.timedelta(days=offset)
        if not services_for(rules, later):
            continue
        slot = find_slot(rules, later, time)
        if slot is None:
            continue
        snapshot = load_snapshot(session, restaurant_id, rules, later, now, list(tables))
        verdict = evaluate(snapshot, slot, party_size, duration=duration, wishes=wishes,
                           guest=guest, explain=False)  # fmt: skip
        if verdict.available:
            result.append(Alternative(later, slot.label, verdict.tables))
            found += 1
            if found >= NEXT_DAY_ALTERNATIVES:
                break
    return result


def guest_context(session: Session, guest: Guest | None) -> GuestContext:
    """The guest's tier and the tables they sat at (and liked) for the history criterion."""
    if guest is None or guest.id is None:
        return GuestContext()
    rows = session.execute(
        select(ReservationTable.table_id, Reservation.rating)
        .join(Reservation, Reservation.id == ReservationTable.reservation_id)
        .where(
            Reservation.guest_id == guest.id,
            Reservation.status == ReservationStatus.COMPLETED,
        )
    )
    visits: dict[int, int] = defaultdict(int)
    liked: dict[int, bool] = defaultdict(bool)
    for table_id, rating in rows:
        visits[table_id] += 1
        liked[table_id] |= rating is not None and rating >= 4
    history = {t: TableVisit(visits[t], liked[t]) for t in visits}
    return GuestContext(vip_tier=guest.vip_status, history=history)


def availability_matrix(
    db: Database,
    restaurant_id: int,
    day: dt.date,
    party_sizes: tuple[int, ...] = tuple(range(1, 13)),
    *,
    now: dt.datetime | None = None,
) -> tuple[tuple[str, ...], dict[int, list[MatrixCell]]]:
    """Slot labels and, per party size, whether each slot can still be sold."""
    now = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work() as uow:
        _, rules = load_restaurant(uow.session, restaurant_id)
        snapshot = load_snapshot(uow.session, restaurant_id, rules, day, now)
        labels = tuple(slot.label for slot in snapshot.slots)
        return labels, day_matrix(snapshot, party_sizes)


def availability_grid(
    db: Database,
    restaurant_id: int,
    day: dt.date,
    party_sizes: tuple[int, ...] = tuple(range(1, 13)),
    *,
    duration: int | None = None,
    features: tuple[str, ...] = (),
    special_requests: str | None = None,
    occasion: str | None = None,
    needs_accessible: bool = False,
    guest_id: int | None = None,
    now: dt.datetime | None = None,
) -> dict[int, tuple[SlotOption, ...]]:
    """Every slot of the day for several party sizes, with the table each would get.

    The same answers as ``check_availability(...).slots`` per size, from one unit of work and
    one snapshot of the day instead of one per party size.
    """
    now = now or dt.datetime.now(dt.UTC)
    sizes = tuple(
        fields.integer(size, "party size", minimum=1, maximum=100) for size in party_sizes
    )
    if duration is not None:
        duration = fields.integer(duration, "duration (minutes)", minimum=15, maximum=720)
    wishes = read_wishes(special_requests, occasion, features, needs_accessible)
    with db.unit_of_work() as uow:
        session = uow.session
        _, rules = load_restaurant(session, restaurant_id)
        guest = None
        if guest_id is not None:
            row = session.get(Guest, guest_id)
            guest = guest_context(session, row) if row is not None else None
        snapshot = load_snapshot(session, restaurant_id, rules, day, now)
        return {
            size: tuple(
                _option(v)
                for v in grid(snapshot, size, duration=duration, wishes=wishes, guest=guest)
            )
            for size in sizes
        }
