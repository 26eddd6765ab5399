"""The manager's dashboard in one call: KPIs against the previous period, and every breakdown.

Threading: a plain blocking function with its own read-only session; the GUI calls it on a
worker thread (``HostContext.tasks``), the CLI directly.
"""

from __future__ import annotations

import datetime as dt

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
from app.analytics.results import Change, Dashboard
from app.analytics.scope import load_scope
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
        scope = load_scope(session, restaurant_id, period, today=today)
        previous = scope.shifted(period.previous())
        current_kpis = compute_kpis(session, scope)
        previous_kpis = compute_kpis(session, previous)
        dashboard = Dashboard(
            restaurant_id=scope.restaurant_id,
            restaurant_name=scope.restaurant_name,
            currency=scope.currency,
            period=period,
            previous_period=previous.period,
            kpis=tuple(Change(c, p) for c, p in zip(current_kpis, previous_kpis, strict=True)),
            covers_heatmap=covers_heatmap(session, scope),
            bookings_by_source=bookings_by_source(session, scope),
            no_shows=no_show_patterns(session, scope),
            cancellations=cancellations(session, scope),
            ai_costs=ai_costs(session, scope),
            daily=daily_points(session, scope),
            ai_daily=ai_daily(session, scope),
            churn_risk=churn_risk(session, scope),
            top_guests=top_guests(session, scope),
            generated_at=now or dt.datetime.now(dt.UTC),
        )
        session.rollback()
    return dashboard
