"""What Sofia cost and how her conversations went: AI spend by model and AI activity per day.

AI activity is stamped with an instant, so it counts on the local day it happened (the period's
UTC window, see ``period``). Grouping by local day runs once per offset segment of the window,
each with its own fixed UTC offset, which keeps turns on the right day across a DST change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.analytics.money import decimal_of, exact_sum
from app.analytics.period import OffsetSegment
from app.analytics.results import AiCosts, AiDailyPoint, ModelUsage
from app.analytics.scope import SOFIA_ACTOR, Scope, creation_rows
from app.analytics.sql_time import local_day
from app.db.models import AiActivity, Reservation, ReservationStatusChange

COST_PLACES = 6  # ai_activities.cost is numeric(12, 6)
OFFLINE_MODEL = "offline"


def _in_window(starts_at: dt.datetime, ends_at: dt.datetime) -> ColumnElement[bool]:
    return and_(AiActivity.created_at >= starts_at, AiActivity.created_at < ends_at)


def ai_costs(session: Session, scope: Scope) -> AiCosts:
    """Sofia's spend in the period's UTC window by model, and the bookings she made in it.

    The total is the sum of the per-model sums: each is exact (see ``exact_sum``), so adding
    them is the same as summing every row.
    """
    model = func.coalesce(AiActivity.model_version, OFFLINE_MODEL)
    rows = session.execute(
        select(
            model,
            func.count(),
            func.coalesce(func.sum(AiActivity.input_tokens), 0),
            func.coalesce(func.sum(AiActivity.output_tokens), 0),
            exact_sum(AiActivity.cost, COST_PLACES),
        )
        .where(
            AiActivity.restaurant_id == scope.restaurant_id,
            _in_window(scope.starts_at, scope.ends_at),
        )
        .group_by(model)
    ).all()
    models = [
        ModelUsage(
            str(name), int(turns), int(tokens_in), int(tokens_out), decimal_of(cost, COST_PLACES)
        )
        for name, turns, tokens_in, tokens_out, cost in rows
    ]
    models.sort(key=lambda m: (-m.cost, -m.turns, m.model))
    total = sum((m.cost for m in models), decimal_of(0, COST_PLACES))

    # A booking is Sofia's when she wrote its first status (the creation row), in the window.
    # The restaurant is checked per creation row (EXISTS on the primary key), so the window's
    # creation rows (``ix_reservation_status_history_creations``) drive the query, not all of
    # the restaurant's reservations.
    of_restaurant = (
        select(Reservation.id)
        .where(
            Reservation.id == ReservationStatusChange.reservation_id,
            Reservation.restaurant_id == scope.restaurant_id,
        )
        .exists()
    )
    sofia_bookings = session.scalar(
        select(func.count(func.distinct(ReservationStatusChange.reservation_id))).where(
            creation_rows(),
            ReservationStatusChange.actor == SOFIA_ACTOR,
            ReservationStatusChange.changed_at >= scope.starts_at,
            ReservationStatusChange.changed_at < scope.ends_at,
            of_restaurant,
        )
    )
    return AiCosts(
        total_cost=total, sofia_bookings=int(sofia_bookings or 0), by_model=tuple(models)
    )


@dataclass
class _DayTally:
    """One local day's sums; a day split by a DST change is added up from two segments."""

    turns: int = 0
    frustration_sum: int = 0
    frustration_count: int = 0
    handoffs: int = 0


def ai_daily(session: Session, scope: Scope) -> tuple[AiDailyPoint, ...]:
    """Sofia's turns, mean frustration and hand-offs per local day, every day of the period.

    The mean is rebuilt from per-segment sums and counts (never an average of averages): the
    day of a DST change has turns in two segments.
    """
    tallies: dict[dt.date, _DayTally] = {}
    for segment in scope.segments:
        for day, turns, f_sum, f_count, handoffs in _segment_rows(session, scope, segment):
            tally = tallies.setdefault(_as_date(day), _DayTally())
            tally.turns += int(turns)
            tally.frustration_sum += int(f_sum or 0)
            tally.frustration_count += int(f_count or 0)
            tally.handoffs += int(handoffs or 0)

    points = []
    for day in scope.period.dates():
        tally = tallies.get(day, _DayTally())
        average = (
            tally.frustration_sum / tally.frustration_count if tally.frustration_count else None
        )
        points.append(AiDailyPoint(day, tally.turns, average, tally.handoffs))
    return tuple(points)


def _segment_rows(session: Session, scope: Scope, segment: OffsetSegment) -> Sequence[Row[Any]]:
    """(local day, turns, sum and count of frustration levels, hand-offs) per day."""
    day = local_day(AiActivity.created_at, segment.offset_seconds)
    return session.execute(
        select(
            day,
            func.count(),
            func.sum(AiActivity.user_frustration_level),
            func.count(AiActivity.user_frustration_level),
            func.sum(case((AiActivity.human_handoff_required, 1), else_=0)),
        )
        .where(
            AiActivity.restaurant_id == scope.restaurant_id,
            _in_window(segment.starts_at, segment.ends_at),
        )
        .group_by(day)
    ).all()


def _as_date(value: object) -> dt.date:
    """A local day as a date (drivers already convert; a string is parsed just in case)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
