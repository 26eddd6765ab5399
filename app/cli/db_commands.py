"""``db upgrade | current | backup PATH | restore PATH [--yes]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import Engine

from app.cli.output import emit_json, say
from app.db.backups import SqliteRestore, backup_sqlite_database
from app.db.engine import create_db_engine, describe_url, resolve_database_url
from app.db.pg_backups import PostgresRestore, pg_dump
from app.db.schema import SchemaState, current_revision, upgrade
from app.errors import InvalidInput


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = subparsers.add_parser("db", help="database schema and backups")
    actions = db.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    up = actions.add_parser("upgrade", help="upgrade the schema to this version (backs up first)")
    up.set_defaults(handler=_upgrade)
    cur = actions.add_parser("current", help="show the schema version")
    cur.add_argument("--json", action="store_true", help="print one JSON document")
    cur.set_defaults(handler=_current)
    backup = actions.add_parser("backup", help="copy the database to PATH")
    backup.add_argument("path", type=Path, metavar="PATH")
    backup.set_defaults(handler=_backup)
    restore = actions.add_parser(
        "restore",
        help="replace the database with a backup made by `db backup` (saves the current one first)",
    )
    restore.add_argument("path", type=Path, metavar="PATH")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=_restore)


def _engine(args: argparse.Namespace) -> Engine:
    return create_db_engine(resolve_database_url(args.database_url))


def _upgrade(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        before = upgrade(engine)
    finally:
        engine.dispose()
    if before.state is SchemaState.CURRENT:
        say(f"The database is already at schema {before.head}.")
    else:
        say(f"Upgraded the database from {before.current or 'empty'} to {before.head}.")
    return 0


def _current(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        status = current_revision(engine)
    finally:
        engine.dispose()
    if args.json:
        emit_json({"current": status.current, "head": status.head, "state": status.state.value})
    else:
        print(f"{status.current or '(none)'} ({status.state.value}; this program: {status.head})")
    return 0


def _backup(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.database_url)
    target: Path = args.path
    if url.get_backend_name() == "sqlite":
        backup_sqlite_database(url, target)
    else:
        if target.exists():
            raise InvalidInput(f"{target} already exists; choose a new file name.")
        if not target.parent.is_dir():
            raise InvalidInput(f"The folder {target.parent} does not exist.")
        pg_dump(url, target)
    say(f"Backed up {describe_url(url)} to {target}.")
    return 0


def _restore(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.database_url)
    source: Path = args.path
    restore: SqliteRestore | PostgresRestore
    if url.get_backend_name() == "sqlite":
        restore = SqliteRestore(url, source)
    else:
        restore = PostgresRestore(url, source)
    with restore:
        if not args.yes and not _confirmed(restore.summary):
            say("Nothing was changed.")
            return 1
        say(f"{restore.summary}…")
        result = restore.apply()
    if result.safety_backup is not None:
        say(f"The database as it was is saved in {result.safety_backup}.")
    if result.upgraded_from is not None:
        say(f"The backup's schema {result.upgraded_from} was upgraded to {result.revision}.")
    say(f"Restored {result.source} into the {result.target} (schema {result.revision}).")
    return 0


def _confirmed(summary: str) -> bool:
    """Ask on a terminal; a script must say --yes (it cannot answer a question)."""
    if not sys.stdin.isatty():
        raise InvalidInput(
            "db restore replaces the whole database; add --yes to confirm when not running "
            "on a terminal. Nothing was changed."
        )
    print(f"{summary}.\nEverything in it now is replaced (a copy is kept first).", file=sys.stderr)
    print("Type 'yes' to restore: ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        return False
    return answer.strip().lower() in ("yes", "y")
