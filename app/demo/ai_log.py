"""Sofia's activity log: one row per booking she took, per chat, plus the nightly optimiser."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from app.db.enums import AiActivityType, ConversationStage, ConversationStatus
from app.db.models import AiActivity, ConversationThread, Reservation
from app.demo.lifecycle import AI_SOURCES

MODEL = "gpt-4o-2024-08-06"
# USD per token (gpt-4o list prices: $2.50 / 1M input, $10 / 1M output).
INPUT_PRICE = Decimal("0.0000025")
OUTPUT_PRICE = Decimal("0.00001")


def _cost(tokens_in: int, tokens_out: int) -> Decimal:
    return (tokens_in * INPUT_PRICE + tokens_out * OUTPUT_PRICE).quantize(Decimal("0.000001"))


def _activity(
    rng: random.Random, restaurant_id: int, kind: AiActivityType, at: dt.datetime, **values: object
) -> AiActivity:
    tokens_in, tokens_out = rng.randint(1400, 4200), rng.randint(90, 420)
    return AiActivity(
        restaurant_id=restaurant_id,
        type=kind,
        created_at=at,
        model_version=MODEL,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        cost=_cost(tokens_in, tokens_out),
        processing_time=rng.randint(650, 3400),
        response_quality=rng.choices([5, 4, 3], [60, 32, 8])[0],
        **values,
    )


def build_activities(
    rng: random.Random,
    restaurant_id: int,
    reservations: list[Reservation],
    threads: list[ConversationThread],
    now: dt.datetime,
    first_day: dt.datetime,
) -> list[AiActivity]:
    """Needs ids: call after the reservations and threads are flushed."""
    rows: list[AiActivity] = []
    for r in sorted(reservations, key=lambda r: r.id):
        if r.source not in AI_SOURCES or r.created_at < first_day:
            continue
        rows.append(
            _activity(
                rng, restaurant_id, AiActivityType.BOOKING_ATTEMPT, r.created_at,
                description=f"Booked {r.guests} guests for {r.date:%d.%m} {r.time:%H:%M} "
                            f"({r.confirmation_code}) via {r.source.value}",
                meta={"reservation_id": r.id, "confirmation_code": r.confirmation_code,
                      "channel": r.source.value, "party_size": r.guests},
                conversation_id=r.conversation_id, guest_id=r.guest_id, success=True,
                confidence_score=r.ai_confidence, conversation_stage=ConversationStage.CONFIRMING,
                alternatives_generated=r.alternatives_offered, booking_completed=True,
                user_frustration_level=0 if not r.alternatives_offered else 1,
            )
        )  # fmt: skip
    for thread in threads:
        frustrated = (thread.sentiment_score or 0) < -0.5
        kind = AiActivityType.CONVERSATION
        if thread.stage == ConversationStage.ALTERNATIVES:
            kind = AiActivityType.ALTERNATIVE_SUGGESTION
        elif frustrated:
            kind = AiActivityType.FRUSTRATION_DETECTION
        elif thread.agent_handoff:
            kind = AiActivityType.SENTIMENT_ANALYSIS
        rows.append(
            _activity(
                rng, restaurant_id, kind, thread.last_message_at or thread.created_at,
                description=f"{thread.platform.value} chat: intent {thread.intent}, "
                            f"{thread.status.value}",
                meta={"thread_id": thread.id, "messages": thread.message_count},
                conversation_id=thread.id, guest_id=thread.guest_id,
                success=thread.status != ConversationStatus.ABANDONED,
                confidence_score=round(rng.uniform(0.8, 0.97), 2),
                conversation_stage=thread.stage,
                user_frustration_level=4 if frustrated else 0,
                alternatives_generated=2 if kind == AiActivityType.ALTERNATIVE_SUGGESTION else 0,
                human_handoff_required=thread.agent_handoff,
                booking_completed=thread.resolution_type == "booking_created",
            )
        )  # fmt: skip
    day = first_day
    while day <= now:
        moved = rng.randint(0, 6)
        rows.append(
            _activity(
                rng, restaurant_id, AiActivityType.OPTIMIZATION, day,
                description=f"Nightly table plan: {moved} bookings moved to better-fitting tables",
                meta={"moved": moved, "utilisation_gain": round(rng.uniform(0, 0.06), 3)},
                success=True, confidence_score=round(rng.uniform(0.9, 0.99), 2),
            )
        )  # fmt: skip
        day += dt.timedelta(days=1)
    return rows
