"""Sofia's costs and daily activity over the end of summer time (``pattern_dataset.fill_dst_ai``).

The period is Saturday 24 – Monday 26 October 2026 in Berlin. Clocks go back from 03:00 CEST to
02:00 CET on Sunday the 25th, so the period's UTC window is 73 hours: 23 Oct 22:00 UTC (local
midnight, CEST) to 26 Oct 23:00 UTC (local midnight after the 26th, CET).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from app.analytics.ai_figures import ai_costs, ai_daily
from app.analytics.results import AiDailyPoint, ModelUsage
from app.analytics.scope import Scope
from app.services.database import Database
from tests.app.analytics.pattern_dataset import build, dst_ai, scope_for, utc


def _dst(session: Session, restaurant_id: int) -> Scope:
    return scope_for(session, restaurant_id, "2026-10-24", "2026-10-26", today="2026-11-01")


def test_the_dst_period_has_a_73_hour_window_in_two_offset_segments(db: Database) -> None:
    restaurant_id, _ = dst_ai(db)
    with db.read_session() as session:
        scope = _dst(session, restaurant_id)
    assert (scope.starts_at, scope.ends_at) == (utc(2026, 10, 23, 22), utc(2026, 10, 26, 23))
    assert [(s.starts_at, s.ends_at, s.offset_seconds) for s in scope.segments] == [
        (utc(2026, 10, 23, 22), utc(2026, 10, 25, 1), 7200),
        (utc(2026, 10, 25, 1), utc(2026, 10, 26, 23), 3600),
    ]


def test_ai_daily_puts_each_turn_on_its_local_day_across_the_clock_change(db: Database) -> None:
    restaurant_id, _ = dst_ai(db)
    with db.read_session() as session:
        points = ai_daily(session, _dst(session, restaurant_id))
    assert points == (
        # 23 Oct 22:00Z = 00:00 CEST and 24 Oct 21:59Z = 23:59 CEST (the turn at 21:59:59Z on
        # the 23rd is 23:59:59 on the 23rd: outside). Frustration (1 + 3) / 2; one hand-off.
        AiDailyPoint(dt.date(2026, 10, 24), 2, 2.0, 1),
        # 24 Oct 22:30Z = 00:30 CEST on the 25th (a CET window would put it on the 24th),
        # 25 Oct 00:59:59Z = 02:59:59 CEST, 01:00Z = 02:00 CET, 22:59Z = 23:59 CET.
        # Frustration 1, 2 (first segment) and 4 (second; two turns have none):
        # (1 + 2 + 4) / 3 = 7/3, not the mean of the segments' means (1.5 + 4) / 2. One hand-off.
        AiDailyPoint(dt.date(2026, 10, 25), 4, pytest.approx(7 / 3), 1),
        # 25 Oct 23:30Z = 00:30 CET on the 26th (a UTC day would put it on the 25th) and
        # 26 Oct 22:59:59Z = 23:59:59 CET (23:00Z is the 27th: outside). (5 + 0) / 2; one hand-off.
        AiDailyPoint(dt.date(2026, 10, 26), 2, 2.5, 1),
    )
    assert points[1].handoff_rate == 0.25


def test_ai_costs_by_model_and_bookings_sofia_made_in_the_window(db: Database) -> None:
    restaurant_id, _ = dst_ai(db)
    with db.read_session() as session:
        costs = ai_costs(session, _dst(session, restaurant_id))
    assert costs.by_model == (
        # 24 Oct 22:30Z (1000 in, 300 out, 0.005500) + 25 Oct 01:00Z (500, 200, 0.002750)
        ModelUsage("gpt-4o", 2, 1500, 500, Decimal("0.008250")),
        # 23 Oct 22:00Z (100, 50, 0.000150) + 24 Oct 21:59Z (200, 80, 0.000250)
        # + 25 Oct 23:30Z (300, 100, 0.000400) + 26 Oct 22:59:59Z (50, 10, 0.000050);
        # the turns at 23 Oct 21:59:59Z and 26 Oct 23:00Z fall outside the window.
        ModelUsage("gpt-4o-mini", 4, 650, 240, Decimal("0.000850")),
        # No model recorded: 25 Oct 00:59:59Z and 22:59Z, free.
        ModelUsage("offline", 2, 0, 0, Decimal("0.000000")),
    )
    # 0.008250 + 0.000850 + 0 (the other restaurant's 9.999999 does not count)
    assert costs.total_cost == Decimal("0.009100")
    # s1 (Sofia, 24 Oct 22:30Z) and s4 (Sofia, 26 Oct 22:59Z, confirmed later by her too);
    # not s2 (before the window), s3 (the host), s5 (host-made, Sofia only confirmed it),
    # s7 (26 Oct 23:00Z, the window's end), nor the other restaurant's Sofia booking.
    assert costs.sofia_bookings == 2
    # 0.009100 / 2
    assert costs.cost_per_booking == Decimal("0.004550")


def test_an_empty_period_has_every_day_and_no_costs(db: Database) -> None:
    restaurant_id = build(db, lambda b: b.restaurant_id)
    with db.read_session() as session:
        scope = scope_for(session, restaurant_id, "2026-11-01", "2026-11-02", today="2026-11-05")
        points = ai_daily(session, scope)
        costs = ai_costs(session, scope)
    assert points == (
        AiDailyPoint(dt.date(2026, 11, 1), 0, None, 0),
        AiDailyPoint(dt.date(2026, 11, 2), 0, None, 0),
    )
    assert points[0].handoff_rate is None
    assert (costs.total_cost, costs.sofia_bookings, costs.by_model) == (Decimal("0"), 0, ())
    assert costs.cost_per_booking is None


def test_the_clock_change_day_alone_and_another_restaurant(db: Database) -> None:
    restaurant_id, other = dst_ai(db)
    with db.read_session() as session:
        # Sunday 25 October alone: still two segments (CEST until 01:00Z, CET after).
        sunday = ai_daily(session, scope_for(session, restaurant_id, "2026-10-25", "2026-10-25",
                                             today="2026-11-01"))  # fmt: skip
        # The other restaurant: its one turn, on 25 Oct 12:00Z (13:00 CET), and nothing else.
        elsewhere = ai_costs(session, _dst(session, other))
    assert sunday == (AiDailyPoint(dt.date(2026, 10, 25), 4, pytest.approx(7 / 3), 1),)
    assert elsewhere.by_model == (ModelUsage("gpt-4o", 1, 999, 999, Decimal("9.999999")),)
    # o4 was made by Sofia on 25 Oct 12:00Z.
    assert elsewhere.sofia_bookings == 1
