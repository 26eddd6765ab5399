"""The contract every Sofia engine keeps: one guest turn in, one reply out.

``handle_message`` (app/sofia/assistant.py) reads the message, loads the conversation and hands
the engine a ``Turn``; the engine answers with a ``Reply`` and the service persists both. An
engine touches reservations only through the ``SofiaTools`` it is given (app/sofia/tools.py), so
the offline slot-filling engine and an LLM tool-calling engine are interchangeable.

Threading: an engine instance may be shared, but ``reply`` runs on the calling thread and opens
its own units of work through the tools; it never holds a session between turns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from app.sofia.parsing import ParsedMessage

if TYPE_CHECKING:
    from app.sofia.abuse import Flag
    from app.sofia.profiling import GuestSnapshot
    from app.sofia.tools import SofiaTools

STAGES = ("greeting", "collecting", "confirming", "alternatives")


@dataclass(frozen=True)
class Turn:
    """One guest message with everything an engine may read about the conversation."""

    text: str
    parsed: ParsedMessage | None  # None when the message was empty or too long to read
    language: str  # the language Sofia answers in ("en" or "ru")
    stage: str
    context: dict[str, Any]  # a private copy: the engine returns the new one in its Reply
    now: dt.datetime
    restaurant_id: int
    restaurant_name: str
    timezone: str
    conversation_id: int
    guest_id: int | None
    platform: str
    tools: SofiaTools
    frustration: int = 0  # 0-5, read from this message and the ones before
    sentiment: float = 0.0  # -1..1, this message
    style: str | None = None  # how to word the reply: formal, casual, brief (None: default)
    guest: GuestSnapshot | None = None  # the guest, when known by phone
    flag: Flag | None = None  # abuse, threat or prompt injection: answered by fixed rules


@dataclass
class Reply:
    """What the engine answers and what it learned; the service persists all of it."""

    text: str
    stage: str
    intent: str
    context: dict[str, Any]
    confidence: float = 0.8
    success: bool = True
    activity_type: str = "conversation"
    confirmation_code: str | None = None
    reservation_id: int | None = None
    booking_completed: bool = False
    alternatives_generated: int = 0
    handoff: bool = False
    resolution: str | None = None  # booked, cancelled, modified, handoff
    response_quality: int = 4
    model_version: str = "offline"
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    # Engine facts the service records: alternatives_offered and turns of a booking flow.
    notes: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class SofiaEngine(Protocol):
    """Anything that turns a ``Turn`` into a ``Reply`` (offline rules, an LLM with tools)."""

    name: str

    def reply(self, turn: Turn) -> Reply: ...
