"""What one report is about, and the row filters every metric query shares.

Metric queries take a ``Scope`` (restaurant, period, its UTC window and offset segments, the
restaurant's rules for opening hours) and a Session; they never load rows into Python to count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.analytics.period import DateRange, OffsetSegment, offset_segments
from app.db.enums import ReservationSource, ReservationStatus
from app.db.models import Reservation, ReservationStatusChange, Restaurant
from app.domain.booking_rules import BookingRules, rules_from
from app.errors import NotFound

S = ReservationStatus

# The guest came: these bookings used their table.
ARRIVED = (S.SEATED, S.DINING, S.COMPLETED)
# A booking whose attendance is known: it came, or it did not.
OUTCOMES = (*ARRIVED, S.NO_SHOW)
# A history row with one of these means the booking was (at some point) a confirmed one.
CONFIRMED_OR_LATER = (S.CONFIRMED, S.REMINDED, S.SEATED, S.DINING, S.COMPLETED, S.NO_SHOW)
# Bookings expected or seated: they make covers.
LIVE_OR_ARRIVED = (S.PENDING, S.CONFIRMED, S.REMINDED, S.SEATED, S.DINING, S.COMPLETED)
SOFIA_ACTOR = "sofia"


@dataclass(frozen=True)
class Scope:
    restaurant_id: int
    restaurant_name: str
    currency: str
    period: DateRange
    zone: ZoneInfo
    rules: BookingRules
    # [local midnight of the first day, local midnight after the last) in UTC.
    starts_at: dt.datetime
    ends_at: dt.datetime
    segments: tuple[OffsetSegment, ...]
    # The restaurant's today: churn is judged as of min(period end, today).
    today: dt.date

    @property
    def as_of(self) -> dt.date:
        return min(self.period.end, self.today)

    def shifted(self, period: DateRange) -> Scope:
        """The same restaurant over another period (the previous one, for the KPI changes)."""
        starts_at, ends_at = period.utc_window(self.zone)
        return Scope(
            self.restaurant_id, self.restaurant_name, self.currency, period, self.zone,
            self.rules, starts_at, ends_at, tuple(offset_segments(starts_at, ends_at, self.zone)),
            self.today,
        )  # fmt: skip


def load_scope(
    session: Session, restaurant_id: int, period: DateRange, *, today: dt.date | None = None
) -> Scope:
    """The scope of a report; ``NotFound`` for an unknown restaurant."""
    restaurant = session.get(Restaurant, restaurant_id)
    if restaurant is None:
        raise NotFound(f"There is no restaurant {restaurant_id}.")
    rules = rules_from(
        timezone=restaurant.timezone,
        opening_hours=restaurant.opening_hours,
        settings=restaurant.settings,
        average_service_time=restaurant.average_service_time,
        max_advance_booking=restaurant.max_advance_booking,
    )
    zone = rules.timezone
    if today is None:
        today = dt.datetime.now(dt.UTC).astimezone(zone).date()
    starts_at, ends_at = period.utc_window(zone)
    currency = str((restaurant.settings or {}).get("currency") or "")
    return Scope(
        restaurant.id, restaurant.name, currency, period, zone, rules, starts_at, ends_at,
        tuple(offset_segments(starts_at, ends_at, zone)), today,
    )  # fmt: skip


def in_period(scope: Scope) -> ColumnElement[bool]:
    """Reservations of the restaurant whose service date lies in the period."""
    return and_(
        Reservation.restaurant_id == scope.restaurant_id,
        Reservation.date >= scope.period.start,
        Reservation.date <= scope.period.end,
    )


def arrived(reservation: type[Reservation] = Reservation) -> ColumnElement[bool]:
    """The guest came (``ARRIVED``), with the statuses written into the SQL text.

    Literal values, not bound parameters: only then can SQLite (and a generic PostgreSQL
    plan) see that the condition matches the partial index ``ix_reservations_arrived_guest``.
    ``reservation`` may be an alias of ``Reservation``.
    """
    statuses = bindparam("arrived", ARRIVED, expanding=True, literal_execute=True, unique=True)
    return reservation.status.in_(statuses)


def is_booking() -> ColumnElement[bool]:
    """A real booking: not a walk-in, and not the old half of a reschedule (its new half counts)."""
    return and_(
        Reservation.source != ReservationSource.WALK_IN,
        Reservation.status != S.RESCHEDULED,
    )


def creation_rows() -> ColumnElement[bool]:
    """The status-history row that created a reservation (its first status, from nothing)."""
    return ReservationStatusChange.from_status.is_(None)


def ever_confirmed() -> ColumnElement[bool]:
    """The reservation's history has a confirmed-or-later status (EXISTS, index-backed)."""
    return (
        select(ReservationStatusChange.id)
        .where(
            ReservationStatusChange.reservation_id == Reservation.id,
            ReservationStatusChange.to_status.in_(CONFIRMED_OR_LATER),
        )
        .exists()
    )


def made_by_sofia() -> ColumnElement[bool]:
    """The reservation was created by Sofia (the actor of its creation row)."""
    return (
        select(ReservationStatusChange.id)
        .where(
            ReservationStatusChange.reservation_id == Reservation.id,
            creation_rows(),
            ReservationStatusChange.actor == SOFIA_ACTOR,
        )
        .exists()
    )
