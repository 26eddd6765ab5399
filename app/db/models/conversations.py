"""Sofia's conversations with guests, across chat channels, and their messages."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, CreatedAt, Timestamps
from app.db.enums import ConversationStage, ConversationStatus, MessageType, Platform, SenderType
from app.db.types import JSONType, UTCDateTime, str_enum

if TYPE_CHECKING:
    from app.db.models.guests import Guest
    from app.db.models.reservations import Reservation
    from app.db.models.restaurants import Restaurant


class ConversationThread(Timestamps, Base):
    __tablename__ = "conversation_threads"
    __table_args__ = (
        CheckConstraint(
            "sentiment_score IS NULL OR sentiment_score BETWEEN -1 AND 1",
            name="sentiment_score_range",
        ),
        CheckConstraint(
            "satisfaction_rating IS NULL OR satisfaction_rating BETWEEN 1 AND 5",
            name="satisfaction_rating_range",
        ),
        CheckConstraint("message_count >= 0", name="message_count_non_negative"),
        # Incoming messages find their thread by channel identity.
        Index("ix_conversation_threads_platform_user", "platform", "platform_user_id"),
        Index("ix_conversation_threads_restaurant_last", "restaurant_id", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(
        ForeignKey("restaurants.id", ondelete="CASCADE"), nullable=False
    )
    guest_id: Mapped[int | None] = mapped_column(
        ForeignKey("guests.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "platform"), nullable=False)
    platform_user_id: Mapped[str] = mapped_column(String(128), nullable=False)
    thread_id: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[ConversationStatus] = mapped_column(
        str_enum(ConversationStatus, "conversation_status"),
        default=ConversationStatus.ACTIVE,
        nullable=False,
    )
    stage: Mapped[ConversationStage] = mapped_column(
        str_enum(ConversationStage, "conversation_stage"),
        default=ConversationStage.GREETING,
        nullable=False,
    )
    intent: Mapped[str | None] = mapped_column(String(32))
    context: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    message_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_message_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    satisfaction_rating: Mapped[int | None] = mapped_column(Integer)
    resolution_type: Mapped[str | None] = mapped_column(String(32))
    agent_handoff: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    restaurant: Mapped[Restaurant] = relationship(back_populates="conversations")
    guest: Mapped[Guest | None] = relationship(back_populates="conversations")
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Message.created_at",
    )
    reservations: Mapped[list[Reservation]] = relationship(back_populates="conversation")


class Message(CreatedAt, Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(
            "ai_confidence IS NULL OR ai_confidence BETWEEN 0 AND 1", name="ai_confidence_range"
        ),
        CheckConstraint(
            "sentiment_score IS NULL OR sentiment_score BETWEEN -1 AND 1",
            name="sentiment_score_range",
        ),
        Index("ix_messages_conversation_created", "conversation_id", "created_at"),
        # Analytics read Sofia's replies of a period (time and conversation) from the index.
        # Time first: a leading ``sender_type`` would tempt SQLite (without statistics) to
        # look up a conversation's agent messages through all agent messages.
        Index(
            "ix_messages_created",
            "created_at",
            "sender_type",
            "response_time",
            "conversation_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="CASCADE"), nullable=False
    )
    sender_type: Mapped[SenderType] = mapped_column(
        str_enum(SenderType, "sender_type"), nullable=False
    )
    sender_id: Mapped[str | None] = mapped_column(String(128))
    message_text: Mapped[str] = mapped_column(Text, nullable=False)
    message_type: Mapped[MessageType] = mapped_column(
        str_enum(MessageType, "message_type"), default=MessageType.TEXT, nullable=False
    )
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSONType, default=dict, nullable=False)
    ai_confidence: Mapped[float | None] = mapped_column(Float)
    processing_time: Mapped[int | None] = mapped_column(Integer)  # milliseconds
    intent_detected: Mapped[str | None] = mapped_column(String(32))
    entities_extracted: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, nullable=False
    )
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(8))
    is_flagged: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    response_time: Mapped[int | None] = mapped_column(Integer)  # milliseconds

    conversation: Mapped[ConversationThread] = relationship(back_populates="messages")
