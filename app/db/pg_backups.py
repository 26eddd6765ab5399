"""Backups and restores of a PostgreSQL database with the server's own tools.

``db backup`` runs ``pg_dump --format=custom``; ``db restore`` runs ``pg_restore --clean
--if-exists --single-transaction --no-owner`` of such a dump, so the restore either happens as
a whole or not at all. The password travels in ``PGPASSWORD`` (never on a command line, where
``ps`` would show it to every user of the machine).

Before anything is written the dump is checked (``pg_restore --list`` reads it; it must hold
ToBeOut's schema version table, at a revision this program knows), and so is the target (a
ToBeOut database or an empty one). The current contents are dumped into ``backups_dir()``
(``…-before-restore-….dump``) first. A dump from an older schema is restored and then upgraded.

The ``btree_gist`` extension (the no-double-booking constraint) is left out of the restore
list: dropping or commenting on an extension needs its owner, usually the superuser who
created it, and an application role could otherwise never restore. It is created up front if
missing (``CREATE EXTENSION IF NOT EXISTS``; PostgreSQL 13+ lets a database owner do it).

Threading contract: plain blocking functions; run them off the UI thread.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from app.db.backups import RestoreResult, before_restore_path, require_restorable
from app.db.engine import create_db_engine, describe_url
from app.db.schema import (
    VERSION_TABLE,
    SchemaState,
    SchemaStatus,
    _known_revisions,
    head_revision,
    schema_status,
    upgrade,
)
from app.errors import DatabaseProblem, InvalidInput

# Connection settings that libpq reads from the environment, by URL query parameter.
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def find_pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: on PATH, else the newest Debian or Windows installation."""
    found = shutil.which(name)
    if found:
        return found
    patterns = [
        f"/usr/lib/postgresql/*/bin/{name}",
        f"C:/Program Files/PostgreSQL/*/bin/{name}.exe",
        f"/Applications/Postgres.app/Contents/Versions/*/bin/{name}",
    ]
    candidates = [path for pattern in patterns for path in glob.glob(pattern)]

    def major(path: str) -> int:
        digits = re.findall(r"[/\\](\d+)(?:\.\d+)?[/\\]bin", path)
        return int(digits[-1]) if digits else 0

    if candidates:
        return max(candidates, key=major)
    raise DatabaseProblem(
        f"{name} was not found; install the PostgreSQL client tools "
        "(Debian/Ubuntu: postgresql-client; Windows: the PostgreSQL installer's command line "
        "tools) in the same major version as the server or newer."
    )


def _env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where ps shows it
    for key, variable in _LIBPQ_ENV.items():
        value = url.query.get(key)
        if isinstance(value, str):
            env[variable] = value
    return env


def _connection_args(url: URL) -> list[str]:
    return [
        f"--host={url.host or 'localhost'}",
        f"--port={url.port or 5432}",
        f"--username={url.username or 'postgres'}",
    ]


def _run(command: list[str], url: URL) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=_env(url), capture_output=True, text=True, check=False)


def pg_dump(url: URL, target: Path) -> Path:
    """A custom-format dump of the URL's database at ``target``, written under a temporary name
    and renamed when pg_dump succeeded (a failure or a crash leaves no file that looks whole)."""
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    os.close(fd)
    temp = Path(temp_name)
    try:
        command = [
            find_pg_tool("pg_dump"), "--format=custom", f"--file={temp}",
            *_connection_args(url), url.database or "postgres",
        ]  # fmt: skip
        result = _run(command, url)
        if result.returncode != 0:
            raise DatabaseProblem(f"pg_dump failed: {result.stderr.strip()}")
        if target.exists():
            raise InvalidInput(f"{target} already exists; choose a new file name.")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


# -- the dump -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DumpContents:
    listing: list[str]  # pg_restore --list lines
    tables: frozenset[str]
    status: SchemaStatus


def read_dump(source: Path) -> DumpContents:
    """What a dump holds, or ``InvalidInput`` for a file that is not a ToBeOut dump."""
    if not source.is_file():
        raise InvalidInput(f"There is no backup file at {source}.")
    pg_restore = find_pg_tool("pg_restore")
    listed = subprocess.run(
        [pg_restore, "--list", str(source)], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        raise InvalidInput(
            f"{source} is not a PostgreSQL custom-format dump (as `db backup` makes): "
            f"{listed.stderr.strip()}. Nothing was changed."
        )
    listing = listed.stdout.splitlines()
    tables = frozenset(
        match.group(1)
        for line in listing
        if (match := re.search(r"\d+ TABLE public (\w+) ", line + " "))
    )
    head = head_revision()
    if VERSION_TABLE not in tables:
        status = SchemaStatus(SchemaState.FOREIGN if tables else SchemaState.EMPTY, None, head)
        require_restorable(status, source)
    data = subprocess.run(
        [pg_restore, "--file=-", "--data-only", f"--table={VERSION_TABLE}", str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = data.stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"COPY public.{VERSION_TABLE}")]
    revision = None
    if starts and starts[0] + 1 < len(lines) and lines[starts[0] + 1] != "\\.":
        revision = lines[starts[0] + 1].strip()
    if revision == head:
        state = SchemaState.CURRENT
    elif revision is None or revision in _known_revisions():
        state = SchemaState.BEHIND
    else:
        state = SchemaState.AHEAD
    status = SchemaStatus(state, revision, head)
    require_restorable(status, source)
    return DumpContents(listing, tables, status)


# -- restore --------------------------------------------------------------------------------


class PostgresRestore:
    """A checked restore of a ``db backup`` dump into the URL's PostgreSQL database.

    Create it (all checks run; nothing is written; errors raise ``InvalidInput``), show
    ``summary``, then ``apply()``; ``close()`` afterwards (or use ``with``).
    """

    def __init__(self, url: URL, source: Path) -> None:
        self.url = url
        self.source = source
        self.dump = read_dump(source)
        self._pg_restore = find_pg_tool("pg_restore")
        find_pg_tool("pg_dump")  # the safety copy needs it: fail before anything is written
        engine = create_db_engine(url)
        try:
            with engine.connect() as conn:
                self.current = schema_status(conn)
                present = set(inspect(conn).get_table_names())
        except Exception as exc:
            raise DatabaseProblem(f"Cannot open {describe_url(url)}: {exc}") from None
        finally:
            engine.dispose()
        where = describe_url(url)
        if self.current.state is SchemaState.FOREIGN:
            raise InvalidInput(
                f"The database ({where}) is not a ToBeOut database; refusing to overwrite it. "
                "Nothing was changed."
            )
        extra = sorted(present - self.dump.tables)
        if extra:
            raise InvalidInput(
                f"The backup (schema {self.dump.status.current}) lacks tables this database has "
                f"({', '.join(extra)}), which a restore cannot remove safely. Restore it into "
                "a new, empty database and point the terminals at that one. Nothing was changed."
            )
        self._folder = Path(tempfile.mkdtemp(prefix="tobeout-restore-"))

    @property
    def summary(self) -> str:
        older = (
            f" (schema {self.dump.status.current}, upgraded to {self.dump.status.head} after)"
            if self.dump.status.state is SchemaState.BEHIND
            else ""
        )
        return f"Restore {self.source}{older} into the {describe_url(self.url)}"

    def apply(self) -> RestoreResult:
        safety = None
        if self.current.state is not SchemaState.EMPTY:
            safety = pg_dump(self.url, before_restore_path(self.url.database or "db", ".dump"))
        if any(" EXTENSION - btree_gist" in line for line in self.dump.listing):
            self._create_extension("btree_gist")
        use_list = self._folder / "restore.list"
        use_list.write_text(
            "\n".join(line for line in self.dump.listing if " EXTENSION " not in line) + "\n",
            encoding="utf-8",
        )
        command = [
            self._pg_restore, "--clean", "--if-exists", "--single-transaction", "--no-owner",
            f"--use-list={use_list}", *_connection_args(self.url),
            f"--dbname={self.url.database or 'postgres'}", str(self.source),
        ]  # fmt: skip
        result = _run(command, self.url)
        if result.returncode != 0:
            raise DatabaseProblem(f"pg_restore failed and changed nothing: {result.stderr.strip()}")
        upgraded = None
        engine = create_db_engine(self.url)
        try:
            if self.dump.status.state is SchemaState.BEHIND:
                upgraded = self.dump.status.current
                upgrade(engine)
            with engine.connect() as conn:
                status = schema_status(conn)
        finally:
            engine.dispose()
        return RestoreResult(self.source, describe_url(self.url), safety, status.head, upgraded)

    def _create_extension(self, name: str) -> None:
        engine = create_db_engine(self.url)
        try:
            with engine.begin() as conn:
                conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {name}"))
        except Exception as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise DatabaseProblem(
                f"The {name} extension is missing and could not be created ({reason}). Ask the "
                f"server's administrator to run CREATE EXTENSION {name}; in database "
                f"{self.url.database}. Nothing was changed."
            ) from None
        finally:
            engine.dispose()

    def close(self) -> None:
        if hasattr(self, "_folder"):
            shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> PostgresRestore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
