"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server.

The environment is set before anything imports Qt or keyring: Qt draws offscreen and keyring uses
its null backend, so no test touches a real screen or the developer's keychain.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
os.environ.pop("TOBEOUT_DATABASE_URL", None)

import pytest  # noqa: E402

from app.db.engine import create_db_engine  # noqa: E402
from app.db.schema import upgrade  # noqa: E402
from app.domain import passwords  # noqa: E402
from app.services.database import Database  # noqa: E402
from tests.support.postgres_server import (  # noqa: E402
    PostgresServer,
    PostgresUnavailable,
    external_from_env,
)

BACKENDS = ("sqlite", "postgresql")
SKIP_POSTGRES = os.environ.get("TOBEOUT_TEST_SKIP_POSTGRES") == "1"
_names = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        params = getattr(item, "callspec", None)
        backend = params.params.get("backend") if params else None
        if backend == "sqlite" and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="PostgreSQL-only behaviour"))
        if backend == "postgresql" and SKIP_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="TOBEOUT_TEST_SKIP_POSTGRES=1"))


# -- process-wide isolation ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt at 12 rounds is deliberately slow; the rules are the same at 4."""
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs resolves data, config and log folders under the test's own folder."""
    home = tmp_path / "home"
    for variable, sub in (
        ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"),
    ):  # fmt: skip
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.delenv("TOBEOUT_DATABASE_URL", raising=False)


# -- PostgreSQL server ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One throwaway cluster for the whole run; a missing server is an error, not a skip."""
    if SKIP_POSTGRES:
        pytest.skip("TOBEOUT_TEST_SKIP_POSTGRES=1")
    external = os.environ.get("TOBEOUT_TEST_PG_URL")
    if external:
        yield external_from_env(external)  # type: ignore[misc]
        return
    try:
        server = PostgresServer.start_new()
    except PostgresUnavailable as exc:
        pytest.fail(f"{exc} (set TOBEOUT_TEST_SKIP_POSTGRES=1 to run on SQLite only)")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> Iterator[str]:
    """A database migrated to head once; each test's database is a file copy of it."""
    name = f"tobeout_template_{os.getpid()}"
    url = pg_server.create_database(name)
    engine = create_db_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    yield name
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()  # the last connection's close checkpoints the WAL into the file
    return path


# -- per-test databases ---------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _pg_database(request: pytest.FixtureRequest, template: str | None) -> Iterator[str]:
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"tobeout_test_{os.getpid()}_{next(_names)}"
    url = server.create_database(name, template=template)
    yield url
    server.drop_database(name)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the current schema head, on the test's backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "tobeout.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
    else:
        yield from _pg_database(request, request.getfixturevalue("pg_template"))


@pytest.fixture
def empty_database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """A database with no tables at all, on the test's backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        yield from _pg_database(request, None)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The application's database handle over a fresh migrated database."""
    database = Database.from_engine(create_db_engine(database_url))
    yield database
    database.close()
