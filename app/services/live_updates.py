"""Hears about changes other terminals, Sofia or the command line made to the shared database.

PostgreSQL: triggers (migration 0003) ``NOTIFY tobeout_changes, '<table>:<id>'``; the watcher
LISTENs on its own connection. SQLite: ``PRAGMA data_version`` on a dedicated connection moves
whenever another connection commits; the watcher reports "everything may have changed".

Threading contract: a ChangeWatcher belongs to one thread (the UI runs it on its own QThread);
``wait_for_changes`` blocks for at most ``timeout`` seconds and never raises for a lost
connection: it reports the state through ``connected``/``last_error`` and retries next time.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import defaultdict
from typing import Any

import psycopg
from sqlalchemy.engine import URL

from app.services.changes import Change

log = logging.getLogger(__name__)

CHANNEL = "tobeout_changes"
KINDS = {
    "restaurants": "restaurant",
    "tables": "table",
    "timeslots": "timeslot",
    "guests": "guest",
    "reservations": "reservation",
    "users": "user",
    "integration_settings": "integration",
    "conversation_threads": "conversation",
    "messages": "message",
}
# SQLite cannot say what changed: views refresh everything they show for this kind.
ANY = "any"


class ChangeWatcher:
    def __init__(self, url: URL) -> None:
        self._url = url
        self._sqlite: sqlite3.Connection | None = None
        self._pg: psycopg.Connection[Any] | None = None
        self._data_version: int | None = None
        self.connected = False
        self.last_error: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self._url.get_backend_name() == "sqlite"

    def wait_for_changes(self, timeout: float = 1.0) -> list[Change]:
        """Changes since the last call (an empty list after ``timeout`` seconds of quiet)."""
        try:
            changes = self._sqlite_changes(timeout) if self.is_sqlite else self._pg_changes(timeout)
        except (psycopg.Error, sqlite3.Error, OSError) as exc:
            self._drop(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
            time.sleep(min(timeout, 1.0))
            return []
        if not self.connected:
            log.info("change watcher connected")
        self.connected = True
        self.last_error = None
        return changes

    # -- SQLite -----------------------------------------------------------------------------

    def _sqlite_changes(self, timeout: float) -> list[Change]:
        if self._sqlite is None:
            path = self._url.database
            if not path:
                raise sqlite3.OperationalError("an in-memory database has no other writers")
            self._sqlite = sqlite3.connect(path, timeout=5, check_same_thread=False)
            self._data_version = self._version()
        deadline = time.monotonic() + timeout
        while True:
            version = self._version()
            if version != self._data_version:
                self._data_version = version
                return [Change(ANY, frozenset())]
            if time.monotonic() >= deadline:
                return []
            time.sleep(min(0.25, timeout))

    def _version(self) -> int:
        assert self._sqlite is not None
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    # -- PostgreSQL -------------------------------------------------------------------------

    def _pg_changes(self, timeout: float) -> list[Change]:
        if self._pg is None:
            self._pg = psycopg.connect(_conninfo(self._url), autocommit=True, connect_timeout=5)
            self._pg.execute(f"LISTEN {CHANNEL}")
        ids: dict[str, set[int]] = defaultdict(set)
        for note in self._pg.notifies(timeout=timeout, stop_after=1):
            _add(ids, note.payload)
        # Drain whatever else arrived in the same burst without waiting again.
        for note in self._pg.notifies(timeout=0.05):
            _add(ids, note.payload)
        return [Change(kind, frozenset(found)) for kind, found in ids.items()]

    # -- both -------------------------------------------------------------------------------

    def _drop(self, reason: str) -> None:
        if self.connected:
            log.warning("change watcher lost the database: %s", reason)
        self.connected = False
        self.last_error = reason
        self.close()

    def close(self) -> None:
        for conn in (self._sqlite, self._pg):
            if conn is not None:
                try:
                    conn.close()
                except Exception:  # closing a broken connection may fail again; it is gone
                    log.debug("closing a broken watcher connection failed", exc_info=True)
        self._sqlite = None
        self._pg = None


def _add(ids: dict[str, set[int]], payload: str) -> None:
    table, _, raw_id = payload.partition(":")
    kind = KINDS.get(table)
    if kind is not None and raw_id.isdigit():
        ids[kind].add(int(raw_id))


def _conninfo(url: URL) -> str:
    parts = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    return " ".join(f"{k}={_quote(str(v))}" for k, v in parts.items() if v not in (None, ""))


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
