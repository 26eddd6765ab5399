"""The host's day sheet and guest look-ups: read-only queries returning frozen views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.db.enums import ReservationStatus, VipTier
from app.db.models import Guest, Reservation, ReservationTable
from app.errors import NotFound
from app.services.database import Database
from app.services.reservation_views import ReservationView, load_views, view_of

SEARCH_LIMIT = 20


def day_reservations(
    db: Database,
    restaurant_id: int,
    day: dt.date,
    *,
    search: str | None = None,
    statuses: frozenset[ReservationStatus] | None = None,
    sources: frozenset[str] | None = None,
) -> list[ReservationView]:
    """A service day's reservations by start time; search matches name, phone or code."""
    conditions: list[Any] = [Reservation.restaurant_id == restaurant_id, Reservation.date == day]
    if statuses:
        conditions.append(Reservation.status.in_(statuses))
    if sources:
        conditions.append(Reservation.source.in_(sources))
    if search and search.strip():
        needle = f"%{search.strip().lower()}%"
        digits = "".join(ch for ch in search if ch.isdigit())
        matches = [
            func.lower(Guest.name).like(needle),
            func.lower(Reservation.confirmation_code).like(needle),
        ]
        if len(digits) >= 3:
            matches.append(Guest.phone.like(f"%{digits}%"))
        conditions.append(or_(*matches))
    with db.unit_of_work() as uow:
        return load_views(uow.session, *conditions)


@dataclass(frozen=True)
class GuestSummary:
    id: int
    name: str
    phone: str
    email: str | None
    vip_status: VipTier | None
    visit_count: int
    total_spent: Decimal
    last_visit: dt.date | None
    allergies: tuple[str, ...]
    blacklisted: bool
    notes: str | None
    preferred_times: tuple[str, ...]
    average_party_size: float | None


@dataclass(frozen=True)
class GuestProfile:
    guest: GuestSummary
    reservations: tuple[ReservationView, ...]
    no_shows: int
    cancellations: int


def guest_summary(guest: Guest) -> GuestSummary:
    return GuestSummary(
        guest.id, guest.name, guest.phone, guest.email, guest.vip_status, guest.visit_count,
        guest.total_spent, guest.last_visit, tuple(guest.allergies or ()), guest.blacklisted,
        guest.notes, tuple(guest.preferred_times or ()), guest.average_party_size,
    )  # fmt: skip


def find_guests(db: Database, restaurant_id: int, text: str) -> list[GuestSummary]:
    """Guests whose name or phone matches what the host is typing (best customers first)."""
    cleaned = text.strip().lower()
    if len(cleaned) < 2:
        return []
    digits = "".join(ch for ch in cleaned if ch.isdigit())
    conditions = [func.lower(Guest.name).like(f"%{cleaned}%")]
    if len(digits) >= 3:
        conditions.append(Guest.phone.like(f"%{digits}%"))
    query = (
        select(Guest)
        .where(Guest.restaurant_id == restaurant_id, or_(*conditions))
        .order_by(Guest.visit_count.desc(), Guest.name)
        .limit(SEARCH_LIMIT)
    )
    with db.unit_of_work() as uow:
        return [guest_summary(g) for g in uow.session.scalars(query)]


def guest_profile(db: Database, guest_id: int) -> GuestProfile:
    with db.unit_of_work() as uow:
        guest = uow.session.get(Guest, guest_id)
        if guest is None:
            raise NotFound(f"There is no guest with id {guest_id}.")
        rows = uow.session.scalars(
            select(Reservation)
            .where(Reservation.guest_id == guest_id)
            .options(selectinload(Reservation.table_links).selectinload(ReservationTable.table))
            .order_by(Reservation.starts_at.desc())
        ).all()
        views = tuple(view_of(r) for r in rows)
        return GuestProfile(
            guest_summary(guest),
            views,
            sum(1 for v in views if v.status is ReservationStatus.NO_SHOW),
            sum(1 for v in views if v.status is ReservationStatus.CANCELLED),
        )
