"""Checking a database before this computer uses it (the set-up wizard's "Test connection").

``check_server(url)`` connects to a PostgreSQL server with a short timeout and answers with a
``ServerCheck``: either ready (an empty database, or ToBeOut's own, with the restaurants already
in it), or exactly one ``Problem`` with a message a restaurant manager can act on:

- ``UNREACHABLE``: the host name is unknown, nothing listens on the port, the server does not
  answer in time, or what answers is not PostgreSQL;
- ``AUTHENTICATION``: a wrong password, no password given, an unknown user, or the server's
  pg_hba.conf refuses this computer;
- ``NO_DATABASE``: the server has no database of that name;
- ``TOO_OLD``: older than PostgreSQL 13 (``MIN_SERVER_VERSION``). The double-booking guard is
  an exclusion constraint from the ``btree_gist`` extension (migration 0002); from 13 on it is a
  *trusted* extension, which the database's owner installs without a superuser, and 13 is the
  oldest release still close to its community support;
- ``MISSING_EXTENSION``: the server lacks ``btree_gist`` (PostgreSQL's contrib package);
- ``NO_PERMISSION``: the user may not create the tables (or the extension) in a database that
  still needs them;
- ``FOREIGN`` / ``NEWER_SCHEMA``: the database belongs to another program, or was written by a
  newer ToBeOut (the messages of ``app.db.schema.check_usable``);
- ``OTHER``: anything else, with the server's first line.

``check_local_file(path)`` answers the same for a SQLite file without creating it, and
``check_database(url)`` picks the right one. Nothing is ever written. Passwords never appear in
a message.

Threading: blocking network and file calls on the calling thread (a connection attempt gives up
after ``CONNECT_TIMEOUT`` seconds per address); GUI callers run it in a worker.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, create_engine, inspect, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.db.engine import create_db_engine
from app.db.models import Restaurant
from app.db.schema import SchemaState, check_usable, schema_status
from app.errors import DatabaseProblem

MIN_SERVER_VERSION = 130000  # PostgreSQL 13, as server_version_num
CONNECT_TIMEOUT = 5  # seconds, per address the host name resolves to
EXTENSION = "btree_gist"


class Problem(StrEnum):
    UNREACHABLE = "unreachable"
    AUTHENTICATION = "authentication"
    NO_DATABASE = "no_database"
    TOO_OLD = "too_old"
    MISSING_EXTENSION = "missing_extension"
    NO_PERMISSION = "no_permission"
    FOREIGN = "foreign"
    NEWER_SCHEMA = "newer_schema"
    OTHER = "other"


@dataclass(frozen=True)
class ServerCheck:
    """What a check found. ``problem`` is None when the database can be used."""

    problem: Problem | None
    message: str
    server_version: str | None = None  # "15.18"
    schema: SchemaState | None = None  # EMPTY, BEHIND or CURRENT when usable
    restaurants: tuple[str, ...] = ()  # names of the restaurants already in the database

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_database(url: str | URL) -> ServerCheck:
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        return check_local_file(Path(url.database or ""))
    return check_server(url)


def check_server(url: str | URL) -> ServerCheck:
    """Connect to the PostgreSQL server at ``url`` and say whether ToBeOut can use it."""
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_db_engine(
        url, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT}
    )
    try:
        try:
            conn = engine.connect()
        except DBAPIError as exc:
            return _connection_failed(url, _first_lines(exc))
        with conn:
            return _inspect_server(conn, url)
    except SQLAlchemyError as exc:
        return ServerCheck(Problem.OTHER, f"{_where(url)} answered with an error: "
                           f"{_first_lines(exc).splitlines()[0]}")  # fmt: skip
    finally:
        engine.dispose()


def check_local_file(path: Path) -> ServerCheck:
    """Whether the SQLite file at ``path`` can be used; a missing file is ready (created later)."""
    where = f"The local file {path}"
    if not path.exists():
        return ServerCheck(None, f"{where} will be created.", schema=SchemaState.EMPTY)
    if not path.is_file():
        return ServerCheck(Problem.OTHER, f"{where} is a folder, not a database file.")
    # Read only: a check never converts, locks or changes the file.
    engine = create_engine(
        "sqlite+pysqlite://",
        poolclass=NullPool,
        creator=lambda: sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True),
    )
    try:
        with engine.connect() as conn:
            return _inspect_schema(conn, make_url(f"sqlite:///{path}"), where, version=None)
    except SQLAlchemyError as exc:
        reason = _first_lines(exc).splitlines()[0]
        return ServerCheck(Problem.FOREIGN if "not a database" in reason else Problem.OTHER,
                           f"{where} cannot be used as a database: {reason}.")  # fmt: skip
    finally:
        engine.dispose()


# -- PostgreSQL ------------------------------------------------------------------------------


def _server_version_num(conn: Connection) -> int:
    """The server's ``server_version_num`` (150018 for 15.18)."""
    return int(conn.connection.driver_connection.info.server_version)  # type: ignore[union-attr]


def version_text(number: int) -> str:
    if number >= 100000:
        return f"{number // 10000}.{number % 10000}"
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def _inspect_server(conn: Connection, url: URL) -> ServerCheck:
    number = _server_version_num(conn)
    version = version_text(number)
    if number < MIN_SERVER_VERSION:
        return ServerCheck(
            Problem.TOO_OLD,
            f"{_where(url)} runs PostgreSQL {version}; ToBeOut needs PostgreSQL "
            f"{version_text(MIN_SERVER_VERSION).split('.')[0]} or newer (its double-booking guard "
            f"uses the {EXTENSION} extension, which a database owner can install from version 13 "
            "on). Upgrade the server or choose another one.",
            server_version=version,
        )
    found = _inspect_schema(conn, url, _where(url), version=version)
    if found.ok and found.schema is not SchemaState.CURRENT:
        problem = _cannot_build(conn, url, version)
        if problem is not None:
            return problem
    return found


def _cannot_build(conn: Connection, url: URL, version: str) -> ServerCheck | None:
    """Why the migrations could not run here (no extension, no rights), or None."""
    installed = conn.exec_driver_sql(
        "SELECT 1 FROM pg_extension WHERE extname = %(name)s", {"name": EXTENSION}
    ).first()
    if installed is None:
        available = conn.exec_driver_sql(
            "SELECT 1 FROM pg_available_extensions WHERE name = %(name)s", {"name": EXTENSION}
        ).first()
        if available is None:
            return ServerCheck(
                Problem.MISSING_EXTENSION,
                f"{_where(url)} lacks the {EXTENSION} extension that ToBeOut's double-booking "
                "guard needs: install PostgreSQL's contrib package on the server (on Debian "
                "and Ubuntu it comes with the postgresql package; elsewhere postgresql-contrib).",
                server_version=version,
            )
    rights = conn.exec_driver_sql(
        "SELECT has_schema_privilege(current_schema(), 'CREATE'), "
        "has_database_privilege(current_database(), 'CREATE')"
    ).one()
    if not rights[0] or (installed is None and not rights[1]):
        return ServerCheck(
            Problem.NO_PERMISSION,
            f"The user “{url.username}” may not create ToBeOut's tables in the database "
            f"“{url.database}”. Make it the database's owner (ALTER DATABASE {url.database} "
            f"OWNER TO {url.username}) or choose another user.",
            server_version=version,
        )
    return None


def _connection_failed(url: URL, reason: str) -> ServerCheck:
    host, port = url.host or "localhost", url.port or 5432
    user, database = url.username or "(this computer's user)", url.database
    where = f"{host}:{port}"
    rules: tuple[tuple[Problem, str, str], ...] = (
        (Problem.UNREACHABLE, r"failed to resolve host|could not translate host name|"
                              r"name or service not known|nodename nor servname",
         f"The server name “{host}” was not found: check the host name (or use the server's "
         "IP address)."),
        (Problem.UNREACHABLE, r"connection refused",
         f"Nothing answers at {where}: the server is not running there, the port is wrong, or a "
         "firewall blocks it."),
        (Problem.UNREACHABLE, r"timeout expired|timed out|no route to host|network is unreachable",
         f"The server at {where} did not answer within {CONNECT_TIMEOUT} seconds: check the host "
         "name and that this computer can reach it (network, firewall)."),
        (Problem.UNREACHABLE, r"invalid response to ssl negotiation|received invalid response|"
                              r"server closed the connection unexpectedly",
         f"Something answered at {where}, but it is not a PostgreSQL server: check the port "
         "(PostgreSQL usually listens on 5432)."),
        (Problem.AUTHENTICATION, r"password authentication failed",
         f"The server refused the password for the user “{user}”: the password (or the user "
         "name) is wrong."),
        (Problem.AUTHENTICATION, r"no password supplied",
         f"The server asks for a password for the user “{user}”: enter it."),
        (Problem.AUTHENTICATION, r'role ".*" does not exist',
         f"The server has no user “{user}”: check the user name."),
        (Problem.AUTHENTICATION, r"pg_hba\.conf",
         f"The server does not accept the user “{user}” from this computer for the database "
         f"“{database}” (its pg_hba.conf): ask the server's administrator to allow it."),
        (Problem.NO_DATABASE, r'database ".*" does not exist',
         f"The server has no database “{database}”: create it first (for example "
         f"createdb -O {url.username or 'USER'} {database}) or check the name."),
    )  # fmt: skip
    for problem, pattern, message in rules:
        if re.search(pattern, reason, re.IGNORECASE):
            return ServerCheck(problem, message)
    first = reason.strip().splitlines()[0] if reason.strip() else "no reason given"
    return ServerCheck(Problem.OTHER, f"Cannot connect to {where}: {_drop_prefix(first)}")


# -- both -----------------------------------------------------------------------------------


def _inspect_schema(conn: Connection, url: URL, where: str, *, version: str | None) -> ServerCheck:
    status = schema_status(conn)
    try:
        check_usable(status, url)
    except DatabaseProblem as exc:
        problem = Problem.FOREIGN if status.state is SchemaState.FOREIGN else Problem.NEWER_SCHEMA
        return ServerCheck(problem, exc.message, server_version=version, schema=status.state)
    server = f"{where} (PostgreSQL {version})" if version else where
    if status.state is SchemaState.EMPTY:
        return ServerCheck(None, f"{server}: an empty database, ready for ToBeOut.",
                           server_version=version, schema=status.state)  # fmt: skip
    names: tuple[str, ...] = ()
    if "restaurants" in _tables(conn):
        names = tuple(conn.scalars(select(Restaurant.name).order_by(Restaurant.id)))
    held = (f"{len(names)} restaurant{'s' if len(names) != 1 else ''}: {', '.join(names)}"
            if names else "no restaurant yet")  # fmt: skip
    upgrade = ""
    if status.state is SchemaState.BEHIND:
        upgrade = " (from an older ToBeOut: it is upgraded first)"
    return ServerCheck(None, f"{server}: a ToBeOut database{upgrade} with {held}.",
                       server_version=version, schema=status.state, restaurants=names)  # fmt: skip


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _where(url: URL) -> str:
    return f"The server {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _first_lines(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip()


_PREFIX = re.compile(r'^connection failed: connection to server at "[^"]*", port \d+ failed: ')


def _drop_prefix(line: str) -> str:
    return _PREFIX.sub("", line).removeprefix("FATAL:").strip()
