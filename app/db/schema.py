"""Bring a database to this program's schema, safely.

Start-up calls ``open_database``: it refuses a database that is unreachable, newer than the
code, or not a ToBeOut database (leaving it untouched), backs up a SQLite file before any
upgrade, then upgrades to head with Alembic.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from app.db.engine import create_db_engine, describe_url
from app.errors import DatabaseProblem
from app.paths import migrations_dir

# Our own version table name: a database another Alembic project manages is then
# recognisably "not ours" instead of "an unknown revision".
VERSION_TABLE = "tobeout_schema_version"


class SchemaState(StrEnum):
    EMPTY = "empty"  # no tables at all: a new database
    CURRENT = "current"  # at this program's head revision
    BEHIND = "behind"  # an older ToBeOut schema: upgrade
    AHEAD = "ahead"  # written by a newer ToBeOut: refuse
    FOREIGN = "foreign"  # tables, but not ToBeOut's: refuse


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    current: str | None
    head: str


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "migrations/ has no revisions"
    return head


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def schema_status(connection: Connection) -> SchemaStatus:
    head = head_revision()
    tables = set(inspect(connection).get_table_names())
    if VERSION_TABLE not in tables:
        state = SchemaState.FOREIGN if tables else SchemaState.EMPTY
        return SchemaStatus(state, None, head)
    current = MigrationContext.configure(
        connection, opts={"version_table": VERSION_TABLE}
    ).get_current_revision()
    if current == head:
        state = SchemaState.CURRENT
    elif current is None:
        state = SchemaState.BEHIND if tables == {VERSION_TABLE} else SchemaState.FOREIGN
    elif current in _known_revisions():
        state = SchemaState.BEHIND
    else:
        state = SchemaState.AHEAD
    return SchemaStatus(state, current, head)


def _connect(engine: Engine) -> Connection:
    try:
        return engine.connect()
    except (OperationalError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise DatabaseProblem(
            f"Cannot open the database ({describe_url(engine.url)}): {reason}"
        ) from None


def check_usable(status: SchemaStatus, url: URL) -> None:
    """Raise a clear error for a database this program must not touch."""
    where = describe_url(url)
    if status.state is SchemaState.FOREIGN:
        raise DatabaseProblem(
            f"The database ({where}) is not a ToBeOut database: it holds other tables and no "
            "ToBeOut schema version. Nothing was changed; choose another database."
        )
    if status.state is SchemaState.AHEAD:
        raise DatabaseProblem(
            f"The database ({where}) was written by a newer version of ToBeOut (schema "
            f"{status.current}; this program knows up to {status.head}). Nothing was changed; "
            "install the newer version."
        )


def backup_sqlite(db_path: Path, target: Path) -> Path:
    """Copy a SQLite database with the online backup API (consistent while others write)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def upgrade_backup_path(db_path: Path, from_revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    return (
        db_path.parent
        / "backups"
        / f"{db_path.stem}-{stamp}-before-upgrade-from-{from_revision}.sqlite3"
    )


def upgrade(engine: Engine) -> SchemaStatus:
    """Upgrade to head (backing up a SQLite file that has data first); return the state found."""
    with _connect(engine) as conn:
        status = schema_status(conn)
    check_usable(status, engine.url)
    if status.state is SchemaState.CURRENT:
        return status
    if engine.url.get_backend_name() == "sqlite" and status.state is SchemaState.BEHIND:
        db_path = Path(engine.url.database or "")
        backup_sqlite(db_path, upgrade_backup_path(db_path, status.current))
    run_alembic(engine, "upgrade", "head")
    return status


def run_alembic(engine: Engine, action: str, revision: str) -> None:
    """Run ``alembic upgrade|downgrade REVISION`` on the engine's database."""
    with _connect(engine) as conn:
        if engine.url.get_backend_name() == "sqlite":
            # Batch migrations copy tables; foreign keys must be off while they do.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        cfg = alembic_config(conn)
        if action == "upgrade":
            command.upgrade(cfg, revision)
        elif action == "downgrade":
            command.downgrade(cfg, revision)
        else:
            raise ValueError(action)
        conn.commit()


def open_database(url: URL) -> Engine:
    """An engine on a database at this program's schema (upgraded if it was older)."""
    engine = create_db_engine(url)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def current_revision(engine: Engine) -> SchemaStatus:
    with _connect(engine) as conn:
        return schema_status(conn)
