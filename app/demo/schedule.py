"""Service days and slots of the demo restaurant, in local wall-clock time and in UTC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.domain.opening_hours import WEEKDAYS, Service

SLOT_MINUTES = 15
LAST_SEATING_MINUTES = 60


@dataclass(frozen=True)
class ServicePeriod:
    """One service of one service day (a Friday dinner ending at 01:00 belongs to Friday)."""

    day: dt.date
    name: str  # "lunch" or "dinner"
    service: Service

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]

    @property
    def is_weekend_dinner(self) -> bool:
        return self.name == "dinner" and self.weekday in ("fri", "sat")

    def slots(self) -> list[tuple[dt.date, dt.time, int]]:
        """Every bookable start: (service day, local time, minutes after the day's midnight).

        The minutes count keeps running past midnight, so 00:00 after a Friday dinner is
        1440 and orders after 23:45.
        """
        start = self.service.opens.hour * 60 + self.service.opens.minute
        last = start + self.service.minutes - LAST_SEATING_MINUTES
        return [
            (self.day, dt.time((m // 60) % 24, m % 60), m)
            for m in range(start, last + 1, SLOT_MINUTES)
        ]


def services_of_day(hours: dict[str, tuple[Service, ...]], day: dt.date) -> list[ServicePeriod]:
    services = hours[WEEKDAYS[day.weekday()]]
    if len(services) == 1:
        # A single all-day service (Sunday) counts as dinner for pacing and staffing.
        return [ServicePeriod(day, "dinner", services[0])]
    return [ServicePeriod(day, "lunch" if i == 0 else "dinner", s) for i, s in enumerate(services)]


def local_start(day: dt.date, minutes: int, zone: ZoneInfo) -> dt.datetime:
    """The aware local datetime ``minutes`` after the service day's midnight.

    Built from the calendar date and wall-clock time (not by adding a timedelta to midnight)
    so a DST change in the zone would still give the right wall-clock time.
    """
    calendar_day = day + dt.timedelta(days=minutes // 1440)
    wall = dt.time((minutes // 60) % 24, minutes % 60)
    return dt.datetime.combine(calendar_day, wall, tzinfo=zone)


def to_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def service_date_of(start_local: dt.datetime, cutoff_hour: int = 6) -> dt.date:
    """The service day a local start belongs to (before ``cutoff_hour`` it is the day before)."""
    if start_local.hour < cutoff_hour:
        return start_local.date() - dt.timedelta(days=1)
    return start_local.date()
