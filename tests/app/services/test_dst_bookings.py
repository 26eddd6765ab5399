"""Bookings on the nights the clocks change, in a zone that has DST (Europe/Berlin)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from app.services.availability import check_availability
from tests.app.services.conftest import SETTINGS, Place

LATE = {day: [["18:00", "03:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BEFORE_SPRING = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
BEFORE_AUTUMN = dt.datetime(2026, 10, 20, 12, 0, tzinfo=dt.UTC)


def _berlin(make_place: Callable[..., Place]) -> Place:
    return make_place(timezone="Europe/Berlin", hours=LATE,
                      settings=SETTINGS | {"last_seating_minutes_before_close": 30})  # fmt: skip


def test_spring_forward_night_has_no_missing_hour_slots(make_place: Callable[..., Place]) -> None:
    place = _berlin(make_place)
    saturday = dt.date(2026, 3, 28)  # clocks go 02:00 → 03:00 on Sunday morning
    result = check_availability(place.db, place.restaurant_id, saturday, 2, now=BEFORE_SPRING)
    times = [s.time for s in result.slots]
    assert not [t for t in times if t.startswith("02:")]
    # 03:00 CEST closes at 01:00 UTC; last seating 30 minutes earlier is 01:30 CET
    assert (times[0], times[-1]) == ("18:00", "01:30")
    instants = [s.starts_at for s in result.slots]
    assert all(
        b - a == dt.timedelta(minutes=15) for a, b in zip(instants, instants[1:], strict=False)
    )
    booked = place.book(date=saturday, time=dt.time(1, 30), now=BEFORE_SPRING).reservation
    assert booked.starts_at == dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # Sunday 01:30 CET
    assert booked.date == saturday


def test_autumn_fold_shows_the_repeated_hour_twice(make_place: Callable[..., Place]) -> None:
    place = _berlin(make_place)
    saturday = dt.date(2026, 10, 24)  # clocks go 03:00 → 02:00 on Sunday morning
    result = check_availability(place.db, place.restaurant_id, saturday, 2, now=BEFORE_AUTUMN)
    counts = Counter(s.time for s in result.slots)
    assert counts["02:00"] == 2 and counts["02:15"] == 2 and counts["01:45"] == 1
    twice = [s.starts_at for s in result.slots if s.time == "02:15"]
    assert twice[1] - twice[0] == dt.timedelta(hours=1)
    # the service really lasts 10 hours of clock time 18:00 → 03:00 CET
    assert result.slots[-1].starts_at - result.slots[0].starts_at == dt.timedelta(
        hours=9, minutes=30
    )
    booked = place.book(date=saturday, time=dt.time(2, 15), now=BEFORE_AUTUMN).reservation
    assert booked.starts_at == twice[0]  # the first 02:15 (CEST)
    assert booked.ends_at - booked.starts_at == dt.timedelta(minutes=90)  # real minutes
