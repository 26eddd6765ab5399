"""The eight KPIs against hand-built data (``kpi_dataset``), each value worked out by hand.

Every test runs on SQLite and on PostgreSQL (the ``db`` fixture) and must give the same numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event

from app.analytics.kpis import compute_kpis
from app.analytics.period import DateRange
from app.analytics.results import KPI_KEYS, Metric, Unit
from app.analytics.scope import load_scope
from app.errors import NotFound
from app.services.database import Database
from tests.app.analytics.kpi_dataset import (
    BERLIN_SAT,
    BERLIN_SUN,
    MON,
    SUN_BEFORE,
    TUE,
    WED,
    build_berlin,
    build_bistro,
)

TODAY = dt.date(2026, 12, 1)


def kpis(
    db: Database, restaurant_id: int, start: dt.date, end: dt.date | None = None
) -> dict[str, Metric]:
    with db.read_session() as session:
        scope = load_scope(session, restaurant_id, DateRange(start, end or start), today=TODAY)
        metrics = compute_kpis(session, scope)
    assert tuple(m.key for m in metrics) == KPI_KEYS
    return {m.key: m for m in metrics}


def values(metrics: dict[str, Metric]) -> dict[str, Any]:
    return {key: metric.value for key, metric in metrics.items()}


def samples(metrics: dict[str, Metric]) -> dict[str, int]:
    return {key: metric.sample for key, metric in metrics.items()}


# -- the main set: Bistro, Monday 23 – Tuesday 24 November 2026 -----------------------------------


def test_bistro_kpis_worked_by_hand(db: Database) -> None:
    bistro = build_bistro(db)
    got = kpis(db, bistro.restaurant_id, MON, TUE)

    # Bookings of the period: R1 R2 R3 R4 R7 R8 R11 R12 = 8 (walk-ins R5 R14 and the old half
    # of the reschedule R6 are not bookings; R9 is Wednesday, R15 the Sunday before).
    # Confirmed or later in the history: R1 R2 (created confirmed) R4 R7 R8 R11 = 6;
    # R3 (pending) and R12 (pending → cancelled) never were. 6 / 8 = 0.75
    conversion = got["conversion_rate"]
    assert (conversion.numerator, conversion.denominator, conversion.sample) == (6, 8, 8)
    assert conversion.value == pytest.approx(0.75)

    # Attendance known among the bookings: R1 completed, R2 no-show, R4 completed, R8 seated = 4
    # (the completed walk-ins do not count). No-shows: R2. 1 / 4 = 0.25
    no_show = got["no_show_rate"]
    assert (no_show.numerator, no_show.denominator, no_show.sample) == (1, 4, 4)
    assert no_show.value == pytest.approx(0.25)

    # Ratings: reservations of the period R1 5, R4 3, R5 4 (a walk-in's guest rates too) = 12;
    # conversations whose last message is in [Sun 21:00 UTC, Tue 21:00 UTC): c1 5, c2 2 and
    # c6 3 (last message exactly at the window's start) = 10; not the Sunday 23:59:59 one
    # (4), the one exactly at the window's end (1), R9 (1), R15 (2) or the other place's (1).
    # (12 + 10) / 6 = 3.6667
    satisfaction = got["satisfaction_score"]
    assert (satisfaction.numerator, satisfaction.denominator, satisfaction.sample) == (22, 6, 6)
    assert satisfaction.value == pytest.approx(22 / 6)

    # Arrived reservations: R1 100.00, R4 250.50, R5 40.25 (walk-in), R8 no bill, R14 no bill
    # = 390.75 from 5. Seats: T1 2 + T2 4 + T3 4 = 10 (T4 is retired). Open: Monday
    # 12–15 + 18–23 = 8 h, Tuesday special hours 18–23 = 5 h → 13 h. 390.75 / 130 = 3.00577
    revpash = got["revpash"]
    assert revpash.numerator == pytest.approx(390.75)
    assert revpash.denominator == pytest.approx(130)
    assert revpash.sample == 5
    assert revpash.value == pytest.approx(390.75 / 130)

    # Sofia created R2 R3 R7 R11 R12 (R4's creation row is the host's). R3's conversation was
    # handed off, R7's had a colleague's reply (handed back since); R2 R12 (c1) and R11 (no
    # conversation) were never handed over. 3 / 8 = 0.375
    automation = got["ai_automation_rate"]
    assert (automation.numerator, automation.denominator, automation.sample) == (3, 8, 8)
    assert automation.value == pytest.approx(0.375)

    # Sofia's timed replies in the window: 100, 200, …, 1000 ms (not the guest's 50, the untimed
    # one, the colleague's 20 000, the 5 ms one a second early, the 9 999 at the end, the other
    # place's 30 000). Mean 5500 / 10 = 550; p90 nearest rank ⌈0.9 × 10⌉ = 9th → 900.
    average = got["response_time_avg"]
    assert (average.numerator, average.denominator, average.sample) == (5500, 10, 10)
    assert average.value == pytest.approx(550)
    p90 = got["response_time_p90"]
    assert (p90.value, p90.sample) == (900, 10)

    # Occupied table-minutes of arrived reservations: R1 19:05–20:35 = 90 × 1; R4 19:00–21:00
    # = 120 × 2 tables = 240; R5 booked 13:00–14:00 = 60 × 1 (table_id, no links); R8 no
    # departure yet → arrival 20:10 to booked end 21:30 = 80 × 1; R14 departure before
    # arrival → 0. = 470. Capacity: 3 active tables × 13 h × 60 = 2340 min. 470 / 2340 = 0.20513
    utilisation = got["table_utilisation"]
    assert utilisation.numerator == pytest.approx(470)
    assert utilisation.denominator == pytest.approx(2340)
    assert utilisation.sample == 5
    assert utilisation.value == pytest.approx(470 / 2340)


def test_units_labels_and_directions(db: Database) -> None:
    bistro = build_bistro(db)
    got = kpis(db, bistro.restaurant_id, MON, TUE)
    assert {key: m.unit for key, m in got.items()} == {
        "conversion_rate": Unit.PERCENT,
        "no_show_rate": Unit.PERCENT,
        "satisfaction_score": Unit.SCORE,
        "revpash": Unit.MONEY_PER_SEAT_HOUR,
        "ai_automation_rate": Unit.PERCENT,
        "response_time_avg": Unit.MILLISECONDS,
        "response_time_p90": Unit.MILLISECONDS,
        "table_utilisation": Unit.PERCENT,
    }
    lower_is_better = {k for k, m in got.items() if not m.higher_is_better}
    assert lower_is_better == {"no_show_rate", "response_time_avg", "response_time_p90"}
    assert all(m.label for m in got.values())
    assert all(isinstance(m.value, float) for m in got.values())


def test_previous_period_through_shifted_scope(db: Database) -> None:
    """The dashboard compares with ``scope.shifted(period.previous())``: Sat 21 – Sun 22 Nov."""
    bistro = build_bistro(db)
    with db.read_session() as session:
        scope = load_scope(session, bistro.restaurant_id, DateRange(MON, TUE), today=TODAY)
        previous = scope.shifted(scope.period.previous())
        got = {m.key: m for m in compute_kpis(session, previous)}
    assert previous.period == DateRange(SUN_BEFORE - dt.timedelta(days=1), SUN_BEFORE)
    assert values(got) == {
        # R15 (Sunday 22:30, host): 1 booking, confirmed, completed, not Sofia's.
        "conversion_rate": pytest.approx(1.0),
        "no_show_rate": pytest.approx(0.0),
        # R15 rated 2 and the conversation last active Sunday 23:59:59 local rated 4: 6 / 2.
        "satisfaction_score": pytest.approx(3.0),
        # 50.00 over 10 seats × (Sat 18–23 + Sun 18–23 = 10 h): 50 / 100.
        "revpash": pytest.approx(0.5),
        "ai_automation_rate": pytest.approx(0.0),
        # The 5 ms reply a second before Monday's local midnight.
        "response_time_avg": pytest.approx(5.0),
        "response_time_p90": pytest.approx(5.0),
        # R15 booked 60 min on T3 over 3 tables × 600 min.
        "table_utilisation": pytest.approx(60 / 1800),
    }


def test_empty_range_is_no_data(db: Database) -> None:
    bistro = build_bistro(db)
    # Monday 7 – Tuesday 8 December: open, tables set, but nothing happened.
    got = kpis(db, bistro.restaurant_id, dt.date(2026, 12, 7), dt.date(2026, 12, 8))
    assert values(got) == dict.fromkeys(KPI_KEYS)
    assert samples(got) == dict.fromkeys(KPI_KEYS, 0)
    # The capacity is known (10 seats × 16 h, 3 tables × 960 min); only the guests are missing.
    assert got["revpash"].denominator == pytest.approx(160)
    assert got["table_utilisation"].denominator == pytest.approx(2880)


def test_no_tables_and_nothing_in_the_period(db: Database) -> None:
    """No tables, no rows in the period: no data anywhere, and no exception."""
    bistro = build_bistro(db)
    got = kpis(db, bistro.other_restaurant_id, dt.date(2026, 12, 7))
    assert values(got) == dict.fromkeys(KPI_KEYS)


def test_closed_day_has_no_capacity_figures(db: Database) -> None:
    bistro = build_bistro(db)
    got = kpis(db, bistro.restaurant_id, WED)
    # Wednesday is closed, yet R9 (host, confirmed, completed, 999.00, rated 1) is dated on it.
    # No open hours: revenue per seat hour and utilisation are no data, not a division by zero.
    assert got["revpash"].value is None
    assert got["revpash"].denominator == 0
    assert got["revpash"].sample == 1
    assert got["table_utilisation"].value is None
    # The rest still reads R9 and the rows stamped at Wednesday 00:00 local (Tue 21:00 UTC):
    # the conversation rated 1 and the 9 999 ms reply.
    assert values(got) == {
        "conversion_rate": pytest.approx(1.0),
        "no_show_rate": pytest.approx(0.0),
        "satisfaction_score": pytest.approx(1.0),  # (1 + 1) / 2
        "revpash": None,
        "ai_automation_rate": pytest.approx(0.0),
        "response_time_avg": pytest.approx(9999),
        "response_time_p90": pytest.approx(9999),
        "table_utilisation": None,
    }
    assert got["satisfaction_score"].sample == 2


def test_restaurant_without_tables(db: Database) -> None:
    bistro = build_bistro(db)
    got = kpis(db, bistro.other_restaurant_id, MON, TUE)
    # One completed web booking (500.00, rated 1), one conversation rated 1, one 30 s reply;
    # no tables: no seats and no table-minutes, so both capacity figures are no data.
    assert values(got) == {
        "conversion_rate": pytest.approx(1.0),
        "no_show_rate": pytest.approx(0.0),
        "satisfaction_score": pytest.approx(1.0),
        "revpash": None,
        "ai_automation_rate": pytest.approx(0.0),
        "response_time_avg": pytest.approx(30_000),
        "response_time_p90": pytest.approx(30_000),
        "table_utilisation": None,
    }
    assert got["revpash"].numerator == pytest.approx(500)
    assert got["revpash"].denominator == 0


def test_load_scope_refuses_an_unknown_restaurant(db: Database) -> None:
    with db.read_session() as session, pytest.raises(NotFound):
        load_scope(session, 987_654, DateRange(MON, TUE), today=TODAY)


def test_three_round_trips_and_no_row_loading(db: Database) -> None:
    bistro = build_bistro(db)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with db.read_session() as session:
        scope = load_scope(session, bistro.restaurant_id, DateRange(MON, TUE), today=TODAY)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            compute_kpis(session, scope)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    # Reservations aggregate; conversations + replies + tables; the p90 row.
    assert len(statements) == 3
    assert all("GROUP BY" not in s.upper() for s in statements)


# -- DST: Berlin, Saturday 24 – Sunday 25 October 2026 (03:00 CEST → 02:00 CET) ---------------


def test_dst_weekend_two_days(db: Database) -> None:
    restaurant_id = build_berlin(db)
    with db.read_session() as session:
        scope = load_scope(session, restaurant_id, DateRange(BERLIN_SAT, BERLIN_SUN))
    # Local midnight Sat (22:00 UTC Fri) to local midnight Mon (23:00 UTC Sun): 49 hours.
    assert scope.ends_at - scope.starts_at == dt.timedelta(hours=49)

    got = kpis(db, restaurant_id, BERLIN_SAT, BERLIN_SUN)
    assert values(got) == {
        # D1 and D2: host bookings, confirmed, completed.
        "conversion_rate": pytest.approx(1.0),
        "no_show_rate": pytest.approx(0.0),
        # D1 rated 5 and the thread last active Sun 22:59 UTC (23:59 CET) rated 4; not the ones
        # at Fri 23:59:59 local (1) or Mon 00:00 local (2). 9 / 2
        "satisfaction_score": pytest.approx(4.5),
        # 120 + 60 = 180 over 6 seats × (Sat 22:00 CEST → Sun 04:00 CET = 7 real hours, + Sun
        # 12–15 = 3 h) = 60 seat-hours → 3.0 (a 6-hour night would give 180 / 54 = 3.33).
        "revpash": pytest.approx(3.0),
        "ai_automation_rate": pytest.approx(0.0),
        # Replies at Sat 00:00 (100), Sun 00:30 CEST (200), Sun 23:59 CET (300): mean 200,
        # p90 rank ⌈2.7⌉ = 3 → 300. Not Fri 23:59:59 (5 000) nor Mon 00:00 (7 000).
        "response_time_avg": pytest.approx(200),
        "response_time_p90": pytest.approx(300),
        # D1 booked 23:30 → 02:30 UTC = 180 real minutes (two on the wall clock) + D2 clocked
        # 60 min = 240 over 2 tables × 600 min = 0.2.
        "table_utilisation": pytest.approx(0.2),
    }
    assert got["revpash"].denominator == pytest.approx(60)
    assert got["table_utilisation"].numerator == pytest.approx(240)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(
            BERLIN_SAT,
            {
                # Window [Fri 22:00 UTC, Sat 22:00 UTC): D1 only (service date Saturday).
                "conversion_rate": 1.0, "no_show_rate": 0.0, "satisfaction_score": 5.0,
                # 120 / (6 seats × 7 h) = 2.857
                "revpash": 120 / 42, "ai_automation_rate": 0.0,
                # Only the 100 ms reply at Sat 00:00; the one at 22:30 UTC is already Sunday.
                "response_time_avg": 100, "response_time_p90": 100,
                # 180 / (2 tables × 420 min)
                "table_utilisation": 180 / 840,
            },
            id="saturday",
        ),
        pytest.param(
            BERLIN_SUN,
            {
                # Window [Sat 22:00 UTC, Sun 23:00 UTC): 25 hours. D2 only.
                "conversion_rate": 1.0, "no_show_rate": 0.0,
                # The thread rated 4 at Sun 23:59 CET.
                "satisfaction_score": 4.0,
                # 60 / (6 seats × 3 h) = 3.333
                "revpash": 60 / 18, "ai_automation_rate": 0.0,
                # 200 (Sun 00:30 CEST = 22:30 UTC Sat) and 300: mean 250, p90 rank ⌈1.8⌉ = 2.
                "response_time_avg": 250, "response_time_p90": 300,
                # 60 / (2 tables × 180 min)
                "table_utilisation": 60 / 360,
            },
            id="sunday",
        ),
    ],
)  # fmt: skip
def test_dst_single_days(db: Database, day: dt.date, expected: dict[str, float]) -> None:
    restaurant_id = build_berlin(db)
    got = kpis(db, restaurant_id, day)
    assert values(got) == {key: pytest.approx(value) for key, value in expected.items()}
