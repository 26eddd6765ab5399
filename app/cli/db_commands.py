"""``db upgrade | current | backup PATH``."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from app.cli.output import emit_json, say
from app.db.engine import create_db_engine, resolve_database_url
from app.db.schema import SchemaState, backup_sqlite, current_revision, upgrade
from app.errors import DatabaseProblem, InvalidInput


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
    if target.exists():
        raise InvalidInput(f"{target} already exists; choose a new file name.")
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    if url.get_backend_name() == "sqlite":
        source = Path(url.database or "")
        if not source.is_file():
            raise InvalidInput(f"There is no database file at {source} to back up.")
        backup_sqlite(source, target)
    else:
        _pg_dump(url, target)
    say(f"Backed up to {target}.")
    return 0


def _pg_dump(url: URL, target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseProblem(
            "pg_dump was not found; install the PostgreSQL client (Debian: postgresql-client)."
        )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where ps shows it
    command = [
        pg_dump, "--format=custom", f"--file={target}",
        f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}",
        f"--username={url.username or 'postgres'}", url.database or "postgres",
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise DatabaseProblem(f"pg_dump failed: {result.stderr.strip()}")
