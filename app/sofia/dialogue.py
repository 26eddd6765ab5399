"""One turn of the offline dialogue: the working copy of the context and how a reply is made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.sofia import phrases
from app.sofia.engine import Reply, Turn
from app.sofia.parsing import ParsedMessage

FLOW_KEYS_RESET = ("checked", "alternatives", "awaiting", "modify", "pending_cancel", "usual")


class Dialogue:
    """The turn being answered: ``ctx`` is the conversation context, changed in place."""

    def __init__(self, turn: Turn, model_version: str) -> None:
        self.turn = turn
        self.model_version = model_version
        self.ctx: dict[str, Any] = turn.context
        self.slots: dict[str, Any] = self.ctx.setdefault("slots", {})
        self.lang = turn.language
        self.style = turn.style  # formal, casual, brief or None (the default wording)
        self.stage = turn.stage
        self.text = turn.text
        self._parsed = turn.parsed
        self.intent: str | None = self.ctx.get("flow")  # the request being served this turn

    @property
    def parsed(self) -> ParsedMessage:
        assert self._parsed is not None
        return self._parsed

    def say(self, key: str, **values: Any) -> str:
        """Phrase ``key`` in the guest's language and style."""
        return phrases.say(self.lang, key, self.style, **values)

    def when(self, day: dt.date, clock: dt.time) -> str:
        return phrases.when(self.lang, day, clock, self.style)

    def tool(self, tool_name: str, /, **arguments: Any) -> dict[str, Any]:
        return self.turn.tools.call(tool_name, arguments)

    def start_flow(self, flow: str) -> None:
        """Begin a new request; a finished booking's date, time and party are not reused."""
        self.ctx["flow"] = flow
        self.intent = flow
        self.ctx["flow_turns"] = 0
        self.ctx["alternatives_offered"] = 0
        for key in FLOW_KEYS_RESET:
            self.ctx.pop(key, None)

    def end_flow(self, *, last_code: str | None = None, guest_id: Any = None) -> None:
        """The request is done: keep who the guest is, forget what they asked for."""
        self.ctx["flow"] = None
        for key in FLOW_KEYS_RESET:
            self.ctx.pop(key, None)
        for key in ("date", "time", "party_size"):
            self.slots.pop(key, None)
        if last_code:
            self.ctx["last_code"] = last_code
        if self.slots.get("name"):
            self.ctx["name_known"] = True
        if guest_id:
            self.ctx["guest_id"] = guest_id

    def finish(
        self,
        text: str,
        *,
        stage: str | None = None,
        progress: bool = True,
        confidence: float = 0.8,
        quality: int = 4,
        success: bool = True,
        activity: str = "conversation",
        alternatives: int = 0,
        resolution: str | None = None,
        handoff: bool = False,
    ) -> Reply:
        """The reply, with the turn's bookkeeping (progress counter, flow length) in ``ctx``."""
        self.ctx["no_progress"] = 0 if progress else self.ctx.get("no_progress", 0) + 1
        if self.ctx.get("flow"):
            self.ctx["flow_turns"] = self.ctx.get("flow_turns", 0) + 1
        self.ctx["lang"] = self.lang
        parsed_intent = self._parsed.intent if self._parsed is not None else "other"
        intent = self.ctx.get("flow") or self.intent or parsed_intent
        return Reply(
            text=text,
            stage=stage or self.stage,
            intent=intent,
            context=self.ctx,
            confidence=confidence,
            success=success,
            activity_type=activity,
            alternatives_generated=alternatives,
            handoff=handoff,
            resolution=resolution,
            response_quality=quality,
            model_version=self.model_version,
            tool_calls=self.turn.tools.calls,
        )
