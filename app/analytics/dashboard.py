"""The manager's dashboard in one call: KPIs against the previous period, and every breakdown.

Threading: ``load_dashboard`` blocks its caller until every figure is there; the GUI calls it
on a worker thread (``HostContext.tasks``), the CLI directly. Inside, the figures come from two
read-only sessions at once: the caller's thread reads the period's KPIs and breakdowns while
one short-lived extra thread reads the previous period's KPIs and the churn list (all history)
on its own connection. Both halves are independent queries of similar cost, so the dashboard
takes about as long as the slower half. The two read transactions start together; a booking
committed between their starts can show in one half and not the other (on PostgreSQL, where
each statement sees the latest committed data, that was already so within one session).

On PostgreSQL the session runs without JIT compilation (``SET LOCAL jit = off``, this
transaction only). The queries are index-backed and take milliseconds, but correlated
subqueries make the planner's cost estimates large enough to cross ``jit_above_cost``, and
compiling a query then took 300-400 ms, several times longer than running it.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.analytics.ai_figures import ai_costs, ai_daily
from app.analytics.booking_patterns import (
    bookings_by_source,
    cancellations,
    covers_heatmap,
    daily_points,
    no_show_patterns,
)
from app.analytics.guest_value import churn_risk, top_guests
from app.analytics.kpis import compute_kpis
from app.analytics.period import DateRange
from app.analytics.results import Change, Dashboard, GuestValue, Metric
from app.analytics.scope import Scope, load_scope
from app.services.database import Database


def load_dashboard(
    db: Database,
    restaurant_id: int,
    period: DateRange,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Dashboard:
    """Every figure of the dashboard for ``period`` (``NotFound`` for an unknown restaurant)."""
    with db.read_session() as session:
        without_jit(session)
        scope = load_scope(session, restaurant_id, period, today=today)
        previous = scope.shifted(period.previous())
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboard") as pool:
            other_half = pool.submit(_previous_kpis_and_churn, db, scope, previous)
            current_kpis = compute_kpis(session, scope)
            heatmap = covers_heatmap(session, scope)
            sources = bookings_by_source(session, scope)
            no_shows = no_show_patterns(session, scope)
            cancelled = cancellations(session, scope)
            costs = ai_costs(session, scope)
            daily = daily_points(session, scope)
            sofia_daily = ai_daily(session, scope)
            top = top_guests(session, scope)
            previous_kpis, churn = other_half.result()
        session.rollback()
    return Dashboard(
        restaurant_id=scope.restaurant_id,
        restaurant_name=scope.restaurant_name,
        currency=scope.currency,
        period=period,
        previous_period=previous.period,
        kpis=tuple(Change(c, p) for c, p in zip(current_kpis, previous_kpis, strict=True)),
        covers_heatmap=heatmap,
        bookings_by_source=sources,
        no_shows=no_shows,
        cancellations=cancelled,
        ai_costs=costs,
        daily=daily,
        ai_daily=sofia_daily,
        churn_risk=churn,
        top_guests=top,
        generated_at=now or dt.datetime.now(dt.UTC),
    )


def _previous_kpis_and_churn(
    db: Database, scope: Scope, previous: Scope
) -> tuple[tuple[Metric, ...], tuple[GuestValue, ...]]:
    """The other half of the dashboard, in its own read session (runs on the extra thread)."""
    with db.read_session() as session:
        without_jit(session)
        result = compute_kpis(session, previous), churn_risk(session, scope)
        session.rollback()
    return result


def without_jit(session: Session) -> None:
    """No JIT compilation for the rest of this transaction (PostgreSQL; see the module doc)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
