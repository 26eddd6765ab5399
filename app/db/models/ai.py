"""Sofia's activity log: one row per AI action, with its cost and outcome."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, CreatedAt
from app.db.enums import AiActivityType, ConversationStage
from app.db.types import JSONType, str_enum


class AiActivity(CreatedAt, Base):
    __tablename__ = "ai_activities"
    __table_args__ = (
        CheckConstraint(
            "confidence_score IS NULL OR confidence_score BETWEEN 0 AND 1",
            name="confidence_score_range",
        ),
        CheckConstraint(
            "user_frustration_level IS NULL OR user_frustration_level BETWEEN 0 AND 5",
            name="frustration_range",
        ),
        CheckConstraint(
            "response_quality IS NULL OR response_quality BETWEEN 1 AND 5",
            name="response_quality_range",
        ),
        CheckConstraint("input_tokens >= 0 AND output_tokens >= 0", name="tokens_non_negative"),
        CheckConstraint("cost >= 0", name="cost_non_negative"),
        Index("ix_ai_activities_restaurant_created", "restaurant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(
        ForeignKey("restaurants.id", ondelete="CASCADE"), nullable=False
    )
    type: Mapped[AiActivityType] = mapped_column(
        str_enum(AiActivityType, "ai_activity_type"), nullable=False
    )
    description: Mapped[str | None] = mapped_column(Text)
    # ``metadata`` is reserved on declarative classes, hence the attribute name.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSONType, default=dict, nullable=False)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="SET NULL"), index=True
    )
    guest_id: Mapped[int | None] = mapped_column(
        ForeignKey("guests.id", ondelete="SET NULL"), index=True
    )
    success: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    confidence_score: Mapped[float | None] = mapped_column(Float)
    processing_time: Mapped[int | None] = mapped_column(Integer)  # milliseconds
    model_version: Mapped[str | None] = mapped_column(String(100))
    input_tokens: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    cost: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=Decimal("0"), nullable=False)
    conversation_stage: Mapped[ConversationStage | None] = mapped_column(
        str_enum(ConversationStage, "conversation_stage")
    )
    user_frustration_level: Mapped[int | None] = mapped_column(Integer)
    context_preserved: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    alternatives_generated: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    booking_completed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    human_handoff_required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    response_quality: Mapped[int | None] = mapped_column(Integer)
