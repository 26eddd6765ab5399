"""Booking rules from a restaurant's settings, and how the slot rules use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from app.db.enums import VipTier
from app.domain.availability import (
    DaySnapshot,
    TimeslotInfo,
    assignment_request,
    evaluate,
    pacing_cap,
    precheck,
)
from app.domain.booking_rules import BookingRules, rules_from
from app.domain.floor import TableInfo
from app.domain.occupancy import Hold, Occupancy
from app.domain.requests import read_wishes
from app.domain.service_hours import Slot, find_slot
from app.errors import InvalidInput

UTC = dt.UTC
HOURS = {day: [["12:00", "23:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
DAY = dt.date(2024, 6, 3)
NO_WISHES = read_wishes(None, None)


def rules(settings: dict[str, Any] | None = None, **columns: Any) -> BookingRules:
    return rules_from(timezone="Europe/Berlin", opening_hours=HOURS, settings=settings, **columns)


def table(id_: int, seats: int) -> TableInfo:
    return TableInfo(
        id=id_, name=f"T{id_}", min_guests=1, max_guests=seats, area="Main room",
        x=id_ * 500.0, y=0, width=80, height=80, features=frozenset(), preferred_for=frozenset(),
        priority=5, ai_score=0.5, bookable=True,
    )  # fmt: skip


def snapshot(
    r: BookingRules,
    *,
    now: dt.datetime | None = None,
    day: dt.date = DAY,
    tables: list[TableInfo] | None = None,
    holds: list[Hold] | None = None,
    covers: dict[dt.datetime, int] | None = None,
    timeslots: dict[dt.time, TimeslotInfo] | None = None,
) -> DaySnapshot:
    return DaySnapshot(
        rules=r,
        service_day=day,
        now=now or dt.datetime(2024, 6, 1, 9, 0, tzinfo=UTC),
        tables=tables if tables is not None else [table(1, 4)],
        groups=[],
        occupancy=Occupancy(holds or []),
        covers_by_slot=covers or {},
        timeslots=timeslots or {},
    )


def slot(r: BookingRules, clock: dt.time, day: dt.date = DAY) -> Slot:
    found = find_slot(r, day, clock)
    assert found is not None
    return found


# -- defaults and values ----------------------------------------------------------------------


def test_defaults_without_settings() -> None:
    r = rules(None)
    assert r.timezone.key == "Europe/Berlin"
    assert (r.default_turn, r.max_advance_days, r.slot_interval) == (90, 60, 15)
    assert (r.buffer, r.min_notice, r.last_seating_before_close) == (15, 30, 60)
    assert r.turn_bands == () and r.special_dates == {} and r.combinations == ()
    assert r.max_covers_per_slot is None and r.covers_per_staff is None
    assert r.max_party_size is None and r.vip_thresholds == () and r.peak_hours == ()
    assert r.deposit.party_size_at_least is None and r.deposit.amount_per_guest == 0
    assert r.loyalty_points_per_100 == 1
    assert r.turn_time(2) == 90 and r.turn_time(20) == 90
    assert rules({}) == r


def test_columns_set_turn_time_and_max_advance() -> None:
    r = rules({}, average_service_time=120, max_advance_booking=14)
    assert r.default_turn == 120 and r.max_advance_days == 14


def test_settings_values_are_read() -> None:
    r = rules(
        {
            "slot_interval_minutes": 30,
            "buffer_minutes": "10",  # a numeric string from a form is fine
            "min_notice_minutes": 120,
            "last_seating_minutes_before_close": 45,
            "max_covers_per_slot": 20,
            "covers_per_staff_member": 8,
            "max_party_size": 12,
            "combinations": [["T1", "T2"], ["T3", "T4", "T5"]],
            "peak_hours": [["19:00", "21:30"]],
            "loyalty_points_per_100": 5,
            "some_other_feature": {"anything": True},  # settings shared with other parts
        }
    )
    assert (r.slot_interval, r.buffer, r.min_notice, r.last_seating_before_close) == (
        30, 10, 120, 45,
    )  # fmt: skip
    assert (r.max_covers_per_slot, r.covers_per_staff, r.max_party_size) == (20, 8, 12)
    assert r.combinations == (("T1", "T2"), ("T3", "T4", "T5"))
    assert r.is_peak(dt.time(19)) and r.is_peak(dt.time(21, 15))
    assert not r.is_peak(dt.time(21, 30)) and not r.is_peak(dt.time(18, 59))
    assert r.loyalty_points_per_100 == 5


def test_turn_time_bands_by_party_size() -> None:
    r = rules({"turn_times": {"7+": 150, "1-2": 75, "3-4": 90, "5": 110}})
    assert [r.turn_time(n) for n in (1, 2, 3, 4, 5)] == [75, 75, 90, 90, 110]
    assert r.turn_time(6) == 90  # no band: the default
    assert r.turn_time(7) == 150 and r.turn_time(40) == 150
    assert [b.low for b in r.turn_bands] == [1, 3, 5, 7]  # sorted


def test_vip_thresholds_are_ordered_highest_tier_first() -> None:
    r = rules({"vip_thresholds": {"silver": {"visits": 5}, "platinum": {"spent": "100000"},
                                  "gold": {"visits": 20, "spent": 50000}}})  # fmt: skip
    assert [t.tier for t in r.vip_thresholds] == [VipTier.PLATINUM, VipTier.GOLD, VipTier.SILVER]
    assert r.vip_thresholds[0].spent == Decimal("100000.00")


def test_deposit_rules_are_read() -> None:
    r = rules({"deposit_rules": {"party_size_at_least": 8, "amount_per_guest": "500",
                                 "special_events": True}})  # fmt: skip
    assert r.deposit.party_size_at_least == 8
    assert r.deposit.amount_per_guest == Decimal("500.00")
    assert r.deposit.special_events


# -- malformed settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ({"slot_interval_minutes": "fifteen"}, "settings.slot_interval_minutes"),
        ({"slot_interval_minutes": 2}, "settings.slot_interval_minutes"),
        ({"slot_interval_minutes": 15.5}, "settings.slot_interval_minutes"),
        ({"slot_interval_minutes": True}, "settings.slot_interval_minutes"),
        ({"slot_interval_minutes": "--5"}, "settings.slot_interval_minutes"),
        ({"buffer_minutes": -5}, "settings.buffer_minutes"),
        ({"buffer_minutes": "-5"}, "settings.buffer_minutes"),
        ({"buffer_minutes": "²"}, "settings.buffer_minutes"),
        ({"buffer_minutes": [15]}, "settings.buffer_minutes"),
        ({"min_notice_minutes": {"h": 1}}, "settings.min_notice_minutes"),
        ({"last_seating_minutes_before_close": 9999}, "settings.last_seating_minutes_before_close"),
        ({"max_covers_per_slot": 0}, "settings.max_covers_per_slot"),
        ({"covers_per_staff_member": "many"}, "settings.covers_per_staff_member"),
        ({"max_party_size": -1}, "settings.max_party_size"),
        ({"loyalty_points_per_100": "x"}, "settings.loyalty_points_per_100"),
        ({"turn_times": [90]}, "settings.turn_times"),
        ({"turn_times": {"two": 90}}, "settings.turn_times"),
        ({"turn_times": {"0": 90}}, "settings.turn_times"),
        ({"turn_times": {"5-3": 90}}, "settings.turn_times"),
        ({"turn_times": {"1-2": "long"}}, "settings.turn_times.1-2"),
        ({"turn_times": {"1-2": 5}}, "settings.turn_times.1-2"),
        ({"turn_times": {"1-2": None}}, "settings.turn_times.1-2"),
        ({"turn_times": {"1-4": 90, "3-6": 120}}, "overlap"),
        ({"turn_times": {"5+": 90, "8": 120}}, "overlap"),
        ({"special_dates": ["2024-12-31"]}, "settings.special_dates"),
        ({"special_dates": {"31.12.2024": {"closed": True}}}, "settings.special_dates.31.12.2024"),
        ({"special_dates": {"2024-02-30": {"closed": True}}}, "settings.special_dates"),
        ({"special_dates": {"2024-12-31": True}}, "settings.special_dates.2024-12-31"),
        (
            {"special_dates": {"2024-12-31": {"closed": "yes"}}},
            "settings.special_dates.2024-12-31.closed",
        ),  # noqa: E501
        ({"special_dates": {"2024-12-31": {"shut": True}}}, "unknown field 'shut'"),
        (
            {"special_dates": {"2024-12-31": {"hours": "18-23"}}},
            "settings.special_dates.2024-12-31.hours",
        ),  # noqa: E501
        (
            {"special_dates": {"2024-12-31": {"hours": [["25:00", "23:00"]]}}},
            "settings.special_dates.2024-12-31.hours",
        ),  # noqa: E501
        (
            {"special_dates": {"2024-12-31": {"max_covers_per_slot": -1}}},
            "settings.special_dates.2024-12-31.max_covers_per_slot",
        ),  # noqa: E501
        ({"special_dates": {"2024-12-31": {"note": 5}}}, "settings.special_dates.2024-12-31.note"),
        ({"deposit_rules": "yes"}, "settings.deposit_rules"),
        ({"deposit_rules": {"per_guest": 5}}, "unknown field 'per_guest'"),
        (
            {"deposit_rules": {"amount_per_guest": "five"}},
            "settings.deposit_rules.amount_per_guest",
        ),  # noqa: E501
        ({"deposit_rules": {"amount_per_guest": -5}}, "settings.deposit_rules.amount_per_guest"),
        ({"deposit_rules": {"amount_per_guest": "NaN"}}, "settings.deposit_rules.amount_per_guest"),
        ({"deposit_rules": {"amount_per_guest": True}}, "settings.deposit_rules.amount_per_guest"),
        (
            {"deposit_rules": {"party_size_at_least": 0}},
            "settings.deposit_rules.party_size_at_least",
        ),  # noqa: E501
        ({"deposit_rules": {"special_events": 1}}, "settings.deposit_rules.special_events"),
        ({"vip_thresholds": ["gold"]}, "settings.vip_thresholds"),
        ({"vip_thresholds": {"diamond": {"visits": 3}}}, "settings.vip_thresholds tier"),
        ({"vip_thresholds": {"gold": {}}}, "settings.vip_thresholds.gold"),
        ({"vip_thresholds": {"gold": {"visits": "many"}}}, "settings.vip_thresholds.gold.visits"),
        ({"vip_thresholds": {"gold": {"nights": 3}}}, "unknown field 'nights'"),
        ({"combinations": "T1+T2"}, "settings.combinations"),
        ({"combinations": [["T1"]]}, "settings.combinations"),
        ({"combinations": [["T1", 2]]}, "settings.combinations"),
        ({"peak_hours": "19-21"}, "settings.peak_hours"),
        ({"peak_hours": [["19:00"]]}, r"settings.peak_hours\[0\]"),
        ({"peak_hours": [["19:00", 21]]}, r"settings.peak_hours\[0\]"),
    ],
)
def test_malformed_setting_is_an_error_naming_it(settings: dict[str, Any], names: str) -> None:
    with pytest.raises(InvalidInput, match=names):
        rules(settings)


@pytest.mark.parametrize("settings", [["slot_interval_minutes"], "{}", 5])
def test_settings_must_be_an_object(settings: Any) -> None:
    with pytest.raises(InvalidInput, match="settings must be a JSON object"):
        rules(settings)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", None, 3])
def test_unknown_time_zone_is_refused(zone: Any) -> None:
    with pytest.raises(InvalidInput, match="timezone"):
        rules_from(timezone=zone, opening_hours=HOURS, settings={})


@pytest.mark.parametrize(
    ("columns", "names"),
    [
        ({"average_service_time": 5}, "average_service_time"),
        ({"average_service_time": "long"}, "average_service_time"),
        ({"max_advance_booking": -1}, "max_advance_booking"),
        ({"max_advance_booking": 10_000}, "max_advance_booking"),
    ],
)
def test_bad_columns_are_errors_naming_them(columns: dict[str, Any], names: str) -> None:
    with pytest.raises(InvalidInput, match=names):
        rules({}, **columns)


def test_bad_opening_hours_are_refused() -> None:
    with pytest.raises(InvalidInput, match="opening_hours"):
        rules_from(timezone="UTC", opening_hours={"mon": "all day"}, settings={})


# -- the rules at work on a slot ---------------------------------------------------------------


def test_per_reservation_duration_overrides_the_turn_time_and_buffer_extends_the_hold() -> None:
    r = rules({"turn_times": {"1-2": 75}, "buffer_minutes": 20})
    snap = snapshot(r)
    at = slot(r, dt.time(19))
    standard = assignment_request(snap, at, 2, duration=None, wishes=NO_WISHES, guest=None)
    assert standard.ends_at - standard.starts_at == dt.timedelta(minutes=75)
    assert standard.blocked_until - standard.ends_at == dt.timedelta(minutes=20)
    longer = assignment_request(snap, at, 2, duration=180, wishes=NO_WISHES, guest=None)
    assert longer.ends_at - longer.starts_at == dt.timedelta(minutes=180)
    big = assignment_request(snap, at, 6, duration=None, wishes=NO_WISHES, guest=None)
    assert big.ends_at - big.starts_at == dt.timedelta(minutes=90)  # the default turn


def _hold(start: dt.datetime, minutes: int, buffer: int, rid: int = 1) -> Hold:
    end = start + dt.timedelta(minutes=minutes + buffer)
    return Hold(table_id=1, reservation_id=rid, starts_at=start, blocked_until=end, party_size=2)


def test_buffer_blocks_the_table_after_the_previous_party() -> None:
    r = rules({"buffer_minutes": 30})
    earlier = slot(r, dt.time(17))
    snap = snapshot(r, holds=[_hold(earlier.starts_at, 90, 30)])  # blocked until 19:00
    assert not evaluate(snap, slot(r, dt.time(18, 45)), 2, wishes=NO_WISHES).available
    assert evaluate(snap, slot(r, dt.time(19)), 2, wishes=NO_WISHES).available


def test_buffer_blocks_the_table_before_the_next_party() -> None:
    r = rules({"buffer_minutes": 30})
    later = slot(r, dt.time(20))
    snap = snapshot(r, holds=[_hold(later.starts_at, 90, 30)])
    # 90 minutes + 30 buffer from 18:00 ends exactly at 20:00: free. From 18:15 it is not.
    assert evaluate(snap, slot(r, dt.time(18)), 2, wishes=NO_WISHES).available
    verdict = evaluate(snap, slot(r, dt.time(18, 15)), 2, wishes=NO_WISHES)
    assert not verdict.available and verdict.reason == "no_table"
    assert verdict.message == "No table for 2 is free then."


def test_min_notice() -> None:
    r = rules({"min_notice_minutes": 60})
    at = slot(r, dt.time(19))
    snap = snapshot(r, now=at.starts_at - dt.timedelta(minutes=59))
    verdict = evaluate(snap, at, 2, wishes=NO_WISHES)
    assert verdict.reason == "too_soon" and "60 minutes" in (verdict.message or "")
    snap = snapshot(r, now=at.starts_at - dt.timedelta(minutes=60))
    assert evaluate(snap, at, 2, wishes=NO_WISHES).available
    # A host seating a walk-in skips the time checks.
    snap = snapshot(r, now=at.starts_at + dt.timedelta(minutes=5))
    assert evaluate(snap, at, 2, wishes=NO_WISHES).reason == "past"
    assert evaluate(snap, at, 2, wishes=NO_WISHES, check_time=False).available


def test_max_advance_days() -> None:
    r = rules({}, max_advance_booking=2)
    now = dt.datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    ok_day, far_day = dt.date(2024, 6, 3), dt.date(2024, 6, 4)
    assert evaluate(snapshot(r, now=now, day=ok_day), slot(r, dt.time(19), ok_day), 2,
                    wishes=NO_WISHES).available  # fmt: skip
    verdict = evaluate(snapshot(r, now=now, day=far_day), slot(r, dt.time(19), far_day), 2,
                       wishes=NO_WISHES)  # fmt: skip
    assert verdict.reason == "beyond_max_advance" and "2 days" in (verdict.message or "")


def test_max_party_size() -> None:
    r = rules({"max_party_size": 8})
    snap = snapshot(r, tables=[table(1, 12)])
    at = slot(r, dt.time(19))
    assert evaluate(snap, at, 8, wishes=NO_WISHES).available
    assert evaluate(snap, at, 9, wishes=NO_WISHES).reason == "party_too_large"


def test_pacing_from_the_restaurant_default() -> None:
    r = rules({"max_covers_per_slot": 10})
    at = slot(r, dt.time(19))
    snap = snapshot(r, tables=[table(1, 8)], covers={at.starts_at: 6})
    assert pacing_cap(snap, at) == 10
    assert precheck(snap, at, 4) is None
    verdict = precheck(snap, at, 5)
    assert verdict is not None and verdict.reason == "pacing_full"
    assert "10 covers" in (verdict.message or "")
    # Moving a booking of 3 that already counts in this slot frees its covers.
    assert precheck(snap, at, 5, ignore_covers=3) is None
    # Other slots are not affected.
    assert precheck(snap, slot(r, dt.time(19, 15)), 8) is None


def test_no_pacing_without_a_cap() -> None:
    r = rules({})
    at = slot(r, dt.time(19))
    snap = snapshot(r, covers={at.starts_at: 500})
    assert pacing_cap(snap, at) is None and precheck(snap, at, 10) is None


def _row(cap: int, *, active: bool = True, available: bool = True,
         staff: int | None = None, event: str | None = None) -> TimeslotInfo:  # fmt: skip
    return TimeslotInfo(1, cap, active, available, staff, event)


def test_a_timeslot_row_overrides_the_default_cap_and_staff_level_caps_it() -> None:
    r = rules({"max_covers_per_slot": 10, "covers_per_staff_member": 4})
    at = slot(r, dt.time(19))
    assert pacing_cap(snapshot(r, timeslots={dt.time(19): _row(30)}), at) == 30
    assert pacing_cap(snapshot(r, timeslots={dt.time(19): _row(30, staff=2)}), at) == 8
    # Other slots keep the restaurant default.
    assert pacing_cap(snapshot(r, timeslots={dt.time(19): _row(30)}), slot(r, dt.time(20))) == 10


def test_staff_level_without_covers_per_staff_setting_does_not_cap() -> None:
    r = rules({})
    at = slot(r, dt.time(19))
    assert pacing_cap(snapshot(r, timeslots={dt.time(19): _row(30, staff=1)}), at) == 30


def test_special_date_cap_is_the_lowest_that_applies() -> None:
    r = rules({"max_covers_per_slot": 20,
               "special_dates": {"2024-06-03": {"max_covers_per_slot": 6}}})  # fmt: skip
    at = slot(r, dt.time(19))
    assert pacing_cap(snapshot(r), at) == 6
    other = dt.date(2024, 6, 4)
    assert pacing_cap(snapshot(r, day=other), slot(r, dt.time(19), other)) == 20


@pytest.mark.parametrize(("active", "available"), [(False, True), (True, False), (False, False)])
def test_inactive_or_unavailable_timeslot_is_not_bookable(active: bool, available: bool) -> None:
    r = rules({})
    at = slot(r, dt.time(19))
    snap = snapshot(r, timeslots={dt.time(19): _row(30, active=active, available=available)})
    verdict = evaluate(snap, at, 2, wishes=NO_WISHES)
    assert not verdict.available and verdict.reason == "slot_closed"
    assert evaluate(snap, slot(r, dt.time(19, 15)), 2, wishes=NO_WISHES).available


def test_refusals_come_in_the_order_a_host_explains_them() -> None:
    # Past beats pacing beats tables.
    r = rules({"max_covers_per_slot": 1})
    at = slot(r, dt.time(19))
    snap = snapshot(r, tables=[], now=at.starts_at + dt.timedelta(hours=1))
    assert evaluate(snap, at, 2, wishes=NO_WISHES).reason == "past"
    snap = snapshot(r, tables=[])
    assert evaluate(snap, at, 2, wishes=NO_WISHES).reason == "pacing_full"
    snap = snapshot(rules({}), tables=[])
    assert evaluate(snap, at, 2, wishes=NO_WISHES).reason == "no_table"
