"""Turn a planned booking into a reservation whose status and history fit the clock.

Each booking gets its natural timeline (booked, confirmed, reminded, seated, dining, done, or a
no-show or a cancellation). Only the events up to "now" happened, so the current status is
simply the last of them: yesterday's dinners are completed, tonight's early tables are dining,
tomorrow's are confirmed or reminded.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.db.enums import (
    BLOCKING_STATUSES,
    BookingComplexity,
    OccasionType,
    ReservationSource,
    Sentiment,
    UserRole,
)
from app.db.enums import ReservationStatus as S
from app.db.models import Reservation, ReservationStatusChange, ReservationTable, Timeslot, User
from app.demo import texts
from app.demo.bookings import BUFFER, Plan
from app.demo.profile import DEPOSIT_PARTY_SIZE, DEPOSIT_PER_GUEST
from app.domain.codes import ALPHABET, CODE_LENGTH

AI_SOURCES = {
    ReservationSource.TELEGRAM,
    ReservationSource.WHATSAPP,
    ReservationSource.AI_ASSISTANT,
}
_REMINDERS = ((24, "24h"), (2, "2h"))


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    to: S
    actor: str
    user: User | None = None
    reason: str | None = None


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


class Lifecycle:
    def __init__(
        self,
        rng: random.Random,
        now: dt.datetime,
        users: dict[UserRole, User],
        timeslots: dict[tuple[dt.date, dt.time], Timeslot],
        taken_codes: set[str],
    ) -> None:
        self.rng = rng
        self.now = now
        self.host = users[UserRole.STAFF]
        self.manager = users[UserRole.MANAGER]
        self.timeslots = timeslots
        self.codes = taken_codes
        self._written: list[tuple[Reservation, list[Event]]] = []

    def build(self, plan: Plan) -> Reservation:
        events, reminders = self._timeline(plan)
        happened = self._happened(plan, events)
        status = happened[-1].to
        # Reminders go out until the booking is cancelled, or up to now.
        cutoff = happened[-1].at if status == S.CANCELLED else self.now
        reservation = Reservation(
            guest=plan.guest.guest,
            table=plan.table,
            timeslot=self.timeslots.get((plan.period.day, plan.time)),
            date=plan.period.day,
            time=plan.time,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            guests=plan.party,
            duration=plan.duration,
            status=status,
            special_requests=plan.requests,
            occasion_type=plan.occasion,
            source=plan.source,
            confirmation_code=self._code(),
            reminder_sent={key: at.isoformat() for key, at in reminders if at <= cutoff},
            alternatives_offered=plan.alternatives,
            created_at=plan.created_at,
            updated_at=happened[-1].at,
        )
        self._outcome(plan, reservation, happened)
        self._deposit(plan, reservation, happened)
        self._ai_fields(plan, reservation)
        self._written.append((reservation, happened))
        plan.guest.reservations.append(reservation)
        return reservation

    def write_history(self, session: Session) -> None:
        """Status history and table links of every built reservation, once they have ids.

        Thousands of small rows: a bulk insert takes a fraction of the unit-of-work's time.
        """
        history: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for reservation, happened in self._written:
            previous: S | None = None
            for event in happened:
                history.append(
                    {
                        "reservation_id": reservation.id,
                        "from_status": previous,
                        "to_status": event.to,
                        "changed_at": event.at,
                        "changed_by_user_id": event.user.id if event.user else None,
                        "actor": event.actor,
                        "reason": event.reason,
                    }
                )
                previous = event.to
            links.append(
                {
                    "reservation_id": reservation.id,
                    "table_id": reservation.table_id,
                    "starts_at": reservation.starts_at,
                    "blocked_until": reservation.ends_at + BUFFER,
                    "blocking": reservation.status in BLOCKING_STATUSES,
                }
            )
        session.execute(insert(ReservationStatusChange.__table__), history)
        session.execute(insert(ReservationTable.__table__), links)

    # -- the natural timeline ---------------------------------------------------------------

    def _timeline(self, plan: Plan) -> tuple[list[Event], list[tuple[str, dt.datetime]]]:
        rng, created, starts = self.rng, plan.created_at, plan.starts_at
        events: list[Event] = []
        reminders: list[tuple[str, dt.datetime]] = []
        if plan.source == ReservationSource.WALK_IN:
            arrival = created
        else:
            confirm_at = self._booking_events(plan, events)
            for hours, key in _REMINDERS:
                at = starts - dt.timedelta(hours=hours)
                if at > confirm_at:
                    reminders.append((key, at))
            if reminders:
                events.append(Event(reminders[0][1], S.REMINDED, "system"))
            arrival = starts + _minutes(rng.uniform(-10, 12))
            if plan.no_show:
                reason = rng.choice(texts.NO_SHOW_REASONS)
                at = starts + _minutes(rng.uniform(30, 45))
                events.append(Event(at, S.NO_SHOW, "host", self.host, reason))
                return events, reminders
        arrival = arrival.replace(microsecond=0)
        events.append(Event(arrival, S.SEATED, "host", self.host))
        events.append(Event(arrival + _minutes(rng.uniform(8, 15)), S.DINING, "host", self.host))
        departure = plan.ends_at - _minutes(rng.uniform(0, 20))
        departure = max(departure, events[-1].at + _minutes(20))
        events.append(Event(departure.replace(microsecond=0), S.COMPLETED, "host", self.host))
        return events, reminders

    def _booking_events(self, plan: Plan, events: list[Event]) -> dt.datetime:
        """The booking and its confirmation; returns when it was (or would be) confirmed."""
        created, rng = plan.created_at, self.rng
        if plan.party >= DEPOSIT_PARTY_SIZE:
            # Large parties wait for their deposit before the manager confirms.
            events.append(Event(created, S.PENDING, self._channel_actor(plan)))
            latest = plan.starts_at - dt.timedelta(hours=1)
            at = min(created + dt.timedelta(hours=rng.uniform(2, 60)), latest)
            at = max(at, created + _minutes(10))
            events.append(Event(at, S.CONFIRMED, "manager", self.manager, "Deposit received"))
            return at
        if plan.source == ReservationSource.PHONE:
            events.append(Event(created, S.CONFIRMED, "host", self.host))
            return created
        events.append(Event(created, S.PENDING, self._channel_actor(plan)))
        if plan.source in AI_SOURCES and rng.random() < 0.75:
            at = created + dt.timedelta(seconds=rng.randint(2, 9))  # Sofia confirms at once
            events.append(Event(at, S.CONFIRMED, "sofia"))
        else:
            # Most requests are confirmed within the hour; some wait for the next shift.
            delay = rng.uniform(5, 90) if rng.random() < 0.7 else rng.uniform(480, 1200)
            at = created + _minutes(delay)
            at = max(min(at, plan.starts_at - _minutes(20)), created + _minutes(1))
            events.append(Event(at, S.CONFIRMED, "host", self.host))
        return at

    @staticmethod
    def _channel_actor(plan: Plan) -> str:
        if plan.source in AI_SOURCES:
            return "sofia"
        return "website" if plan.source == ReservationSource.WEB else "host"

    def _happened(self, plan: Plan, events: list[Event]) -> list[Event]:
        """The events before now (or before the cancellation), with strictly rising times."""
        if plan.cancelled:
            low = events[0].at + _minutes(2)
            high = min(plan.starts_at, self.now) - _minutes(1)
            cancel_at = (low + (high - low) * self.rng.random()).replace(microsecond=0)
            kept = [e for e in events if e.at < cancel_at]
            reason = self.rng.choice(texts.CANCELLATION_REASONS)
            actor = self._channel_actor(plan) if plan.source != ReservationSource.PHONE else "host"
            user = self.host if actor == "host" else None
            kept.append(Event(cancel_at, S.CANCELLED, actor, user, reason))
        else:
            kept = [e for e in events if e.at <= self.now]
        kept.sort(key=lambda e: e.at)  # stable: equal times keep their logical order
        result: list[Event] = []
        for event in kept:
            if result and event.at <= result[-1].at:
                event = Event(result[-1].at + dt.timedelta(seconds=1), *_rest(event))
            result.append(event)
        return result

    # -- fields that follow from what happened ----------------------------------------------

    def _outcome(self, plan: Plan, reservation: Reservation, happened: list[Event]) -> None:
        rng, lang = self.rng, plan.guest.language
        by_status = {e.to: e for e in happened}
        if S.SEATED in by_status:
            reservation.arrival_time = by_status[S.SEATED].at
        if S.COMPLETED in by_status:
            reservation.departure_time = by_status[S.COMPLETED].at
            per_guest = (
                rng.randint(1300, 2400) if plan.period.name == "lunch" else rng.randint(2800, 5600)
            )
            if plan.occasion in (OccasionType.BIRTHDAY, OccasionType.ANNIVERSARY):
                per_guest = per_guest * 6 // 5
            reservation.total_amount = Decimal(round(per_guest * plan.party, -1))
            if rng.random() < 0.35:
                rating = rng.choices([5, 4, 3, 2, 1], [55, 28, 10, 4, 3])[0]
                reservation.rating = rating
                if rng.random() < 0.5:
                    reservation.feedback = rng.choice(texts.FEEDBACK[rating][lang])
        if S.NO_SHOW in by_status:
            reservation.no_show_reason = by_status[S.NO_SHOW].reason
        if S.CANCELLED in by_status:
            reservation.cancellation_reason = by_status[S.CANCELLED].reason

    def _deposit(self, plan: Plan, reservation: Reservation, happened: list[Event]) -> None:
        if plan.party < DEPOSIT_PARTY_SIZE:
            return
        reservation.deposit_required = True
        reservation.deposit_amount = Decimal(DEPOSIT_PER_GUEST * plan.party)
        reservation.deposit_paid = any(e.reason == "Deposit received" for e in happened)

    def _ai_fields(self, plan: Plan, reservation: Reservation) -> None:
        if plan.source not in AI_SOURCES:
            return
        rng = self.rng
        reservation.ai_confidence = round(rng.uniform(0.78, 0.99), 2)
        if plan.alternatives or plan.party >= DEPOSIT_PARTY_SIZE:
            reservation.booking_complexity = BookingComplexity.COMPLEX
        elif plan.requests:
            reservation.booking_complexity = BookingComplexity.MODERATE
        else:
            reservation.booking_complexity = BookingComplexity.SIMPLE
        reservation.guest_sentiment = rng.choices(
            [Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE], [60, 35, 5]
        )[0]

    def _code(self) -> str:
        """A code from the app's alphabet, drawn from the seeded generator (reproducible)."""
        while True:
            code = "".join(self.rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code


def _rest(event: Event) -> tuple[S, str, User | None, str | None]:
    return event.to, event.actor, event.user, event.reason
