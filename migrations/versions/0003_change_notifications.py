"""change notifications: PostgreSQL triggers NOTIFY every terminal when shared data changes

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "tobeout_changes"
# Tables whose changes other terminals must see; the payload is "<table>:<id>".
TABLES = (
    "restaurants",
    "tables",
    "timeslots",
    "guests",
    "reservations",
    "users",
    "integration_settings",
    "conversation_threads",
    "messages",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite terminals watch PRAGMA data_version instead
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION tobeout_notify_change() RETURNS trigger AS $$
        DECLARE
            row_id text;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                row_id := OLD.id::text;
            ELSE
                row_id := NEW.id::text;
            END IF;
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME || ':' || row_id);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tobeout_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_change ON {table}")
    op.execute("DROP FUNCTION IF EXISTS tobeout_notify_change()")
