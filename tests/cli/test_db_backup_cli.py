"""``db backup`` and ``db restore`` on SQLite and PostgreSQL: the round trip while a terminal keeps
writing, refusals that leave the database untouched, and the confirmation question."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.cli.main import main
from app.db.engine import create_db_engine
from app.db.models import Guest
from app.db.pg_backups import find_pg_tool
from app.db.schema import VERSION_TABLE, SchemaState, current_revision, run_alembic
from app.errors import DatabaseProblem
from app.paths import backups_dir
from app.services.database import Database
from tests.app.services.conftest import create_place

OLDER_WITH_FEWER_TABLES = "0003"


@pytest.fixture
def tools(backend: str) -> None:
    if backend == "postgresql":
        try:
            find_pg_tool("pg_dump")
            find_pg_tool("pg_restore")
        except DatabaseProblem as exc:
            pytest.skip(str(exc))


def run(url: str, *argv: str) -> int:
    return main(["--database-url", url, *argv])


def fingerprint(url: str) -> str:
    """Every row of every table, in a stable order: equal fingerprints, equal data."""
    engine = sa.create_engine(url)
    digest = hashlib.sha256()
    try:
        with engine.connect() as conn:
            for name in sorted(sa.inspect(conn).get_table_names()):
                table = sa.Table(name, sa.MetaData(), autoload_with=conn)
                rows = conn.execute(sa.select(table)).all()
                digest.update(name.encode())
                for row in sorted(repr(tuple(row)) for row in rows):
                    digest.update(row.encode())
    finally:
        engine.dispose()
    return digest.hexdigest()


def guest_names(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT name FROM guests ORDER BY id")).scalars())
    finally:
        engine.dispose()


def add_guest(url: str, restaurant_id: int, name: str, phone: str) -> None:
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            session.add(Guest(restaurant_id=restaurant_id, name=name, phone=phone))
            session.commit()
    finally:
        engine.dispose()


def test_backup_while_a_terminal_writes_then_restore_brings_back_that_moment(
    db: Database, database_url: str, backend: str, tools: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    place = create_place(db)
    add_guest(database_url, place.restaurant_id, "Before Backup", "+79990000001")
    stop = threading.Event()
    written: list[int] = []

    def terminal_keeps_writing() -> None:
        engine = create_db_engine(database_url)
        try:
            n = 0
            while not stop.is_set():
                n += 1
                with Session(engine) as session:
                    session.add(Guest(restaurant_id=place.restaurant_id, name=f"W{n:05d}",
                                      phone=f"+7998{n:07d}"))  # fmt: skip
                    session.commit()
                written.append(n)
        finally:
            engine.dispose()

    writer = threading.Thread(target=terminal_keeps_writing)
    writer.start()
    target = tmp_path / ("backup.sqlite3" if backend == "sqlite" else "backup.dump")
    try:
        deadline = time.monotonic() + 20
        while len(written) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert run(database_url, "db", "backup", str(target)) == 0
        at_backup = len(written)
        while len(written) < at_backup + 10 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join()
    assert "Backed up" in capsys.readouterr().err
    add_guest(database_url, place.restaurant_id, "After Backup", "+79990000002")
    if backend == "sqlite":
        backup_url = f"sqlite:///{target}"
        at_that_moment = fingerprint(backup_url)
        backed_up = guest_names(backup_url)

    assert run(database_url, "db", "restore", str(target), "--yes") == 0
    err = capsys.readouterr().err
    assert "Restored" in err and "before-restore" in err

    names = guest_names(database_url)
    writes = [n for n in names if n.startswith("W")]
    assert names[0] == "Before Backup" and "After Backup" not in names
    # One moment of the database: a prefix of the terminal's writes, without gaps.
    assert writes == [f"W{n:05d}" for n in range(1, len(writes) + 1)]
    assert 10 <= len(writes) < len(written)
    if backend == "sqlite":
        assert names == backed_up and fingerprint(database_url) == at_that_moment
        with sqlite3.connect(Path(database_url.removeprefix("sqlite:///"))) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    else:
        engine = sa.create_engine(database_url)
        with engine.connect() as conn:  # triggers and the exclusion constraint came back
            triggers = conn.execute(sa.text(
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%_notify_change'"
            )).scalar()  # fmt: skip
            excluded = conn.execute(
                sa.text("SELECT count(*) FROM pg_constraint WHERE contype = 'x'")
            ).scalar()
        engine.dispose()
        assert triggers == 9 and excluded == 1
    safety = list(backups_dir().glob("*-before-restore-*"))
    assert len(safety) == 1
    # The database works on: new rows get fresh ids (sequences came back too).
    add_guest(database_url, place.restaurant_id, "After Restore", "+79990000003")
    assert guest_names(database_url)[-1] == "After Restore"


def test_backup_refuses_an_existing_file_or_a_missing_folder(
    database_url: str, backend: str, tools: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    existing = tmp_path / "taken.bak"
    existing.write_text("someone's file")
    assert run(database_url, "db", "backup", str(existing)) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == "someone's file"
    assert run(database_url, "db", "backup", str(tmp_path / "no" / "such.bak")) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def test_restore_refusals_exit_2_and_change_nothing(
    db: Database, database_url: str, backend: str, tools: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    create_place(db)
    good = tmp_path / "good.bak"
    assert run(database_url, "db", "backup", str(good)) == 0
    text = tmp_path / "notes.bak"
    text.write_text("these are not the rows you are looking for")
    foreign = tmp_path / "foreign.bak"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    capsys.readouterr()
    before = fingerprint(database_url)
    cases = [
        (tmp_path / "missing.bak", "no backup file"),
        (text, "not a SQLite database" if backend == "sqlite" else "not a PostgreSQL"),
    ]
    if backend == "sqlite":
        cases.append((foreign, "not a ToBeOut backup"))
    for source, message in cases:
        assert run(database_url, "db", "restore", str(source), "--yes") == 2
        assert message in capsys.readouterr().err
    assert fingerprint(database_url) == before
    assert not list(backups_dir().glob("*before-restore*"))


def test_a_backup_from_a_newer_version_is_refused(
    db: Database, database_url: str, backend: str, tools: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    create_place(db)
    newer = tmp_path / "newer.bak"
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = 'f00d9999'"))
    engine.dispose()
    assert run(database_url, "db", "backup", str(newer)) == 0
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = :head"),
                     {"head": current_revision(create_db_engine(database_url)).head})  # fmt: skip
    engine.dispose()
    before = fingerprint(database_url)
    capsys.readouterr()
    assert run(database_url, "db", "restore", str(newer), "--yes") == 2
    assert "newer version of ToBeOut" in capsys.readouterr().err
    assert fingerprint(database_url) == before


def test_an_older_backup_is_restored_then_upgraded(
    empty_database_url: str, backend: str, tools: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    engine = create_db_engine(empty_database_url)
    # 0003: before 0004 added tables (0005 only adds indexes, which a restore can drop).
    run_alembic(engine, "upgrade", OLDER_WITH_FEWER_TABLES)
    engine.dispose()
    old = tmp_path / "old.bak"
    assert run(empty_database_url, "db", "backup", str(old)) == 0
    # Into a database at this program's schema: SQLite's staged copy is upgraded; a
    # PostgreSQL restore cannot drop the newer tables and refuses (untouched).
    engine = create_db_engine(empty_database_url)
    run_alembic(engine, "upgrade", "head")
    engine.dispose()
    before = fingerprint(empty_database_url)
    capsys.readouterr()
    code = run(empty_database_url, "db", "restore", str(old), "--yes")
    err = capsys.readouterr().err
    if backend == "postgresql":
        assert code == 2 and "new, empty database" in err
        assert fingerprint(empty_database_url) == before
        # Into an empty database it is restored, then upgraded.
        engine = create_db_engine(empty_database_url)
        run_alembic(engine, "downgrade", "base")
        with engine.begin() as conn:
            for table in sa.inspect(conn).get_table_names():
                conn.execute(sa.text(f'DROP TABLE "{table}" CASCADE'))
        engine.dispose()
        code = run(empty_database_url, "db", "restore", str(old), "--yes")
        err = capsys.readouterr().err
    assert code == 0, err
    assert f"schema {OLDER_WITH_FEWER_TABLES} was upgraded" in err
    engine = create_db_engine(empty_database_url)
    try:
        assert current_revision(engine).state is SchemaState.CURRENT
    finally:
        engine.dispose()


def test_restore_asks_on_a_terminal_and_refuses_a_script_without_yes(
    db: Database, database_url: str, backend: str, tools: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    place = create_place(db)
    backup = tmp_path / "backup.bak"
    assert run(database_url, "db", "backup", str(backup)) == 0
    add_guest(database_url, place.restaurant_id, "After Backup", "+79990000002")
    before = fingerprint(database_url)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))  # a pipe: no question asked
    assert run(database_url, "db", "restore", str(backup)) == 2
    assert "--yes" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", Terminal("no\n"))
    assert run(database_url, "db", "restore", str(backup)) == 1
    assert "Nothing was changed" in capsys.readouterr().err
    assert fingerprint(database_url) == before
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))
    assert run(database_url, "db", "restore", str(backup)) == 0
    assert "Type 'yes'" in capsys.readouterr().err
    assert "After Backup" not in guest_names(database_url)


@pytest.mark.postgres_only
def test_an_application_role_backs_up_and_restores_without_its_password_on_view(
    backend: str, pg_server: object, tools: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """As deployed: a superuser made the role, the database and btree_gist; the app role (which
    may not drop or comment on that extension) backs up and restores its own database."""
    import subprocess

    import psycopg

    if not hasattr(pg_server, "conninfo"):
        pytest.skip("needs the throwaway server, where roles may be created")
    name = f"tobeout_role_{time.monotonic_ns()}"
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:  # type: ignore[attr-defined]
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'pa ss\"word'")
        conn.execute(f"CREATE DATABASE {name} OWNER {name}")
    with psycopg.connect(pg_server.conninfo(name), autocommit=True) as conn:  # type: ignore[attr-defined]
        conn.execute("CREATE EXTENSION btree_gist")
    url = f"postgresql+psycopg://{name}:pa%20ss%22word@127.0.0.1:{pg_server.port}/{name}"  # type: ignore[attr-defined]
    commands: list[list[str]] = []
    real_run = subprocess.run

    def recording_run(command: list[str], **kwargs: object) -> object:
        commands.append(list(command))
        return real_run(command, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("app.db.pg_backups.subprocess.run", recording_run)
    try:
        assert run(url, "db", "upgrade") == 0
        db = Database.from_engine(create_db_engine(url))
        place = create_place(db)
        db.close()
        backup = tmp_path / "nightly.dump"
        assert run(url, "db", "backup", str(backup)) == 0
        add_guest(url, place.restaurant_id, "After Backup", "+79990000002")
        assert run(url, "db", "restore", str(backup), "--yes") == 0, capsys.readouterr().err
        assert guest_names(url) == []
    finally:
        pg_server.drop_database(name)  # type: ignore[attr-defined]
        with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:  # type: ignore[attr-defined]
            conn.execute(f"DROP ROLE IF EXISTS {name}")
    assert any("pg_restore" in c[0] and "--single-transaction" in c for c in commands)
    assert not any("pa ss" in part for command in commands for part in command)


def test_a_failed_pg_dump_leaves_no_file_and_shows_no_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        find_pg_tool("pg_dump")
    except DatabaseProblem as exc:
        pytest.skip(str(exc))
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once closed
    url = f"postgresql+psycopg://tobeout:hunter2secret@127.0.0.1:{port}/tobeout"
    folder = tmp_path / "dumps"
    folder.mkdir()
    assert run(url, "db", "backup", str(folder / "tobeout.dump")) == 1
    err = capsys.readouterr().err
    assert "pg_dump failed" in err and "hunter2secret" not in err
    assert list(folder.iterdir()) == []
