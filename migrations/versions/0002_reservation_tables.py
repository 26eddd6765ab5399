"""reservation_tables: the tables each booking holds, with no overlap enforced by the database

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXCLUSION = "ex_reservation_tables_no_overlap"
MESSAGE = "reservation_tables_overlap"

# SQLite has no exclusion constraints: these triggers refuse an overlapping blocking row. They
# run inside the writer's BEGIN IMMEDIATE transaction, so no other writer can slip in between.
_SQLITE_CHECK = """
SELECT RAISE(ABORT, '{message}')
WHERE NEW.blocking AND EXISTS (
    SELECT 1 FROM reservation_tables AS other
    WHERE other.table_id = NEW.table_id
      AND other.blocking
      AND other.reservation_id <> NEW.reservation_id
      AND other.starts_at < NEW.blocked_until
      AND NEW.starts_at < other.blocked_until
);
"""


def upgrade() -> None:
    op.create_table(
        "reservation_tables",
        sa.Column("reservation_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocking", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "blocked_until > starts_at", name=op.f("ck_reservation_tables_blocked_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservations.id"],
            name=op.f("fk_reservation_tables_reservation_id_reservations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["tables.id"],
            name=op.f("fk_reservation_tables_table_id_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reservation_id", "table_id", name=op.f("pk_reservation_tables")),
    )
    with op.batch_alter_table("reservation_tables", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reservation_tables_table_starts", ["table_id", "starts_at"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"""
            ALTER TABLE reservation_tables ADD CONSTRAINT {EXCLUSION}
            EXCLUDE USING gist (
                table_id WITH =,
                tstzrange(starts_at, blocked_until, '[)') WITH &&
            ) WHERE (blocking)
            """
        )
    else:
        check = _SQLITE_CHECK.format(message=MESSAGE)
        op.execute(
            "CREATE TRIGGER reservation_tables_no_overlap_insert "
            f"BEFORE INSERT ON reservation_tables BEGIN {check} END"
        )
        op.execute(
            "CREATE TRIGGER reservation_tables_no_overlap_update "
            "BEFORE UPDATE OF table_id, starts_at, blocked_until, blocking ON reservation_tables "
            f"BEGIN {check} END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS reservation_tables_no_overlap_insert")
        op.execute("DROP TRIGGER IF EXISTS reservation_tables_no_overlap_update")
    with op.batch_alter_table("reservation_tables", schema=None) as batch_op:
        batch_op.drop_index("ix_reservation_tables_table_starts")
    op.drop_table("reservation_tables")
