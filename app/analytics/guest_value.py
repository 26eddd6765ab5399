"""Which guests matter: the period's best guests, and regulars who have stopped coming.

Both lists are built from arrived reservations (seated, dining or completed), one GROUP BY over
guests with the filtering in HAVING; a visit is a distinct service date, so lunch and dinner on
the same day are one visit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, String, and_, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.analytics.money import MONEY_PLACES, decimal_of, exact_sum
from app.analytics.results import GuestValue
from app.analytics.scope import ARRIVED, Scope, arrived, in_period
from app.analytics.sql_time import days_between
from app.db.models import Guest, Reservation

# A regular has come on at least this many different days.
REGULAR_VISITS = 3
# At risk: away longer than this many usual intervals, and at least this many days.
AWAY_INTERVALS = 2
AWAY_MIN_DAYS = 14


class _bytewise(FunctionElement[str]):  # noqa: N801 - reads like the SQL it compiles to
    """A text column ordered by code point on both databases (PostgreSQL's default collation
    may ignore case and spaces; SQLite compares bytes), so ties break the same way."""

    type = String()
    inherit_cache = True
    name = "bytewise"


@compiles(_bytewise, "sqlite")
def _bytewise_sqlite(element: _bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    (text,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return str(text)


@compiles(_bytewise, "postgresql")
def _bytewise_pg(element: _bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    (text,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f'({text} COLLATE "C")'


def _visits() -> ColumnElement[int]:
    return func.count(func.distinct(Reservation.date))


def churn_risk(session: Session, scope: Scope, limit: int = 50) -> tuple[GuestValue, ...]:
    """Regulars who have been away much longer than usual, as of ``scope.as_of``.

    Over all the restaurant's history up to that day (not just the period): a regular (3+
    visits) is at risk when the days since their last visit exceed twice their usual interval
    (first to last visit over the gaps between visits) and are at least 14. Blacklisted guests
    are left out. Most valuable first, then longest away.

    The grouping reads only guests who may qualify (``_may_be_at_risk``), their visits in
    guest order from ``ix_reservations_arrived_guest``; names are joined to the result.
    """
    as_of = scope.as_of
    visits = _visits()
    last = func.max(Reservation.date)
    span = days_between(last, func.min(Reservation.date))
    since = days_between(literal(as_of, Date), last)
    history = and_(
        Reservation.restaurant_id == scope.restaurant_id, arrived(), Reservation.date <= as_of
    )
    regulars = (
        select(
            Reservation.guest_id,
            visits.label("visits"),
            exact_sum(Reservation.total_amount, MONEY_PLACES).label("spent"),
            last.label("last_visit"),
            span.label("span"),
            since.label("since"),
            func.sum(Reservation.guests).label("covers"),
        )
        .where(history, _may_be_at_risk(session, history, as_of, since, span))
        .group_by(Reservation.guest_id)
        # since > 2 × span / (visits − 1), multiplied out so the boundary is exact integers.
        .having(
            visits >= REGULAR_VISITS,
            since >= AWAY_MIN_DAYS,
            since * (visits - 1) > AWAY_INTERVALS * span,
        )
        .subquery()
    )
    # Float division: PostgreSQL would otherwise divide integers to an integer.
    interval = cast(regulars.c.span, Float) / func.nullif(regulars.c.visits - 1, 0)
    rows = session.execute(
        select(
            Guest.id,
            Guest.name,
            Guest.phone,
            regulars.c.visits,
            regulars.c.spent,
            regulars.c.last_visit,
            interval.label("interval"),
            regulars.c.since,
            regulars.c.covers,
        )
        .join(regulars, regulars.c.guest_id == Guest.id)
        .where(Guest.blacklisted.is_(False))
        .order_by(regulars.c.spent.desc(), regulars.c.since.desc(), Guest.id)
        .limit(limit)
    ).all()
    return tuple(
        GuestValue(
            guest_id=int(row.id),
            name=row.name,
            phone=row.phone,
            visits=int(row.visits),
            total_spent=decimal_of(row.spent, MONEY_PLACES),
            last_visit=row.last_visit,
            usual_interval_days=float(row.interval),
            days_since_last_visit=int(row.since),
            covers=int(row.covers or 0),
        )
        for row in rows
    )


def _may_be_at_risk(
    session: Session,
    history: ColumnElement[bool],
    as_of: dt.date,
    since: ColumnElement[int],
    span: ColumnElement[int],
) -> ColumnElement[bool]:
    """A filter on ``Reservation.guest_id`` that keeps every guest who can be at risk.

    Guests who came in the last 14 days cannot be (they are away less than 14 days).
    PostgreSQL leaves them out with a hashed list checked during one ordered index-only scan:
    they are the busiest guests, about half of all visits.

    SQLite makes a cheap first pass instead: per guest only a count and the first and last
    day, and it keeps those away at least 14 days whose *reservations* pass the test;
    reservations bound visits from above (lunch and dinner on one day are two reservations,
    one visit), so nobody who is at risk is lost. The exact aggregates then read only the
    listed guests' visits. (Given that first pass, PostgreSQL tends to pick a parallel hash
    plan, or on a table without statistics yet a nested loop that repeats the pass per row.)
    """
    cutoff = as_of - dt.timedelta(days=AWAY_MIN_DAYS)
    if session.get_bind().dialect.name != "sqlite":
        came_lately = select(Reservation.guest_id).where(history, Reservation.date > cutoff)
        return Reservation.guest_id.not_in(came_lately)
    reservations = func.count()
    maybe = (
        select(Reservation.guest_id)
        .where(history)
        .group_by(Reservation.guest_id)
        .having(
            # Away at least 14 days (``since >= 14``), compared without date arithmetic.
            func.max(Reservation.date) <= cutoff,
            reservations >= REGULAR_VISITS,
            since * (reservations - 1) > AWAY_INTERVALS * span,
        )
    )
    return Reservation.guest_id.in_(maybe)


def top_guests(session: Session, scope: Scope, limit: int = 10) -> tuple[GuestValue, ...]:
    """The period's guests who spent most (then came most often, then by name).

    Grouped by ``guest_id`` first; names and phones are joined to the one row per guest. The
    statuses stay bound parameters here: the period's rows come by date from
    ``ix_reservations_restaurant_date``, and SQLite without statistics would otherwise prefer
    to sweep the whole ``ix_reservations_arrived_guest``.
    """
    per_guest = (
        select(
            Reservation.guest_id,
            _visits().label("visits"),
            exact_sum(Reservation.total_amount, MONEY_PLACES).label("spent"),
            func.max(Reservation.date).label("last_visit"),
            func.sum(Reservation.guests).label("covers"),
        )
        .where(in_period(scope), Reservation.status.in_(ARRIVED))
        .group_by(Reservation.guest_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Guest.id,
            Guest.name,
            Guest.phone,
            per_guest.c.visits,
            per_guest.c.spent,
            per_guest.c.last_visit,
            per_guest.c.covers,
        )
        .join(per_guest, per_guest.c.guest_id == Guest.id)
        .order_by(
            per_guest.c.spent.desc(), per_guest.c.visits.desc(), _bytewise(Guest.name), Guest.id
        )
        .limit(limit)
    ).all()
    return tuple(
        GuestValue(
            guest_id=int(row.id),
            name=row.name,
            phone=row.phone,
            visits=int(row.visits),
            total_spent=decimal_of(row.spent, MONEY_PLACES),
            last_visit=row.last_visit,
            covers=int(row.covers or 0),
        )
        for row in rows
    )
