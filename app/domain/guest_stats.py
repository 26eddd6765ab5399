"""What a guest's history says about them: VIP tier, loyalty, usual times and party size."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

from app.db.enums import VipTier
from app.domain.booking_rules import VipThreshold

_TIER_ORDER = list(VipTier)


def earned_tier(thresholds: Iterable[VipThreshold], visits: int, spent: Decimal) -> VipTier | None:
    """The best tier whose visit or spending threshold the guest has reached."""
    for threshold in thresholds:  # highest tier first
        if (threshold.visits is not None and visits >= threshold.visits) or (
            threshold.spent is not None and spent >= threshold.spent
        ):
            return threshold.tier
    return None


def better_tier(current: VipTier | None, earned: VipTier | None) -> VipTier | None:
    """Tiers only go up automatically; a manager's manual tier is never taken away."""
    if current is None:
        return earned
    if earned is None:
        return current
    return max(current, earned, key=_TIER_ORDER.index)


def loyalty_points(amount: Decimal | None, per_100: int) -> int:
    if not amount or per_100 <= 0:
        return 0
    return int((amount / 100 * per_100).to_integral_value(rounding=ROUND_FLOOR))


def running_average(previous: float | None, count_before: int, value: int) -> float:
    if previous is None or count_before <= 0:
        return float(value)
    return round((previous * count_before + value) / (count_before + 1), 2)


def preferred_times(visit_times: Iterable[dt.time], top: int = 3) -> list[str]:
    """The guest's most usual arrival hours, most frequent first ("19:00", "20:00")."""
    counts = Counter(f"{t.hour:02d}:00" for t in visit_times)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [hour for hour, _ in ranked[:top]]
