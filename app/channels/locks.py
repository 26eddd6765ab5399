"""One poller per integration across every terminal and process.

PostgreSQL: a session-level ``pg_try_advisory_lock`` held on a dedicated autocommit connection
(released by the server when that connection or its process dies). SQLite: an exclusive
``flock`` on a lock file next to the database file (released by the OS when the process dies).
Both are non-blocking: a terminal that does not get the lock stands by and tries again on its
next round, so it takes over when the holder stops.

Threading: a lock object belongs to the worker thread that acquired it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from app import paths
from app.services.database import Database

log = logging.getLogger(__name__)

LOCK_NAMESPACE = 0x70B0  # first key of pg_try_advisory_lock(int, int): "ToBeOut channels"


class PollerLock(Protocol):
    def acquire(self) -> bool: ...  # True when this worker holds (or now took) the lock

    def release(self) -> None: ...


def poller_lock(db: Database, integration_id: int) -> PollerLock:
    if db.is_sqlite:
        return FileLock(_lock_path(db, integration_id))
    return AdvisoryLock(db, integration_id)


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        import fcntl

        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


class AdvisoryLock:
    def __init__(self, db: Database, integration_id: int) -> None:
        self._db = db
        self._key = integration_id
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except SQLAlchemyError:
                log.warning("lost the poller lock's connection; trying again")
                self._drop()
        try:
            conn = self._db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError as exc:
            log.warning("cannot connect for the poller lock: %s", type(exc).__name__)
            return False
        got = conn.execute(
            text("SELECT pg_try_advisory_lock(:ns, :key)"), {"ns": LOCK_NAMESPACE, "key": self._key}
        ).scalar()
        if got:
            self._conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._conn.execute(
                    text("SELECT pg_advisory_unlock(:ns, :key)"),
                    {"ns": LOCK_NAMESPACE, "key": self._key},
                )
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._conn.close()
            self._conn = None


def _lock_path(db: Database, integration_id: int) -> Path:
    database = db.url.database
    if database and database != ":memory:":
        base = Path(database)
        return base.with_name(f"{base.name}.channel-{integration_id}.lock")
    return paths.data_dir() / f"channel-{integration_id}.lock"
