"""Reservations and their status history (the audit trail analytics read)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Timestamps
from app.db.enums import (
    BookingComplexity,
    OccasionType,
    ReservationSource,
    ReservationStatus,
    Sentiment,
)
from app.db.types import JSONType, Money, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from app.db.models.conversations import ConversationThread
    from app.db.models.guests import Guest
    from app.db.models.restaurants import DiningTable, Restaurant, Timeslot
    from app.db.models.table_bookings import ReservationTable
    from app.db.models.users import User

STATUS_TYPE = str_enum(ReservationStatus, "reservation_status")


class Reservation(Timestamps, Base):
    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("guests > 0", name="party_size_positive"),
        CheckConstraint("duration > 0", name="duration_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("total_amount IS NULL OR total_amount >= 0", name="total_non_negative"),
        CheckConstraint(
            "deposit_amount IS NULL OR deposit_amount >= 0", name="deposit_non_negative"
        ),
        CheckConstraint(
            "ai_confidence IS NULL OR ai_confidence BETWEEN 0 AND 1", name="ai_confidence_range"
        ),
        CheckConstraint("alternatives_offered >= 0", name="alternatives_non_negative"),
        # The day sheet, the timeline and availability read a restaurant's day.
        Index("ix_reservations_restaurant_date", "restaurant_id", "date"),
        # Overlap checks look up a table's bookings by time.
        Index("ix_reservations_table_starts", "table_id", "starts_at"),
        Index("ix_reservations_guest", "guest_id"),
        Index("ix_reservations_restaurant_starts", "restaurant_id", "starts_at"),
        # Churn risk reads every guest's whole history: the arrived visits in guest order with
        # everything the aggregates need (``status`` too, or SQLite would read the table), so
        # no sort and no table reads. Queries must spell the statuses out literally
        # (``app.analytics.scope.arrived``) for the planners to match the partial index.
        Index(
            "ix_reservations_arrived_guest",
            "restaurant_id",
            "guest_id",
            "date",
            "total_amount",
            "guests",
            "status",
            sqlite_where=text("status IN ('seated', 'dining', 'completed')"),
            postgresql_where=text("status IN ('seated', 'dining', 'completed')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(
        ForeignKey("restaurants.id", ondelete="CASCADE"), nullable=False
    )
    # A guest with bookings is history: deleting them is refused, not cascaded.
    guest_id: Mapped[int] = mapped_column(
        ForeignKey("guests.id", ondelete="RESTRICT"), nullable=False
    )
    # A deleted table leaves its past bookings unassigned rather than erasing them.
    table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id", ondelete="SET NULL"))
    timeslot_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeslots.id", ondelete="SET NULL"), index=True
    )
    # Local date and time in the restaurant's timezone, as the guest said it.
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    time: Mapped[dt.time] = mapped_column(Time, nullable=False)
    # The same moment in UTC, used for every overlap check.
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    guests: Mapped[int] = mapped_column(Integer, nullable=False)
    duration: Mapped[int] = mapped_column(Integer, default=90, nullable=False)
    status: Mapped[ReservationStatus] = mapped_column(
        STATUS_TYPE, default=ReservationStatus.PENDING, nullable=False
    )
    special_requests: Mapped[str | None] = mapped_column(Text)
    occasion_type: Mapped[OccasionType | None] = mapped_column(
        str_enum(OccasionType, "occasion_type")
    )
    source: Mapped[ReservationSource] = mapped_column(
        str_enum(ReservationSource, "reservation_source"),
        default=ReservationSource.PHONE,
        nullable=False,
    )
    confirmation_code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    arrival_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    departure_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    no_show_reason: Mapped[str | None] = mapped_column(Text)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)
    feedback: Mapped[str | None] = mapped_column(Text)
    total_amount: Mapped[Decimal | None] = mapped_column(Money)
    deposit_required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    deposit_amount: Mapped[Decimal | None] = mapped_column(Money)
    deposit_paid: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # {"24h": "2026-11-23T16:30:00+00:00", "2h": null}
    reminder_sent: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="SET NULL"), index=True
    )
    ai_confidence: Mapped[float | None] = mapped_column(Float)
    alternatives_offered: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    booking_complexity: Mapped[BookingComplexity | None] = mapped_column(
        str_enum(BookingComplexity, "booking_complexity")
    )
    guest_sentiment: Mapped[Sentiment | None] = mapped_column(str_enum(Sentiment, "sentiment"))
    # A rescheduled booking points at the one it replaced.
    rescheduled_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservations.id", ondelete="SET NULL"), index=True
    )

    restaurant: Mapped[Restaurant] = relationship(back_populates="reservations")
    guest: Mapped[Guest] = relationship(back_populates="reservations")
    table: Mapped[DiningTable | None] = relationship(back_populates="reservations")
    timeslot: Mapped[Timeslot | None] = relationship(back_populates="reservations")
    conversation: Mapped[ConversationThread | None] = relationship(back_populates="reservations")
    rescheduled_from: Mapped[Reservation | None] = relationship(remote_side=[id])
    # Every table the booking holds (one row, or several for combined tables).
    table_links: Mapped[list[ReservationTable]] = relationship(
        back_populates="reservation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReservationTable.table_id",
    )
    status_history: Mapped[list[ReservationStatusChange]] = relationship(
        back_populates="reservation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReservationStatusChange.changed_at",
    )


class ReservationStatusChange(Base):
    """One status change of a reservation: from, to, when, who and why."""

    __tablename__ = "reservation_status_history"
    __table_args__ = (
        Index("ix_reservation_status_history_reservation", "reservation_id", "changed_at"),
        Index("ix_reservation_status_history_changed_at", "changed_at"),
        # Analytics ask per reservation "was it ever confirmed?" and "did Sofia create it?":
        # answered from the index alone.
        Index(
            "ix_reservation_status_history_reservation_status",
            "reservation_id",
            "to_status",
            "from_status",
            "actor",
        ),
        # Creation rows (the first status) by time: the bookings each actor made in a window.
        # ``from_status`` (always NULL here) is in it so that SQLite reads only the index.
        Index(
            "ix_reservation_status_history_creations",
            "changed_at",
            "actor",
            "reservation_id",
            "from_status",
            sqlite_where=text("from_status IS NULL"),
            postgresql_where=text("from_status IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE"), nullable=False
    )
    # NULL for the reservation's first status.
    from_status: Mapped[ReservationStatus | None] = mapped_column(
        str_enum(ReservationStatus, "from_status")
    )
    to_status: Mapped[ReservationStatus] = mapped_column(
        str_enum(ReservationStatus, "to_status"), nullable=False
    )
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    changed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Who acted when it was not a signed-in user: "sofia", "cli", "sync", "system".
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)

    reservation: Mapped[Reservation] = relationship(back_populates="status_history")
    changed_by: Mapped[User | None] = relationship()
