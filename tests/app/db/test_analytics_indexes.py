"""Migration 0005: the analytics indexes, with their columns and partial predicates, come and go
with upgrade and downgrade on both databases, and agree with what the queries rely on."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.analytics.scope import ARRIVED
from app.db.engine import create_db_engine
from app.db.models import Reservation
from app.db.schema import run_alembic

EXPECTED = {
    "reservations": {
        "ix_reservations_arrived_guest": [
            "restaurant_id", "guest_id", "date", "total_amount", "guests", "status",
        ],
    },
    "reservation_status_history": {
        "ix_reservation_status_history_reservation_status": [
            "reservation_id", "to_status", "from_status", "actor",
        ],
        "ix_reservation_status_history_creations": [
            "changed_at", "actor", "reservation_id", "from_status",
        ],
    },
    "messages": {
        "ix_messages_created": ["created_at", "sender_type", "response_time", "conversation_id"],
    },
}  # fmt: skip
PARTIAL = {
    "ix_reservations_arrived_guest": "status",
    "ix_reservation_status_history_creations": "from_status IS NULL",
}


def _indexes(engine: sa.Engine) -> dict[str, dict[str, sa.engine.interfaces.ReflectedIndex]]:
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        return {
            table: {index["name"]: index for index in inspector.get_indexes(table)}
            for table in EXPECTED
        }


def _predicate(index: sa.engine.interfaces.ReflectedIndex, dialect: str) -> str:
    options = index.get("dialect_options", {})
    return str(options.get(f"{dialect}_where", ""))


def test_upgrade_creates_the_analytics_indexes_and_downgrade_drops_them(
    empty_database_url: str,
) -> None:
    engine = create_db_engine(empty_database_url)
    dialect = engine.dialect.name
    try:
        run_alembic(engine, "upgrade", "head")
        found = _indexes(engine)
        for table, indexes in EXPECTED.items():
            for name, columns in indexes.items():
                assert found[table][name]["column_names"] == columns, name
                assert not found[table][name]["unique"], name
        arrived = _predicate(found["reservations"]["ix_reservations_arrived_guest"], dialect)
        assert set(re.findall(r"'(\w+)'", arrived)) == {s.value for s in ARRIVED}
        creations = found["reservation_status_history"]["ix_reservation_status_history_creations"]
        assert "from_status IS NULL" in _predicate(creations, dialect)
        for table, indexes in EXPECTED.items():
            for name in indexes:
                if name not in PARTIAL:
                    assert not _predicate(found[table][name], dialect), name

        run_alembic(engine, "downgrade", "0004")
        found = _indexes(engine)
        for table, indexes in EXPECTED.items():
            assert not set(indexes) & set(found[table]), table
        # The indexes that were there before 0005 are untouched.
        assert "ix_reservations_restaurant_date" in found["reservations"]
        assert "ix_messages_conversation_created" in found["messages"]

        run_alembic(engine, "upgrade", "head")
        found = _indexes(engine)
        for table, indexes in EXPECTED.items():
            assert set(indexes) <= set(found[table]), table
    finally:
        engine.dispose()


def test_the_partial_index_covers_exactly_the_arrived_statuses() -> None:
    """``scope.arrived()`` writes ``ARRIVED`` into the SQL to match this predicate."""
    (index,) = (
        i for i in Reservation.__table__.indexes if i.name == "ix_reservations_arrived_guest"
    )
    for dialect in ("sqlite", "postgresql"):
        where = str(index.dialect_options[dialect]["where"])
        assert set(re.findall(r"'(\w+)'", where)) == {s.value for s in ARRIVED}
