"""Guest profiles, one per phone number per restaurant."""

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
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Timestamps
from app.db.enums import ConversationStyle, GuestSource, VipTier
from app.db.types import JSONType, Money, str_enum

if TYPE_CHECKING:
    from app.db.models.conversations import ConversationThread
    from app.db.models.reservations import Reservation
    from app.db.models.restaurants import Restaurant


class Guest(Timestamps, Base):
    __tablename__ = "guests"
    __table_args__ = (
        # Phones are stored in E.164, so this is uniqueness of the real number.
        UniqueConstraint("restaurant_id", "phone"),
        CheckConstraint("visit_count >= 0", name="visit_count_non_negative"),
        CheckConstraint("total_spent >= 0", name="total_spent_non_negative"),
        CheckConstraint("loyalty_points >= 0", name="loyalty_points_non_negative"),
        CheckConstraint(
            "satisfaction_score IS NULL OR satisfaction_score BETWEEN 0 AND 5",
            name="satisfaction_score_range",
        ),
        CheckConstraint(
            "average_party_size IS NULL OR average_party_size > 0",
            name="average_party_size_positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(
        ForeignKey("restaurants.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    phone: Mapped[str] = mapped_column(String(32), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    # {"seating": [...], "dietary": [...], "drinks": [...], ...}
    preferences: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    allergies: Mapped[list[str]] = mapped_column(JSONType, default=list, nullable=False)
    visit_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total_spent: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), nullable=False)
    last_visit: Mapped[dt.date | None] = mapped_column(Date)
    average_party_size: Mapped[float | None] = mapped_column(Float)
    # ["19:30", "20:00"]: the guest's usual start times, most frequent first.
    preferred_times: Mapped[list[str]] = mapped_column(JSONType, default=list, nullable=False)
    conversation_style: Mapped[ConversationStyle | None] = mapped_column(
        str_enum(ConversationStyle, "conversation_style")
    )
    satisfaction_score: Mapped[float | None] = mapped_column(Float)
    blacklisted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    loyalty_points: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    vip_status: Mapped[VipTier | None] = mapped_column(str_enum(VipTier, "vip_tier"))
    source: Mapped[GuestSource | None] = mapped_column(str_enum(GuestSource, "guest_source"))
    ai_personality_profile: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, nullable=False
    )
    communication_history: Mapped[list[Any]] = mapped_column(JSONType, default=list, nullable=False)

    restaurant: Mapped[Restaurant] = relationship(back_populates="guests")
    reservations: Mapped[list[Reservation]] = relationship(back_populates="guest")
    conversations: Mapped[list[ConversationThread]] = relationship(back_populates="guest")
