"""The set-up wizard's "Test connection": every way a PostgreSQL server (or a local file) can be
unusable reads as its own clear message, against a real server and real sockets."""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from app.db import server_check
from app.db.engine import create_db_engine
from app.db.schema import VERSION_TABLE, SchemaState, upgrade
from app.db.server_check import Problem, check_database, check_local_file, check_server
from app.services.database import Database
from app.services.restaurants import import_restaurant
from tests.support.postgres_server import PostgresServer, free_port

PASSWORD = "s3cret-DO-NOT-SHOW"


def _pg_url(server: PostgresServer, database: str, user: str = "postgres",
            password: str | None = None) -> str:  # fmt: skip
    auth = f"{user}:{password}" if password is not None else user
    return f"postgresql+psycopg://{auth}@127.0.0.1:{server.port}/{database}"


@pytest.fixture
def pg_empty(pg_server: PostgresServer) -> Iterator[str]:
    name = f"tobeout_check_{os.getpid()}_{time.monotonic_ns()}"
    pg_server.create_database(name)
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def pg_tobeout(pg_server: PostgresServer, pg_template: str) -> Iterator[str]:
    name = f"tobeout_check_{os.getpid()}_{time.monotonic_ns()}"
    pg_server.create_database(name, template=pg_template)
    yield name
    pg_server.drop_database(name)


@pytest.fixture(scope="module")
def password_role(pg_server: PostgresServer) -> str:
    """A role that must give a password (scram), as on a real server; the test cluster
    trusts everyone else."""
    if not isinstance(pg_server, PostgresServer):
        pytest.skip("an external server's authentication rules are not ours to change")
    role = f"tobeout_pw_{os.getpid()}"
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(PASSWORD)))  # fmt: skip
        hba = Path(conn.execute("SHOW hba_file").fetchone()[0])  # type: ignore[index]
        hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.3)  # the postmaster reloads asynchronously
    return role


# -- reachable or not ------------------------------------------------------------------------


def test_an_empty_database_is_ready(pg_server: PostgresServer, pg_empty: str) -> None:
    found = check_server(_pg_url(pg_server, pg_empty))
    assert found.ok and found.problem is None
    assert found.schema is SchemaState.EMPTY and found.restaurants == ()
    assert found.server_version is not None and int(found.server_version.split(".")[0]) >= 13
    assert "an empty database, ready for ToBeOut" in found.message


def test_a_tobeout_database_lists_its_restaurants(
    pg_server: PostgresServer, pg_tobeout: str
) -> None:
    url = _pg_url(pg_server, pg_tobeout)
    db = Database.from_engine(create_db_engine(url))
    try:
        import_restaurant(db, {"restaurant": {"name": "Bistro Nord"}, "tables": []})
    finally:
        db.close()
    found = check_database(url)
    assert found.ok and found.schema is SchemaState.CURRENT
    assert found.restaurants == ("Bistro Nord",)
    assert "a ToBeOut database with 1 restaurant: Bistro Nord" in found.message


def test_nothing_listening_is_unreachable(pg_server: PostgresServer) -> None:
    found = check_server(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/tobeout")
    assert found.problem is Problem.UNREACHABLE
    assert "Nothing answers at 127.0.0.1:" in found.message


def test_an_unknown_host_name_is_unreachable() -> None:
    found = check_server("postgresql+psycopg://postgres@no-such-host.invalid:5432/tobeout")
    assert found.problem is Problem.UNREACHABLE
    assert found.message.startswith("The server name “no-such-host.invalid” was not found")


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        yield listener.getsockname()[1]


def test_a_server_that_never_answers_times_out(
    silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_check, "CONNECT_TIMEOUT", 1)
    started = time.monotonic()
    found = check_server(f"postgresql+psycopg://postgres@127.0.0.1:{silent_port}/tobeout")
    assert time.monotonic() - started < 5
    assert found.problem is Problem.UNREACHABLE
    assert "did not answer within 1 seconds" in found.message


@pytest.fixture
def web_port() -> Iterator[int]:
    """A web server where PostgreSQL was expected (a wrong port)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                continue
            with client:
                client.recv(1024)
                client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_something_else_on_the_port_is_not_postgresql(web_port: int) -> None:
    found = check_server(f"postgresql+psycopg://postgres@127.0.0.1:{web_port}/tobeout")
    assert found.problem is Problem.UNREACHABLE
    assert "it is not a PostgreSQL server" in found.message


# -- who and which database -----------------------------------------------------------------


def test_a_wrong_password_is_refused_and_never_shown(
    pg_server: PostgresServer, password_role: str
) -> None:
    wrong = check_server(_pg_url(pg_server, "postgres", password_role, "not-it-at-all"))
    assert wrong.problem is Problem.AUTHENTICATION
    assert f"refused the password for the user “{password_role}”" in wrong.message
    missing = check_server(_pg_url(pg_server, "postgres", password_role))
    assert missing.problem is Problem.AUTHENTICATION and "asks for a password" in missing.message
    right = check_server(_pg_url(pg_server, "postgres", password_role, PASSWORD))
    assert right.problem is not Problem.AUTHENTICATION
    for found in (wrong, missing, right):
        assert PASSWORD not in found.message and "not-it-at-all" not in found.message


def test_an_unknown_user_is_named(pg_server: PostgresServer) -> None:
    found = check_server(_pg_url(pg_server, "postgres", "nobody_here"))
    assert found.problem is Problem.AUTHENTICATION
    assert found.message == "The server has no user “nobody_here”: check the user name."


def test_a_missing_database_is_named(pg_server: PostgresServer) -> None:
    found = check_server(_pg_url(pg_server, "no_such_db"))
    assert found.problem is Problem.NO_DATABASE
    assert "The server has no database “no_such_db”: create it first" in found.message


# -- what the database holds ----------------------------------------------------------------


def test_another_programs_database_is_refused(pg_server: PostgresServer, pg_empty: str) -> None:
    with psycopg.connect(pg_server.conninfo(pg_empty), autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)")
    found = check_server(_pg_url(pg_server, pg_empty))
    assert found.problem is Problem.FOREIGN
    assert "is not a ToBeOut database" in found.message and "Nothing was changed" in found.message


def test_a_newer_tobeout_schema_is_refused(pg_server: PostgresServer, pg_tobeout: str) -> None:
    with psycopg.connect(pg_server.conninfo(pg_tobeout), autocommit=True) as conn:
        conn.execute(f"UPDATE {VERSION_TABLE} SET version_num = 'f00d9999'")
    found = check_server(_pg_url(pg_server, pg_tobeout))
    assert found.problem is Problem.NEWER_SCHEMA
    assert "written by a newer version of ToBeOut" in found.message


def test_a_server_older_than_13_is_refused(
    pg_server: PostgresServer, pg_empty: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_check, "_server_version_num", lambda conn: 120019)
    found = check_server(_pg_url(pg_server, pg_empty))
    assert found.problem is Problem.TOO_OLD and found.server_version == "12.19"
    assert "runs PostgreSQL 12.19; ToBeOut needs PostgreSQL 13 or newer" in found.message


def test_a_user_who_may_not_create_tables_is_told_how_to_fix_it(
    pg_server: PostgresServer, pg_empty: str
) -> None:
    role = f"tobeout_reader_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    with psycopg.connect(pg_server.conninfo(pg_empty), autocommit=True) as conn:
        # PostgreSQL 15 and later: only the owner creates in public; say so on older ones too.
        conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    found = check_server(_pg_url(pg_server, pg_empty, role))
    assert found.problem is Problem.NO_PERMISSION
    assert f"ALTER DATABASE {pg_empty} OWNER TO {role}" in found.message


def test_a_server_without_the_extension_is_told_what_to_install(
    pg_server: PostgresServer, pg_empty: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_check, "EXTENSION", "btree_gist_not_installed_here")
    found = check_server(_pg_url(pg_server, pg_empty))
    assert found.problem is Problem.MISSING_EXTENSION and "contrib" in found.message


# -- a local file -----------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_local_file_is_ready_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    found = check_database(f"sqlite:///{path}")
    assert found.ok and found.schema is SchemaState.EMPTY
    assert not path.exists()


def test_local_files_that_are_not_ours_are_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY)")
    garbage = tmp_path / "notes.sqlite3"
    garbage.write_bytes(b"this is a text file, not a database " * 200)
    for path in (other, garbage):
        before = _digest(path)
        found = check_local_file(path)
        assert found.problem is Problem.FOREIGN, found.message
        assert _digest(path) == before
        assert not path.with_name(path.name + "-wal").exists()


def test_a_local_tobeout_file_lists_its_restaurants(tmp_path: Path) -> None:
    path = tmp_path / "tobeout.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    db = Database.from_engine(create_db_engine(f"sqlite:///{path}"))
    import_restaurant(db, {"restaurant": {"name": "Café Sud"}, "tables": []})
    db.close()
    found = check_local_file(path)
    assert found.ok and found.restaurants == ("Café Sud",)
    assert found.message.startswith(f"The local file {path}: a ToBeOut database")
