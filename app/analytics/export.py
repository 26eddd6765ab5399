"""CSV exports for spreadsheets: the dashboard's figures, and the reservations behind them.

Both files are UTF-8 (write them with ``encoding="utf-8-sig"`` if Excel must detect it; the
CLI writes a plain UTF-8 stream), comma-separated, with one header row, ``\\r\\n`` line ends
(the ``csv`` module's default) and these cell rules:

- **Text cells are quoted, numbers are not** (``csv.QUOTE_NONNUMERIC``): counts, amounts and
  rates stay numbers in a spreadsheet; an empty cell (``""``) means "no data".
- Money is written with its exact decimal digits (``1234.50``), rates as fractions 0..1
  (the ``unit`` column says ``percent``), dates ``YYYY-MM-DD``, instants ISO 8601 in UTC.
- **Formula injection is defused**: a text cell that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return (a guest named ``=HYPERLINK(…)``, a reason typed as ``-1+2``) gets
  a leading ``'``, so spreadsheets show it as text instead of running it. Phone numbers in
  E.164 form (``+`` and 6–15 digits) are the one exception: they are kept intact because a
  restaurant needs to dial them, and a bare ``+79161234567`` can at worst be shown as a number,
  never run anything.

**Metrics CSV** (``write_metrics_csv``): one flat, "tidy" table, one number per row, so a pivot
table or a filter on ``section`` gets any view back. Columns:

``section, item, label, measure, unit, value, numerator, denominator, sample,
previous_value, change``

- ``section``: ``report`` (restaurant, period and previous period, currency), ``kpi``,
  ``covers_heatmap``, ``bookings_by_source``, ``no_shows_by_weekday``,
  ``no_shows_by_lead_time``, ``no_shows_by_source``, ``cancellations``,
  ``cancellation_reasons``, ``ai_costs``, ``ai_cost_by_model``, ``daily``, ``ai_daily``,
  ``top_guests``, ``churn_risk``.
- ``item``: what the row is about: a source, a weekday, a date, a model, a guest id; empty
  for figures of the whole period (KPIs, totals). In ``covers_heatmap`` it is the weekday
  and ``label`` the hour (``19:00``), so a pivot of item × label redraws the heatmap.
- ``label``: a human name of the row (KPI title, guest name, reason).
- ``measure``: the machine name of the number (``conversion_rate``, ``covers``, ``revenue``).
- ``unit``: ``percent`` (fraction 0..1), ``score`` (1..5), ``money_per_seat_hour``, ``ms``,
  ``count``, ``money``, ``tokens``, ``days``, ``date``, ``level`` (frustration 0..5), ``text``.
- ``numerator``/``denominator``: what a rate was divided from; ``sample``: how many bookings,
  ratings or replies stand behind it; ``previous_value`` and ``change`` (current − previous,
  fraction points for rates): KPI rows only.

**Reservations CSV** (``write_reservations_csv``): every reservation whose service date lies in
the period (walk-ins, cancelled and rescheduled ones included; filter on ``status`` and
``source``), ordered by date, time and id. Columns: see ``RESERVATION_COLUMNS``. ``tables``
lists the table names a booking holds, comma-separated in natural order; ``created_by`` is the
signed-in user's name, or else the actor (``sofia``, ``host``, ``website`` …), of the status
change that created the booking; ``created_at``, ``arrival_time`` and ``departure_time`` are
UTC instants.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TextIO

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from app.analytics.period import DateRange
from app.analytics.results import (
    WEEKDAY_LABELS,
    Change,
    CountRow,
    Dashboard,
    GuestValue,
    RateRow,
)
from app.db.models import (
    DiningTable,
    Guest,
    Reservation,
    ReservationStatusChange,
    ReservationTable,
    Restaurant,
    User,
)
from app.errors import NotFound
from app.services.database import Database

METRIC_COLUMNS = (
    "section", "item", "label", "measure", "unit", "value", "numerator", "denominator",
    "sample", "previous_value", "change",
)  # fmt: skip
RESERVATION_COLUMNS = (
    "confirmation_code", "date", "time", "party_size", "status", "source", "guest_name",
    "guest_phone", "tables", "total_amount", "rating", "cancellation_reason", "no_show_reason",
    "created_by", "created_at", "arrival_time", "departure_time",
)  # fmt: skip
# Rows fetched per round trip while streaming (a server-side cursor on PostgreSQL).
STREAM_BATCH = 2000

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_E164 = re.compile(r"\+[1-9]\d{5,14}")
# Table names are aggregated with the ASCII unit separator, then sorted in Python.
_SEPARATOR = "\x1f"


# -- cells ---------------------------------------------------------------------------------


def safe_text(value: str | None) -> str | None:
    """A text cell a spreadsheet will not evaluate: a leading ``'`` before ``= + - @``."""
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_phone(value: str | None) -> str | None:
    """E.164 phones are kept as they are (see the module docstring); anything else is text."""
    if value and _E164.fullmatch(value):
        return value
    return safe_text(value)


def _number(value: float | int | Decimal | None) -> float | int | Decimal | None:
    """Integral floats as integers, others to six decimals (enough for a fraction of a %)."""
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return round(value, 6)
    return value


def _writer(stream: TextIO) -> Any:
    return csv.writer(stream, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")


# -- metrics CSV ---------------------------------------------------------------------------


def write_metrics_csv(dashboard: Dashboard, stream: TextIO) -> None:
    """The dashboard as one tidy table (layout in the module docstring)."""
    writer = _writer(stream)
    writer.writerow(METRIC_COLUMNS)
    for row in metric_rows(dashboard):
        writer.writerow(row)


def metric_rows(dashboard: Dashboard) -> Iterator[tuple[Any, ...]]:
    yield from _report_rows(dashboard)
    for change in dashboard.kpis:
        yield _kpi_row(change)
    for weekday, hours in zip(WEEKDAY_LABELS, dashboard.covers_heatmap.covers, strict=True):
        for hour, covers in enumerate(hours):
            yield _row("covers_heatmap", weekday, f"{hour:02d}:00", "covers", "count", covers)
    for count_row in dashboard.bookings_by_source:
        yield from _count_rows("bookings_by_source", count_row, "bookings")
    no_shows = dashboard.no_shows
    for section, rows in (
        ("no_shows_by_weekday", no_shows.by_weekday),
        ("no_shows_by_lead_time", no_shows.by_lead_time),
        ("no_shows_by_source", no_shows.by_source),
    ):
        for rate_row in rows:
            yield _rate_row(section, rate_row, "no_show_rate")
    yield from _cancellation_rows(dashboard)
    yield from _ai_rows(dashboard)
    for point in dashboard.daily:
        day = point.day.isoformat()
        yield _row("daily", day, day, "bookings", "count", point.bookings)
        yield _row("daily", day, day, "covers", "count", point.covers)
        yield _row("daily", day, day, "no_shows", "count", point.no_shows)
        yield _row("daily", day, day, "cancellations", "count", point.cancellations)
        yield _row("daily", day, day, "revenue", "money", point.revenue)
    for ai_point in dashboard.ai_daily:
        day = ai_point.day.isoformat()
        yield _row("ai_daily", day, day, "turns", "count", ai_point.turns)
        yield _row("ai_daily", day, day, "average_frustration", "level",
                   ai_point.average_frustration)  # fmt: skip
        yield _row("ai_daily", day, day, "handoffs", "count", ai_point.handoffs)
        yield _row("ai_daily", day, day, "handoff_rate", "percent", ai_point.handoff_rate,
                   ai_point.handoffs, ai_point.turns, ai_point.turns)  # fmt: skip
    for section, guests in (
        ("top_guests", dashboard.top_guests),
        ("churn_risk", dashboard.churn_risk),
    ):
        for guest in guests:
            yield from _guest_rows(section, guest)


def _row(
    section: str,
    item: str,
    label: str,
    measure: str,
    unit: str,
    value: Any,
    numerator: Any = None,
    denominator: Any = None,
    sample: Any = None,
    previous_value: Any = None,
    change: Any = None,
) -> tuple[Any, ...]:
    return (
        section, safe_text(item), safe_text(label), measure, unit, _number(value),
        _number(numerator), _number(denominator), sample, _number(previous_value),
        _number(change),
    )  # fmt: skip


def _report_rows(dashboard: Dashboard) -> Iterator[tuple[Any, ...]]:
    name = dashboard.restaurant_name
    yield _row("report", "", name, "restaurant_id", "count", dashboard.restaurant_id)
    yield _row("report", "", "Currency", "currency", "text", safe_text(dashboard.currency))
    for prefix, period in (("", dashboard.period), ("previous_", dashboard.previous_period)):
        label = "Previous period" if prefix else "Period"
        yield _row("report", "", label, f"{prefix}period_from", "date", period.start.isoformat())
        yield _row("report", "", label, f"{prefix}period_to", "date", period.end.isoformat())
        yield _row("report", "", label, f"{prefix}period_days", "days", period.days)
    generated = dashboard.generated_at.astimezone(dt.UTC).isoformat()
    yield _row("report", "", "Generated at", "generated_at", "date", generated)


def _kpi_row(change: Change) -> tuple[Any, ...]:
    metric = change.current
    return _row(
        "kpi", "", metric.label, metric.key, metric.unit.value, metric.value, metric.numerator,
        metric.denominator, metric.sample, change.previous.value, change.delta,
    )  # fmt: skip


def _count_rows(section: str, row: CountRow, measure: str) -> Iterator[tuple[Any, ...]]:
    yield _row(section, row.label, row.label, measure, "count", row.count)
    yield _row(section, row.label, row.label, "covers", "count", row.covers)


def _rate_row(section: str, row: RateRow, measure: str) -> tuple[Any, ...]:
    return _row(section, row.label, row.label, measure, "percent", row.rate, row.hits,
                row.total, row.total)  # fmt: skip


def _cancellation_rows(dashboard: Dashboard) -> Iterator[tuple[Any, ...]]:
    cancelled = dashboard.cancellations
    yield _row("cancellations", "", "Cancellations", "cancellations", "count", cancelled.total)
    yield _row("cancellations", "", "Cancellation rate", "cancellation_rate", "percent",
               cancelled.rate)  # fmt: skip
    for reason in cancelled.reasons:
        yield from _count_rows("cancellation_reasons", reason, "cancellations")


def _ai_rows(dashboard: Dashboard) -> Iterator[tuple[Any, ...]]:
    costs = dashboard.ai_costs
    yield _row("ai_costs", "", "AI cost", "total_cost", "money", costs.total_cost)
    yield _row("ai_costs", "", "Bookings by Sofia", "sofia_bookings", "count",
               costs.sofia_bookings)  # fmt: skip
    yield _row("ai_costs", "", "AI cost per booking", "cost_per_booking", "money",
               costs.cost_per_booking)  # fmt: skip
    for usage in costs.by_model:
        model = usage.model
        yield _row("ai_cost_by_model", model, model, "turns", "count", usage.turns)
        yield _row("ai_cost_by_model", model, model, "input_tokens", "tokens", usage.input_tokens)
        yield _row("ai_cost_by_model", model, model, "output_tokens", "tokens",
                   usage.output_tokens)  # fmt: skip
        yield _row("ai_cost_by_model", model, model, "cost", "money", usage.cost)


def _guest_rows(section: str, guest: GuestValue) -> Iterator[tuple[Any, ...]]:
    item, name = str(guest.guest_id), guest.name
    last_visit = guest.last_visit.isoformat() if guest.last_visit else None
    yield _row(section, item, name, "visits", "count", guest.visits)
    yield _row(section, item, name, "covers", "count", guest.covers)
    yield _row(section, item, name, "total_spent", "money", guest.total_spent)
    yield _row(section, item, name, "average_spend", "money", guest.average_spend)
    yield _row(section, item, name, "last_visit", "date", last_visit)
    yield _row(section, item, name, "usual_interval_days", "days", guest.usual_interval_days)
    yield _row(section, item, name, "days_since_last_visit", "days",
               guest.days_since_last_visit)  # fmt: skip


# -- reservations CSV ----------------------------------------------------------------------


def write_reservations_csv(
    db: Database, restaurant_id: int, period: DateRange, stream: TextIO
) -> int:
    """Every reservation of the restaurant with its service date in ``period``, streamed from
    one SELECT (tables and creator come from correlated subqueries, not a query per row).

    Returns the number of reservations written; ``NotFound`` for an unknown restaurant (then
    nothing is written, not even the header). Threading: blocking, with its own read session.
    """
    with db.read_session() as session:
        if session.get(Restaurant, restaurant_id) is None:
            raise NotFound(f"There is no restaurant {restaurant_id}.")
        writer = _writer(stream)
        writer.writerow(RESERVATION_COLUMNS)
        count = 0
        result = session.execute(
            reservations_query(session, restaurant_id, period),
            execution_options={"yield_per": STREAM_BATCH},
        )
        for row in result:
            writer.writerow(_reservation_cells(row))
            count += 1
        session.rollback()
    return count


def reservations_query(session: Session, restaurant_id: int, period: DateRange) -> Select[Any]:
    creation = aliased(ReservationStatusChange)
    created_by = (
        select(func.coalesce(User.name, creation.actor))
        .select_from(creation)
        .outerjoin(User, User.id == creation.changed_by_user_id)
        .where(creation.reservation_id == Reservation.id, creation.from_status.is_(None))
        .order_by(creation.changed_at, creation.id)
        .limit(1)
        .correlate(Reservation)
        .scalar_subquery()
    )
    table_names = (
        select(_name_list(session, DiningTable.name))
        .select_from(ReservationTable)
        .join(DiningTable, DiningTable.id == ReservationTable.table_id)
        .where(ReservationTable.reservation_id == Reservation.id)
        .correlate(Reservation)
        .scalar_subquery()
    )
    return (
        select(
            Reservation.confirmation_code,
            Reservation.date,
            Reservation.time,
            Reservation.guests,
            Reservation.status,
            Reservation.source,
            Guest.name,
            Guest.phone,
            table_names.label("tables"),
            Reservation.total_amount,
            Reservation.rating,
            Reservation.cancellation_reason,
            Reservation.no_show_reason,
            created_by.label("created_by"),
            Reservation.created_at,
            Reservation.arrival_time,
            Reservation.departure_time,
        )  # fmt: skip
        .join(Guest, Guest.id == Reservation.guest_id)
        .where(
            Reservation.restaurant_id == restaurant_id,
            Reservation.date >= period.start,
            Reservation.date <= period.end,
        )
        .order_by(Reservation.date, Reservation.time, Reservation.id)
    )


def _name_list(session: Session, column: Any) -> Any:
    """Names joined with the unit separator: ``string_agg`` or SQLite's ``group_concat``."""
    if session.get_bind().dialect.name == "postgresql":
        return func.string_agg(column, _SEPARATOR)
    return func.group_concat(column, _SEPARATOR)


def _natural_key(name: str) -> tuple[Any, ...]:
    """``A2`` before ``A10``: digit runs compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", name)
        if part
    )


def _tables(joined: str | None) -> str:
    if not joined:
        return ""
    return ", ".join(sorted(joined.split(_SEPARATOR), key=_natural_key))


def _clock(value: dt.time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _utc(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _reservation_cells(row: Any) -> Iterable[Any]:
    (code, date, time, party, status, source, name, phone, tables, total, rating,
     cancellation, no_show, created_by, created_at, arrival, departure) = row  # fmt: skip
    return (
        code, date.isoformat(), _clock(time), party, status.value, source.value,
        safe_text(name), safe_phone(phone), safe_text(_tables(tables)), total, rating,
        safe_text(cancellation), safe_text(no_show), safe_text(created_by), _utc(created_at),
        _utc(arrival), _utc(departure),
    )  # fmt: skip
