"""When, how and how reliably guests book: the dashboard's breakdowns of the period's reservations.

Every figure is a GROUP BY in the database over reservations of the period (by service date, see
``scope.in_period``); Python only fills in the empty cells (a weekday without bookings, a day
without covers) and turns the database's numbers into ints and Decimals, so SQLite and PostgreSQL
report the same values.

Money is summed as whole units of its last decimal place (cents for bills): PostgreSQL sums
``numeric`` exactly but SQLite sums floats, and integer sums are exact on both, so totals and the
orderings that depend on them agree to the cent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.analytics.money import MONEY_PLACES, decimal_of, exact_sum
from app.analytics.results import (
    LEAD_TIME_BUCKETS,
    WEEKDAY_LABELS,
    Cancellations,
    CountRow,
    CoversHeatmap,
    DailyPoint,
    NoShowPatterns,
    RateRow,
)
from app.analytics.scope import (
    ARRIVED,
    LIVE_OR_ARRIVED,
    OUTCOMES,
    S,
    Scope,
    in_period,
    is_booking,
)
from app.analytics.sql_time import hour_of, minutes_under, weekday_of
from app.db.models import Reservation

NO_REASON = "No reason given"


# -- exact sums shared by the analytics breakdowns -------------------------------------------


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# -- covers and sources ----------------------------------------------------------------------


def covers_heatmap(session: Session, scope: Scope) -> CoversHeatmap:
    """Covers of the period's live and arrived reservations by weekday × booked local hour.

    Walk-ins are included: they are covers too. The hour is the wall-clock ``time`` the guest
    booked, so a DST change does not move a 19:00 table to 18:00.
    """
    weekday = weekday_of(Reservation.date)
    hour = hour_of(Reservation.time)
    rows = session.execute(
        select(weekday, hour, func.sum(Reservation.guests))
        .where(in_period(scope), Reservation.status.in_(LIVE_OR_ARRIVED))
        .group_by(weekday, hour)
    ).all()
    grid = [[0] * 24 for _ in range(7)]
    for day, clock, covers in rows:
        grid[int(day)][int(clock)] = int(covers or 0)
    return CoversHeatmap(tuple(tuple(row) for row in grid))


def bookings_by_source(session: Session, scope: Scope) -> tuple[CountRow, ...]:
    """Reservations of the period and their covers per source (walk-ins included), most first.

    The old half of a reschedule is left out: its new half carries the same party.
    """
    rows = session.execute(
        select(Reservation.source, func.count(), func.coalesce(func.sum(Reservation.guests), 0))
        .where(in_period(scope), Reservation.status != S.RESCHEDULED)
        .group_by(Reservation.source)
    ).all()
    result = [CountRow(_value(source), int(count), int(covers)) for source, count, covers in rows]
    # A handful of rows: sorted here so ties break the same way whatever the collation.
    return tuple(sorted(result, key=lambda r: (-r.count, -r.covers, r.label)))


# -- no-shows --------------------------------------------------------------------------------


def no_show_patterns(session: Session, scope: Scope) -> NoShowPatterns:
    """No-shows out of known outcomes of the period's bookings, by weekday, lead time, source.

    Lead time is the booking's start minus its creation; a bucket holds lead times below its
    upper bound and at or above the previous one (24 h exactly is "1–2 days", 168 h "7–29 days").
    """
    outcome = and_(in_period(scope), is_booking(), Reservation.status.in_(OUTCOMES))
    hits = _count_if(Reservation.status == S.NO_SHOW)
    weekday = weekday_of(Reservation.date)
    bucket = case(
        *(
            (minutes_under(Reservation.starts_at, Reservation.created_at, hours * 60), index)
            for index, (_, hours) in enumerate(LEAD_TIME_BUCKETS)
            if hours is not None
        ),
        else_=len(LEAD_TIME_BUCKETS) - 1,
    )
    # One pass over the outcomes, grouped by all three at once (at most 7 × 5 × sources
    # groups); the three breakdowns are sums of those groups. The same expression objects in
    # SELECT and GROUP BY, so their bound parameters are shared and PostgreSQL sees one
    # expression.
    by_day: dict[int, tuple[int, int]] = {}
    by_lead: dict[int, tuple[int, int]] = {}
    by_source_totals: dict[str, tuple[int, int]] = {}
    for day, index, source, h, t in session.execute(
        select(weekday, bucket, Reservation.source, hits, func.count())
        .where(outcome)
        .group_by(weekday, bucket, Reservation.source)
    ):
        _add(by_day, int(day), int(h), int(t))
        _add(by_lead, int(index), int(h), int(t))
        _add(by_source_totals, _value(source), int(h), int(t))
    by_source = [RateRow(source, h, t) for source, (h, t) in by_source_totals.items()]
    return NoShowPatterns(
        by_weekday=tuple(
            RateRow(label, *by_day.get(day, (0, 0))) for day, label in enumerate(WEEKDAY_LABELS)
        ),
        by_lead_time=tuple(
            RateRow(label, *by_lead.get(index, (0, 0)))
            for index, (label, _) in enumerate(LEAD_TIME_BUCKETS)
        ),
        by_source=tuple(sorted(by_source, key=lambda r: (-r.total, r.label))),
    )


def _add(tally: dict[Any, tuple[int, int]], key: Any, hits: int, total: int) -> None:
    """Add one group's (no-shows, outcomes) to ``tally[key]``."""
    before_hits, before_total = tally.get(key, (0, 0))
    tally[key] = (before_hits + hits, before_total + total)


# -- cancellations ---------------------------------------------------------------------------


def cancellations(session: Session, scope: Scope) -> Cancellations:
    """Cancelled reservations of the period, their share, and their reasons grouped.

    The denominator is every reservation of the period except the old halves of reschedules.
    Reasons group case- and space-insensitively; an empty one is "No reason given".
    """
    considered = and_(in_period(scope), Reservation.status != S.RESCHEDULED)
    cancelled, total = session.execute(
        select(_count_if(Reservation.status == S.CANCELLED), func.count()).where(considered)
    ).one()

    # Tabs and line breaks count as blanks; TRIM alone only strips spaces on both databases.
    reason = Reservation.cancellation_reason
    for blank in ("\t", "\n", "\r"):
        reason = func.replace(reason, blank, " ")
    key = func.coalesce(func.lower(func.trim(reason)), "")
    grouped = session.execute(
        select(key, func.count()).where(considered, Reservation.status == S.CANCELLED).group_by(key)
    ).all()
    reasons = [CountRow(_reason_label(text), int(count)) for text, count in grouped]
    return Cancellations(
        total=int(cancelled),
        rate=int(cancelled) / int(total) if total else None,
        reasons=tuple(sorted(reasons, key=lambda r: (-r.count, r.label))),
    )


def _reason_label(key: str | None) -> str:
    if not key:
        return NO_REASON
    return key[0].upper() + key[1:]


# -- per day ---------------------------------------------------------------------------------


def daily_points(session: Session, scope: Scope) -> tuple[DailyPoint, ...]:
    """One point per day of the period (zeros for quiet days), by service date."""
    rows = session.execute(
        select(
            Reservation.date,
            _count_if(is_booking()),
            func.coalesce(
                func.sum(case((Reservation.status.in_(LIVE_OR_ARRIVED), Reservation.guests))), 0
            ),
            _count_if(Reservation.status == S.NO_SHOW),
            _count_if(Reservation.status == S.CANCELLED),
            exact_sum(
                case((Reservation.status.in_(ARRIVED), Reservation.total_amount)), MONEY_PLACES
            ),
        )
        .where(in_period(scope))
        .group_by(Reservation.date)
    ).all()
    by_day: dict[dt.date, DailyPoint] = {
        day: DailyPoint(
            day,
            int(bookings),
            int(covers),
            int(no_shows),
            int(cancelled),
            decimal_of(revenue, MONEY_PLACES),
        )
        for day, bookings, covers, no_shows, cancelled, revenue in rows
    }
    zero = decimal_of(0, MONEY_PLACES)
    return tuple(
        by_day.get(day) or DailyPoint(day, 0, 0, 0, 0, zero) for day in scope.period.dates()
    )


def _value(member: Any) -> str:
    """An enum column's stored value (the ORM returns the member)."""
    return str(getattr(member, "value", member))
