"""Bookable time slots for the coming two weeks, with their pacing and bookings."""

from __future__ import annotations

import datetime as dt

from app.db.enums import BLOCKING_STATUSES
from app.db.models import Reservation, Timeslot
from app.demo.profile import MAX_COVERS_PER_SLOT
from app.demo.schedule import ServicePeriod

SLOT_DAYS = 15  # today and the next 14 days: every upcoming demo booking has its slot


def _staff(period: ServicePeriod) -> int:
    if period.name == "lunch":
        return 4
    if period.is_weekend_dinner:
        return 8
    return 7 if period.weekday == "sun" else 6


def build_timeslots(
    periods: list[ServicePeriod], closed: dt.date, note: str
) -> dict[tuple[dt.date, dt.time], Timeslot]:
    """One row per slot of every service; a closed date's slots are kept but not bookable."""
    slots: dict[tuple[dt.date, dt.time], Timeslot] = {}
    for period in periods:
        for day, time, minutes in period.slots():
            event: str | None = None
            pricing: dict[str, object] = {}
            if (
                period.weekday == "fri"
                and period.name == "dinner"
                and 20 * 60 <= minutes <= 22 * 60
            ):
                event = "Live jazz"
            if period.is_weekend_dinner and 19 * 60 + 30 <= minutes <= 21 * 60 + 30:
                pricing = {"minimum_spend_per_guest": 3500, "currency": "RUB"}
            if day == closed:
                event = note
            slots[(day, time)] = Timeslot(
                date=day,
                time=time,
                is_available=day != closed,
                max_capacity=MAX_COVERS_PER_SLOT,
                current_bookings=0,
                is_active=True,
                staff_level=_staff(period),
                special_event=event,
                pricing=pricing,
            )
    return slots


def count_bookings(slots: dict[tuple[dt.date, dt.time], Timeslot], rows: list[Reservation]) -> None:
    """Covers of the bookings that still hold a table, per starting slot."""
    for row in rows:
        if row.status in BLOCKING_STATUSES and (row.date, row.time) in slots:
            slots[(row.date, row.time)].current_bookings += row.guests
