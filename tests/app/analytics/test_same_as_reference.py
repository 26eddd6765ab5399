"""The tuned analytics queries return exactly what the plain ones they replaced returned.

A random history (``random_history``) is read through both, for periods of a day, a month and
a year, in the past, around today and partly in the future, with ``today`` moved so churn is
judged on other days too, on SQLite and on PostgreSQL. Counts, money, dates and guest lists
must be equal; sums of fractional minutes (floats, added up in whatever order the plan reads
rows) equal to 12 significant digits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.analytics import kpis
from app.analytics.ai_figures import ai_costs, ai_daily
from app.analytics.booking_patterns import (
    bookings_by_source,
    cancellations,
    covers_heatmap,
    daily_points,
    no_show_patterns,
)
from app.analytics.dashboard import load_dashboard, without_jit
from app.analytics.guest_value import churn_risk, top_guests
from app.analytics.kpis import compute_kpis
from app.analytics.period import DateRange
from app.analytics.results import Change, Dashboard
from app.analytics.scope import Scope, load_scope
from app.services.database import Database
from tests.app.analytics import reference_queries as reference
from tests.app.analytics.random_history import TODAY, History, build

D = dt.timedelta(days=1)
NOW = dt.datetime(2026, 11, 24, 18, 30, tzinfo=dt.UTC)
# (first day, last day, today) relative to TODAY.
PERIODS = (
    (-29, 0, 0),  # the last 30 days
    (-59, -30, 0),  # the 30 before
    (-364, 0, 0),  # the last year
    (0, 0, 0),  # today only
    (-3, 10, 0),  # running into the future: churn as of today
    (-200, -100, 0),  # long past: churn as of its last day
    (-45, -16, -30),  # "today" a month ago: churn as of then
    (-20, -7, -13),  # as of a day with visits just inside and outside the 14 days
)


@pytest.fixture
def history(db: Database) -> History:
    return build(db)


def _scopes(db: Database, restaurant_id: int) -> list[tuple[Any, Scope]]:
    scopes = []
    with db.read_session() as session:
        for first, last, today in PERIODS:
            period = DateRange(TODAY + first * D, TODAY + last * D)
            scope = load_scope(session, restaurant_id, period, today=TODAY + today * D)
            scopes.append(((first, last, today), scope))
    return scopes


def _comparable(figures: dict[str, Any]) -> dict[str, Any]:
    """Exact values, except float sums (minutes; SQLite's revenue) compared to 12 digits."""
    return {
        key: pytest.approx(float(value), rel=1e-12) if isinstance(value, float) else value
        for key, value in figures.items()
    }


def test_kpi_figures_and_no_shows_are_the_reference_ones(db: Database, history: History) -> None:
    with db.read_session() as session:
        without_jit(session)
        year = kpis._reservation_figures(session, _scopes(db, history.restaurant_id)[2][1])
        # The history has what it is meant to have.
        assert year["bookings"] > 1000 and year["arrived"] > 500
        assert 0 < year["automated"] < year["confirmed"] < year["bookings"]
        for rid in (history.restaurant_id, history.other_restaurant_id):
            for label, scope in _scopes(db, rid):
                got = kpis._reservation_figures(session, scope)
                want = reference.reservation_figures(session, scope)
                assert got.keys() == want.keys(), label
                assert _comparable(got) == want, label
                assert kpis._other_figures(session, scope) == reference.other_figures(
                    session, scope
                ), label
                assert no_show_patterns(session, scope) == reference.no_show_patterns(
                    session, scope
                ), label


def test_guest_lists_are_the_reference_lists(db: Database, history: History) -> None:
    with db.read_session() as session:
        without_jit(session)
        year = _scopes(db, history.restaurant_id)[2][1]
        assert 0 < len(churn_risk(session, year, limit=1000)) < 60
        for rid in (history.restaurant_id, history.other_restaurant_id):
            for label, scope in _scopes(db, rid):
                # The whole lists, not only the top 50 / top 10 the dashboard shows.
                assert churn_risk(session, scope, limit=1000) == reference.churn_risk(
                    session, scope, limit=1000
                ), label
                assert churn_risk(session, scope) == reference.churn_risk(session, scope), label
                assert top_guests(session, scope, limit=1000) == reference.top_guests(
                    session, scope, limit=1000
                ), label
                assert top_guests(session, scope) == reference.top_guests(session, scope), label


def test_the_dashboard_is_its_parts(db: Database, history: History) -> None:
    """``load_dashboard`` reads half of it on a second thread; the result is the same as every
    figure read one after another in one session."""
    period = DateRange(TODAY - 29 * D, TODAY)
    got = load_dashboard(db, history.restaurant_id, period, today=TODAY, now=NOW)
    with db.read_session() as session:
        scope = load_scope(session, history.restaurant_id, period, today=TODAY)
        previous = scope.shifted(period.previous())
        want = Dashboard(
            restaurant_id=scope.restaurant_id, restaurant_name=scope.restaurant_name,
            currency=scope.currency, period=period, previous_period=previous.period,
            kpis=tuple(Change(c, p) for c, p in zip(
                compute_kpis(session, scope), compute_kpis(session, previous), strict=True
            )),
            covers_heatmap=covers_heatmap(session, scope),
            bookings_by_source=bookings_by_source(session, scope),
            no_shows=no_show_patterns(session, scope), cancellations=cancellations(session, scope),
            ai_costs=ai_costs(session, scope), daily=daily_points(session, scope),
            ai_daily=ai_daily(session, scope), churn_risk=churn_risk(session, scope),
            top_guests=top_guests(session, scope), generated_at=NOW,
        )  # fmt: skip
    assert got == want
