"""Service days and slots: several services, late closes, closed and special days, DST."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.domain.booking_rules import BookingRules, rules_from
from app.domain.service_hours import (
    find_slot,
    service_day_of,
    services_for,
    slots_for,
    today,
)

UTC = dt.UTC
MON = dt.date(2024, 6, 3)  # a Monday
FRI = dt.date(2024, 6, 7)
SAT = dt.date(2024, 6, 8)
TUE = dt.date(2024, 6, 4)


def rules(hours: dict[str, Any], tz: str = "Europe/Berlin", **settings: Any) -> BookingRules:
    return rules_from(timezone=tz, opening_hours=hours, settings=settings)


def labels(rules_: BookingRules, day: dt.date) -> list[str]:
    return [s.label for s in slots_for(rules_, day)]


def steps(rules_: BookingRules, day: dt.date) -> set[dt.timedelta]:
    instants = [s.starts_at for s in slots_for(rules_, day)]
    return {b - a for a, b in zip(instants, instants[1:], strict=False)}


def test_lunch_and_dinner_are_two_services_with_their_own_slots() -> None:
    r = rules({"mon": [["18:00", "23:00"], ["12:00", "15:00"]]})
    windows = services_for(r, MON)
    assert [w.label for w in windows] == ["lunch", "dinner"]
    assert all(w.service_day == MON for w in windows)
    got = labels(r, MON)
    # 15-minute slots, last seating an hour before each close.
    assert got[0] == "12:00" and "14:00" in got and "14:15" not in got
    assert got[9] == "18:00" and got[-1] == "22:00"
    assert len(got) == 9 + 17
    assert "16:00" not in got  # nothing between the services
    # Slots are UTC instants with the local label (Berlin is UTC+2 in June).
    first = slots_for(r, MON)[0]
    assert first.starts_at == dt.datetime(2024, 6, 3, 10, 0, tzinfo=UTC)
    assert first.starts_at.tzinfo == UTC and first.local.hour == 12
    assert first.local_time == dt.time(12, 0)


def test_a_single_service_is_called_all_day_or_service() -> None:
    assert services_for(rules({"mon": [["10:00", "22:00"]]}), MON)[0].label == "all day"
    assert services_for(rules({"mon": [["18:00", "22:00"]]}), MON)[0].label == "service"


def test_breakfast_lunch_dinner_labels() -> None:
    r = rules({"mon": [["08:00", "10:30"], ["12:00", "15:00"], ["18:00", "22:00"]]})
    assert [w.label for w in services_for(r, MON)] == ["breakfast", "lunch", "dinner"]


def test_closed_weekday_has_no_services_or_slots() -> None:
    r = rules({"mon": [["12:00", "22:00"]]})
    assert services_for(r, TUE) == []
    assert slots_for(r, TUE) == []
    assert find_slot(r, TUE, dt.time(19)) is None


def test_slot_interval_setting_steps_the_slots() -> None:
    r = rules({"mon": [["18:00", "22:00"]]}, slot_interval_minutes=30)
    assert labels(r, MON) == ["18:00", "18:30", "19:00", "19:30", "20:00", "20:30", "21:00"]
    assert steps(r, MON) == {dt.timedelta(minutes=30)}


def test_last_seating_margin_is_honoured() -> None:
    r = rules({"mon": [["18:00", "22:00"]]}, last_seating_minutes_before_close=90)
    assert labels(r, MON)[-1] == "20:30"
    window = services_for(r, MON)[0]
    assert window.closes_at - window.last_seating_at == dt.timedelta(minutes=90)


def test_last_seating_never_before_opening() -> None:
    # A one-hour service with a two-hour margin still takes its opening slot.
    r = rules({"mon": [["18:00", "19:00"]]}, last_seating_minutes_before_close=120)
    assert labels(r, MON) == ["18:00"]


def test_closing_past_midnight_belongs_to_the_previous_service_day() -> None:
    r = rules({"fri": [["18:00", "02:00"]]})
    window = services_for(r, FRI)[0]
    assert window.service_day == FRI
    assert window.closes_at == dt.datetime(2024, 6, 8, 0, 0, tzinfo=UTC)  # Sat 02:00 CEST
    got = labels(r, FRI)
    assert got[0] == "18:00" and got[-1] == "01:00"
    assert "00:30" in got and len(got) == 29
    late = find_slot(r, FRI, dt.time(0, 30))
    assert late is not None
    assert late.service.service_day == FRI
    assert late.local.date() == SAT  # booked as "Friday 00:30", sits on Saturday
    assert late.starts_at == dt.datetime(2024, 6, 7, 22, 30, tzinfo=UTC)
    # Saturday is closed: its own 00:30 does not exist.
    assert find_slot(r, SAT, dt.time(0, 30)) is None
    assert service_day_of(r, late.starts_at) == FRI
    assert today(r, late.starts_at) == FRI


def test_service_day_of_at_the_edges_of_a_late_service() -> None:
    r = rules({"fri": [["18:00", "02:00"]], "sat": [["18:00", "23:00"]]})
    berlin = r.timezone
    at = dt.datetime(2024, 6, 8, 1, 59, tzinfo=berlin)
    assert service_day_of(r, at) == FRI
    # At closing time Friday's service is over: the instant is Saturday's.
    assert service_day_of(r, dt.datetime(2024, 6, 8, 2, 0, tzinfo=berlin)) == SAT
    assert service_day_of(r, dt.datetime(2024, 6, 8, 19, 0, tzinfo=berlin)) == SAT
    # A Saturday 00:30 slot exists only as Friday's; Saturday's own slots start at 18:00.
    assert labels(r, SAT)[0] == "18:00"


def test_special_date_closed() -> None:
    r = rules({"mon": [["12:00", "22:00"]]}, special_dates={"2024-06-03": {"closed": True}})
    assert services_for(r, MON) == []
    assert slots_for(r, MON) == []
    assert slots_for(r, MON + dt.timedelta(days=7))  # the next Monday is open as usual


def test_special_date_with_changed_hours_replaces_the_weekday() -> None:
    r = rules(
        {"mon": [["12:00", "22:00"]]},
        special_dates={"2024-06-04": {"hours": [["19:00", "01:00"]], "note": "Jazz night"}},
    )
    # Tuesday is normally closed; the special date opens it late into the night.
    got = labels(r, TUE)
    assert got[0] == "19:00" and got[-1] == "00:00"
    assert services_for(r, TUE)[0].closes_at == dt.datetime(2024, 6, 4, 23, 0, tzinfo=UTC)
    assert r.special_dates[TUE].note == "Jazz night"
    # Monday keeps its hours.
    assert labels(r, MON)[0] == "12:00"


def test_special_hours_can_shorten_an_open_day() -> None:
    r = rules(
        {"mon": [["12:00", "22:00"]]}, special_dates={"2024-06-03": {"hours": [["12:00", "15:00"]]}}
    )
    assert labels(r, MON)[-1] == "14:00"


def test_find_slot_ignores_seconds_and_misses_unaligned_times() -> None:
    r = rules({"mon": [["18:00", "22:00"]]})
    assert find_slot(r, MON, dt.time(19, 0, 30)) is not None
    assert find_slot(r, MON, dt.time(19, 5)) is None
    assert find_slot(r, MON, dt.time(21, 15)) is None  # after last seating


# -- DST -----------------------------------------------------------------------------------


def test_spring_forward_in_berlin_loses_the_missing_hour_only() -> None:
    # 2024-03-31 02:00 CET → 03:00 CEST. A Saturday service 22:00 → 04:00 lasts five real hours.
    sat = dt.date(2024, 3, 30)
    r = rules({"sat": [["22:00", "04:00"]]})
    slots = slots_for(r, sat)
    window = services_for(r, sat)[0]
    assert window.opens_at == dt.datetime(2024, 3, 30, 21, 0, tzinfo=UTC)
    assert window.closes_at == dt.datetime(2024, 3, 31, 2, 0, tzinfo=UTC)
    # 21:00 … 01:00 UTC every 15 minutes.
    assert len(slots) == 17
    assert steps(r, sat) == {dt.timedelta(minutes=15)}
    assert slots[-1].starts_at == dt.datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    got = [s.label for s in slots]
    assert not [label for label in got if label.startswith("02:")]
    assert got[-2:] == ["01:45", "03:00"]
    assert len(set(got)) == len(got)
    assert all(s.service.service_day == sat for s in slots)
    assert find_slot(r, sat, dt.time(2, 30)) is None
    three = find_slot(r, sat, dt.time(3, 0))
    assert three is not None and three.local.utcoffset() == dt.timedelta(hours=2)


def test_autumn_fold_in_berlin_shows_the_repeated_hour_twice() -> None:
    # 2024-10-27 03:00 CEST → 02:00 CET. A Saturday service 22:00 → 04:00 lasts seven hours.
    sat = dt.date(2024, 10, 26)
    r = rules({"sat": [["22:00", "04:00"]]})
    slots = slots_for(r, sat)
    window = services_for(r, sat)[0]
    assert window.opens_at == dt.datetime(2024, 10, 26, 20, 0, tzinfo=UTC)
    assert window.closes_at == dt.datetime(2024, 10, 27, 3, 0, tzinfo=UTC)
    assert len(slots) == 25  # 20:00 … 02:00 UTC
    assert steps(r, sat) == {dt.timedelta(minutes=15)}
    instants = [s.starts_at for s in slots]
    assert len(set(instants)) == len(instants)
    got = [s.label for s in slots]
    for label in ("02:00", "02:15", "02:30", "02:45"):
        assert got.count(label) == 2
    assert got.count("01:45") == 1 and got.count("03:00") == 1
    twice = [s for s in slots if s.label == "02:30"]
    assert twice[1].starts_at - twice[0].starts_at == dt.timedelta(hours=1)
    assert [s.local.fold for s in twice] == [0, 1]
    # find_slot returns the earlier of the two.
    found = find_slot(r, sat, dt.time(2, 30))
    assert found is not None and found.starts_at == twice[0].starts_at
    assert found.starts_at == dt.datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    # Both belong to Saturday's service day.
    assert {service_day_of(r, s.starts_at) for s in twice} == {sat}


def test_spring_forward_in_new_york_across_midnight() -> None:
    # 2024-03-10 02:00 EST → 03:00 EDT. Saturday 20:00 → 03:00 wall time is six real hours.
    sat = dt.date(2024, 3, 9)
    r = rules({"sat": [["20:00", "03:00"]]}, tz="America/New_York", slot_interval_minutes=30)
    slots = slots_for(r, sat)
    window = services_for(r, sat)[0]
    assert window.opens_at == dt.datetime(2024, 3, 10, 1, 0, tzinfo=UTC)
    assert window.closes_at == dt.datetime(2024, 3, 10, 7, 0, tzinfo=UTC)
    assert window.closes_at - window.opens_at == dt.timedelta(hours=6)
    got = [s.label for s in slots]
    assert got[0] == "20:00" and got[-1] == "01:00"
    assert len(got) == 11
    assert steps(r, sat) == {dt.timedelta(minutes=30)}


def test_daytime_service_on_a_dst_day_is_unchanged_in_wall_time() -> None:
    sun = dt.date(2024, 3, 31)
    r = rules({"sun": [["12:00", "15:00"]]})
    assert labels(r, sun) == labels(r, sun + dt.timedelta(days=7))
    # …but its UTC instants moved by the new offset.
    first = slots_for(r, sun)[0]
    assert first.starts_at == dt.datetime(2024, 3, 31, 10, 0, tzinfo=UTC)
    week_before = slots_for(r, sun - dt.timedelta(days=7))[0]
    assert week_before.starts_at == dt.datetime(2024, 3, 24, 11, 0, tzinfo=UTC)
