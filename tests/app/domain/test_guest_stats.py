"""A guest's tier, loyalty points, usual times and party size from their history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.db.enums import VipTier
from app.domain.booking_rules import rules_from
from app.domain.guest_stats import (
    better_tier,
    earned_tier,
    loyalty_points,
    preferred_times,
    running_average,
)

THRESHOLDS = rules_from(
    timezone="UTC",
    opening_hours={},
    settings={"vip_thresholds": {
        "bronze": {"visits": 3},
        "gold": {"visits": 20, "spent": 100000},
        "silver": {"visits": 10},
        "platinum": {"spent": 500000},
    }},
).vip_thresholds  # fmt: skip


@pytest.mark.parametrize(
    ("visits", "spent", "tier"),
    [
        (0, "0", None),
        (2, "99999", None),
        (3, "0", VipTier.BRONZE),
        (10, "0", VipTier.SILVER),
        (19, "0", VipTier.SILVER),
        (20, "0", VipTier.GOLD),
        (1, "100000", VipTier.GOLD),  # spending alone qualifies
        (1, "500000", VipTier.PLATINUM),
        (50, "500000.00", VipTier.PLATINUM),
    ],
)
def test_earned_tier_is_the_best_one_reached(visits: int, spent: str, tier: VipTier | None) -> None:
    assert earned_tier(THRESHOLDS, visits, Decimal(spent)) == tier


def test_no_thresholds_no_tier() -> None:
    assert earned_tier((), 1000, Decimal("1000000")) is None


@pytest.mark.parametrize(
    ("current", "earned", "result"),
    [
        (None, None, None),
        (None, VipTier.SILVER, VipTier.SILVER),
        (VipTier.GOLD, None, VipTier.GOLD),  # a manual tier is never taken away
        (VipTier.GOLD, VipTier.SILVER, VipTier.GOLD),
        (VipTier.SILVER, VipTier.GOLD, VipTier.GOLD),
        (VipTier.BRONZE, VipTier.PLATINUM, VipTier.PLATINUM),
    ],
)
def test_tiers_only_go_up(
    current: VipTier | None, earned: VipTier | None, result: VipTier | None
) -> None:
    assert better_tier(current, earned) == result


@pytest.mark.parametrize(
    ("amount", "per_100", "points"),
    [
        (None, 1, 0),
        (Decimal("0"), 5, 0),
        (Decimal("99.99"), 1, 0),
        (Decimal("100"), 1, 1),
        (Decimal("2599.50"), 1, 25),  # rounded down
        (Decimal("2599.50"), 3, 77),
        (Decimal("1000"), 0, 0),
    ],
)
def test_loyalty_points_are_whole_and_rounded_down(
    amount: Decimal | None, per_100: int, points: int
) -> None:
    assert loyalty_points(amount, per_100) == points


def test_running_average_party_size() -> None:
    assert running_average(None, 0, 4) == 4.0
    assert running_average(2.0, 0, 6) == 6.0
    assert running_average(2.0, 1, 4) == 3.0
    assert running_average(3.0, 2, 4) == pytest.approx(3.33)
    assert running_average(4.0, 9, 4) == 4.0


def test_preferred_times_are_the_usual_arrival_hours() -> None:
    visits = [dt.time(19, 30), dt.time(19), dt.time(20, 15), dt.time(13), dt.time(19, 45),
              dt.time(20), dt.time(12, 30)]  # fmt: skip
    assert preferred_times(visits) == ["19:00", "20:00", "12:00"]
    assert preferred_times(visits, top=1) == ["19:00"]
    assert preferred_times([]) == []
    # Ties go to the earlier hour.
    assert preferred_times([dt.time(21), dt.time(9)]) == ["09:00", "21:00"]
