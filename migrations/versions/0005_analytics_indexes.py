"""analytics indexes: guests' arrived visits, status history lookups, Sofia's replies

Revision ID: 0005
Revises: 0004

Indexes only (no table changes), so no batch mode is needed on SQLite. The partial indexes'
predicates are written out literally: queries must use the same literal lists to match them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARRIVED = "status IN ('seated', 'dining', 'completed')"
CREATION = "from_status IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_reservations_arrived_guest",
        "reservations",
        ["restaurant_id", "guest_id", "date", "total_amount", "guests", "status"],
        unique=False,
        sqlite_where=sa.text(ARRIVED),
        postgresql_where=sa.text(ARRIVED),
    )
    op.create_index(
        "ix_reservation_status_history_reservation_status",
        "reservation_status_history",
        ["reservation_id", "to_status", "from_status", "actor"],
        unique=False,
    )
    op.create_index(
        "ix_reservation_status_history_creations",
        "reservation_status_history",
        ["changed_at", "actor", "reservation_id", "from_status"],
        unique=False,
        sqlite_where=sa.text(CREATION),
        postgresql_where=sa.text(CREATION),
    )
    op.create_index(
        "ix_messages_created",
        "messages",
        ["created_at", "sender_type", "response_time", "conversation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_messages_created", table_name="messages")
    op.drop_index(
        "ix_reservation_status_history_creations", table_name="reservation_status_history"
    )
    op.drop_index(
        "ix_reservation_status_history_reservation_status",
        table_name="reservation_status_history",
    )
    op.drop_index("ix_reservations_arrived_guest", table_name="reservations")
