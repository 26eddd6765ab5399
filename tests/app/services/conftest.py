"""A small restaurant on the test database, with a fixed clock, for booking tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from app.db.enums import TableStatus
from app.db.models import DiningTable, Restaurant
from app.services.booking import BookingRequest, BookingResult, book
from app.services.database import Database

# Tuesday morning in Moscow; the bookings below are for Friday 27 November.
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
FRIDAY = dt.date(2026, 11, 27)
HOURS = {day: [["12:00", "15:00"], ["18:00", "23:00"]] for day in ("mon", "tue", "wed", "thu")} | {
    "fri": [["12:00", "15:00"], ["18:00", "01:00"]],
    "sat": [["18:00", "01:00"]],
}
SETTINGS: dict[str, Any] = {
    "slot_interval_minutes": 15,
    "buffer_minutes": 15,
    "min_notice_minutes": 30,
    "last_seating_minutes_before_close": 60,
    "turn_times": {"1-2": 90, "3-4": 105, "5-8": 120, "9+": 150},
    "country": "RU",
}
# name, min, max, x, y, area, features, priority
TABLES: list[tuple[Any, ...]] = [
    ("A1", 1, 2, 0, 0, "Main room", ["window"], 8),
    ("A2", 1, 2, 200, 0, "Main room", [], 5),
    ("B1", 2, 4, 0, 200, "Main room", ["accessible"], 6),
    ("B2", 2, 4, 200, 200, "Main room", ["quiet"], 5),
    # Two six-tops side by side (20 cm apart): joinable for a party of up to 12.
    ("C1", 4, 6, 0, 400, "Main room", [], 5),
    ("C2", 4, 6, 180, 400, "Main room", [], 5),
    ("T1", 1, 4, 0, 0, "Terrace", ["outdoor"], 4),
]


@dataclass
class Place:
    db: Database
    restaurant_id: int
    table_ids: dict[str, int]

    def book(self, **overrides: Any) -> BookingResult:
        now = overrides.pop("now", NOW)
        values: dict[str, Any] = {
            "restaurant_id": self.restaurant_id, "date": FRIDAY, "time": dt.time(19, 0),
            "party_size": 2, "name": "Anna Petrova", "phone": "+79161234567",
        } | overrides  # fmt: skip
        return book(self.db, BookingRequest(**values), now=now)


def create_place(
    db: Database,
    *,
    settings: dict[str, Any] | None = None,
    hours: dict[str, Any] | None = None,
    timezone: str = "Europe/Moscow",
    tables: list[tuple[Any, ...]] | None = None,
) -> Place:
    with db.unit_of_work() as uow:
        restaurant = Restaurant(
            name="Test Bistro", timezone=timezone, opening_hours=hours or HOURS,
            settings=settings if settings is not None else dict(SETTINGS),
            average_service_time=90, max_advance_booking=60,
        )  # fmt: skip
        uow.session.add(restaurant)
        uow.session.flush()
        ids = {}
        for name, low, high, x, y, area, features, priority in tables or TABLES:
            table = DiningTable(
                restaurant_id=restaurant.id, name=name, min_guests=low, max_guests=high,
                position={"x": x, "y": y, "width": 160 if high > 4 else 80,
                          "height": 80, "rotation": 0, "area": area},
                features=features, preferred_for=[], priority=priority,
                status=TableStatus.FREE, is_active=True,
            )  # fmt: skip
            uow.session.add(table)
            uow.session.flush()
            ids[name] = table.id
        restaurant_id = restaurant.id
        uow.commit()
    return Place(db, restaurant_id, ids)


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


@pytest.fixture
def make_place(db: Database) -> Callable[..., Place]:
    return lambda **kw: create_place(db, **kw)
