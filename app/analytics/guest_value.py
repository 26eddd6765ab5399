"""Which guests matter: the period's best guests, and regulars who have stopped coming.

Both lists are built from arrived reservations (seated, dining or completed), one GROUP BY over
guests with the filtering in HAVING; a visit is a distinct service date, so lunch and dinner on
the same day are one visit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float, String, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.analytics.money import MONEY_PLACES, decimal_of, exact_sum
from app.analytics.results import GuestValue
from app.analytics.scope import ARRIVED, Scope, in_period
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
    """
    visits = _visits()
    last = func.max(Reservation.date)
    span = days_between(last, func.min(Reservation.date))
    since = days_between(literal(scope.as_of, Date), last)
    spent = exact_sum(Reservation.total_amount, MONEY_PLACES)
    # Float division: PostgreSQL would otherwise divide integers to an integer.
    interval = cast(span, Float) / func.nullif(visits - 1, 0)
    rows = session.execute(
        select(
            Guest.id,
            Guest.name,
            Guest.phone,
            visits.label("visits"),
            spent.label("spent"),
            last.label("last_visit"),
            interval.label("interval"),
            since.label("since"),
            func.sum(Reservation.guests).label("covers"),
        )  # fmt: skip
        .join(Guest, Guest.id == Reservation.guest_id)
        .where(
            Reservation.restaurant_id == scope.restaurant_id,
            Reservation.status.in_(ARRIVED),
            Reservation.date <= scope.as_of,
            Guest.blacklisted.is_(False),
        )
        .group_by(Guest.id, Guest.name, Guest.phone)
        # since > 2 × span / (visits − 1), multiplied out so the boundary is exact integers.
        .having(
            visits >= REGULAR_VISITS,
            since >= AWAY_MIN_DAYS,
            since * (visits - 1) > AWAY_INTERVALS * span,
        )
        .order_by(spent.desc(), since.desc(), Guest.id)
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


def top_guests(session: Session, scope: Scope, limit: int = 10) -> tuple[GuestValue, ...]:
    """The period's guests who spent most (then came most often, then by name)."""
    visits = _visits()
    spent = exact_sum(Reservation.total_amount, MONEY_PLACES)
    rows = session.execute(
        select(
            Guest.id,
            Guest.name,
            Guest.phone,
            visits.label("visits"),
            spent.label("spent"),
            func.max(Reservation.date).label("last_visit"),
            func.sum(Reservation.guests).label("covers"),
        )  # fmt: skip
        .join(Guest, Guest.id == Reservation.guest_id)
        .where(in_period(scope), Reservation.status.in_(ARRIVED))
        .group_by(Guest.id, Guest.name, Guest.phone)
        .order_by(spent.desc(), visits.desc(), _bytewise(Guest.name), Guest.id)
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
