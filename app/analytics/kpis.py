"""The eight KPI cards of the dashboard, computed by the database in three round trips.

1. One aggregate over the period's reservations (service date in the period): every booking
   count, the reservation ratings, revenue and occupied table-minutes, as ``SUM(CASE …)``.
2. One row of three one-row aggregates: conversation ratings, Sofia's replies (count and total
   time) and the active tables with their seats.
3. The 90th-percentile reply by nearest rank, ``ORDER BY … LIMIT 1 OFFSET rank - 1`` (skipped
   when there are no replies).

The definitions are the ones in ``app.analytics``. Results are converted to ``int``/``float``/
``Decimal`` here, so SQLite (floats for numeric sums) and PostgreSQL (``Decimal`` for numeric,
``bigint`` for integer sums) give the same numbers. A figure with nothing behind it is "no
data" (``value = None``), never a division by zero.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.analytics.kpi_capacity import (
    active_tables,
    holds_a_table,
    occupied_minutes,
    open_minutes,
    tables_held,
)
from app.analytics.results import KPI_KEYS, Metric, Unit, ratio
from app.analytics.scope import (
    ARRIVED,
    OUTCOMES,
    Scope,
    ever_confirmed,
    in_period,
    is_booking,
    made_by_sofia,
)
from app.analytics.sql_time import nearest_rank
from app.db.enums import ReservationStatus, SenderType
from app.db.models import ConversationThread, Message, Reservation

CENT = Decimal("0.01")
MINUTES_PER_HOUR = 60


def compute_kpis(session: Session, scope: Scope) -> tuple[Metric, ...]:
    """One ``Metric`` per key of ``KPI_KEYS``, in that order."""
    bookings = _reservation_figures(session, scope)
    other = _other_figures(session, scope)
    replies = int(other["replies"])
    p90 = _reply_percentile(session, scope, replies, 90) if replies else None

    minutes_open = open_minutes(scope)
    seat_hours = int(other["seats"]) * minutes_open / MINUTES_PER_HOUR
    table_minutes = int(other["tables"]) * minutes_open
    ratings = int(bookings["ratings"]) + int(other["thread_ratings"])
    stars = int(bookings["rating_total"]) + int(other["thread_rating_total"])

    metrics = (
        ratio(
            "conversion_rate", "Booking conversion", Unit.PERCENT,
            int(bookings["confirmed"]), int(bookings["bookings"]),
            sample=int(bookings["bookings"]),
        ),
        ratio(
            "no_show_rate", "No-shows", Unit.PERCENT,
            int(bookings["no_shows"]), int(bookings["outcomes"]),
            sample=int(bookings["outcomes"]), higher_is_better=False,
        ),
        ratio("satisfaction_score", "Guest satisfaction", Unit.SCORE, stars, ratings,
              sample=ratings),
        _capacity_ratio(
            "revpash", "Revenue per seat hour", Unit.MONEY_PER_SEAT_HOUR,
            float(_money(bookings["revenue"])), seat_hours, sample=int(bookings["arrived"]),
        ),
        ratio(
            "ai_automation_rate", "AI automation", Unit.PERCENT,
            int(bookings["automated"]), int(bookings["bookings"]),
            sample=int(bookings["bookings"]),
        ),
        ratio(
            "response_time_avg", "Sofia reply time (avg)", Unit.MILLISECONDS,
            int(other["reply_ms"]), replies, sample=replies, higher_is_better=False,
        ),
        Metric(
            "response_time_p90", "Sofia reply time (p90)", Unit.MILLISECONDS,
            None if p90 is None else float(p90), sample=replies, higher_is_better=False,
        ),
        _capacity_ratio(
            "table_utilisation", "Table utilisation", Unit.PERCENT,
            float(bookings["occupied_minutes"] or 0), table_minutes,
            sample=int(bookings["occupancies"]),
        ),
    )  # fmt: skip
    assert tuple(m.key for m in metrics) == KPI_KEYS
    return metrics


# -- round trip 1: the period's reservations ----------------------------------------------------


def _reservation_figures(session: Session, scope: Scope) -> dict[str, Any]:
    booking = is_booking()
    arrived = Reservation.status.in_(ARRIVED)
    # The CHECK constraint already keeps ratings in 1..5; the filter states the definition.
    rated = Reservation.rating.between(1, 5)
    statement = select(
        _count_if(booking).label("bookings"),
        _count_if(and_(booking, ever_confirmed())).label("confirmed"),
        _count_if(and_(booking, Reservation.status.in_(OUTCOMES))).label("outcomes"),
        _count_if(and_(booking, Reservation.status == ReservationStatus.NO_SHOW)).label("no_shows"),
        _count_if(and_(booking, made_by_sofia(), ~_handed_to_person())).label("automated"),
        # Ratings and the capacity figures take every reservation of the period, walk-ins too:
        # a walk-in's guest rates the evening, pays a bill and sits at a table like any other.
        _count_if(rated).label("ratings"),
        func.coalesce(func.sum(case((rated, Reservation.rating))), 0).label("rating_total"),
        _count_if(arrived).label("arrived"),
        func.sum(case((arrived, Reservation.total_amount))).label("revenue"),
        _count_if(and_(arrived, holds_a_table())).label("occupancies"),
        func.sum(case((arrived, occupied_minutes() * tables_held()))).label("occupied_minutes"),
    ).where(in_period(scope))
    return dict(session.execute(statement).one()._mapping)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet ``condition`` (0, not NULL, over no rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _handed_to_person() -> ColumnElement[bool]:
    """The reservation's conversation went to a person at some point.

    ``agent_handoff`` is cleared when staff hand a thread back to Sofia, so a reply written by
    a colleague (an ``agent`` message) also counts as a handoff that happened.
    """
    staff_replied = (
        select(Message.id)
        .where(
            Message.conversation_id == ConversationThread.id,
            Message.sender_type == SenderType.AGENT,
        )
        .exists()
    )
    handed = (
        select(ConversationThread.id)
        .where(
            ConversationThread.id == Reservation.conversation_id,
            or_(ConversationThread.agent_handoff.is_(True), staff_replied),
        )
        .exists()
    )
    # Most bookings have no conversation: no need to look one up for them.
    return and_(Reservation.conversation_id.is_not(None), handed)


# -- round trip 2: conversations, replies and tables --------------------------------------------


def _other_figures(session: Session, scope: Scope) -> dict[str, Any]:
    # Three one-row aggregates side by side: each table is read once for its two sums.
    rated_threads = (
        select(
            func.count(ConversationThread.id).label("thread_ratings"),
            func.coalesce(func.sum(ConversationThread.satisfaction_rating), 0).label(
                "thread_rating_total"
            ),
        )
        .where(
            ConversationThread.restaurant_id == scope.restaurant_id,
            ConversationThread.satisfaction_rating.between(1, 5),
            ConversationThread.last_message_at >= scope.starts_at,
            ConversationThread.last_message_at < scope.ends_at,
        )
        .subquery()
    )
    replies = (
        _replies(scope)
        .with_only_columns(
            func.count(Message.id).label("replies"),
            func.coalesce(func.sum(Message.response_time), 0).label("reply_ms"),
        )
        .subquery()
    )
    tables = active_tables(scope)
    statement = select(
        rated_threads.c.thread_ratings,
        rated_threads.c.thread_rating_total,
        replies.c.replies,
        replies.c.reply_ms,
        tables.c.tables,
        tables.c.seats,
    ).select_from(rated_threads.join(replies, true()).join(tables, true()))
    return dict(session.execute(statement).one()._mapping)


def _replies(scope: Scope) -> Any:
    """Sofia's timed replies sent in the period's UTC window (a SELECT to add columns to).

    The restaurant is checked per reply (EXISTS on the conversation's primary key), so the
    window's messages (``ix_messages_created``) drive the query rather than every one of the
    restaurant's conversations.
    """
    of_restaurant = (
        select(ConversationThread.id)
        .where(
            ConversationThread.id == Message.conversation_id,
            ConversationThread.restaurant_id == scope.restaurant_id,
        )
        .exists()
    )
    return select(Message.id).where(
        Message.created_at >= scope.starts_at,
        Message.created_at < scope.ends_at,
        Message.sender_type == SenderType.AI,
        Message.response_time.is_not(None),
        of_restaurant,
    )


# -- round trip 3: the percentile ----------------------------------------------------------------


def _reply_percentile(session: Session, scope: Scope, count: int, percent: int) -> int | None:
    """The reply time at the nearest rank of ``percent`` among ``count`` replies."""
    rank = nearest_rank(count, percent)
    statement = (
        _replies(scope)
        .with_only_columns(Message.response_time)
        .order_by(Message.response_time, Message.id)
        .limit(1)
        .offset(rank - 1)
    )
    value = session.execute(statement).scalar_one_or_none()
    return None if value is None else int(value)


# -- conversions ---------------------------------------------------------------------------------


def _money(value: Any) -> Decimal:
    """A money sum as exact cents: PostgreSQL sends ``Decimal``, SQLite may send a float."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


def _capacity_ratio(
    key: str, label: str, unit: Unit, numerator: float, denominator: float, *, sample: int
) -> Metric:
    """Like ``ratio``, but "no data" also when no guest arrived: a period the restaurant did not
    record (or has not reached yet) should read "no data", not 0.00 per seat hour."""
    metric = ratio(key, label, unit, numerator, denominator, sample=sample)
    return metric if sample else dataclasses.replace(metric, value=None)
