"""A restaurant, its dining tables and its bookable time slots."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Timestamps
from app.db.enums import TableShape, TableStatus
from app.db.types import JSONType, UTCDateTime, str_enum

if TYPE_CHECKING:
    from app.db.models.conversations import ConversationThread
    from app.db.models.guests import Guest
    from app.db.models.reservations import Reservation
    from app.db.models.users import User


class Restaurant(Timestamps, Base):
    __tablename__ = "restaurants"
    __table_args__ = (
        CheckConstraint("average_service_time > 0", name="average_service_time_positive"),
        CheckConstraint("max_advance_booking >= 0", name="max_advance_booking_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    cuisine: Mapped[str | None] = mapped_column(String(100))
    # {"mon": [["12:00", "16:00"], ["18:00", "23:00"]], ...}; a missing or empty day is closed.
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    # The owner; a restaurant outlives the account that created it.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow", nullable=False)
    average_service_time: Mapped[int] = mapped_column(Integer, default=90, nullable=False)
    max_advance_booking: Mapped[int] = mapped_column(Integer, default=60, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    owner: Mapped[User | None] = relationship(back_populates="restaurants")
    tables: Mapped[list[DiningTable]] = relationship(
        back_populates="restaurant", cascade="all, delete-orphan", passive_deletes=True
    )
    timeslots: Mapped[list[Timeslot]] = relationship(
        back_populates="restaurant", cascade="all, delete-orphan", passive_deletes=True
    )
    guests: Mapped[list[Guest]] = relationship(
        back_populates="restaurant", cascade="all, delete-orphan", passive_deletes=True
    )
    reservations: Mapped[list[Reservation]] = relationship(
        back_populates="restaurant", cascade="all, delete-orphan", passive_deletes=True
    )
    conversations: Mapped[list[ConversationThread]] = relationship(
        back_populates="restaurant", cascade="all, delete-orphan", passive_deletes=True
    )


class DiningTable(Timestamps, Base):
    """A table in the dining room (``tables`` in the seed)."""

    __tablename__ = "tables"
    __table_args__ = (
        UniqueConstraint("restaurant_id", "name"),
        CheckConstraint("min_guests >= 1", name="min_guests_positive"),
        CheckConstraint("max_guests >= min_guests", name="max_guests_not_below_min"),
        CheckConstraint("priority BETWEEN 1 AND 10", name="priority_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(
        ForeignKey("restaurants.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    min_guests: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    max_guests: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[TableStatus] = mapped_column(
        str_enum(TableStatus, "table_status"), default=TableStatus.FREE, nullable=False
    )
    # {"x", "y", "width", "height", "rotation", "area"} in centimetres.
    position: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    features: Mapped[list[str]] = mapped_column(JSONType, default=list, nullable=False)
    priority: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    shape: Mapped[TableShape] = mapped_column(
        str_enum(TableShape, "table_shape"), default=TableShape.SQUARE, nullable=False
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    last_cleaned: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    ai_score: Mapped[float] = mapped_column(Float, default=0.5, nullable=False)
    preferred_for: Mapped[list[str]] = mapped_column(JSONType, default=list, nullable=False)

    restaurant: Mapped[Restaurant] = relationship(back_populates="tables")
    reservations: Mapped[list[Reservation]] = relationship(back_populates="table")


class Timeslot(Timestamps, Base):
    """A configured slot of one date: its pacing cap, staffing and any special event."""

    __tablename__ = "timeslots"
    __table_args__ = (
        UniqueConstraint("restaurant_id", "date", "time"),
        CheckConstraint("max_capacity >= 0", name="max_capacity_non_negative"),
        CheckConstraint("current_bookings >= 0", name="current_bookings_non_negative"),
        CheckConstraint("staff_level IS NULL OR staff_level >= 0", name="staff_level_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(
        ForeignKey("restaurants.id", ondelete="CASCADE"), nullable=False
    )
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    time: Mapped[dt.time] = mapped_column(Time, nullable=False)
    is_available: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    max_capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    current_bookings: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    staff_level: Mapped[int | None] = mapped_column(Integer)
    special_event: Mapped[str | None] = mapped_column(String(200))
    pricing: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)

    restaurant: Mapped[Restaurant] = relationship(back_populates="timeslots")
    reservations: Mapped[list[Reservation]] = relationship(back_populates="timeslot")
