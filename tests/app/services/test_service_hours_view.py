"""The service windows a timeline draws: real instants, special dates, buffers."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import NotFound
from app.services.database import Database
from app.services.service_hours_view import service_hours, service_windows
from tests.app.services.conftest import FRIDAY, SETTINGS, create_place

UTC = dt.UTC


def test_friday_has_lunch_and_a_dinner_past_midnight(db: Database) -> None:
    place = create_place(db)
    windows = service_windows(db, place.restaurant_id, FRIDAY)
    assert [w.label for w in windows] == ["lunch", "dinner"]
    lunch, dinner = windows
    # Moscow is UTC+3 all year.
    assert lunch.opens_at == dt.datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert lunch.closes_at == dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert dinner.opens_at == dt.datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert dinner.closes_at == dt.datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
    assert dinner.last_seating_at == dt.datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


def test_hours_carry_the_zone_buffer_and_slot_step(db: Database) -> None:
    place = create_place(
        db, settings=SETTINGS | {"buffer_minutes": 20, "slot_interval_minutes": 30}
    )
    hours = service_hours(db, place.restaurant_id, FRIDAY)
    assert hours.timezone == "Europe/Moscow"
    assert (hours.buffer_minutes, hours.slot_minutes) == (20, 30)
    assert hours.day == FRIDAY and not hours.closed


def test_closed_days_and_special_dates(db: Database) -> None:
    special = {
        "special_dates": {
            "2026-11-27": {"hours": [["17:00", "22:00"]]},
            "2026-11-28": {"closed": True, "note": "Private event"},
        }
    }
    place = create_place(db, settings=SETTINGS | special)
    [window] = service_windows(db, place.restaurant_id, FRIDAY)
    assert window.opens_at == dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    assert service_hours(db, place.restaurant_id, FRIDAY + dt.timedelta(days=1)).closed
    sunday = FRIDAY + dt.timedelta(days=2)  # no Sunday hours at all
    assert service_windows(db, place.restaurant_id, sunday) == []


def test_unknown_restaurant_is_named(db: Database) -> None:
    with pytest.raises(NotFound):
        service_windows(db, 999_999, FRIDAY)
