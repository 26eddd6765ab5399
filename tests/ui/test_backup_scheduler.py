"""The daily backup while the app is open: at start, then hourly, failures reported not raised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db.engine import create_db_engine
from app.db.schema import run_alembic
from app.paths import backups_dir
from app.services.accounts import add_user
from app.services.database import Database
from app.services.restaurants import list_restaurants
from tests.app.services.conftest import create_place
from ui.application import open_main_window
from ui.backup_scheduler import BackupScheduler

MONDAY = dt.datetime(2026, 11, 23, 9, 0).astimezone()


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Database]:
    """A terminal's local file, migrated."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'tobeout.sqlite3'}")
    run_alembic(engine, "upgrade", "head")
    db = Database.from_engine(engine)
    yield db
    db.close()


def test_a_backup_at_start_then_one_a_day_checked_hourly(
    qtbot: QtBot, local: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "daily"
    moment = [MONDAY]
    scheduler = BackupScheduler(local, folder=folder, interval_ms=50, clock=lambda: moment[0])
    with qtbot.waitSignal(scheduler.backup_written, timeout=10_000) as first:
        scheduler.start()
    assert first.args == [str(folder / "tobeout-2026-11-23.sqlite3")]
    # The hourly checks on the same day write nothing more.
    for _ in range(3):
        qtbot.waitSignal(scheduler.finished, timeout=5000).wait()
    assert [p.name for p in folder.iterdir()] == ["tobeout-2026-11-23.sqlite3"]
    # The app stays open past midnight: the next check writes Tuesday's backup.
    moment[0] = MONDAY + dt.timedelta(days=1)
    with qtbot.waitSignal(scheduler.backup_written, timeout=10_000) as second:
        pass
    assert second.args == [str(folder / "tobeout-2026-11-24.sqlite3")]
    scheduler.stop()
    assert sorted(p.name for p in folder.iterdir()) == [
        "tobeout-2026-11-23.sqlite3", "tobeout-2026-11-24.sqlite3",
    ]  # fmt: skip


def test_a_failure_is_reported_and_the_next_check_tries_again(
    qtbot: QtBot, local: Database, tmp_path: Path
) -> None:
    blocked = tmp_path / "daily"
    blocked.write_text("a file where the backup folder should be")
    scheduler = BackupScheduler(local, folder=blocked, interval_ms=60_000,
                                clock=lambda: MONDAY)  # fmt: skip
    failures: list[str] = []
    scheduler.backup_failed.connect(failures.append)
    with qtbot.waitSignal(scheduler.finished, timeout=10_000):
        scheduler.start()
    assert len(failures) == 1 and failures[0].startswith("The daily backup failed")
    assert not scheduler.running
    blocked.unlink()
    with qtbot.waitSignal(scheduler.backup_written, timeout=10_000):
        scheduler.run_now()  # what the hourly timer does
    scheduler.stop()
    assert (blocked / "tobeout-2026-11-23.sqlite3").is_file()


def test_postgresql_is_left_to_the_servers_own_backups(qtbot: QtBot, tmp_path: Path) -> None:
    server = Database.from_engine(create_db_engine("postgresql+psycopg://u:p@db.local/tobeout"))
    scheduler = BackupScheduler(server, folder=tmp_path / "daily")
    scheduler.start()
    assert not scheduler.enabled and not scheduler.running
    qtbot.wait(50)
    scheduler.stop()
    server.close()
    assert not (tmp_path / "daily").exists()


def test_the_open_window_backs_up_the_local_file(qtbot: QtBot, local: Database) -> None:
    db = local
    create_place(db)
    user = add_user(db, email="m@b.ru", name="Manager", role="manager", password="long enough")
    window = open_main_window(db, user, list_restaurants(db), channels=False)
    qtbot.addWidget(window)  # type: ignore[arg-type]
    try:
        scheduler = window.findChild(BackupScheduler)  # type: ignore[attr-defined]
        assert scheduler is not None
        today = dt.datetime.now().astimezone().date()
        expected = backups_dir() / "daily" / f"tobeout-{today.isoformat()}.sqlite3"
        qtbot.waitUntil(expected.is_file, timeout=10_000)
    finally:
        window.close()  # type: ignore[attr-defined]
