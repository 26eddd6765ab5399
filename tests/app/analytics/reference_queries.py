"""The analytics queries as they were before they were tuned for speed (issue: dashboard speed),
kept verbatim as the reference the tuned ones must agree with, row for row, on both databases.

Only the SQL shape changed in the tuned versions (indexes, pruning, fewer passes); these are
the plain, obviously-right statements of the definitions in ``app.analytics``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.analytics.guest_value import (
    AWAY_INTERVALS,
    AWAY_MIN_DAYS,
    REGULAR_VISITS,
    _bytewise,
)
from app.analytics.kpi_capacity import tables_held
from app.analytics.money import MONEY_PLACES, decimal_of, exact_sum
from app.analytics.results import (
    LEAD_TIME_BUCKETS,
    WEEKDAY_LABELS,
    GuestValue,
    NoShowPatterns,
    RateRow,
)
from app.analytics.scope import (
    ARRIVED,
    OUTCOMES,
    Scope,
    ever_confirmed,
    in_period,
    is_booking,
    made_by_sofia,
)
from app.analytics.sql_time import days_between, minutes_between, weekday_of
from app.db.enums import ReservationStatus, SenderType
from app.db.models import ConversationThread, DiningTable, Guest, Message, Reservation

S = ReservationStatus


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _occupied_minutes() -> ColumnElement[float]:
    span = minutes_between(
        func.coalesce(Reservation.departure_time, Reservation.ends_at),
        func.coalesce(Reservation.arrival_time, Reservation.starts_at),
    )
    return case((span > 0, span), else_=0.0)


def _handed_to_person() -> ColumnElement[bool]:
    staff_replied = (
        select(Message.id)
        .where(
            Message.conversation_id == ConversationThread.id,
            Message.sender_type == SenderType.AGENT,
        )
        .exists()
    )
    return (
        select(ConversationThread.id)
        .where(
            ConversationThread.id == Reservation.conversation_id,
            or_(ConversationThread.agent_handoff.is_(True), staff_replied),
        )
        .exists()
    )


def reservation_figures(session: Session, scope: Scope) -> dict[str, Any]:
    booking = is_booking()
    arrived = Reservation.status.in_(ARRIVED)
    rated = Reservation.rating.between(1, 5)
    held = tables_held()
    statement = select(
        _count_if(booking).label("bookings"),
        _count_if(and_(booking, ever_confirmed())).label("confirmed"),
        _count_if(and_(booking, Reservation.status.in_(OUTCOMES))).label("outcomes"),
        _count_if(and_(booking, Reservation.status == S.NO_SHOW)).label("no_shows"),
        _count_if(and_(booking, made_by_sofia(), ~_handed_to_person())).label("automated"),
        _count_if(rated).label("ratings"),
        func.coalesce(func.sum(case((rated, Reservation.rating))), 0).label("rating_total"),
        _count_if(arrived).label("arrived"),
        func.sum(case((arrived, Reservation.total_amount))).label("revenue"),
        _count_if(and_(arrived, held > 0)).label("occupancies"),
        func.sum(case((arrived, _occupied_minutes() * held))).label("occupied_minutes"),
    ).where(in_period(scope))
    return dict(session.execute(statement).one()._mapping)


def other_figures(session: Session, scope: Scope) -> dict[str, Any]:
    rated_threads = and_(
        ConversationThread.restaurant_id == scope.restaurant_id,
        ConversationThread.satisfaction_rating.between(1, 5),
        ConversationThread.last_message_at >= scope.starts_at,
        ConversationThread.last_message_at < scope.ends_at,
    )
    replies = (
        select(Message.id)
        .join(ConversationThread, Message.conversation_id == ConversationThread.id)
        .where(
            ConversationThread.restaurant_id == scope.restaurant_id,
            Message.sender_type == SenderType.AI,
            Message.response_time.is_not(None),
            Message.created_at >= scope.starts_at,
            Message.created_at < scope.ends_at,
        )
    )
    where = and_(DiningTable.restaurant_id == scope.restaurant_id, DiningTable.is_active.is_(True))
    statement = select(
        select(func.count(ConversationThread.id)).where(rated_threads).scalar_subquery()
        .label("thread_ratings"),
        select(func.coalesce(func.sum(ConversationThread.satisfaction_rating), 0))
        .where(rated_threads).scalar_subquery().label("thread_rating_total"),
        replies.with_only_columns(func.count(Message.id)).scalar_subquery().label("replies"),
        replies.with_only_columns(func.coalesce(func.sum(Message.response_time), 0))
        .scalar_subquery().label("reply_ms"),
        select(func.count(DiningTable.id)).where(where).scalar_subquery().label("tables"),
        select(func.coalesce(func.sum(DiningTable.max_guests), 0)).where(where)
        .scalar_subquery().label("seats"),
    )  # fmt: skip
    return dict(session.execute(statement).one()._mapping)


def _visits() -> ColumnElement[int]:
    return func.count(func.distinct(Reservation.date))


def churn_risk(session: Session, scope: Scope, limit: int = 50) -> tuple[GuestValue, ...]:
    visits = _visits()
    last = func.max(Reservation.date)
    span = days_between(last, func.min(Reservation.date))
    since = days_between(literal(scope.as_of, Date), last)
    spent = exact_sum(Reservation.total_amount, MONEY_PLACES)
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
        )  # fmt: skip
        for row in rows
    )


def top_guests(session: Session, scope: Scope, limit: int = 10) -> tuple[GuestValue, ...]:
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
        )  # fmt: skip
        for row in rows
    )


def no_show_patterns(session: Session, scope: Scope) -> NoShowPatterns:
    outcome = and_(in_period(scope), is_booking(), Reservation.status.in_(OUTCOMES))
    hits = _count_if(Reservation.status == S.NO_SHOW)
    weekday = weekday_of(Reservation.date)
    by_day = {
        int(day): (int(h), int(t))
        for day, h, t in session.execute(
            select(weekday, hits, func.count()).where(outcome).group_by(weekday)
        )
    }
    lead_minutes = minutes_between(Reservation.starts_at, Reservation.created_at)
    bucket = case(
        *(
            (lead_minutes < hours * 60, index)
            for index, (_, hours) in enumerate(LEAD_TIME_BUCKETS)
            if hours is not None
        ),
        else_=len(LEAD_TIME_BUCKETS) - 1,
    )
    by_lead = {
        int(index): (int(h), int(t))
        for index, h, t in session.execute(
            select(bucket, hits, func.count()).where(outcome).group_by(bucket)
        )
    }
    by_source = [
        RateRow(str(getattr(source, "value", source)), int(h), int(t))
        for source, h, t in session.execute(
            select(Reservation.source, hits, func.count())
            .where(outcome)
            .group_by(Reservation.source)
        )
    ]
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
