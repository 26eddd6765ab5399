"""How dashboard figures read: values by unit, changes against the previous period, money.

Pure functions (no widgets) so the cards, the tables and the PDF all say the same thing.
"""

from __future__ import annotations

from decimal import Decimal

from app.analytics.period import DateRange
from app.analytics.results import Change, Metric, Unit

NO_DATA = "no data"
GREEN = "#1b7f3b"
RED = "#b3261e"
GREY = "#8a93a6"

# What the two numbers behind a ratio are, for the card's tooltip.
PARTS: dict[str, tuple[str, str]] = {
    "conversion_rate": ("confirmed", "bookings"),
    "no_show_rate": ("no-shows", "bookings with a known outcome"),
    "satisfaction_score": ("stars", "ratings"),
    "revpash": ("revenue", "seat-hours open"),
    "ai_automation_rate": ("made by Sofia", "bookings"),
    "response_time_avg": ("ms in total", "replies"),
    "table_utilisation": ("table-minutes occupied", "table-minutes open"),
}
# Booking sources as the manager says them (the database keeps enum values).
SOURCE_NAMES = {
    "web": "Website",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "phone": "Phone",
    "walk_in": "Walk-in",
    "ai_assistant": "Sofia (AI)",
}


def source_name(value: str) -> str:
    return SOURCE_NAMES.get(value, value.replace("_", " ").capitalize())


def number(value: float, decimals: int = 0) -> str:
    """Thousands separated by a thin space: 12 345.6."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009")


def money(amount: Decimal | float | None, currency: str, decimals: int = 2) -> str:
    if amount is None:
        return NO_DATA
    return f"{number(float(amount), decimals)} {currency}".strip()


def duration_ms(value: float) -> str:
    if value < 1000:
        return f"{value:.0f} ms"
    if value < 60_000:
        return f"{value / 1000:.1f} s"
    return f"{value / 60_000:.1f} min"


def percent(fraction: float | None, decimals: int = 1) -> str:
    return NO_DATA if fraction is None else f"{fraction * 100:.{decimals}f} %"


def metric_value(metric: Metric, currency: str = "") -> str:
    """The card's big number, or "no data" when nothing stands behind it."""
    value = metric.value
    if value is None:
        return NO_DATA
    if metric.unit is Unit.PERCENT:
        return percent(value)
    if metric.unit is Unit.SCORE:
        return f"{value:.2f} / 5"
    if metric.unit is Unit.MONEY_PER_SEAT_HOUR:
        return money(value, currency)
    if metric.unit is Unit.MILLISECONDS:
        return duration_ms(value)
    return number(value, 2)


def change_text(change: Change) -> str:
    """'▲ 4.2 pp' for rates, '▲ 0.30' for scores, '▼ 12.5 %' relative for money and times."""
    delta = change.delta
    if delta is None:
        return "no earlier data" if change.current.value is not None else ""
    if delta == 0:
        return "= no change"
    arrow = "▲" if delta > 0 else "▼"
    size = abs(delta)
    unit = change.current.unit
    if unit is Unit.PERCENT:
        return f"{arrow} {size * 100:.1f} pp"
    if unit is Unit.SCORE:
        return f"{arrow} {size:.2f}"
    previous = change.previous.value or 0.0
    if previous:
        return f"{arrow} {size / abs(previous) * 100:.1f} %"
    # From nothing to something: a relative change is meaningless, show the absolute one.
    if unit is Unit.MILLISECONDS:
        return f"{arrow} {duration_ms(size)}"
    return f"{arrow} {number(size, 2)}"


def change_colour(change: Change) -> str:
    improved = change.improved
    if improved is None:
        return GREY
    return GREEN if improved else RED


def change_tooltip(change: Change, previous_period: DateRange | None, currency: str = "") -> str:
    """Names the previous period and the numerator/denominator behind the figure."""
    current, previous = change.current, change.previous
    lines = [current.label]
    lines.append(f"This period: {metric_value(current, currency)}{_parts(current)}")
    when = f" ({previous_period.label()})" if previous_period is not None else ""
    lines.append(f"Previous period{when}: {metric_value(previous, currency)}{_parts(previous)}")
    lines.append("Higher is better." if current.higher_is_better else "Lower is better.")
    return "\n".join(lines)


def _parts(metric: Metric) -> str:
    if metric.numerator is None or metric.denominator is None:
        return f" — {metric.sample} behind it" if metric.sample else ""
    top, bottom = PARTS.get(metric.key, ("", ""))
    numerator, denominator = _plain(metric.numerator), _plain(metric.denominator)
    if top and bottom:
        return f" — {numerator} {top} / {denominator} {bottom}"
    return f" — {numerator} / {denominator}"


def _plain(value: float) -> str:
    value = float(value)
    return number(value, 0 if value.is_integer() else 2)
