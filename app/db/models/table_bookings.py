"""Which tables a reservation holds, and for how long: the rows no-double-booking is checked on.

A reservation on combined tables has one row per table. ``blocked_until`` is the booking's end
plus the restaurant's buffer (cleaning, resetting), so two rows on one table may not overlap at
all. Only rows whose reservation is in a holding status are ``blocking``. PostgreSQL enforces
this with a ``btree_gist`` exclusion constraint, SQLite with triggers (migration 0002).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base
from app.db.types import UTCDateTime

if TYPE_CHECKING:
    from app.db.models.reservations import Reservation
    from app.db.models.restaurants import DiningTable

EXCLUSION_CONSTRAINT = "ex_reservation_tables_no_overlap"
OVERLAP_MESSAGE = "reservation_tables_overlap"


class ReservationTable(Base):
    __tablename__ = "reservation_tables"
    __table_args__ = (
        CheckConstraint("blocked_until > starts_at", name="blocked_after_start"),
        Index("ix_reservation_tables_table_starts", "table_id", "starts_at"),
    )

    reservation_id: Mapped[int] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE"), primary_key=True
    )
    # Deleting a table drops its links, like reservations.table_id going NULL; the floor-plan
    # service refuses to delete a table that upcoming bookings still hold.
    table_id: Mapped[int] = mapped_column(
        ForeignKey("tables.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    blocked_until: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    blocking: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    reservation: Mapped[Reservation] = relationship(back_populates="table_links")
    table: Mapped[DiningTable] = relationship()
