"""Allergies learned after booking (a chat, a phone call): saved on the guest and flagged on
every upcoming booking of theirs, so the kitchen sees them on the day sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select

from app.db.enums import BLOCKING_STATUSES
from app.db.models import Guest, Reservation
from app.domain import fields
from app.errors import NotFound
from app.services.database import Database

FLAG = "ALLERGY: "


def flagged_requests(special_requests: str | None, allergies: Iterable[str]) -> str | None:
    """The requests with one ``ALLERGY:`` part naming every allergy (old part replaced)."""
    parts = [p.strip() for p in (special_requests or "").split(" | ") if p.strip()]
    known: list[str] = []
    for part in parts:
        if part.upper().startswith(FLAG):
            known += [a.strip() for a in part[len(FLAG) :].split(",") if a.strip()]
    merged = _merge(known, allergies)
    kept = [p for p in parts if not p.upper().startswith(FLAG)]
    if merged:
        kept.append(FLAG + ", ".join(merged))
    return " | ".join(kept) or None


def record_allergies(
    db: Database, guest_id: int, allergies: Iterable[str], *, now: dt.datetime | None = None
) -> tuple[str, ...]:
    """Add ``allergies`` to the guest (no duplicates) and flag their upcoming bookings."""
    now = now or dt.datetime.now(dt.UTC)
    new = fields.text_list(list(allergies), "allergies")
    with db.unit_of_work() as uow:
        session = uow.session
        guest = session.get(Guest, guest_id)
        if guest is None:
            raise NotFound(f"There is no guest with id {guest_id}.")
        merged = _merge(guest.allergies or [], new)
        guest.allergies = merged
        upcoming = session.scalars(
            select(Reservation).where(
                Reservation.guest_id == guest_id,
                Reservation.status.in_(BLOCKING_STATUSES),
                Reservation.ends_at > now,
            )
        )
        for reservation in upcoming:
            reservation.special_requests = flagged_requests(reservation.special_requests, merged)
            uow.changed("reservation", reservation.id)
        uow.changed("guest", guest_id)
        uow.commit()
    return tuple(merged)


def _merge(known: Iterable[str], more: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in [*known, *more]:
        cleaned = " ".join(str(item).split())
        if cleaned and cleaned.lower() not in seen:
            seen[cleaned.lower()] = cleaned
    return list(seen.values())
