"""The test harness itself: each test gets its own database at head, on both backends."""

from __future__ import annotations

import os

import sqlalchemy as sa

from app.db.engine import create_db_engine
from app.db.schema import SchemaState, current_revision
from app.services.accounts import add_user
from app.services.database import Database


def test_database_url_is_fresh_and_at_head(database_url: str, backend: str) -> None:
    assert database_url.startswith("sqlite" if backend == "sqlite" else "postgresql+psycopg://")
    engine = create_db_engine(database_url)
    try:
        assert current_revision(engine).state is SchemaState.CURRENT
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM restaurants")).scalar_one() == 0
    finally:
        engine.dispose()


def test_each_test_gets_its_own_database(db: Database) -> None:
    add_user(db, email="a@b.c", name="A", role="admin", password="long enough")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar_one() == 1


def test_the_row_above_did_not_leak(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar_one() == 0


def test_user_folders_are_private_to_the_test(tmp_path: object) -> None:
    assert str(tmp_path) in os.environ["XDG_DATA_HOME"]
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert "TOBEOUT_DATABASE_URL" not in os.environ
