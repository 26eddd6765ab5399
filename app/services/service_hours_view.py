"""A service day's opening windows and turn-over settings, for screens that draw the day.

Threading: plain functions; each call opens its own unit of work on the calling thread and
returns frozen values that may be handed to any thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.service_hours import ServiceWindow, services_for
from app.services.database import Database
from app.services.day_loader import load_restaurant


@dataclass(frozen=True)
class ServiceHours:
    """What a timeline needs to lay out a day: the windows (UTC), the zone and the buffers."""

    day: dt.date
    timezone: str
    windows: tuple[ServiceWindow, ...]
    buffer_minutes: int  # the table is reset for this long after a party leaves
    slot_minutes: int  # bookings start every this many minutes

    @property
    def closed(self) -> bool:
        return not self.windows


def service_hours(db: Database, restaurant_id: int, day: dt.date) -> ServiceHours:
    """The service windows of ``day`` (special dates included) plus the buffer and slot step."""
    with db.unit_of_work() as uow:
        restaurant, rules = load_restaurant(uow.session, restaurant_id)
        return ServiceHours(
            day=day,
            timezone=restaurant.timezone,
            windows=tuple(services_for(rules, day)),
            buffer_minutes=rules.buffer,
            slot_minutes=rules.slot_interval,
        )


def service_windows(db: Database, restaurant_id: int, day: dt.date) -> list[ServiceWindow]:
    """Just the windows of ``day``, in order (empty when the restaurant is closed)."""
    return list(service_hours(db, restaurant_id, day).windows)
