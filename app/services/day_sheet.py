"""The host's day sheet and guest look-ups: read-only queries returning frozen views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_

from app.db.enums import ReservationStatus
from app.db.models import Guest, Reservation
from app.services.database import Database
from app.services.reservation_views import ReservationView, load_views

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
