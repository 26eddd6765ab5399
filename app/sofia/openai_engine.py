"""Sofia over an OpenAI-compatible Chat Completions API with tool calling.

OpenAI itself and the local servers (Ollama, vLLM, llama.cpp) all speak Chat Completions with
``tools``. Each turn sends the system prompt (app/sofia/llm_prompt.py), the thread's earlier
messages and the guest's message with ``TOOL_SCHEMAS``; the tool calls that come back run through
``turn.tools`` (the same validated tools the offline engine uses) and their results go back as
``role: tool`` messages, until the model answers in text or the round cap is reached.

Anything that goes wrong — no configuration, a timeout, a refused connection, a 5xx after the
client's retries, arguments that are not JSON twice in a turn, the round cap — is logged (never
with the key) and the turn is answered by the offline engine, so the guest gets a normal reply.
If a tool had already booked, moved or cancelled a reservation in that turn, the reply says so
instead of running the offline dialogue over it. The fallback, and the tokens spent before it,
are recorded on the Reply (``notes["fallback"]``) and so in ``ai_activities``.

Configuration: the restaurant's stored settings (app/sofia/llm_settings.py) under the
``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` / ``TOBEOUT_AI_MODEL`` environment variables, read per
turn, or a fixed ``LlmSettings`` given to the constructor.

Threading: one engine may serve several threads; clients are cached under a lock and each turn
keeps its state in a local ``_Run``. ``reply`` blocks on the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openai

from app.errors import ToBeOutError
from app.sofia import llm_prompt, phrases
from app.sofia.engine import Reply, SofiaEngine, Turn
from app.sofia.llm_settings import LlmSettings, load_llm_settings, with_environment
from app.sofia.offline_engine import HANDOFF_FRUSTRATION, OfflineEngine
from app.sofia.sentiment import asks_for_human
from app.sofia.tool_schemas import TOOL_SCHEMAS

log = logging.getLogger(__name__)

MAX_BAD_ARGUMENTS = 2  # malformed tool arguments in one turn before giving up on the model
LOCAL_SERVER_KEY = "not-needed"  # the openai client refuses an empty key; local servers ignore it
MUTATING_TOOLS = ("create_reservation", "modify_reservation", "cancel_reservation")


class LlmFailure(Exception):
    """The model could not produce a usable answer this turn (the reason is safe to log)."""


@dataclass
class _Run:
    """One turn's conversation with the model."""

    turn: Turn
    settings: LlmSettings
    messages: list[dict[str, Any]] = field(default_factory=list)
    results: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    model: str | None = None
    requests: int = 0
    rounds: int = 0
    bad_arguments: int = 0

    def count(self, completion: Any) -> None:
        self.requests += 1
        self.model = getattr(completion, "model", None) or self.model
        usage = getattr(completion, "usage", None)
        if usage is not None:
            self.input_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.output_tokens += int(getattr(usage, "completion_tokens", 0) or 0)

    def cost(self) -> float:
        price = self.settings.price_for(self.model, self.settings.model)
        if price is None:
            return 0.0
        return float(price.cost(self.input_tokens, self.output_tokens).quantize(Decimal("1e-6")))

    def succeeded(self, tool: str) -> dict[str, Any] | None:
        for name, _args, result in reversed(self.results):
            if name == tool and result.get("ok"):
                return result
        return None


class OpenAIEngine:
    """Sofia with an LLM; ``settings`` fixes the configuration, else it is read per turn."""

    name = "openai"

    def __init__(
        self, settings: LlmSettings | None = None, *, fallback: SofiaEngine | None = None
    ) -> None:
        self.settings = settings
        self.fallback = fallback or OfflineEngine()
        self._clients: dict[tuple[Any, ...], openai.OpenAI] = {}
        self._lock = threading.Lock()

    # -- the turn -------------------------------------------------------------------------

    def reply(self, turn: Turn) -> Reply:
        # Empty or unreadable messages and escalations follow fixed rules: no model needed.
        if (turn.parsed is None or asks_for_human(turn.text)
                or turn.frustration >= HANDOFF_FRUSTRATION):  # fmt: skip
            return self.fallback.reply(turn)
        run: _Run | None = None
        try:
            settings = self._settings_for(turn)
            run = _Run(turn, settings)
            return self._converse(run, self._client(settings))
        except openai.APITimeoutError:
            reason = "timeout"
        except openai.APIConnectionError:
            reason = "connection failed"
        except openai.APIStatusError as exc:
            reason = f"HTTP {exc.status_code}"
        except openai.OpenAIError as exc:
            reason = f"client error ({type(exc).__name__})"
        except LlmFailure as exc:
            reason = str(exc)
        except ToBeOutError as exc:  # bad stored configuration, an unreadable key
            reason = f"configuration: {exc.message}"
        except Exception as exc:  # an answer this code did not expect: not the guest's problem
            log.exception("Sofia's LLM turn failed unexpectedly")
            reason = f"unexpected {type(exc).__name__}"
        log.warning("Sofia's LLM engine failed (%s); the offline engine answers this turn", reason)
        return self._fall_back(turn, run, reason)

    def _converse(self, run: _Run, client: openai.OpenAI) -> Reply:
        turn, settings = run.turn, run.settings
        run.messages = [
            {"role": "system", "content": llm_prompt.system_prompt(turn)},
            *llm_prompt.history(turn),
            {"role": "user", "content": turn.text},
        ]
        while True:
            completion = client.chat.completions.create(
                model=settings.model, messages=run.messages, tools=TOOL_SCHEMAS,  # type: ignore[arg-type]
                tool_choice="auto",
            )  # fmt: skip
            run.count(completion)
            if not completion.choices:
                raise LlmFailure("the response has no choices")
            message = completion.choices[0].message
            calls = list(message.tool_calls or [])
            if not calls:
                text = (message.content or "").strip()
                if not text:
                    raise LlmFailure("the model answered with no text")
                return _answer(run, text)
            run.rounds += 1
            if run.rounds > settings.max_tool_rounds:
                raise LlmFailure(f"tool round cap ({settings.max_tool_rounds}) reached")
            run.messages.append(_assistant_message(message.content, calls))
            for call in calls:
                result = self._run_tool(run, call)
                run.messages.append({"role": "tool", "tool_call_id": call.id,
                                     "content": json.dumps(result, ensure_ascii=False,
                                                           default=str)})  # fmt: skip
            if run.bad_arguments >= MAX_BAD_ARGUMENTS:
                raise LlmFailure("the model sent malformed tool arguments repeatedly")

    def _run_tool(self, run: _Run, call: Any) -> dict[str, Any]:
        function = getattr(call, "function", None)
        if getattr(call, "type", None) != "function" or function is None:
            run.bad_arguments += 1
            return {"ok": False, "error": "Only function tools are available."}
        name = str(function.name or "")
        try:
            arguments = json.loads(function.arguments or "{}")
        except (TypeError, ValueError):
            arguments = None
        if not isinstance(arguments, dict):
            run.bad_arguments += 1
            return {"ok": False, "error": f"The arguments for {name} must be a JSON object "
                    "matching the tool's schema; call it again with valid JSON."}  # fmt: skip
        result = run.turn.tools.call(name, arguments)
        run.results.append((name, arguments, result))
        return result

    # -- configuration --------------------------------------------------------------------

    def _settings_for(self, turn: Turn) -> LlmSettings:
        if self.settings is not None:
            return self.settings
        return with_environment(load_llm_settings(turn.tools.db, turn.restaurant_id))

    def _client(self, settings: LlmSettings) -> openai.OpenAI:
        key = settings.api_key()
        if key is None and settings.base_url is None:
            raise LlmFailure("no API key is configured")
        plain = key.reveal() if key else LOCAL_SERVER_KEY
        cache_key = (settings.base_url, hashlib.sha256(plain.encode()).hexdigest(),
                     settings.timeout_seconds, settings.max_retries)  # fmt: skip
        with self._lock:
            client = self._clients.get(cache_key)
            if client is None:
                client = openai.OpenAI(
                    api_key=plain, base_url=settings.base_url,
                    timeout=settings.timeout_seconds, max_retries=settings.max_retries,
                )  # fmt: skip
                self._clients[cache_key] = client
        return client

    # -- replies --------------------------------------------------------------------------

    def _fall_back(self, turn: Turn, run: _Run | None, reason: str) -> Reply:
        salvaged = _salvage(run) if run is not None else None
        reply = salvaged or self.fallback.reply(turn)
        reply.notes = {**reply.notes, "fallback": reason, "engine": "openai"}
        if run is not None:
            reply.notes.update(requests=run.requests, tool_rounds=run.rounds,
                               attempted_model=run.model or run.settings.model)  # fmt: skip
            reply.input_tokens += run.input_tokens
            reply.output_tokens += run.output_tokens
            reply.cost_usd += run.cost()
        reply.confidence = min(reply.confidence, 0.7)
        return reply


def from_environment() -> OpenAIEngine:
    """The engine ``engines.engine_by_name("openai")`` builds: stored settings under env vars."""
    return OpenAIEngine()


# -- helpers ----------------------------------------------------------------------------------


def _answer(run: _Run, text: str) -> Reply:
    """The Reply for the model's text, with what the turn's tools did."""
    turn, ctx = run.turn, run.turn.context
    booked = run.succeeded("create_reservation")
    modified = run.succeeded("modify_reservation")
    cancelled = run.succeeded("cancel_reservation")
    handoff = turn.tools.handoff_reason is not None
    offered = _offered_alternatives(run)
    _remember(run, booked, modified, cancelled, offered)
    done = booked or modified or cancelled
    stage = "greeting" if done else _stage(run, offered)
    reply = Reply(
        text=text, stage=stage, intent=_intent(run), context=ctx,
        confidence=0.85, activity_type=_activity(run, offered),
        confirmation_code=(booked or modified or {}).get("confirmation_code"),
        reservation_id=int(booked["reservation_id"]) if booked else None,
        booking_completed=booked is not None, alternatives_generated=len(offered),
        handoff=handoff, resolution=_resolution(booked, modified, cancelled, handoff),
        response_quality=5 if done else 4, model_version=(run.model or run.settings.model)[:100],
        input_tokens=run.input_tokens, output_tokens=run.output_tokens,
        cost_usd=run.cost(), tool_calls=turn.tools.calls,
        notes={"alternatives_offered": ctx.get("alternatives_offered", 0),
               "flow_turns": ctx.get("flow_turns", 0), "engine": "openai",
               "requests": run.requests, "tool_rounds": run.rounds},
    )  # fmt: skip
    return reply


def _assistant_message(content: str | None, calls: list[Any]) -> dict[str, Any]:
    return {
        "role": "assistant", "content": content,
        "tool_calls": [{"id": c.id, "type": "function",
                        "function": {"name": c.function.name, "arguments": c.function.arguments}}
                       for c in calls if getattr(c, "function", None) is not None],
    }  # fmt: skip


def _offered_alternatives(run: _Run) -> list[dict[str, Any]]:
    for name, _args, result in reversed(run.results):
        if name in ("check_availability", "suggest_alternatives", "create_reservation"):
            if result.get("available") or (name == "create_reservation" and result.get("ok")):
                return []
            return list(result.get("alternatives") or [])
    return []


def _remember(
    run: _Run,
    booked: dict[str, Any] | None,
    modified: dict[str, Any] | None,
    cancelled: dict[str, Any] | None,
    offered: list[dict[str, Any]],
) -> None:
    """Keep the context in the offline engine's shape, so a later fallback turn carries on."""
    turn, ctx = run.turn, run.turn.context
    slots = ctx.setdefault("slots", {})
    parsed = turn.parsed
    if parsed is not None:
        found = {
            "date": parsed.date.isoformat() if parsed.date else None,
            "time": parsed.time.strftime("%H:%M") if parsed.time else None,
            "party_size": parsed.party_size, "name": parsed.name, "phone": parsed.phone,
        }  # fmt: skip
        slots.update({k: v for k, v in found.items() if v})
    for name, args, result in run.results:
        if name in ("check_availability", "create_reservation") and result.get("ok") is not False:
            slots.update({k: result[k] for k in ("date", "time", "party_size") if result.get(k)})
        if name == "create_reservation":
            slots.update({k: str(args[k]) for k in ("name", "phone") if args.get(k)})
    ctx["lang"] = turn.language
    ctx["no_progress"] = 0
    ctx["alternatives_offered"] = int(ctx.get("alternatives_offered", 0)) + len(offered)
    if booked or modified or cancelled:
        code = (booked or modified or {}).get("confirmation_code")
        ctx["flow"] = None
        for key in ("checked", "alternatives", "awaiting", "modify", "pending_cancel"):
            ctx.pop(key, None)
        for key in ("date", "time", "party_size"):
            slots.pop(key, None)
        if code:
            ctx["last_code"] = code
        if slots.get("name"):
            ctx["name_known"] = True
        return
    if any(slots.get(k) for k in ("date", "time", "party_size")) and not ctx.get("flow"):
        ctx["flow"] = "book"
        ctx["flow_turns"] = 0
    if ctx.get("flow"):
        ctx["flow_turns"] = int(ctx.get("flow_turns", 0)) + 1
    ctx["alternatives"] = offered if offered else []
    if ctx.get("pending_cancel"):
        ctx["flow"] = "cancel"


def _stage(run: _Run, offered: list[dict[str, Any]]) -> str:
    ctx, slots = run.turn.context, run.turn.context.get("slots") or {}
    if ctx.get("flow") == "cancel" and ctx.get("pending_cancel"):
        return "confirming"
    if offered:
        return "alternatives"
    checked = any(n == "check_availability" and r.get("available") for n, _a, r in run.results)
    if ctx.get("flow") == "book":
        complete = all(slots.get(k) for k in ("date", "time", "party_size", "name", "phone"))
        return "confirming" if checked and complete else "collecting"
    return run.turn.stage if run.turn.stage in ("greeting", "collecting") else "greeting"


def _intent(run: _Run) -> str:
    names = [name for name, _a, _r in run.results]
    for tool, intent in (("cancel_reservation", "cancel"), ("modify_reservation", "modify"),
                         ("create_reservation", "book"), ("check_availability", "book"),
                         ("get_restaurant_info", "info")):  # fmt: skip
        if tool in names:
            return intent
    flow = run.turn.context.get("flow")
    return str(flow or (run.turn.parsed.intent if run.turn.parsed else "other"))


def _activity(run: _Run, offered: list[dict[str, Any]]) -> str:
    if any(name == "create_reservation" for name, _a, _r in run.results):
        return "booking_attempt"
    return "alternative_suggestion" if offered else "conversation"


def _resolution(booked: Any, modified: Any, cancelled: Any, handoff: bool) -> str | None:
    if booked:
        return "booked"
    if modified:
        return "modified"
    if cancelled:
        return "cancelled"
    return "handoff" if handoff else None


def _salvage(run: _Run) -> Reply | None:
    """A reply for a turn whose tools already changed a reservation before the model failed:
    the guest must hear that it is done, and the offline dialogue must not do it twice."""
    if not any(run.succeeded(tool) for tool in MUTATING_TOOLS):
        return None
    lang, booked = run.turn.language, run.succeeded("create_reservation")
    modified, cancelled = run.succeeded("modify_reservation"), run.succeeded("cancel_reservation")
    done = booked or modified or cancelled
    assert done is not None
    day, clock = dt.date.fromisoformat(done["date"]), dt.time.fromisoformat(done["time"])
    words = {"party": phrases.party(lang, int(done["party_size"])),
             "when": phrases.when(lang, day, clock), "code": done["confirmation_code"]}  # fmt: skip
    key = "booked" if booked else "modified" if modified else "cancelled"
    text = phrases.say(lang, key, **words)
    reply = _answer(run, text)
    reply.input_tokens = reply.output_tokens = 0  # the caller adds the run's usage once
    reply.cost_usd = 0.0
    reply.model_version = OfflineEngine.model_version
    return reply
