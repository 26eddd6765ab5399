"""Services and bookable slots of a service day, as real instants (UTC) with local labels.

A *service day* is the day a service starts on: Friday's dinner that closes at 01:00 is
Friday's, and its 00:30 slot is booked as "Friday 00:30". Slots are stepped in UTC from the
opening instant, so a service across the spring-forward gap simply has no 02:xx slots and one
across the autumn fold shows the repeated hour twice (same label, different instants).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.booking_rules import BookingRules
from app.domain.opening_hours import WEEKDAYS, Service

UTC = dt.UTC


@dataclass(frozen=True)
class ServiceWindow:
    service_day: dt.date
    label: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    # The last instant a party may sit down: close minus the last-seating margin.
    last_seating_at: dt.datetime


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime  # UTC
    local: dt.datetime  # the same instant in the restaurant's zone
    service: ServiceWindow

    @property
    def label(self) -> str:
        return f"{self.local:%H:%M}"

    @property
    def local_time(self) -> dt.time:
        return self.local.time().replace(tzinfo=None)


def local_instant(rules: BookingRules, day: dt.date, clock: dt.time) -> dt.datetime:
    """The UTC instant of a local wall-clock time (first occurrence in a fold)."""
    return dt.datetime.combine(day, clock, tzinfo=rules.timezone).astimezone(UTC)


def services_for(rules: BookingRules, day: dt.date) -> list[ServiceWindow]:
    special = rules.special_dates.get(day)
    if special is not None and special.closed:
        return []
    services: tuple[Service, ...]
    if special is not None and special.hours is not None:
        services = special.hours
    else:
        services = rules.opening_hours.get(WEEKDAYS[day.weekday()], ())
    windows = []
    for service in services:
        opens = local_instant(rules, day, service.opens)
        close_day = day + dt.timedelta(days=1) if service.runs_past_midnight else day
        closes = local_instant(rules, close_day, service.closes)
        last = closes - dt.timedelta(minutes=rules.last_seating_before_close)
        windows.append(
            ServiceWindow(day, _label(service, len(services)), opens, closes, max(opens, last))
        )
    return windows


def _label(service: Service, count: int) -> str:
    if count == 1:
        return "all day" if service.minutes >= 8 * 60 else "service"
    if service.opens < dt.time(11):
        return "breakfast"
    return "lunch" if service.opens < dt.time(16) else "dinner"


def slots_for(rules: BookingRules, day: dt.date) -> list[Slot]:
    """Every bookable slot start of the day's services, in order."""
    step = dt.timedelta(minutes=rules.slot_interval)
    slots: list[Slot] = []
    for window in services_for(rules, day):
        moment = window.opens_at
        while moment <= window.last_seating_at:
            slots.append(Slot(moment, moment.astimezone(rules.timezone), window))
            moment += step
    return slots


def find_slot(rules: BookingRules, day: dt.date, clock: dt.time) -> Slot | None:
    """The slot of ``day``'s services labelled ``clock`` (the earlier one in an autumn fold)."""
    wanted = clock.replace(second=0, microsecond=0, tzinfo=None)
    for slot in slots_for(rules, day):
        if slot.local_time == wanted:
            return slot
    return None


def service_day_of(rules: BookingRules, instant: dt.datetime) -> dt.date:
    """The service day an instant belongs to (yesterday's, in the small hours of a late close)."""
    local = instant.astimezone(rules.timezone)
    yesterday = local.date() - dt.timedelta(days=1)
    for window in services_for(rules, yesterday):
        if window.opens_at <= instant < window.closes_at:
            return yesterday
    return local.date()


def today(rules: BookingRules, now: dt.datetime) -> dt.date:
    return service_day_of(rules, now)
