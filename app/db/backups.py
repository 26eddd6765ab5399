"""Backups and restores of the local SQLite database, and the automatic daily backups.

Every copy is taken with SQLite's online backup API, so it is consistent even while the host
stand (or another process) keeps writing, and is written under a temporary name and renamed:
a crash never leaves a half-written file that looks like a backup.

Restore (``SqliteRestore``) never writes the live database until the backup is proven good:
the file is copied to a private staging folder, checked (a SQLite file, ``integrity_check``
ok, a ToBeOut schema this program knows) and, when older, upgraded there. Only then is the
current database copied aside (``…-before-restore-….sqlite3`` in ``backups_dir()``) and the
staged copy written INTO the live file with the backup API. We do not swap files: terminals
that have the database open keep file handles (and WAL/shared-memory files) on the old inode,
and a rename under them would corrupt what they write next. The backup API instead writes every
page in one write transaction of the live database (``pages=-1`` is a single step): readers
keep their snapshot until it commits, then see the whole restored database; a crash or an error
rolls it back through the database's own journal; nothing in between is ever visible.

PostgreSQL (``pg_dump``/``pg_restore``) lives in ``app.db.pg_backups``; the daily backups are
for the local file only, since a PostgreSQL server has its own backup regime.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from app.db.engine import SQLITE_BUSY_TIMEOUT_MS, create_db_engine
from app.db.schema import SchemaState, SchemaStatus, run_alembic, schema_status
from app.errors import DatabaseProblem, InvalidInput
from app.paths import backups_dir

SQLITE_HEADER = b"SQLite format 3\x00"
DAILY_KEEP_DAYS = 14
DAILY_NAME = re.compile(r"^tobeout-(\d{4}-\d{2}-\d{2})\.sqlite3$")
# Temporary files of an interrupted daily backup: ``.tobeout-YYYY-MM-DD.sqlite3.<random>.partial``.
PARTIAL_NAME = re.compile(r"^\.tobeout-\d{4}-\d{2}-\d{2}\.sqlite3\.\w+\.partial$")


def daily_dir() -> Path:
    return backups_dir() / "daily"


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")


def sqlite_path(url: URL | str) -> Path:
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise InvalidInput("This needs a SQLite database file.")
    return Path(url.database)


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


# -- copies ---------------------------------------------------------------------------------


def copy_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of ``source`` at ``target`` (which must not exist yet).

    Uses the online backup API (safe while others write), leaves the copy as one
    self-contained file (rollback journal, not WAL, so it needs no side files), checks it, and
    renames it into place only when complete. Raises ``DatabaseProblem`` when the source
    cannot be read; ``target`` then does not exist.
    """
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    os.close(fd)
    temp = Path(temp_name)
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=15)
        try:
            dest = sqlite3.connect(temp)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
                _require_intact(dest, source)
            finally:
                dest.close()
        finally:
            src.close()
        if target.exists():
            raise InvalidInput(f"{target} already exists; choose a new file name.")
        os.replace(temp, target)
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"Could not copy the database {source}: {exc}") from None
    finally:
        temp.unlink(missing_ok=True)
    return target


def _require_intact(conn: sqlite3.Connection, what: Path) -> None:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        raise DatabaseProblem(f"The copy of {what} failed its integrity check: {rows[0]}")


def backup_sqlite_database(url: URL | str, target: Path) -> Path:
    """``db backup PATH`` for the local file: refuse an existing target or a missing folder."""
    source = sqlite_path(url)
    if target.exists():
        raise InvalidInput(f"{target} already exists; choose a new file name.")
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    if not source.is_file():
        raise InvalidInput(f"There is no database file at {source} to back up.")
    return copy_sqlite(source, target)


# -- daily backups ----------------------------------------------------------------------------


def daily_backup(
    url: URL | str,
    *,
    now: dt.datetime,
    folder: Path | None = None,
    keep_days: int = DAILY_KEEP_DAYS,
) -> Path | None:
    """Today's automatic backup of the local SQLite file; the path written, or None.

    Does nothing for PostgreSQL (the server's own backups cover it), for a database file that
    does not exist yet, and when today's backup (the local date of ``now``) is already there.
    Then deletes daily backups older than ``keep_days`` days, always keeping the newest
    ``keep_days`` of them (a restaurant closed for a month still has its last two weeks), and
    only ever files named ``tobeout-YYYY-MM-DD.sqlite3``: nothing else in the folder is touched.
    Any failure raises; the next call simply tries again.
    """
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    source = Path(str(url.database))
    if not source.is_file():
        return None
    folder = daily_dir() if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    today = (now.astimezone() if now.tzinfo else now).date()
    target = folder / f"tobeout-{today.isoformat()}.sqlite3"
    written: Path | None = None
    if not target.exists():
        _remove_stale_partials(folder)
        written = copy_sqlite(source, target)
    prune_daily(folder, today=today, keep_days=keep_days)
    return written


def daily_backups(folder: Path) -> list[tuple[dt.date, Path]]:
    """The daily backups in ``folder``, newest first."""
    found = []
    for path in folder.iterdir():
        match = DAILY_NAME.match(path.name)
        if match and path.is_file():
            try:
                found.append((dt.date.fromisoformat(match.group(1)), path))
            except ValueError:  # tobeout-2025-13-45.sqlite3: not ours to judge, left alone
                continue
    return sorted(found, reverse=True)


def prune_daily(folder: Path, *, today: dt.date, keep_days: int = DAILY_KEEP_DAYS) -> list[Path]:
    """Delete daily backups older than ``keep_days`` beyond the newest ``keep_days``."""
    cutoff = today - dt.timedelta(days=keep_days)
    removed = []
    for day, path in daily_backups(folder)[keep_days:]:
        if day <= cutoff:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _remove_stale_partials(folder: Path, older_than: float = 24 * 3600) -> None:
    """Leftovers of a backup interrupted by a crash (never one still being written)."""
    limit = time.time() - older_than
    for path in folder.iterdir():
        if PARTIAL_NAME.match(path.name):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < limit:
                    path.unlink()


# -- restore --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    target: str
    safety_backup: Path | None  # the database as it was, copied aside first
    revision: str
    upgraded_from: str | None  # the backup's older schema, upgraded during the restore


def before_restore_path(stem: str, suffix: str) -> Path:
    return backups_dir() / f"{stem}-before-restore-{_stamp()}{suffix}"


def _status_of(path: Path) -> SchemaStatus:
    engine = create_engine(
        "sqlite://", poolclass=NullPool, creator=lambda: sqlite3.connect(path, timeout=15)
    )
    try:
        with engine.connect() as conn:
            return schema_status(conn)
    finally:
        engine.dispose()


def require_restorable(status: SchemaStatus, source: Path) -> None:
    """Refuse a backup that is not ToBeOut's or that a newer ToBeOut wrote."""
    if status.state in (SchemaState.EMPTY, SchemaState.FOREIGN):
        raise InvalidInput(
            f"{source} is not a ToBeOut backup: it has no ToBeOut schema version. "
            "Nothing was changed."
        )
    if status.state is SchemaState.AHEAD:
        raise InvalidInput(
            f"{source} was written by a newer version of ToBeOut (schema {status.current}; "
            f"this program knows up to {status.head}). Install the newer version to restore "
            "it. Nothing was changed."
        )


class SqliteRestore:
    """A checked, staged restore of a backup file into the local database.

    Create it (all checks run, nothing of the live database is written; errors raise
    ``InvalidInput``), show ``summary``, then ``apply()``; always ``close()`` (or use ``with``).
    """

    def __init__(self, url: URL | str, source: Path) -> None:
        self.target = sqlite_path(url)
        self.source = source
        if not self.target.parent.is_dir():
            raise InvalidInput(f"The database folder {self.target.parent} does not exist.")
        if not source.is_file():
            raise InvalidInput(f"There is no backup file at {source}.")
        if self.target.exists() and os.path.samefile(source, self.target):
            raise InvalidInput(f"{source} is the current database itself, not a backup of it.")
        if not is_sqlite_file(source):
            raise InvalidInput(f"{source} is not a SQLite database file. Nothing was changed.")
        self._check_current()
        self._folder = Path(tempfile.mkdtemp(prefix="tobeout-restore-"))
        try:
            self.staged = self._stage()
        except BaseException:
            self.close()
            raise

    def _check_current(self) -> None:
        self.current: SchemaStatus | None = None
        if not self.target.exists() or self.target.stat().st_size == 0:
            return
        try:
            self.current = _status_of(self.target)
        except Exception as exc:
            raise InvalidInput(
                f"The current database {self.target} cannot be read ({exc}); move it aside "
                "and run the restore again. Nothing was changed."
            ) from None
        if self.current.state is SchemaState.FOREIGN:
            raise InvalidInput(
                f"{self.target} is not a ToBeOut database; refusing to overwrite it. "
                "Nothing was changed."
            )

    def _stage(self) -> Path:
        staged = self._folder / "restore.sqlite3"
        # A plain file copy: opening the user's backup with SQLite could leave side files
        # next to it. A -wal beside a copied live file holds its last commits: take it too.
        shutil.copyfile(self.source, staged)
        wal = self.source.with_name(self.source.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, staged.with_name(staged.name + "-wal"))
        try:
            with contextlib.closing(sqlite3.connect(staged, timeout=15)) as conn:
                rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise InvalidInput(f"{self.source} cannot be read as a database: {exc}") from None
        if rows != ["ok"]:
            raise InvalidInput(
                f"{self.source} is damaged (integrity check: {rows[0]}). Nothing was changed."
            )
        try:
            status = _status_of(staged)
        except Exception as exc:
            raise InvalidInput(f"{self.source} cannot be read as a database: {exc}") from None
        require_restorable(status, self.source)
        self.found = status
        if status.state is SchemaState.BEHIND:
            engine = create_db_engine(f"sqlite:///{staged}")
            try:
                run_alembic(engine, "upgrade", "head")
            finally:
                engine.dispose()
        return staged

    @property
    def summary(self) -> str:
        older = (
            f" (schema {self.found.current}, upgraded to {self.found.head} as it is restored)"
            if self.found.state is SchemaState.BEHIND
            else ""
        )
        return f"Restore {self.source}{older} into the local file {self.target}"

    def apply(self) -> RestoreResult:
        safety = None
        if self.current is not None and self.current.state is not SchemaState.EMPTY:
            safety = backup_sqlite_database(
                f"sqlite:///{self.target}", before_restore_path(self.target.stem, ".sqlite3")
            )
        try:
            with (
                contextlib.closing(sqlite3.connect(self.staged, timeout=15)) as src,
                contextlib.closing(sqlite3.connect(self.target, timeout=15)) as dest,
            ):
                dest.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
                src.backup(dest)  # every page in one step: one write transaction
                _require_intact(dest, self.target)
        except sqlite3.Error as exc:
            raise DatabaseProblem(
                f"The restore into {self.target} failed and was rolled back: {exc}"
            ) from None
        status = _status_of(self.target)
        if status.state is not SchemaState.CURRENT:  # pragma: no cover - checked when staged
            raise DatabaseProblem(f"The restored database is at an unexpected schema: {status}")
        upgraded = self.found.current if self.found.state is SchemaState.BEHIND else None
        return RestoreResult(
            self.source, f"local file {self.target}", safety, status.head, upgraded
        )

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> SqliteRestore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
