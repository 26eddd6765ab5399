"""What the analytics queries return: frozen values the dashboard, the exports and the CLI share.

A figure with nothing behind it (no bookings in the period, no ratings, a closed restaurant) has
``value = None`` and is shown as "no data", never as 0 % or a division error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.analytics.period import DateRange


class Unit(StrEnum):
    PERCENT = "percent"  # value is a fraction 0..1 (shown ×100)
    SCORE = "score"  # 1..5 stars
    MONEY_PER_SEAT_HOUR = "money_per_seat_hour"
    MILLISECONDS = "ms"


@dataclass(frozen=True)
class Metric:
    """One KPI: its value and, for ratios, the two numbers it was divided from."""

    key: str
    label: str
    unit: Unit
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    # How many bookings / ratings / replies stand behind the value.
    sample: int = 0
    higher_is_better: bool = True

    @property
    def has_data(self) -> bool:
        return self.value is not None


def ratio(
    key: str,
    label: str,
    unit: Unit,
    numerator: float,
    denominator: float,
    *,
    sample: int,
    higher_is_better: bool = True,
) -> Metric:
    """A metric ``numerator / denominator`` that is "no data" when the denominator is zero."""
    value = numerator / denominator if denominator else None
    return Metric(
        key, label, unit, value, float(numerator), float(denominator), sample, higher_is_better
    )


# The KPI cards, in the order the dashboard shows them.
KPI_KEYS = (
    "conversion_rate",
    "no_show_rate",
    "satisfaction_score",
    "revpash",
    "ai_automation_rate",
    "response_time_avg",
    "response_time_p90",
    "table_utilisation",
)


@dataclass(frozen=True)
class Change:
    """A KPI against the previous period of the same length."""

    current: Metric
    previous: Metric

    @property
    def delta(self) -> float | None:
        """Current minus previous (percentage points for rates), None when either has no data."""
        if self.current.value is None or self.previous.value is None:
            return None
        return self.current.value - self.previous.value

    @property
    def improved(self) -> bool | None:
        delta = self.delta
        if delta is None or delta == 0:
            return None
        return (delta > 0) == self.current.higher_is_better


@dataclass(frozen=True)
class CountRow:
    """One bar of a breakdown: how many bookings and covers fall under ``label``."""

    label: str
    count: int
    covers: int = 0


@dataclass(frozen=True)
class RateRow:
    """One bar of a rate breakdown: ``hits`` out of ``total`` (e.g. no-shows out of outcomes)."""

    label: str
    hits: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class NoShowPatterns:
    by_weekday: tuple[RateRow, ...]  # Mon … Sun, all seven
    by_lead_time: tuple[RateRow, ...]  # LEAD_TIME_BUCKETS, all of them
    by_source: tuple[RateRow, ...]  # sources that had outcomes, most outcomes first


# Lead time = reservation created → its start. Upper bounds in hours, excluded (None = open).
LEAD_TIME_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("under 24 h", 24),
    ("1–2 days", 72),
    ("3–6 days", 168),
    ("7–29 days", 720),
    ("30+ days", None),
)
WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class CoversHeatmap:
    """Covers by weekday (rows, Monday first) and local hour of the booking (columns 0–23)."""

    covers: tuple[tuple[int, ...], ...]  # 7 × 24

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.covers)

    @property
    def peak(self) -> int:
        return max((max(row) for row in self.covers), default=0)


@dataclass(frozen=True)
class Cancellations:
    total: int
    # Of bookings in the period (rescheduled ones excluded): cancelled / all.
    rate: float | None
    reasons: tuple[CountRow, ...]  # most frequent first; a blank reason is "No reason given"


@dataclass(frozen=True)
class ModelUsage:
    model: str  # "offline" when Sofia ran without a language model
    turns: int
    input_tokens: int
    output_tokens: int
    cost: Decimal


@dataclass(frozen=True)
class AiCosts:
    total_cost: Decimal
    # Bookings Sofia made (first status change by her) inside the period's UTC window.
    sofia_bookings: int
    by_model: tuple[ModelUsage, ...]  # most expensive first, then most turns

    @property
    def cost_per_booking(self) -> Decimal | None:
        if not self.sofia_bookings:
            return None
        return (self.total_cost / self.sofia_bookings).quantize(Decimal("0.000001"))


@dataclass(frozen=True)
class DailyPoint:
    """One local day of bookings (by service date)."""

    day: dt.date
    bookings: int
    covers: int
    no_shows: int
    cancellations: int
    revenue: Decimal


@dataclass(frozen=True)
class AiDailyPoint:
    """One local day of Sofia's turns (by the local day the turn happened)."""

    day: dt.date
    turns: int
    average_frustration: float | None
    handoffs: int

    @property
    def handoff_rate(self) -> float | None:
        return self.handoffs / self.turns if self.turns else None


@dataclass(frozen=True)
class GuestValue:
    """A guest on the top-guests or churn-risk list."""

    guest_id: int
    name: str
    phone: str
    visits: int
    total_spent: Decimal
    last_visit: dt.date | None
    # Churn list only: the guest's usual days between visits and days since the last one.
    usual_interval_days: float | None = None
    days_since_last_visit: int | None = None
    covers: int = 0

    @property
    def average_spend(self) -> Decimal | None:
        if not self.visits:
            return None
        return (self.total_spent / self.visits).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Dashboard:
    restaurant_id: int
    restaurant_name: str
    currency: str
    period: DateRange
    previous_period: DateRange
    kpis: tuple[Change, ...]  # in KPI_KEYS order
    covers_heatmap: CoversHeatmap
    bookings_by_source: tuple[CountRow, ...]
    no_shows: NoShowPatterns
    cancellations: Cancellations
    ai_costs: AiCosts
    daily: tuple[DailyPoint, ...]  # every day of the period, zeros included
    ai_daily: tuple[AiDailyPoint, ...]  # every day of the period, zeros included
    churn_risk: tuple[GuestValue, ...]
    top_guests: tuple[GuestValue, ...]
    generated_at: dt.datetime

    def kpi(self, key: str) -> Change:
        for change in self.kpis:
            if change.current.key == key:
                return change
        raise KeyError(key)
