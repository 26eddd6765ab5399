"""AI activity tracking: one ``ai_activities`` row per turn, and Sofia's marks on her bookings.

Works inside the caller's unit of work (takes a Session, never commits).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.db.enums import AiActivityType, BookingComplexity, ConversationStage, Sentiment
from app.db.models import AiActivity, Reservation
from app.sofia.engine import Reply
from app.sofia.sentiment import label

ENGINE_NOTES = ("engine", "fallback", "attempted_model", "requests", "tool_rounds")


def record_activity(
    session: Session,
    *,
    restaurant_id: int,
    conversation_id: int,
    guest_id: int | None,
    reply: Reply,
    stage_before: str,
    frustration: int,
    processing_ms: int,
    context_preserved: bool,
    meta: dict[str, Any],
) -> AiActivity:
    """The turn's activity row with every seed field (cost 0 for the offline engine)."""
    kind = AiActivityType(reply.activity_type)
    activity = AiActivity(
        restaurant_id=restaurant_id,
        type=kind,
        description=_describe(reply, kind),
        meta={
            **meta,
            "tool_calls": reply.tool_calls,
            "intent": reply.intent,
            "stage_after": reply.stage,
            # An LLM engine's facts: which engine, requests, and why it fell back offline.
            **{k: reply.notes[k] for k in ENGINE_NOTES if k in reply.notes},
        },  # fmt: skip
        conversation_id=conversation_id,
        guest_id=guest_id,
        success=reply.success,
        confidence_score=max(0.0, min(1.0, reply.confidence)),
        processing_time=processing_ms,
        model_version=reply.model_version,
        input_tokens=max(0, reply.input_tokens),
        output_tokens=max(0, reply.output_tokens),
        cost=Decimal(str(round(max(0.0, reply.cost_usd), 6))),
        conversation_stage=ConversationStage(stage_before),
        user_frustration_level=max(0, min(5, frustration)),
        context_preserved=context_preserved,
        alternatives_generated=reply.alternatives_generated,
        booking_completed=reply.booking_completed,
        human_handoff_required=reply.handoff,
        response_quality=max(1, min(5, reply.response_quality)),
    )
    session.add(activity)
    return activity


def _describe(reply: Reply, kind: AiActivityType) -> str:
    if reply.booking_completed:
        return f"Booked {reply.confirmation_code} in conversation"
    if reply.handoff:
        return "Handed the conversation to a human host"
    if kind is AiActivityType.ALTERNATIVE_SUGGESTION:
        return f"Offered {reply.alternatives_generated} alternative time(s)"
    return f"Answered a '{reply.intent}' message at stage {reply.stage}"


def mark_reservation(
    session: Session,
    reservation_id: int,
    *,
    alternatives_offered: int,
    turns: int,
    sentiment: float | None,
) -> None:
    """What Sofia knows about how a booking she made came about."""
    reservation = session.get(Reservation, reservation_id)
    if reservation is None:
        return
    reservation.alternatives_offered = max(0, alternatives_offered)
    reservation.booking_complexity = complexity(alternatives_offered, turns)
    reservation.guest_sentiment = Sentiment(label(sentiment))


def complexity(alternatives_offered: int, turns: int) -> BookingComplexity:
    if alternatives_offered == 0 and turns <= 4:
        return BookingComplexity.SIMPLE
    if turns <= 8:
        return BookingComplexity.MODERATE
    return BookingComplexity.COMPLEX
