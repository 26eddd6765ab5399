"""``report --restaurant ID --from D --to D [--json | --csv] [--reservations-csv PATH]``.

The manager's dashboard on the command line. Without a format option it prints a readable
report; ``--json`` prints ``app.analytics.serialize.dashboard_to_json`` as one document;
``--csv`` prints the metrics CSV (``app.analytics.export``). ``--reservations-csv PATH`` also
writes the reservations behind the figures to PATH (the count goes to stderr).

Bad dates, a period that ends before it starts or an unknown restaurant exit 2 before anything
is printed or written; PATH is written to a temporary file beside it and renamed into place only
when complete, so a failure never leaves a partial export.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from app.analytics.period import parse_period
from app.analytics.results import (
    WEEKDAY_LABELS,
    Change,
    CountRow,
    Dashboard,
    GuestValue,
    RateRow,
    Unit,
)
from app.cli.context import open_db
from app.cli.output import emit_json, say, table
from app.errors import InvalidInput

NO_DATA = "no data"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = subparsers.add_parser(
        "report", help="KPIs and breakdowns of a period (text, JSON or CSV)"
    )
    report.add_argument("--restaurant", type=int, required=True, metavar="ID")
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                        help="first day of the period (restaurant's local date)")  # fmt: skip
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                        help="last day of the period, included")  # fmt: skip
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON document")
    output.add_argument("--csv", action="store_true", help="print the metrics as CSV")
    report.add_argument("--reservations-csv", type=Path, metavar="PATH",
                        help="also write the period's reservations to PATH as CSV")  # fmt: skip
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from app.analytics.dashboard import load_dashboard
    from app.analytics.export import write_metrics_csv, write_reservations_csv
    from app.analytics.serialize import dashboard_to_json

    period = parse_period(args.start, args.end)  # bad dates fail before the database is opened
    db = open_db(args)
    try:
        dashboard = load_dashboard(db, args.restaurant, period)
        if args.reservations_csv is not None:
            count = _write_file(
                args.reservations_csv,
                lambda stream: write_reservations_csv(db, args.restaurant, period, stream),
            )
            say(f"Wrote {count} reservations to {args.reservations_csv}.")
    finally:
        db.close()
    if args.json:
        emit_json(dashboard_to_json(dashboard))
    elif args.csv:
        with _utf8_stdout() as stream:
            write_metrics_csv(dashboard, stream)
    else:
        print(format_report(dashboard))
    return 0


def _write_file(path: Path, write: Callable[[TextIO], int]) -> int:
    """Write through a temporary file in the same folder, renamed into place when complete."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"Cannot write {path}: the folder {folder} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            count = write(stream)
        os.replace(temporary, path)
    except OSError as exc:
        raise InvalidInput(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return count


@contextlib.contextmanager
def _utf8_stdout() -> Iterator[TextIO]:
    """stdout as UTF-8 without newline translation (CSV rows end in \\r\\n on every OS)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced stdout (StringIO): write to it as it is
        yield sys.stdout
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield stream
        stream.flush()
    finally:
        stream.detach()


# -- the text report -----------------------------------------------------------------------


def format_report(dashboard: Dashboard) -> str:
    """The dashboard as plain text: KPIs against the previous period, then the breakdowns."""
    currency = dashboard.currency
    sections = [
        f"{dashboard.restaurant_name} (restaurant {dashboard.restaurant_id}): "
        f"{dashboard.period.label()}, compared with {dashboard.previous_period.label()}",
        _kpi_table(dashboard),
        _totals(dashboard),
        _titled("Bookings by source", _count_table(dashboard.bookings_by_source, "source")),
        _titled("No-shows by weekday", _rate_table(dashboard.no_shows.by_weekday, "weekday")),
        _titled(
            "No-shows by lead time", _rate_table(dashboard.no_shows.by_lead_time, "lead time")
        ),  # fmt: skip
        _titled("No-shows by source", _rate_table(dashboard.no_shows.by_source, "source")),
        _cancellations(dashboard),
        _ai_costs(dashboard),
        _titled("Top guests", _guest_table(dashboard.top_guests, currency, churn=False)),
        _titled(
            "Guests at risk of not coming back",
            _guest_table(dashboard.churn_risk, currency, churn=True),
        ),  # fmt: skip
    ]
    return "\n\n".join(sections)


def format_value(unit: Unit, value: float | None, currency: str = "") -> str:
    if value is None:
        return NO_DATA
    if unit is Unit.PERCENT:
        return f"{value * 100:.1f} %"
    if unit is Unit.SCORE:
        return f"{value:.2f} / 5"
    if unit is Unit.MONEY_PER_SEAT_HOUR:
        return f"{value:,.2f} {currency}/seat-hour".replace("  ", " ").strip()
    return f"{value:,.0f} ms"


def format_delta(change: Change) -> str:
    delta = change.delta
    if delta is None:
        return ""
    unit = change.current.unit
    if unit is Unit.PERCENT:
        text = f"{delta * 100:+.1f} pts"
    elif unit is Unit.SCORE:
        text = f"{delta:+.2f}"
    elif unit is Unit.MONEY_PER_SEAT_HOUR:
        text = f"{delta:+,.2f}"
    else:
        text = f"{delta:+,.0f} ms"
    improved = change.improved
    if improved is None:
        return text
    return f"{text} ({'better' if improved else 'worse'})"


def _titled(title: str, body: str) -> str:
    return f"{title}\n{body}"


def _kpi_table(dashboard: Dashboard) -> str:
    rows = [
        [change.current.label,
         format_value(change.current.unit, change.current.value, dashboard.currency),
         format_value(change.previous.unit, change.previous.value, dashboard.currency),
         format_delta(change), _basis(change)]
        for change in dashboard.kpis
    ]  # fmt: skip
    return table(rows, ["KPI", "this period", "previous", "change", "based on"])


def _basis(change: Change) -> str:
    """What the figure was computed from, in a few words."""
    metric = change.current
    numerator, denominator = metric.numerator, metric.denominator
    if metric.unit is Unit.SCORE:
        return f"{metric.sample} ratings"
    if metric.unit is Unit.MILLISECONDS:
        return f"{metric.sample} replies"
    if numerator is None or denominator is None:
        return ""
    if metric.unit is Unit.MONEY_PER_SEAT_HOUR:
        return f"{numerator:,.0f} over {denominator:,.0f} seat-hours"
    return f"{numerator:,.0f} of {denominator:,.0f}"


def _totals(dashboard: Dashboard) -> str:
    daily = dashboard.daily
    bookings = sum(p.bookings for p in daily)
    covers = sum(p.covers for p in daily)
    revenue = sum((p.revenue for p in daily), start=Decimal(0))
    busiest = max(daily, key=lambda p: p.covers, default=None)
    line = f"{bookings} bookings, {covers} covers, revenue {revenue:,.2f} {dashboard.currency}"
    if busiest is not None and busiest.covers:
        line += f"; busiest day {busiest.day:%a %d %b} ({busiest.covers} covers)"
    heatmap = dashboard.covers_heatmap
    if heatmap.peak:
        day, hour = next(
            (d, h)
            for d, row in enumerate(heatmap.covers)
            for h, covers in enumerate(row)
            if covers == heatmap.peak
        )
        weekday = WEEKDAY_LABELS[day]
        line += f"; peak hour {weekday} {hour:02d}:00 ({heatmap.peak} covers over the period)"
    return _titled("Totals", line.strip())


def _count_table(rows: tuple[CountRow, ...], what: str) -> str:
    if not rows:
        return f"  {NO_DATA}"
    return table([[r.label, str(r.count), str(r.covers)] for r in rows],
                 [what, "bookings", "covers"])  # fmt: skip


def _rate(row: RateRow) -> str:
    return NO_DATA if row.rate is None else f"{row.rate * 100:.1f} %"


def _rate_table(rows: tuple[RateRow, ...], what: str) -> str:
    if not rows or not any(r.total for r in rows):
        return f"  {NO_DATA}"
    return table([[r.label, str(r.hits), str(r.total), _rate(r)] for r in rows],
                 [what, "no-shows", "outcomes", "rate"])  # fmt: skip


def _cancellations(dashboard: Dashboard) -> str:
    cancelled = dashboard.cancellations
    rate = NO_DATA if cancelled.rate is None else f"{cancelled.rate * 100:.1f} %"
    head = f"Cancellations: {cancelled.total} (rate {rate})"
    if not cancelled.reasons:
        return head
    rows = [[r.label, str(r.count)] for r in cancelled.reasons]
    return f"{head}\n{table(rows, ['reason', 'cancellations'])}"


def _ai_costs(dashboard: Dashboard) -> str:
    costs = dashboard.ai_costs
    per_booking = costs.cost_per_booking
    head = (
        f"AI costs: {costs.total_cost:,.6f} in total, {costs.sofia_bookings} bookings by Sofia, "
        f"{NO_DATA if per_booking is None else f'{per_booking:,.6f}'} per booking"
    )
    if not costs.by_model:
        return head
    rows = [
        [u.model, str(u.turns), f"{u.input_tokens:,}", f"{u.output_tokens:,}", f"{u.cost:,.6f}"]
        for u in costs.by_model
    ]
    return f"{head}\n{table(rows, ['model', 'turns', 'input tokens', 'output tokens', 'cost'])}"


def _guest_table(guests: tuple[GuestValue, ...], currency: str, *, churn: bool) -> str:
    if not guests:
        return f"  {NO_DATA}"
    headers = ["guest", "phone", "visits", f"spent {currency}".strip(), "last visit"]
    if churn:
        headers += ["usual gap (days)", "days since"]
    rows = []
    for g in guests:
        row = [g.name, g.phone, str(g.visits), f"{g.total_spent:,.2f}",
               f"{g.last_visit:%d %b %Y}" if g.last_visit else NO_DATA]  # fmt: skip
        if churn:
            gap, since = g.usual_interval_days, g.days_since_last_visit
            row += [NO_DATA if gap is None else f"{gap:.0f}",
                    NO_DATA if since is None else str(since)]  # fmt: skip
        rows.append(row)
    return table(rows, headers)
