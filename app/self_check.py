"""The Qt-free half of ``main.py --self-check``: does this installation (a source checkout or the
PyInstaller bundle) have everything it needs? ``ui/self_check.py`` adds the window and prints.

Each check returns the text of its "ok" line or raises ``CheckFailed`` (or any exception) with
what went wrong. Nothing here touches the user's own data: the new database lives in a folder
the caller passes (a temporary one), and ``probe_database`` only reads.

Threading: call from one thread (the self-check's main thread).
"""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from app.db.engine import create_db_engine, describe_url, resolve_database_url
from app.db.schema import SchemaState, current_revision, head_revision
from app.paths import migrations_dir, resources_dir
from app.services.accounts import UserSummary
from app.services.auth import authenticate
from app.services.database import Database, connect
from app.services.restaurants import RestaurantSummary, list_restaurants


class CheckFailed(Exception):
    """A check found a problem; the message says what."""


@dataclass
class DemoSetup:
    db: Database
    restaurants: list[RestaurantSummary]
    admin: UserSummary


def check_files() -> str:
    """The migration scripts and the resources are where the program looks for them."""
    versions = sorted(migrations_dir().glob("versions/*.py"))
    if not (migrations_dir() / "env.py").is_file() or not versions:
        raise CheckFailed(f"no Alembic migrations in {migrations_dir()}")
    for folder in ("styles", "icons"):
        if not (resources_dir() / folder).is_dir():
            raise CheckFailed(f"no {folder}/ folder in {resources_dir()}")
    return f"files: {len(versions)} migration scripts in {migrations_dir()}"


def check_libraries() -> str:
    """The compiled and data-only packages a frozen build may leave out, each exercised once."""
    import zoneinfo

    import bcrypt
    import phonenumbers
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    if Fernet(key).decrypt(Fernet(key).encrypt(b"self-check")) != b"self-check":
        raise CheckFailed("Fernet encryption does not round-trip")
    if not bcrypt.checkpw(b"x", bcrypt.hashpw(b"x", bcrypt.gensalt(rounds=4))):
        raise CheckFailed("bcrypt does not verify its own hash")
    number = phonenumbers.parse("+7 999 555-01-01", None)
    if phonenumbers.region_code_for_number(number) != "RU":
        raise CheckFailed("phonenumbers metadata is missing")
    # tzdata: Windows has no system time zone database; the bundled one must be found.
    tzdata = importlib.import_module("tzdata")
    if not resources.files("tzdata").joinpath("zoneinfo", "Europe", "Moscow").is_file():
        raise CheckFailed("the tzdata package has no zone files")
    zoneinfo.ZoneInfo("Europe/Moscow")
    psycopg = importlib.import_module("psycopg")
    impl = psycopg.pq.__impl__
    import keyring

    backend = type(keyring.get_keyring())
    where = f"{backend.__module__.removeprefix('keyring.backends.')}.{backend.__name__}"
    return (
        f"libraries: cryptography, bcrypt, phonenumbers, tzdata {tzdata.__version__}, "
        f"psycopg {psycopg.__version__} ({impl}), keyring backend {where}"
    )


def migrate_new_database(folder: Path) -> tuple[Database, str]:
    """A new SQLite file in ``folder``, upgraded to head by Alembic from the migration files."""
    path = folder / "self-check.sqlite3"
    if path.exists():
        raise CheckFailed(f"{path} already exists")
    db = connect(URL.create("sqlite+pysqlite", database=str(path)))
    try:
        status = current_revision(db.engine)
        if status.state is not SchemaState.CURRENT or status.current != head_revision():
            raise CheckFailed(f"the new database is at {status.current}, not {status.head}")
    except BaseException:
        db.close()
        raise
    return db, f"database migrated to {status.current} (new file {path})"


def create_demo_restaurant(db: Database) -> tuple[DemoSetup, str]:
    """The demo restaurant with its floor plan and bookings; its admin signs in (bcrypt)."""
    from app.demo import DEMO_ACCOUNTS, create_demo

    restaurant_id = create_demo(db)
    restaurants = list_restaurants(db)
    chosen = next((r for r in restaurants if r.id == restaurant_id), None)
    if chosen is None or chosen.table_count == 0:
        raise CheckFailed("the demo restaurant has no tables")
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == "admin")
    admin = authenticate(db, account.email, account.password)
    return DemoSetup(db, restaurants, admin), (
        f"demo restaurant {chosen.name!r} created ({chosen.table_count} tables); "
        f"{admin.email} signed in"
    )


def probe_database(database_url: str) -> str:
    """Connect to the given database and read its schema version, writing nothing.

    SQLite is opened read-only (a missing file is an error, not a new database); PostgreSQL
    sessions are read-only too (``default_transaction_read_only``).
    """
    url = resolve_database_url(database_url)
    where = describe_url(url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not path.is_file():
            raise CheckFailed(f"{where}: there is no such file")

        def read_only() -> sqlite3.Connection:
            return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

        engine = create_engine("sqlite+pysqlite://", creator=read_only)
    else:
        engine = create_db_engine(
            url,
            connect_args={"connect_timeout": 5, "options": "-c default_transaction_read_only=on"},
        )
    try:
        status = current_revision(engine)
    finally:
        engine.dispose()
    if status.state in (SchemaState.AHEAD, SchemaState.FOREIGN):
        raise CheckFailed(
            f"{where} is reachable, but the program would refuse it: schema {status.state.value}"
            f" ({status.current or 'no ToBeOut version'}; this program knows {status.head})"
        )
    note = {
        SchemaState.CURRENT: f"at schema {status.current}",
        SchemaState.BEHIND: f"at schema {status.current}; the app upgrades it to {status.head}",
        SchemaState.EMPTY: f"empty; the app creates the schema {status.head}",
    }[status.state]
    return f"database {where} reachable (read only), {note}"
