"""``handle_message``: the single entry the CLI, the desktop panel and the channel worker call.

One guest message is one turn: the thread is found (or opened, continuing the guest's dialogue
from another channel), the message is read, the engine answers using its tools (each tool is its
own transaction through the booking services), and then the message pair, the thread's new stage
and context, the turn's ``ai_activities`` row and Sofia's marks on a booking she made are written
in one unit of work, announced as a "conversation" change.

Sofia also reads how the guest writes (``app.sofia.profiling``: style, profile, history,
satisfaction, seating wishes — kept on a guest known by phone in that same final unit of work) and
whether the message is abusive, unsafe or a prompt injection (``app.sofia.abuse``): such a message
is stored flagged and answered calmly by fixed rules, whatever the engine.

While a member of staff has taken the thread over (``app.sofia.inbox.take_over``) the guest's
message is stored and the reply's ``text`` is empty: callers (the channel worker) send nothing.

Threading: runs on the calling thread and blocks on the database (and, for an LLM engine, the
network); GUI callers run it in a worker.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.db.enums import SenderType
from app.db.models import ConversationThread, Guest, Restaurant
from app.errors import NotFound
from app.services.database import Database
from app.sofia import abuse, activity, conversations, profiling
from app.sofia.engine import Reply, SofiaEngine, Turn
from app.sofia.offline_engine import OfflineEngine
from app.sofia.parsing import ParsedMessage, parse_message
from app.sofia.parsing.language import detect_language
from app.sofia.phrases import say
from app.sofia.sentiment import frustration_level, sentiment_score
from app.sofia.tools import SofiaTools

MAX_MESSAGE_CHARS = 2000  # longer messages are answered politely, not parsed
STORED_MESSAGE_CHARS = 4000


@dataclass(frozen=True)
class SofiaReply:
    text: str
    stage: str
    intent: str
    language: str
    conversation_id: int
    confirmation_code: str | None
    reservation_id: int | None
    handoff: bool
    booking_completed: bool

    def to_json(self) -> dict[str, Any]:
        """The ``sofia chat --json`` line of ARCHITECTURE.md."""
        return {"reply": self.text, "stage": self.stage, "intent": self.intent,
                "confirmation_code": self.confirmation_code}  # fmt: skip


def handle_message(
    db: Database,
    restaurant_id: int,
    platform: str,
    platform_user_id: str,
    text: str,
    *,
    thread_id: str | None = None,
    now: dt.datetime | None = None,
    engine: SofiaEngine | None = None,
    phone: str | None = None,
    name: str | None = None,
) -> SofiaReply:
    """Answer one guest message (``phone``/``name``: what the channel knows of the guest)."""
    started = time.perf_counter()
    now = now or dt.datetime.now(dt.UTC)
    engine = engine or OfflineEngine()
    text = "" if text is None else str(text)
    with db.unit_of_work() as uow:
        restaurant = uow.session.get(Restaurant, restaurant_id)
        if restaurant is None:
            raise NotFound(f"There is no restaurant with id {restaurant_id}.")
        region = str((restaurant.settings or {}).get("country") or "RU")
        channel_phone = conversations.phone_or_none(phone, region)
        thread, opened = conversations.open_thread(
            uow.session, restaurant_id, platform, platform_user_id, thread_id,
            phone=channel_phone, now=now,
        )  # fmt: skip
        before = conversations.state_of(thread)
        restaurant_name, timezone = restaurant.name, restaurant.timezone
        guest = _known_guest(uow.session, restaurant_id, thread, before, channel_phone, region)
        uow.commit()
    context = before.context
    if channel_phone:
        context["channel_phone"] = channel_phone
        context.setdefault("slots", {}).setdefault("phone", channel_phone)
    if name and name.strip():
        context.setdefault("slots", {}).setdefault("name", name.strip()[:200])
    context["turns"] = int(context.get("turns", 0)) + 1
    parsed = _parse(text, now, timezone, region)
    language = _language(text, context)
    flag = abuse.assess(text[:MAX_MESSAGE_CHARS])
    sentiment = sentiment_score(text[:MAX_MESSAGE_CHARS]) if text.strip() else 0.0
    frustration = frustration_level(text[:MAX_MESSAGE_CHARS], int(context.get("frustration", 0)),
                                    no_progress=int(context.get("no_progress", 0)))  # fmt: skip
    if flag is not None:
        # Each abusive message builds on the frustration so far (a second insult hands off).
        previous = int(context.get("frustration", 0))
        frustration = max(frustration, min(5, previous + flag.frustration))
        if flag.kind != "injection":
            sentiment = min(sentiment, -0.8)
    context["frustration"] = frustration
    observation = profiling.observe(text[:MAX_MESSAGE_CHARS], parsed, language=language,
                                    answering=before.stage != "greeting")  # fmt: skip
    if flag is not None:  # a flagged message says nothing about the guest's usual style
        observation = dataclasses.replace(observation, vote=None, weight=0.0)
    profiling.remember(context, observation)
    tools = SofiaTools(db, restaurant_id, conversation_id=before.id, platform=platform, now=now,
                       state=context, region=region)  # fmt: skip
    turn = Turn(
        text=text, parsed=parsed, language=language, stage=before.stage, context=context,
        now=now, restaurant_id=restaurant_id, restaurant_name=restaurant_name,
        timezone=timezone, conversation_id=before.id, guest_id=before.guest_id,
        platform=platform, tools=tools, frustration=frustration, sentiment=sentiment,
        style=profiling.reply_style(context, guest), guest=guest, flag=flag,
    )  # fmt: skip
    if before.agent_handoff:
        # Waiting for a colleague: say so. Taken over by one: stay silent (empty reply text).
        quiet = conversations.staff_holder(context) is not None
        reply = Reply("" if quiet else say(language, "with_agent"), before.stage,
                      parsed.intent if parsed else "other", context, confidence=1.0,
                      handoff=True)  # fmt: skip
    elif flag is not None:
        reply = OfflineEngine().reply(turn)  # fixed rules: never a model's improvisation
    else:
        reply = engine.reply(turn)
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    return _persist(db, before, opened, turn, reply, elapsed_ms, platform_user_id, observation)


def _known_guest(
    session: Session,
    restaurant_id: int,
    thread: ConversationThread,
    before: conversations.ThreadState,
    channel_phone: str | None,
    region: str,
) -> profiling.GuestSnapshot | None:
    """The guest this conversation is with, when known (by the thread or a phone)."""
    guest_id = thread.guest_id
    if guest_id is None:
        said = (before.context.get("slots") or {}).get("phone")
        phone = channel_phone or conversations.phone_or_none(str(said) if said else None, region)
        guest_id = conversations.find_guest_id(session, restaurant_id, phone)
    return profiling.snapshot(session.get(Guest, guest_id) if guest_id else None)


def _parse(text: str, now: dt.datetime, timezone: str, region: str) -> ParsedMessage | None:
    if not text.strip() or len(text) > MAX_MESSAGE_CHARS:
        return None
    return parse_message(text, now, timezone, region)


def _language(text: str, context: dict[str, Any]) -> str:
    """The message's language when it has letters; otherwise the conversation's so far."""
    sample = text[:MAX_MESSAGE_CHARS]
    if any(c.isalpha() for c in sample):
        return detect_language(sample)
    return str(context.get("lang") or "en")


def _entities(parsed: ParsedMessage | None) -> dict[str, Any]:
    if parsed is None:
        return {}
    found = {
        "date": parsed.date.isoformat() if parsed.date else None,
        "time": parsed.time.strftime("%H:%M") if parsed.time else None,
        "party_size": parsed.party_size, "name": parsed.name, "phone": parsed.phone,
    }  # fmt: skip
    return {k: v for k, v in found.items() if v is not None}


def _persist(
    db: Database,
    before: conversations.ThreadState,
    opened: bool,
    turn: Turn,
    reply: Reply,
    elapsed_ms: int,
    sender_id: str,
    observation: profiling.Observation,
) -> SofiaReply:
    guest_id = turn.tools.booked.get("guest_id") if turn.tools.booked else None
    with db.unit_of_work() as uow:
        session = uow.session
        thread = session.get(ConversationThread, before.id)
        assert thread is not None
        guest_id = (
            guest_id
            or thread.guest_id
            or conversations.find_guest_id(session, turn.restaurant_id, turn.tools.guest_phone())
        )
        replied_at = turn.now + dt.timedelta(milliseconds=max(1, elapsed_ms))
        stored = turn.text[:STORED_MESSAGE_CHARS]
        conversations.add_message(
            session, thread, sender=SenderType.USER, text=stored, at=turn.now,
            sender_id=sender_id, intent=turn.parsed.intent if turn.parsed else None,
            entities=_entities(turn.parsed), sentiment=turn.sentiment, language=turn.language,
            flagged=turn.flag is not None,
            meta={"length": len(turn.text), "truncated": len(turn.text) > len(stored),
                  **({"flag": turn.flag.to_json()} if turn.flag else {})},
        )  # fmt: skip
        if reply.text:  # an empty reply (staff has the thread) stores and sends nothing
            conversations.add_message(
                session, thread, sender=SenderType.AI, text=reply.text, at=replied_at,
                sender_id=reply.model_version, intent=reply.intent, language=turn.language,
                confidence=reply.confidence, processing_ms=elapsed_ms, response_ms=elapsed_ms,
                meta={"stage": reply.stage, "engine": reply.model_version,
                      "tool_calls": reply.tool_calls},
            )  # fmt: skip
        context = dict(reply.context)
        profiling.note_stage(context, reply.stage)
        conversations.save_turn_state(
            thread, stage=reply.stage, intent=reply.intent, context=context,
            sentiment=turn.sentiment if turn.parsed else None, handoff=reply.handoff,
            resolution=reply.resolution, guest_id=guest_id,
        )  # fmt: skip
        if guest_id is not None:
            _profile(session, thread, guest_id, context, turn, reply, observation)
        activity.record_activity(
            session, restaurant_id=turn.restaurant_id, conversation_id=thread.id,
            guest_id=guest_id, reply=reply, stage_before=before.stage,
            frustration=turn.frustration, processing_ms=elapsed_ms,
            context_preserved=True,
            meta={"platform": turn.platform, "language": turn.language, "new_thread": opened,
                  "entities": _entities(turn.parsed), "continued_from": before.continued_from},
        )  # fmt: skip
        if reply.booking_completed and reply.reservation_id is not None:
            activity.mark_reservation(
                session, reply.reservation_id,
                alternatives_offered=int(reply.notes.get("alternatives_offered", 0)),
                turns=int(reply.notes.get("flow_turns", 0)), sentiment=thread.sentiment_score,
            )  # fmt: skip
            uow.changed("reservation", reply.reservation_id)
        uow.changed("conversation", thread.id)
        uow.commit()
    return SofiaReply(
        text=reply.text, stage=reply.stage, intent=reply.intent, language=turn.language,
        conversation_id=before.id, confirmation_code=reply.confirmation_code,
        reservation_id=reply.reservation_id, handoff=reply.handoff,
        booking_completed=reply.booking_completed,
    )  # fmt: skip


def _profile(
    session: Session,
    thread: ConversationThread,
    guest_id: int,
    context: dict[str, Any],
    turn: Turn,
    reply: Reply,
    observation: profiling.Observation,
) -> None:
    """What this turn taught Sofia about the guest, on the guest row (same unit of work)."""
    facts = profiling.TurnFacts(
        conversation_id=thread.id, platform=turn.platform, language=turn.language,
        text=turn.text[:MAX_MESSAGE_CHARS], observation=observation, sentiment=turn.sentiment,
        thread_sentiment=thread.sentiment_score, satisfaction_rating=thread.satisfaction_rating,
        flagged=turn.flag.kind if turn.flag else None, stage=reply.stage,
        resolution=reply.resolution, booking_completed=reply.booking_completed,
        alternatives_offered=int(reply.notes.get("alternatives_offered",
                                                 context.get("alternatives_offered", 0))),
        flow_turns=int(reply.notes.get("flow_turns", context.get("flow_turns", 0))),
        now=turn.now,
    )  # fmt: skip
    profiling.update_guest(session, guest_id, context, facts)
    thread.context = copy.deepcopy(context)
