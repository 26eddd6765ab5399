"""Guests: find-or-create by phone (E.164, unique per restaurant), and what a visit teaches us."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.enums import GuestSource, ReservationStatus
from app.db.models import Guest, Reservation
from app.domain import fields
from app.domain.booking_rules import BookingRules
from app.domain.guest_stats import (
    better_tier,
    earned_tier,
    loyalty_points,
    preferred_times,
    running_average,
)
from app.domain.phones import normalize_phone
from app.domain.restaurant_spec import parse_email
from app.errors import GuestBlocked


def find_or_create_guest(
    session: Session,
    restaurant_id: int,
    *,
    phone: str,
    name: str | None,
    email: str | None = None,
    source: GuestSource | None = None,
    region: str = "RU",
) -> Guest:
    """The guest with this phone at this restaurant, created when new; blacklisted → refused."""
    e164 = normalize_phone(phone, region)
    guest = session.scalars(
        select(Guest).where(Guest.restaurant_id == restaurant_id, Guest.phone == e164)
    ).one_or_none()
    clean_email = parse_email(email, "email") if email else None
    if guest is None:
        clean_name = fields.required_text(name, "guest name", max_length=200)
        guest = Guest(
            restaurant_id=restaurant_id,
            name=clean_name,
            phone=e164,
            email=clean_email,
            source=source,
            preferences={},
            allergies=[],
            preferred_times=[],
        )
        session.add(guest)
        session.flush()
        return guest
    if guest.blacklisted:
        raise GuestBlocked(
            f"{guest.name} ({e164}) is on the restaurant's blocked list and cannot be booked"
            + (f": {guest.notes}" if guest.notes else ".")
        )
    if clean_email and not guest.email:
        guest.email = clean_email
    return guest


def check_not_blacklisted(guest: Guest) -> None:
    if guest.blacklisted:
        raise GuestBlocked(
            f"{guest.name} is on the restaurant's blocked list and cannot be booked."
        )


def request_flags(guest: Guest, special_requests: str | None) -> str | None:
    """The booking's special requests with the guest's allergies and preferences as flags."""
    parts = [special_requests.strip()] if special_requests and special_requests.strip() else []
    text = " ".join(parts).lower()
    allergies = [a for a in (guest.allergies or []) if a and a.lower() not in text]
    if allergies:
        parts.append("ALLERGY: " + ", ".join(allergies))
    seating = (guest.preferences or {}).get("seating")
    if isinstance(seating, str) and seating and seating.lower() not in text:
        parts.append(f"Prefers: {seating}")
    return " | ".join(parts) if parts else None


def record_visit(
    session: Session, guest: Guest, reservation: Reservation, rules: BookingRules
) -> None:
    """Update the guest's figures when a visit completes."""
    amount = reservation.total_amount or Decimal("0")
    guest.average_party_size = running_average(
        guest.average_party_size, guest.visit_count, reservation.guests
    )
    guest.visit_count += 1
    guest.total_spent = (guest.total_spent or Decimal("0")) + amount
    guest.last_visit = max(filter(None, [guest.last_visit, reservation.date]))
    guest.loyalty_points += loyalty_points(amount, rules.loyalty_points_per_100)
    guest.vip_status = better_tier(
        guest.vip_status, earned_tier(rules.vip_thresholds, guest.visit_count, guest.total_spent)
    )
    times = session.scalars(
        select(Reservation.time).where(
            Reservation.guest_id == guest.id,
            Reservation.status == ReservationStatus.COMPLETED,
            Reservation.id != reservation.id,
        )
    ).all()
    guest.preferred_times = preferred_times([*times, reservation.time])
