"""Local backups: consistent copies, the daily rotation, and staged restores of the SQLite file."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.db.backups import (
    SqliteRestore,
    copy_sqlite,
    daily_backup,
    daily_dir,
)
from app.db.engine import create_db_engine
from app.db.models import Guest
from app.db.schema import VERSION_TABLE, SchemaState, current_revision, run_alembic
from app.errors import DatabaseProblem, InvalidInput
from app.paths import backups_dir
from app.services.database import Database
from tests.app.db.test_startup import _previous_revision
from tests.app.services.conftest import create_place

NOW = dt.datetime(2026, 11, 27, 10, 30).astimezone()
TODAY = NOW.date()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _guests(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM guests ORDER BY id")]


def _add_guests(url: str, restaurant_id: int, *names: str) -> None:
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            for name in names:
                phone = "+7999" + hashlib.md5(name.encode()).hexdigest()[:7].translate(
                    str.maketrans("abcdef", "123456")
                )
                session.add(Guest(restaurant_id=restaurant_id, name=name, phone=phone))
            session.commit()
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> tuple[str, Path, int]:
    """A migrated local file with a restaurant and one guest, like a terminal's database."""
    path = tmp_path / "live" / "tobeout.sqlite3"
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    run_alembic(engine, "upgrade", "head")
    db = Database.from_engine(engine)
    place = create_place(db)
    db.close()
    _add_guests(url, place.restaurant_id, "Before Backup")
    return url, path, place.restaurant_id


# -- copies ---------------------------------------------------------------------------------


def test_a_copy_taken_while_another_connection_writes_is_consistent(
    sqlite_db: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, path, restaurant_id = sqlite_db
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        engine = create_db_engine(url)
        try:
            n = 0
            while not stop.is_set():
                n += 1
                with Session(engine) as session:
                    session.add(Guest(restaurant_id=restaurant_id, name=f"W{n:05d}",
                                      phone=f"+7999{n:07d}"))  # fmt: skip
                    session.commit()
                written.append(n)
        finally:
            engine.dispose()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while len(written) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        copy = copy_sqlite(path, tmp_path / "copy.sqlite3")
        at_copy = len(written)
        while len(written) < at_copy + 20 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join()
    names = [n for n in _guests(copy) if n.startswith("W")]
    # A prefix of the writes, without gaps: the copy is one moment of the database.
    assert names == [f"W{n:05d}" for n in range(1, len(names) + 1)]
    assert 20 <= len(names) < len(written)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # One self-contained file: no -wal needed to read it.
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_failed_copy_leaves_no_file_behind(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    broken = folder / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(DatabaseProblem):
        copy_sqlite(broken, folder / "copy.sqlite3")
    assert sorted(p.name for p in folder.iterdir()) == ["broken.sqlite3"]


# -- daily backups --------------------------------------------------------------------------


def test_daily_backup_writes_today_then_keeps_the_newest_fourteen(
    sqlite_db: tuple[str, Path, int],
) -> None:
    url, path, _ = sqlite_db
    folder = daily_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for age in range(1, 16):  # fifteen older backups
        day = TODAY - dt.timedelta(days=age)
        (folder / f"tobeout-{day.isoformat()}.sqlite3").write_bytes(b"old")
    unrelated = [
        "notes.txt", "tobeout-2020-01-01.sqlite3.bak", "my-tobeout-2020-01-01.sqlite3",
        "tobeout-2020-01-01.db", "tobeout-2020-13-45.sqlite3", ".tobeout-2020-01-01.sqlite3.x",
    ]  # fmt: skip
    for name in unrelated:
        (folder / name).write_text("keep me")
    (folder / "tobeout-2019-05-05.sqlite3").mkdir()  # a folder with the pattern's name

    written = daily_backup(url, now=NOW)

    assert written == folder / f"tobeout-{TODAY.isoformat()}.sqlite3"
    assert _guests(written) == ["Before Backup"]

    def kept() -> list[str]:
        found = folder.glob("tobeout-????-??-??.sqlite3")
        return sorted(p.name for p in found if p.is_file() and p.name not in unrelated)

    assert kept() == [
        f"tobeout-{(TODAY - dt.timedelta(days=age)).isoformat()}.sqlite3"
        for age in range(13, -1, -1)
    ]
    for name in unrelated:
        assert (folder / name).read_text() == "keep me"
    assert (folder / "tobeout-2019-05-05.sqlite3").is_dir()

    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert daily_backup(url, now=NOW + dt.timedelta(hours=5)) is None  # same day: nothing
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    later = daily_backup(url, now=NOW + dt.timedelta(days=1))
    assert later is not None and later.name == f"tobeout-{TODAY + dt.timedelta(days=1)}.sqlite3"
    assert len(kept()) == 14 and kept()[-1] == later.name


def test_a_restaurant_closed_for_a_month_keeps_its_last_backups(
    sqlite_db: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, _, _ = sqlite_db
    folder = tmp_path / "daily"
    folder.mkdir()
    for age in range(30, 50):
        day = TODAY - dt.timedelta(days=age)
        (folder / f"tobeout-{day.isoformat()}.sqlite3").write_bytes(b"old")
    daily_backup(url, now=NOW, folder=folder, keep_days=14)
    names = sorted((p.name for p in folder.iterdir()), reverse=True)
    assert len(names) == 14
    assert names[0] == f"tobeout-{TODAY.isoformat()}.sqlite3"
    assert names[1] == f"tobeout-{(TODAY - dt.timedelta(days=30)).isoformat()}.sqlite3"


def test_a_crashed_backup_does_not_block_the_next_one(
    sqlite_db: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, _, _ = sqlite_db
    folder = tmp_path / "daily"
    folder.mkdir()
    stale = folder / f".tobeout-{TODAY.isoformat()}.sqlite3.abc123.partial"
    stale.write_bytes(b"SQLite format 3\x00 half a page")
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    fresh = folder / f".tobeout-{TODAY.isoformat()}.sqlite3.def456.partial"
    fresh.write_bytes(b"being written by another instance")

    written = daily_backup(url, now=NOW, folder=folder)

    assert written is not None and _guests(written) == ["Before Backup"]
    assert not stale.exists(), "a day-old leftover is cleaned up"
    assert fresh.exists(), "a partial file that may still be written is left alone"


def test_daily_backup_skips_postgresql_and_a_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "daily"
    assert daily_backup("postgresql+psycopg://u:p@db.local/tobeout", now=NOW, folder=folder) is None
    assert daily_backup(f"sqlite:///{tmp_path / 'none.sqlite3'}", now=NOW, folder=folder) is None
    assert not (tmp_path / "none.sqlite3").exists()


def test_daily_backups_live_in_the_user_data_folder(sqlite_db: tuple[str, Path, int]) -> None:
    url, _, _ = sqlite_db
    written = daily_backup(url, now=NOW)
    assert written is not None and written.parent == backups_dir() / "daily"


# -- restore --------------------------------------------------------------------------------


def test_a_restore_reaches_a_connection_that_stays_open(
    sqlite_db: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, path, restaurant_id = sqlite_db
    backup = copy_sqlite(path, tmp_path / "backup.sqlite3")
    _add_guests(url, restaurant_id, "After Backup")
    terminal = create_db_engine(url)  # another terminal's engine, open throughout
    try:
        with terminal.connect() as conn:
            count = sa.text("SELECT count(*) FROM guests")
            assert conn.execute(count).scalar() == 2
            conn.rollback()
            with SqliteRestore(url, backup) as restore:
                result = restore.apply()
            assert conn.execute(count).scalar() == 1
    finally:
        terminal.dispose()
    assert _guests(path) == ["Before Backup"]
    assert result.safety_backup is not None
    assert "-before-restore-" in result.safety_backup.name
    assert result.safety_backup.parent == backups_dir()
    assert _guests(result.safety_backup) == ["Before Backup", "After Backup"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_older_backup_is_upgraded_in_staging(
    sqlite_db: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, path, _ = sqlite_db
    old = tmp_path / "old.sqlite3"
    engine = create_db_engine(f"sqlite:///{old}")
    run_alembic(engine, "upgrade", "head")
    run_alembic(engine, "downgrade", _previous_revision())
    engine.dispose()
    old_digest = _digest(old)
    with SqliteRestore(url, old) as restore:
        assert "upgraded" in restore.summary
        result = restore.apply()
    assert result.upgraded_from == _previous_revision()
    assert _digest(old) == old_digest, "the backup file itself is never modified"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("old")) == [
        "old.sqlite3"
    ]  # and no side files appear next to it
    engine = create_db_engine(url)
    try:
        assert current_revision(engine).state is SchemaState.CURRENT
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM guests")).scalar() == 0
    finally:
        engine.dispose()


def test_refusals_leave_the_database_untouched(
    sqlite_db: tuple[str, Path, int], tmp_path: Path
) -> None:
    url, path, _ = sqlite_db
    newer = copy_sqlite(path, tmp_path / "newer.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute(f"UPDATE {VERSION_TABLE} SET version_num = 'f00d9999'")
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\x13" * (4096 * 3)
    damaged.write_bytes(bytes(data))
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database")
    before = _digest(path)
    cases = [
        (newer, "newer version of ToBeOut"),
        (foreign, "not a ToBeOut backup"),
        (empty, "not a SQLite database file"),  # a zero-byte file has no header
        (damaged, "damaged|cannot be read"),
        (text, "not a SQLite database file"),
        (tmp_path / "missing.sqlite3", "no backup file"),
        (path, "current database itself"),
    ]
    for source, message in cases:
        with pytest.raises(InvalidInput, match=message):
            SqliteRestore(url, source)
    with pytest.raises(InvalidInput, match="folder .* does not exist"):
        SqliteRestore(f"sqlite:///{tmp_path / 'nowhere' / 'x.sqlite3'}", newer)
    assert _digest(path) == before
    assert not list(backups_dir().glob("*before-restore*"))
