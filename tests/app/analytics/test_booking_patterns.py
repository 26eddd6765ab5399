"""Booking breakdowns over a hand-built week (``pattern_dataset.fill_week``), worked out by hand.

The week is Monday 16 – Sunday 22 November 2026. Rows outside it (the Sunday before, the Monday
after) and another restaurant's rows on the Monday must never show up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from app.analytics.booking_patterns import (
    bookings_by_source,
    cancellations,
    covers_heatmap,
    daily_points,
    no_show_patterns,
)
from app.analytics.results import (
    LEAD_TIME_BUCKETS,
    WEEKDAY_LABELS,
    CountRow,
    DailyPoint,
    RateRow,
)
from app.analytics.scope import Scope
from app.services.database import Database
from tests.app.analytics.pattern_dataset import Week, build, scope_for, week


@pytest.fixture
def data(db: Database) -> Week:
    return week(db)


def _week(session: Session, restaurant_id: int) -> Scope:
    return scope_for(session, restaurant_id, "2026-11-16", "2026-11-22", today="2026-11-30")


def test_covers_heatmap_puts_live_and_arrived_covers_in_their_weekday_hour_cell(
    db: Database, data: Week
) -> None:
    with db.read_session() as session:
        scope = _week(session, data.restaurant_id)
        heatmap = covers_heatmap(session, scope)
    # Live or arrived only (pending, confirmed, reminded, seated, dining, completed):
    # Mon 19h: r01 confirmed 2 + r02 completed 4 (19:30) = 6  (r03 no-show, r04 inquiry left out)
    # Tue 12h: r05 seated walk-in 2                       = 2
    # Wed: five cancellations                              = 0
    # Thu 12h: r21 2 + r22 2                               = 4  (r12 rescheduled left out)
    # Fri 19h: r13 confirmed 2                             = 2  (r14 no-show at 21h left out)
    # Sat 18h: r15 completed 2 (18:00) + r16 dining 4 (18:45) = 6
    # Sun 12h: r20 walk-in 3; 13h: r17 3 (r18 no-show out); 23h: r19 pending 2
    expected = [[0] * 24 for _ in range(7)]
    expected[0][19] = 6
    expected[1][12] = 2
    expected[3][12] = 4
    expected[4][19] = 2
    expected[5][18] = 6
    expected[6][12] = 3
    expected[6][13] = 3
    expected[6][23] = 2
    assert [list(row) for row in heatmap.covers] == expected
    assert len(heatmap.covers) == 7 and all(len(row) == 24 for row in heatmap.covers)
    # 6 + 2 + 4 + 2 + 6 + 3 + 3 + 2 = 28 covers; the busiest cells hold 6.
    assert heatmap.total == 28
    assert heatmap.peak == 6


def test_bookings_by_source_counts_every_source_but_skips_rescheduled_halves(
    db: Database, data: Week
) -> None:
    with db.read_session() as session:
        scope = _week(session, data.restaurant_id)
        rows = bookings_by_source(session, scope)
    # 22 reservations in the week minus r12 (rescheduled) = 21:
    # web:      r01 2, r04 8, r06 2, r09 2, r10 3, r13 2, r21 2 → 7 bookings, 21 covers
    # phone:    r02 4, r03 3, r08 2, r11 2, r19 2, r22 2        → 6, 15
    # telegram: r07 5, r14 6, r15 2                             → 3, 13
    # walk_in:  r05 2, r20 3                                    → 2, 5
    # whatsapp: r17 3, r18 2                                    → 2, 5 (ties walk_in: by label)
    # ai_assistant: r16 4                                       → 1, 4
    assert rows == (
        CountRow("web", 7, 21),
        CountRow("phone", 6, 15),
        CountRow("telegram", 3, 13),
        CountRow("walk_in", 2, 5),
        CountRow("whatsapp", 2, 5),
        CountRow("ai_assistant", 1, 4),
    )
    assert sum(r.count for r in rows) == 21


def test_no_show_patterns_by_weekday_lead_time_and_source(db: Database, data: Week) -> None:
    with db.read_session() as session:
        scope = _week(session, data.restaurant_id)
        patterns = no_show_patterns(session, scope)
    # Bookings (no walk-ins, no rescheduled halves) with a known outcome, lead time in hours:
    #   r02 Mon completed phone 2h        r03 Mon NO-SHOW phone 24h
    #   r21 Thu completed web 719h        r22 Thu completed phone 167h
    #   r14 Fri NO-SHOW telegram 72h
    #   r15 Sat completed telegram 71h59m r16 Sat dining ai_assistant 168h
    #   r17 Sun completed whatsapp 720h   r18 Sun NO-SHOW whatsapp 23h59m
    # (r05, r20 are walk-ins; every other row is live, cancelled or an inquiry.)
    assert patterns.by_weekday == (
        RateRow("Mon", 1, 2),  # r03 of r02, r03
        RateRow("Tue", 0, 0),
        RateRow("Wed", 0, 0),
        RateRow("Thu", 0, 2),  # r21, r22
        RateRow("Fri", 1, 1),  # r14
        RateRow("Sat", 0, 2),  # r15, r16
        RateRow("Sun", 1, 2),  # r18 of r17, r18
    )
    assert patterns.by_lead_time == (
        RateRow("under 24 h", 1, 2),  # r02 2h, r18 23h59m (no-show)
        RateRow("1–2 days", 1, 2),  # r03 24h exactly (no-show), r15 71h59m
        RateRow("3–6 days", 1, 2),  # r14 72h exactly (no-show), r22 167h
        RateRow("7–29 days", 0, 2),  # r16 168h exactly, r21 719h
        RateRow("30+ days", 0, 1),  # r17 720h exactly
    )
    # Most outcomes first, ties by label.
    assert patterns.by_source == (
        RateRow("phone", 1, 3),  # r02, r03 (no-show), r22
        RateRow("telegram", 1, 2),  # r14 (no-show), r15
        RateRow("whatsapp", 1, 2),  # r17, r18 (no-show)
        RateRow("ai_assistant", 0, 1),  # r16
        RateRow("web", 0, 1),  # r21
    )
    # 3 no-shows out of 9 outcomes however it is cut.
    for cut in (patterns.by_weekday, patterns.by_lead_time, patterns.by_source):
        assert (sum(r.hits for r in cut), sum(r.total for r in cut)) == (3, 9)
    assert patterns.by_weekday[0].rate == 0.5


def test_cancellation_reasons_group_blank_null_and_differently_written_ones(
    db: Database, data: Week
) -> None:
    with db.read_session() as session:
        scope = _week(session, data.restaurant_id)
        result = cancellations(session, scope)
    # Cancelled: r06, r07, r08, r09, r10, r11 = 6 of the 21 reservations that are not
    # rescheduled halves → 6 / 21 = 2 / 7.
    assert result.total == 6
    assert result.rate == pytest.approx(2 / 7)
    assert result.reasons == (
        CountRow("No reason given", 3),  # r08 NULL, r09 tab-space-newline, r10 ''
        CountRow("Running late", 2),  # r06 '  Running late ', r07 'RUNNING LATE'
        CountRow("Found another place", 1),  # r11
    )


def test_daily_points_one_per_day_by_service_date(db: Database, data: Week) -> None:
    with db.read_session() as session:
        scope = _week(session, data.restaurant_id)
        points = daily_points(session, scope)
    mon, tue, wed, thu, fri, sat, sun = (dt.date(2026, 11, 16 + i) for i in range(7))
    assert points == (
        # r01, r02, r03, r04 are bookings; covers r01 2 + r02 4; r03 no-show; bill r02 120.50
        DailyPoint(mon, 4, 6, 1, 0, Decimal("120.50")),
        # r06 is a booking (cancelled); r05 is a walk-in: 2 covers, no bill yet
        DailyPoint(tue, 1, 2, 0, 1, Decimal("0.00")),
        # r07 … r11: five cancelled bookings, no covers
        DailyPoint(wed, 5, 0, 0, 5, Decimal("0.00")),
        # r21, r22 (r12 rescheduled is not a booking); covers 2 + 2; bills 30.30 + 10.10
        DailyPoint(thu, 2, 4, 0, 0, Decimal("40.40")),
        # r13 confirmed 2 covers, r14 no-show
        DailyPoint(fri, 2, 2, 1, 0, Decimal("0.00")),
        # r15 completed 2 (80.25), r16 dining 4 (no bill yet)
        DailyPoint(sat, 2, 6, 0, 0, Decimal("80.25")),
        # r17, r18, r19 are bookings; covers r17 3 + r19 2 + walk-in r20 3; r18 no-show;
        # bills r17 60.00 + walk-in r20 45.10
        DailyPoint(sun, 3, 8, 1, 0, Decimal("105.10")),
    )
    # The same covers as the heat map, the same bookings as sources minus walk-ins.
    assert sum(p.covers for p in points) == 28
    assert sum(p.bookings for p in points) == 19
    assert all(str(p.revenue).count(".") == 1 and len(str(p.revenue).split(".")[1]) == 2
               for p in points)  # fmt: skip


def test_an_empty_period_gives_zeros_and_every_day(db: Database) -> None:
    restaurant_id = build(db, lambda b: b.restaurant_id)
    with db.read_session() as session:
        scope = scope_for(session, restaurant_id, "2026-12-01", "2026-12-03", today="2026-12-10")
        heatmap = covers_heatmap(session, scope)
        sources = bookings_by_source(session, scope)
        patterns = no_show_patterns(session, scope)
        cancelled = cancellations(session, scope)
        points = daily_points(session, scope)
    assert heatmap.covers == tuple((0,) * 24 for _ in range(7))
    assert (heatmap.total, heatmap.peak) == (0, 0)
    assert sources == ()
    assert patterns.by_weekday == tuple(RateRow(label, 0, 0) for label in WEEKDAY_LABELS)
    assert patterns.by_lead_time == tuple(RateRow(label, 0, 0) for label, _ in LEAD_TIME_BUCKETS)
    assert patterns.by_source == ()
    assert all(r.rate is None for r in patterns.by_weekday)
    assert (cancelled.total, cancelled.rate, cancelled.reasons) == (0, None, ())
    assert points == tuple(
        DailyPoint(dt.date(2026, 12, day), 0, 0, 0, 0, Decimal("0.00")) for day in (1, 2, 3)
    )


def test_the_other_restaurant_sees_only_its_own_monday(db: Database, data: Week) -> None:
    with db.read_session() as session:
        scope = _week(session, data.other_restaurant_id)
        sources = bookings_by_source(session, scope)
        points = daily_points(session, scope)
        cancelled = cancellations(session, scope)
    # o1 completed 6 (999.00), o2 no-show 2, o3 cancelled 2, o4 pending 2: all phone, Monday.
    assert sources == (CountRow("phone", 4, 12),)
    assert points[0] == DailyPoint(dt.date(2026, 11, 16), 4, 8, 1, 1, Decimal("999.00"))
    assert all(p.bookings == 0 for p in points[1:])
    assert cancelled.reasons == (CountRow("Running late", 1),)
