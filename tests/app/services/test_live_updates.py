"""Another terminal's commit reaches this one, and a lost server is reported then recovered."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from app.db.engine import create_db_engine
from app.services.changes import Change
from app.services.database import Database
from app.services.floor_plan import mark_cleaned
from app.services.live_updates import ANY, ChangeWatcher
from tests.app.services.conftest import create_place


def _collect(watcher: ChangeWatcher, rounds: int = 10) -> list[Change]:
    for _ in range(rounds):
        changes = watcher.wait_for_changes(timeout=0.5)
        if changes:
            return changes
    return []


def test_a_commit_elsewhere_is_heard(db: Database, database_url: str, backend: str) -> None:
    place = create_place(db)
    watcher = ChangeWatcher(make_url(database_url))
    assert watcher.wait_for_changes(timeout=0.2) == [] and watcher.connected
    other_terminal = Database.from_engine(create_db_engine(database_url))
    try:
        mark_cleaned(other_terminal, place.table_ids["B2"])
        changes = _collect(watcher)
    finally:
        other_terminal.close()
        watcher.close()
    if backend == "sqlite":
        assert changes == [Change(ANY, frozenset())]
    else:
        assert Change("table", frozenset({place.table_ids["B2"]})) in changes


@pytest.mark.postgres_only
def test_a_server_restart_is_reported_then_recovered(
    db: Database, database_url: str, backend: str, pg_server: object
) -> None:
    place = create_place(db)
    watcher = ChangeWatcher(make_url(database_url))
    watcher.wait_for_changes(timeout=0.1)
    pg_server.restart()  # type: ignore[attr-defined]
    watcher.wait_for_changes(timeout=0.2)
    assert not watcher.connected and watcher.last_error
    for _ in range(20):  # reconnects by itself
        watcher.wait_for_changes(timeout=0.2)
        if watcher.connected:
            break
    assert watcher.connected
    mark_cleaned(db, place.table_ids["A1"])  # the app's own engine recovers too (pre-ping)
    assert Change("table", frozenset({place.table_ids["A1"]})) in _collect(watcher)
    watcher.close()
