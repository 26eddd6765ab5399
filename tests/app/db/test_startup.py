"""Opening a database at start-up: upgrade with a backup first, refuse what is not ours."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app.db.engine import create_db_engine, resolve_database_url
from app.db.schema import (
    VERSION_TABLE,
    SchemaState,
    alembic_config,
    current_revision,
    head_revision,
    run_alembic,
)
from app.errors import DatabaseProblem, InvalidInput
from app.services.database import connect


@pytest.fixture
def unused_tcp_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _previous_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision())
    down = head.down_revision
    return down if isinstance(down, str) else "base"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "host.sqlite3"


def test_a_new_file_is_created_at_head(tmp_path: Path) -> None:
    path = _sqlite_file(tmp_path)
    db = connect(f"sqlite:///{path}")
    try:
        assert current_revision(db.engine).state is SchemaState.CURRENT
    finally:
        db.close()
    assert not (tmp_path / "backups").exists(), "nothing to back up in a new file"


def test_an_older_file_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = _sqlite_file(tmp_path)
    engine = create_db_engine(f"sqlite:///{path}")
    run_alembic(engine, "upgrade", "head")
    previous = _previous_revision()
    run_alembic(engine, "downgrade", previous)
    engine.dispose()
    before = _digest(path)

    db = connect(f"sqlite:///{path}")
    try:
        assert current_revision(db.engine).state is SchemaState.CURRENT
    finally:
        db.close()

    backups = list((tmp_path / "backups").glob("host-*-before-upgrade-from-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        stored = copy.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
    assert VERSION_TABLE in tables
    assert stored == ([] if previous == "base" else [(previous,)])
    assert _digest(path) != before  # the original was upgraded after the copy


def test_a_current_file_is_not_backed_up_again(tmp_path: Path) -> None:
    path = _sqlite_file(tmp_path)
    connect(f"sqlite:///{path}").close()
    connect(f"sqlite:///{path}").close()
    assert not (tmp_path / "backups").exists()


def test_a_newer_database_is_refused_and_left_untouched(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = 'f00d9999'"))
    engine.dispose()
    with pytest.raises(DatabaseProblem, match="newer version of ToBeOut"):
        connect(database_url)
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == (
            "f00d9999"
        )
    engine.dispose()


def test_a_foreign_database_is_refused_and_left_untouched(empty_database_url: str) -> None:
    engine = sa.create_engine(empty_database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"))
        conn.execute(sa.text("INSERT INTO invoices VALUES (1, 500)"))
    engine.dispose()
    with pytest.raises(DatabaseProblem, match="not a ToBeOut database"):
        connect(empty_database_url)
    engine = sa.create_engine(empty_database_url)
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) == {"invoices"}
    engine.dispose()


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list: bread, milk\n" * 50)
    before = _digest(path)
    with pytest.raises(DatabaseProblem, match="Cannot open the database"):
        connect(f"sqlite:///{path}")
    assert _digest(path) == before


def test_an_unreachable_server_gets_a_clear_message(unused_tcp_port: int) -> None:
    url = f"postgresql+psycopg://host:s3cret-pw@127.0.0.1:{unused_tcp_port}/tobeout"
    with pytest.raises(DatabaseProblem) as caught:
        connect(url)
    message = str(caught.value)
    assert f"PostgreSQL server 127.0.0.1:{unused_tcp_port}/tobeout" in message
    assert "s3cret-pw" not in message


@pytest.mark.parametrize("url", ["mysql://root@localhost/db", "not a url at all"])
def test_unsupported_urls_are_bad_input(url: str) -> None:
    with pytest.raises(InvalidInput):
        resolve_database_url(url)


def test_the_environment_variable_selects_the_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOBEOUT_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    assert resolve_database_url(None).database == str(tmp_path / "env.sqlite3")
    monkeypatch.delenv("TOBEOUT_DATABASE_URL")
    default = resolve_database_url(None)
    assert default.database is not None
    assert default.database.endswith("ToBeOut/tobeout.sqlite3")
