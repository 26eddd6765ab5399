"""The tuned queries can use the analytics indexes (migration 0005), with or without planner
statistics. SQLite only: its plans do not depend on table sizes the way PostgreSQL's do, and
SQLite is where a bound parameter silently keeps a partial index out of reach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event

from app.analytics.ai_figures import ai_costs
from app.analytics.guest_value import churn_risk
from app.analytics.kpis import compute_kpis
from app.analytics.period import DateRange
from app.analytics.scope import Scope, load_scope
from app.services.database import Database
from tests.app.analytics.random_history import TODAY, build


def _plans(db: Database, query: Callable[[Any, Scope], object]) -> list[str]:
    """``EXPLAIN QUERY PLAN`` of every SELECT ``query`` sends, one string each."""
    history = build(db, days=60)
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    with db.read_session() as session:
        period = DateRange(TODAY - dt.timedelta(days=29), TODAY)
        scope = load_scope(session, history.restaurant_id, period, today=TODAY)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            query(session, scope)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    with db.engine.connect() as conn:
        return [
            " | ".join(
                str(row[-1])
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            )  # fmt: skip
            for statement, parameters in sent
        ]


@pytest.fixture
def sqlite_db(backend: str, request: pytest.FixtureRequest) -> Database:
    if backend != "sqlite":
        pytest.skip("SQLite query plans")
    db: Database = request.getfixturevalue("db")
    return db


@pytest.mark.parametrize("analysed", [False, True])
def test_churn_reads_only_the_arrived_visits_index(sqlite_db: Database, analysed: bool) -> None:
    if analysed:
        with sqlite_db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    (plan,) = _plans(sqlite_db, churn_risk)
    assert "COVERING INDEX ix_reservations_arrived_guest" in plan
    # No table reads of reservations: every search of them is index-only.
    assert "SCAN reservations" not in plan
    assert "USING INDEX ix_reservations_restaurant_date" not in plan


def test_kpi_lookups_are_index_only(sqlite_db: Database) -> None:
    reservation_plan, other_plan, _percentile = _plans(sqlite_db, compute_kpis)
    assert "COVERING INDEX ix_reservation_status_history_reservation_status" in reservation_plan
    assert "COVERING INDEX ix_messages_created" in other_plan


def test_sofia_bookings_start_from_the_creation_rows(sqlite_db: Database) -> None:
    plans = _plans(sqlite_db, ai_costs)
    assert any("COVERING INDEX ix_reservation_status_history_creations" in p for p in plans)
