"""The dashboard as one JSON document (``report --json``, scripts, other tools).

The shape is a stable contract; fields are added, never renamed or removed, and ``version``
changes if that ever has to happen::

    {
      "version": 1,
      "restaurant": {"id": 1, "name": "…", "currency": "RUB"},
      "period": {"from": "2026-11-01", "to": "2026-11-30", "days": 30},
      "previous_period": {"from": "2026-10-02", "to": "2026-10-31", "days": 30},
      "generated_at": "2026-11-30T16:30:00+00:00",
      "kpis": [{"key", "label", "unit", "higher_is_better", "value", "numerator",
                "denominator", "sample", "previous_value", "previous_numerator",
                "previous_denominator", "previous_sample", "delta", "improved"}],
      "covers_heatmap": {"weekdays": ["Mon", …], "hours": [0, …, 23],
                         "covers": [[24 ints] × 7], "total": int, "peak": int},
      "bookings_by_source": [{"label", "count", "covers"}],
      "no_shows": {"by_weekday" | "by_lead_time" | "by_source": [{"label", "hits", "total",
                                                                  "rate"}]},
      "cancellations": {"total", "rate", "reasons": [{"label", "count", "covers"}]},
      "ai_costs": {"total_cost", "sofia_bookings", "cost_per_booking",
                   "by_model": [{"model", "turns", "input_tokens", "output_tokens", "cost"}]},
      "daily": [{"date", "bookings", "covers", "no_shows", "cancellations", "revenue"}],
      "ai_daily": [{"date", "turns", "average_frustration", "handoffs", "handoff_rate"}],
      "churn_risk": [guest], "top_guests": [guest]
    }

    guest = {"guest_id", "name", "phone", "visits", "covers", "total_spent", "average_spend",
             "last_visit", "usual_interval_days", "days_since_last_visit"}

Value conventions:

- **Money is a string** with its exact decimal digits (``"1234.50"``, AI costs to the
  millionth: ``"0.004210"``), because a JSON number would go through a binary float in most
  readers. Every ``Decimal`` of the dashboard is money: ``revenue``, ``total_spent``,
  ``average_spend``, ``total_cost``, ``cost_per_booking``, ``cost``.
- Everything else numeric is a JSON number: counts are integers; rates are fractions 0..1
  (``unit: "percent"`` means "show ×100"), scores 1..5, response times in milliseconds.
- ``delta`` is current minus previous in the KPI's own unit (fraction points for rates).
- Dates are ``YYYY-MM-DD``; instants ISO 8601 in UTC with ``+00:00``.
- "No data" is ``null`` (a value with nothing behind it, a rate over zero, an unknown date),
  never 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from app.analytics.period import DateRange
from app.analytics.results import (
    WEEKDAY_LABELS,
    AiCosts,
    AiDailyPoint,
    Cancellations,
    Change,
    CountRow,
    CoversHeatmap,
    DailyPoint,
    Dashboard,
    GuestValue,
    NoShowPatterns,
    RateRow,
)

FORMAT_VERSION = 1


def dashboard_to_json(dashboard: Dashboard) -> dict[str, Any]:
    """The whole dashboard as plain JSON values (``json.dumps`` needs no ``default``)."""
    return {
        "version": FORMAT_VERSION,
        "restaurant": {
            "id": dashboard.restaurant_id,
            "name": dashboard.restaurant_name,
            "currency": dashboard.currency,
        },
        "period": period_json(dashboard.period),
        "previous_period": period_json(dashboard.previous_period),
        "generated_at": instant(dashboard.generated_at),
        "kpis": [kpi_json(change) for change in dashboard.kpis],
        "covers_heatmap": heatmap_json(dashboard.covers_heatmap),
        "bookings_by_source": [count_json(row) for row in dashboard.bookings_by_source],
        "no_shows": no_shows_json(dashboard.no_shows),
        "cancellations": cancellations_json(dashboard.cancellations),
        "ai_costs": ai_costs_json(dashboard.ai_costs),
        "daily": [daily_json(point) for point in dashboard.daily],
        "ai_daily": [ai_daily_json(point) for point in dashboard.ai_daily],
        "churn_risk": [guest_json(guest) for guest in dashboard.churn_risk],
        "top_guests": [guest_json(guest) for guest in dashboard.top_guests],
    }


def money(value: Decimal | None) -> str | None:
    """Exact decimal digits as a string (``None`` stays ``None``)."""
    return None if value is None else format(value, "f")


def day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def instant(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.isoformat()


def period_json(period: DateRange) -> dict[str, Any]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "days": period.days}


def kpi_json(change: Change) -> dict[str, Any]:
    current, previous = change.current, change.previous
    return {
        "key": current.key,
        "label": current.label,
        "unit": current.unit.value,
        "higher_is_better": current.higher_is_better,
        "value": current.value,
        "numerator": current.numerator,
        "denominator": current.denominator,
        "sample": current.sample,
        "previous_value": previous.value,
        "previous_numerator": previous.numerator,
        "previous_denominator": previous.denominator,
        "previous_sample": previous.sample,
        "delta": change.delta,
        "improved": change.improved,
    }


def heatmap_json(heatmap: CoversHeatmap) -> dict[str, Any]:
    return {
        "weekdays": list(WEEKDAY_LABELS),
        "hours": list(range(24)),
        "covers": [list(row) for row in heatmap.covers],
        "total": heatmap.total,
        "peak": heatmap.peak,
    }


def count_json(row: CountRow) -> dict[str, Any]:
    return {"label": row.label, "count": row.count, "covers": row.covers}


def rate_json(row: RateRow) -> dict[str, Any]:
    return {"label": row.label, "hits": row.hits, "total": row.total, "rate": row.rate}


def no_shows_json(patterns: NoShowPatterns) -> dict[str, Any]:
    return {
        "by_weekday": [rate_json(row) for row in patterns.by_weekday],
        "by_lead_time": [rate_json(row) for row in patterns.by_lead_time],
        "by_source": [rate_json(row) for row in patterns.by_source],
    }


def cancellations_json(cancellations: Cancellations) -> dict[str, Any]:
    return {
        "total": cancellations.total,
        "rate": cancellations.rate,
        "reasons": [count_json(row) for row in cancellations.reasons],
    }


def ai_costs_json(costs: AiCosts) -> dict[str, Any]:
    return {
        "total_cost": money(costs.total_cost),
        "sofia_bookings": costs.sofia_bookings,
        "cost_per_booking": money(costs.cost_per_booking),
        "by_model": [
            {
                "model": usage.model,
                "turns": usage.turns,
                "input_tokens": usage.input_tokens,
                "output_tokens": usage.output_tokens,
                "cost": money(usage.cost),
            }
            for usage in costs.by_model
        ],
    }


def daily_json(point: DailyPoint) -> dict[str, Any]:
    return {
        "date": point.day.isoformat(),
        "bookings": point.bookings,
        "covers": point.covers,
        "no_shows": point.no_shows,
        "cancellations": point.cancellations,
        "revenue": money(point.revenue),
    }


def ai_daily_json(point: AiDailyPoint) -> dict[str, Any]:
    return {
        "date": point.day.isoformat(),
        "turns": point.turns,
        "average_frustration": point.average_frustration,
        "handoffs": point.handoffs,
        "handoff_rate": point.handoff_rate,
    }


def guest_json(guest: GuestValue) -> dict[str, Any]:
    return {
        "guest_id": guest.guest_id,
        "name": guest.name,
        "phone": guest.phone,
        "visits": guest.visits,
        "covers": guest.covers,
        "total_spent": money(guest.total_spent),
        "average_spend": money(guest.average_spend),
        "last_visit": day(guest.last_visit),
        "usual_interval_days": guest.usual_interval_days,
        "days_since_last_visit": guest.days_since_last_visit,
    }
