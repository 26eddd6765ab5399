"""Recomputes tables' learned ``ai_score`` (formula in ``app.domain.table_score``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.enums import ReservationStatus
from app.db.models import DiningTable, Reservation, ReservationTable
from app.domain.booking_rules import BookingRules
from app.domain.service_hours import services_for
from app.domain.table_score import ai_score

WINDOW_DAYS = 30


def open_minutes(rules: BookingRules, first: dt.date, last: dt.date) -> float:
    total = 0.0
    day = first
    while day <= last:
        for window in services_for(rules, day):
            total += (window.closes_at - window.opens_at).total_seconds() / 60
        day += dt.timedelta(days=1)
    return total


def refresh_table_scores(
    session: Session,
    rules: BookingRules,
    restaurant_id: int,
    table_ids: Iterable[int],
    now: dt.datetime,
) -> None:
    ids = list(table_ids)
    if not ids:
        return
    today = now.astimezone(rules.timezone).date()
    first = today - dt.timedelta(days=WINDOW_DAYS)
    rows = session.execute(
        select(
            ReservationTable.table_id,
            Reservation.arrival_time,
            Reservation.departure_time,
            Reservation.duration,
            Reservation.rating,
        )
        .join(Reservation, Reservation.id == ReservationTable.reservation_id)
        .where(
            ReservationTable.table_id.in_(ids),
            Reservation.restaurant_id == restaurant_id,
            Reservation.status == ReservationStatus.COMPLETED,
            Reservation.date >= first,
            Reservation.date <= today,
        )
    )
    minutes: dict[int, float] = defaultdict(float)
    ratings: dict[int, list[int]] = defaultdict(list)
    for table_id, arrived, left, duration, rating in rows:
        if arrived and left and left > arrived:
            minutes[table_id] += (left - arrived).total_seconds() / 60
        else:
            minutes[table_id] += duration
        if rating is not None:
            ratings[table_id].append(rating)
    available = open_minutes(rules, first, today)
    for table in session.scalars(select(DiningTable).where(DiningTable.id.in_(ids))):
        table.ai_score = ai_score(minutes[table.id], available, ratings[table.id])
