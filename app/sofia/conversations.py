"""Conversation threads and messages: find-or-open, persist each message, keep the context.

A thread is found by its channel identity (restaurant, platform, platform_user_id, thread_id);
its ``stage`` and ``context`` JSON carry the dialogue across turns and restarts. A guest known by
phone who writes from another channel continues where they left off: a new thread copies the
open dialogue of their latest thread and records where it came from (``continued_from``).

These functions work inside the caller's unit of work (they take a Session) and never commit.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.enums import ConversationStage, ConversationStatus, MessageType, Platform, SenderType
from app.db.models import ConversationThread, Guest, Message
from app.domain import fields
from app.domain.phones import normalize_phone
from app.errors import InvalidInput

# Context keys that follow the guest to another channel (the dialogue, not the channel's own).
SHARED_KEYS = ("slots", "flow", "lang", "alternatives", "last_code", "pending_cancel",
               "modify", "checked", "name_known")  # fmt: skip
# How far back a thread on another channel still counts as the same dialogue.
CROSS_CHANNEL_WINDOW = dt.timedelta(days=7)
RECENT_THREADS_SCANNED = 200
# Context key set while a member of staff has taken the thread over (app/sofia/inbox.py):
# {"user_id", "name", "since"}. Sofia stays silent in such a thread until it is handed back.
AGENT_KEY = "agent"


@dataclass(frozen=True)
class ThreadState:
    """What a turn needs to know about its thread, detached from the session."""

    id: int
    guest_id: int | None
    stage: str
    status: str
    context: dict[str, Any]
    agent_handoff: bool
    message_count: int
    sentiment_score: float | None
    continued_from: int | None


def phone_or_none(raw: str | None, region: str) -> str | None:
    if not raw:
        return None
    try:
        return normalize_phone(raw, region)
    except InvalidInput:
        return None


def find_guest_id(session: Session, restaurant_id: int, phone: str | None) -> int | None:
    if not phone:
        return None
    return session.scalar(
        select(Guest.id).where(Guest.restaurant_id == restaurant_id, Guest.phone == phone)
    )


def open_thread(
    session: Session,
    restaurant_id: int,
    platform: str,
    platform_user_id: str,
    thread_id: str | None,
    *,
    phone: str | None,
    now: dt.datetime,
) -> tuple[ConversationThread, bool]:
    """The thread of this channel identity, opened (and linked by phone) when new."""
    kind = fields.choice(platform, Platform, "platform")
    user = fields.required_text(platform_user_id, "platform user id", max_length=128)
    query = select(ConversationThread).where(
        ConversationThread.restaurant_id == restaurant_id,
        ConversationThread.platform == kind,
        ConversationThread.platform_user_id == user,
    )
    query = query.where(
        ConversationThread.thread_id.is_(None)
        if thread_id is None
        else ConversationThread.thread_id == thread_id
    )
    thread = session.scalars(query.order_by(ConversationThread.id.desc()).limit(1)).first()
    if thread is not None:
        if phone and thread.guest_id is None:
            thread.guest_id = find_guest_id(session, restaurant_id, phone)
        return thread, False
    thread = ConversationThread(
        restaurant_id=restaurant_id, platform=kind, platform_user_id=user, thread_id=thread_id,
        status=ConversationStatus.ACTIVE, stage=ConversationStage.GREETING, context={},
        message_count=0, agent_handoff=False, guest_id=find_guest_id(session, restaurant_id,
                                                                     phone),
    )  # fmt: skip
    if phone:
        _continue_from_other_channel(session, thread, phone, now)
    session.add(thread)
    session.flush()
    return thread, True


def _continue_from_other_channel(
    session: Session, thread: ConversationThread, phone: str, now: dt.datetime
) -> None:
    """Copy the open dialogue of this guest's latest thread elsewhere (same restaurant)."""
    since = now - CROSS_CHANNEL_WINDOW
    recent = session.scalars(
        select(ConversationThread)
        .where(ConversationThread.restaurant_id == thread.restaurant_id)
        .order_by(ConversationThread.last_message_at.desc(), ConversationThread.id.desc())
        .limit(RECENT_THREADS_SCANNED)
    ).all()
    for other in recent:
        same_guest = thread.guest_id is not None and other.guest_id == thread.guest_id
        context = other.context or {}
        same_phone = context.get("channel_phone") == phone or (
            (context.get("slots") or {}).get("phone") == phone
        )
        last = other.last_message_at
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=dt.UTC)
        if not (same_guest or same_phone) or (last is not None and last < since):
            continue
        shared = {k: copy.deepcopy(context[k]) for k in SHARED_KEYS if k in context}
        shared["continued_from"] = other.id
        thread.context = shared
        thread.stage = other.stage
        thread.intent = other.intent
        thread.guest_id = thread.guest_id or other.guest_id
        return


def staff_holder(context: dict[str, Any] | None) -> str | None:
    """The name of the colleague who has taken the thread over, if any."""
    agent = (context or {}).get(AGENT_KEY)
    if isinstance(agent, dict):
        return str(agent.get("name") or "Staff")
    return None


def state_of(thread: ConversationThread) -> ThreadState:
    context = copy.deepcopy(thread.context or {})
    return ThreadState(
        id=thread.id, guest_id=thread.guest_id, stage=thread.stage.value,
        status=thread.status.value, context=context, agent_handoff=thread.agent_handoff,
        message_count=thread.message_count, sentiment_score=thread.sentiment_score,
        continued_from=context.get("continued_from"),
    )  # fmt: skip


def add_message(
    session: Session,
    thread: ConversationThread,
    *,
    sender: SenderType,
    text: str,
    at: dt.datetime,
    sender_id: str | None = None,
    intent: str | None = None,
    entities: dict[str, Any] | None = None,
    sentiment: float | None = None,
    language: str | None = None,
    confidence: float | None = None,
    processing_ms: int | None = None,
    response_ms: int | None = None,
    flagged: bool = False,
    meta: dict[str, Any] | None = None,
) -> Message:
    """Persist one message and keep the thread's count and last-message time current."""
    message = Message(
        conversation_id=thread.id, sender_type=sender, sender_id=sender_id, message_text=text,
        message_type=MessageType.TEXT, meta=meta or {}, ai_confidence=confidence,
        processing_time=processing_ms, intent_detected=intent,
        entities_extracted=entities or {}, sentiment_score=sentiment, language=language,
        is_flagged=flagged, response_time=response_ms, created_at=at,
    )  # fmt: skip
    session.add(message)
    thread.message_count = (thread.message_count or 0) + 1
    thread.last_message_at = at
    return message


def save_turn_state(
    thread: ConversationThread,
    *,
    stage: str,
    intent: str | None,
    context: dict[str, Any],
    sentiment: float | None,
    handoff: bool,
    resolution: str | None,
    guest_id: int | None,
) -> None:
    """The thread after a turn: stage, intent, context, running sentiment, status."""
    thread.stage = ConversationStage(stage)
    if intent and intent != "other":
        thread.intent = intent
    thread.context = copy.deepcopy(context)
    if sentiment is not None:
        previous = thread.sentiment_score
        blended = sentiment if previous is None else 0.7 * previous + 0.3 * sentiment
        thread.sentiment_score = round(max(-1.0, min(1.0, blended)), 3)
    if guest_id is not None:
        thread.guest_id = guest_id
    if handoff:
        thread.agent_handoff = True
        thread.status = ConversationStatus.PAUSED
        thread.resolution_type = "handoff"
    elif resolution:
        thread.status = ConversationStatus.COMPLETED
        thread.resolution_type = resolution
    elif thread.status in (ConversationStatus.COMPLETED, ConversationStatus.ABANDONED):
        thread.status = ConversationStatus.ACTIVE
