"""Engine and session factory for the embedded SQLite file or a PostgreSQL server."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from app.errors import InvalidInput
from app.local_config import configured_database_url
from app.paths import default_sqlite_path

DATABASE_URL_ENV = "TOBEOUT_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def resolve_database_url(explicit: str | None = None) -> URL:
    """The URL to use: ``--database-url``, else ``TOBEOUT_DATABASE_URL``, else the database
    chosen on this computer (``app.local_config``, written by the set-up wizard), else the
    local file. A damaged settings file raises ``LocalConfigUnreadable``."""
    raw = explicit or os.environ.get(DATABASE_URL_ENV) or configured_database_url()
    if not raw:
        return make_url(f"sqlite+pysqlite:///{default_sqlite_path()}")
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise InvalidInput(f"Not a database URL: {raw!r}") from exc
    if url.get_backend_name() == "postgresql":
        # psycopg 3 is the one PostgreSQL driver we ship.
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        return url.set(drivername="sqlite+pysqlite")
    raise InvalidInput(
        f"Unsupported database {url.get_backend_name()!r}: use a SQLite file or "
        "postgresql+psycopg://user:password@host:port/database"
    )


def describe_url(url: URL) -> str:
    """A human description of where the data lives, never showing a password."""
    if url.get_backend_name() == "sqlite":
        return f"local file {url.database}"
    return f"PostgreSQL server {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


# Execution option for transactions that never write (long reports).
READ_ONLY = "tobeout_read_only"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE below is ours.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Write lock at the start of every transaction: a check-then-insert (the booking
        # path) can then never interleave with another writer's. Reports that only read
        # say so, and take a snapshot without blocking the host stand's writes (WAL).
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(url: URL | str, **kwargs: Any) -> Engine:
    """An engine with the app's connection settings for the URL's database."""
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            from pathlib import Path

            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection per use: SQLite connections are cheap and pooling them across
        # threads only adds locking surprises.
        engine = create_engine(url, poolclass=NullPool, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("connect_args", {"connect_timeout": 5})
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand out DTOs built after commit without reloading.
    return sessionmaker(engine, expire_on_commit=False)
