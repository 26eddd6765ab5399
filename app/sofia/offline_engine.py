"""The built-in offline engine: deterministic slot filling in English and Russian.

It asks only for what is missing (date, time, party size, then name and phone), checks the time
as soon as date, time and party are known, offers alternatives when it is taken (the guest picks
"the first one", "19:30", "первый"), confirms before booking, and handles cancellations (with a
confirmation turn), changes and opening-hours questions. Everything it does to reservations goes
through ``turn.tools``. Cancel, modify and info live in ``offline_flows``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from app.domain.requests import read_wishes
from app.sofia import cues, offline_flows, phrases
from app.sofia.dialogue import Dialogue
from app.sofia.engine import Reply, Turn
from app.sofia.parsing.allergies import RUSSIAN_NAMES, find_allergies, without_allergies
from app.sofia.sentiment import asks_for_human

MAX_NO_PROGRESS = 3
HANDOFF_FRUSTRATION = 4
BOOKING_SLOTS = ("date", "time", "party_size")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")


class OfflineEngine:
    """Sofia without a model: rules over the parser's findings. Stateless between turns."""

    name = "offline"
    model_version = "sofia-offline-1"

    def reply(self, turn: Turn) -> Reply:
        d = Dialogue(turn, self.model_version)
        if turn.flag is not None:
            return guard(d)
        if turn.parsed is None:
            return d.finish(d.say("empty" if not turn.text.strip() else "too_long"),
                            progress=False, confidence=0.3, quality=3)  # fmt: skip
        if asks_for_human(turn.text) or turn.frustration >= HANDOFF_FRUSTRATION:
            return offline_flows.hand_off(
                d, "guest asked for a person" if asks_for_human(turn.text) else "frustration"
            )
        allergies = find_allergies(turn.text)
        if allergies:
            # Saved before anything else: a booking this same turn already carries them.
            noted = d.tool("note_allergies", allergies=list(allergies))
            if _says_anything(d) or (
                d.ctx.get("awaiting") == "name" and cues.bare_name(without_allergies(d.text))
            ):
                reply = _route(d)
            elif d.ctx.get("flow") == "book":
                reply = _advance(d)  # carry on asking for what the booking still needs
            else:
                reply = d.finish(d.say("anything_else"), progress=True)
            if noted.get("ok"):
                shown = [RUSSIAN_NAMES.get(a, a) if d.lang == "ru" else a for a in allergies]
                reply.text = d.say("allergy_noted", items=", ".join(shown)) + reply.text
            return reply
        if d.ctx.get("no_progress", 0) >= MAX_NO_PROGRESS - 1 and not _says_anything(d):
            return offline_flows.hand_off(d, "three turns without progress")
        return _route(d)


def guard(d: Dialogue) -> Reply:
    """A flagged message (app/sofia/abuse.py): a calm answer that acts on nothing in it.

    A threat, or abuse that has worn the guest's frustration up to the limit, goes to a person;
    otherwise Sofia stays calm and, in a booking, repeats what she still needs. Nothing in the
    message is read into the booking and no tool runs, so an instruction inside it changes
    nothing; the turn counts as one without progress.
    """
    flag = d.turn.flag
    assert flag is not None
    if flag.unsafe:
        d.tool("hand_off_to_human", reason="unsafe message")
        return d.finish(d.say("unsafe"), progress=False, confidence=0.9, quality=3,
                        handoff=True, resolution="handoff")  # fmt: skip
    if flag.kind == "abuse" and d.turn.frustration >= HANDOFF_FRUSTRATION:
        return offline_flows.hand_off(d, "abusive messages")
    opening = d.say("injection" if flag.kind == "injection" else "calm")
    awaiting = d.ctx.get("awaiting")
    if d.ctx.get("flow") == "book" and awaiting in (*BOOKING_SLOTS, "name", "phone"):
        follow = d.say(f"ask_{str(awaiting).split('_')[0]}")
    elif flag.kind == "injection":
        follow = d.say("anything_else")
    else:
        follow = d.say("calm_next")
    return d.finish(opening + follow, progress=False, confidence=0.9, quality=3)


def _says_anything(d: Dialogue) -> bool:
    p = d.parsed
    return bool(
        p.intent != "other" or p.date or p.time or p.party_size or p.name or p.phone
        or cues.is_yes(d.text) or cues.is_no(d.text) or cues.ordinal(d.text) is not None
    )  # fmt: skip


def _route(d: Dialogue) -> Reply:
    flow, stage, intent = d.ctx.get("flow"), d.stage, d.parsed.intent
    if stage in ("greeting", "collecting") and flow in (None, "book"):
        usual = _usual(d)
        if usual is not None:
            return usual
    if stage == "confirming" and flow == "book":
        return _confirm_booking(d)
    if stage == "confirming" and flow in ("cancel", "modify"):
        return offline_flows.confirm(d, flow)
    if stage == "alternatives" and d.ctx.get("alternatives"):
        picked = _pick_alternative(d)
        if picked is not None:
            return picked
    if intent == "cancel":
        return offline_flows.start_cancel(d)
    if intent == "modify" and not (flow == "book" and not d.ctx.get("last_code")):
        return offline_flows.start_modify(d)
    if flow in ("cancel", "modify") and stage == "collecting":
        resumed = offline_flows.resume(d, flow)
        if resumed is not None:
            return resumed
    if intent == "info":
        return offline_flows.info(d, then=_advance if flow == "book" else None)
    if _merge_slots(d) or intent == "book":
        if flow != "book":
            d.start_flow("book")
        return _advance(d)
    if flow == "book" and d.ctx.get("awaiting") and not cues.is_greeting(d.text):
        return _advance(d, d.say("didnt_catch"), progress=False)
    if cues.is_greeting(d.text):
        return _greet(d)
    if re.search(r"(?i)\b(?:thanks?|thank\s+you)\b|спасибо|благодарю", d.text):
        return d.finish(d.say("thanks"), progress=True, confidence=0.9)
    return d.finish(d.say("not_understood"), progress=False, confidence=0.3, quality=2)


def _greet(d: Dialogue) -> Reply:
    guest = d.turn.guest
    if guest is not None and guest.returning and not d.ctx.get("flow"):
        # "Welcome back, Anna! A table for 2 at 19:00 as usual?" — "yes" books just that.
        d.ctx["usual"] = {"party_size": guest.usual_party, "time": guest.usual_time}
        text = d.say("returning", name=guest.first_name or guest.name,
                     party=phrases.party(d.lang, guest.usual_party or 1),
                     time=guest.usual_time)  # fmt: skip
        return d.finish(text, progress=True, confidence=0.9)
    name = d.slots.get("name")
    text = d.say("greeting", restaurant=d.turn.restaurant_name)
    if name and d.ctx.get("name_known"):
        text = d.say("welcome_back", name=name) + text
    return d.finish(text, progress=True, confidence=0.9)


def _usual(d: Dialogue) -> Reply | None:
    """The guest takes their usual party and time ("yes" to the offer, "as usual", "как
    обычно"): the booking starts with them, and whatever else the message says goes on top."""
    offered = d.ctx.get("usual")
    guest = d.turn.guest
    if offered and cues.is_no(d.text):
        d.ctx.pop("usual", None)
        return None
    if (offered and cues.is_yes(d.text)) or cues.as_usual(d.text):
        usual = offered or (
            {"party_size": guest.usual_party, "time": guest.usual_time}
            if guest is not None and guest.returning else None
        )  # fmt: skip
    else:
        usual = None
    if not usual:
        return None
    d.ctx.pop("usual", None)
    if d.ctx.get("flow") != "book":
        d.start_flow("book")
    d.slots.update(party_size=int(usual["party_size"]), time=str(usual["time"]))
    if guest is not None and not d.slots.get("name") and guest.owns(d.slots.get("phone")):
        d.slots["name"] = guest.name
    d.ctx["approach"] = "usual"
    _merge_slots(d)  # "as usual, but on Saturday": the message's own details win
    return _advance(d)


def _merge_slots(d: Dialogue) -> bool:
    """Copy what the message says into the booking slots; True when anything was new."""
    p, slots, changed = d.parsed, d.slots, False
    found: dict[str, Any] = {
        "date": p.date.isoformat() if p.date else None,
        "time": p.time.strftime("%H:%M") if p.time else None,
        "party_size": p.party_size, "name": p.name, "phone": p.phone,
    }  # fmt: skip
    awaiting = d.ctx.get("awaiting")
    if awaiting == "name" and not found["name"] and not any(found.values()):
        found["name"] = cues.bare_name(without_allergies(d.text))
    if awaiting == "party_size" and not found["party_size"]:
        bare = _BARE_NUMBER.match(d.text)
        if bare and 0 < int(bare.group(1)) <= 100:
            found["party_size"] = int(bare.group(1))
    wishes = read_wishes(d.text, None)
    wanted = sorted(set(slots.get("requests") or []) | set(wishes.features)
                    | ({"accessible"} if wishes.needs_accessible else set()))  # fmt: skip
    if wanted and wanted != slots.get("requests"):
        slots["requests"] = wanted
        changed = True
    for key, value in found.items():
        if value is not None and slots.get(key) != value:
            slots[key] = value
            changed = True
    if awaiting == "phone" and not found["phone"] and re.search(r"\d{5,}", d.text):
        d.ctx["bad_phone"] = True
    return changed


def _advance(d: Dialogue, prefix: str = "", progress: bool = True) -> Reply:
    """Ask for the next missing detail, check the time, or ask to confirm."""
    slots = d.slots
    for key in BOOKING_SLOTS:
        if not slots.get(key):
            d.ctx["awaiting"] = key
            return d.finish(prefix + d.say(f"ask_{key.split('_')[0]}"),
                            stage="collecting", progress=progress)  # fmt: skip
    day, clock = dt.date.fromisoformat(slots["date"]), dt.time.fromisoformat(slots["time"])
    party, key = int(slots["party_size"]), f"{slots['date']}|{slots['time']}|{slots['party_size']}"
    if d.ctx.get("checked") != key:
        found = d.tool("check_availability", date=slots["date"], time=slots["time"],
                       party_size=party)  # fmt: skip
        if not found.get("ok"):
            _forget_bad_slot(slots, str(found.get("error", "")))
            return d.finish(d.say("failed", reason=found.get("error")),
                            stage="collecting", progress=False, success=False)  # fmt: skip
        if _too_big(found):
            return offline_flows.hand_off(d, "party above the largest bookable size")
        if not found["available"]:
            return _offer(d, day, clock, party, found["alternatives"], found.get("reason"))
        d.ctx["checked"] = key
        prefix += d.say("available", when=d.when(day, clock),
                        party=phrases.party(d.lang, party))  # fmt: skip
        just_checked = True
    else:
        just_checked = False
    if d.ctx.pop("bad_phone", False) and not slots.get("phone"):
        d.ctx["awaiting"] = "phone"
        return d.finish(prefix + d.say("bad_phone"), stage="collecting", progress=False)
    guest = d.turn.guest
    if (not slots.get("name") and guest is not None and guest.name and not guest.blacklisted
            and guest.owns(slots.get("phone"))):  # fmt: skip
        slots["name"] = guest.name  # known by phone: not asked again
    for key in ("name", "phone"):
        if not slots.get(key):
            d.ctx["awaiting"] = key
            return d.finish(prefix + d.say(f"ask_{key}"), stage="collecting",
                            progress=progress)  # fmt: skip
    d.ctx["awaiting"] = None
    if just_checked and d.style == "brief":  # the day, time and party were just said
        text = prefix + d.say("confirm_rest", name=slots["name"], phone=slots["phone"])
        return d.finish(text, stage="confirming", progress=progress, confidence=0.9)
    text = prefix + d.say("confirm", party=phrases.party(d.lang, party),
                          when=d.when(day, clock), name=slots["name"],
                          phone=slots["phone"])  # fmt: skip
    return d.finish(text, stage="confirming", progress=progress, confidence=0.9)


def _too_big(found: dict[str, Any]) -> bool:
    """No table or joined group seats the party on any day: a person arranges it."""
    refusal = found.get("refusal")
    return refusal == "party_too_large" or (refusal == "no_table" and not found["alternatives"])


def _forget_bad_slot(slots: dict[str, Any], error: str) -> None:
    lowered = error.lower()
    victim = "party_size" if "party" in lowered else "date" if "date" in lowered else "time"
    slots.pop(victim, None)


def _offer(d: Dialogue, day: dt.date, clock: dt.time, party: int,
           alternatives: list[dict[str, Any]], reason: str | None) -> Reply:  # fmt: skip
    when, size = d.when(day, clock), phrases.party(d.lang, party)
    d.ctx["checked"] = None
    if not alternatives:
        d.slots.pop("time", None)
        d.ctx["awaiting"] = "time"
        return d.finish(d.say("unavailable_none", when=when, party=size,
                              reason=reason or "-"),
                        stage="collecting", progress=False, success=False)  # fmt: skip
    d.ctx["alternatives"] = alternatives
    d.ctx["alternatives_offered"] = d.ctx.get("alternatives_offered", 0) + len(alternatives)
    labels = [phrases.option(d.lang, dt.date.fromisoformat(a["date"]), a["time"],
                       a["date"] == day.isoformat()) for a in alternatives]  # fmt: skip
    text = d.say("unavailable", when=when, party=size, options=phrases.options(d.lang, labels))
    return d.finish(text, stage="alternatives", progress=True, activity="alternative_suggestion",
                    alternatives=len(alternatives))  # fmt: skip


def _pick_alternative(d: Dialogue) -> Reply | None:
    """The guest's choice among the offered times, or None to let other rules read it."""
    offered: list[dict[str, Any]] = d.ctx["alternatives"]
    index = cues.ordinal(d.text)
    choice = offered[index] if index is not None and index < len(offered) else None
    p = d.parsed
    if choice is None and p.time is not None:
        wanted = p.time.strftime("%H:%M")
        matches = [a for a in offered if a["time"] == wanted
                   and (p.date is None or a["date"] == p.date.isoformat())]  # fmt: skip
        choice = matches[0] if matches else None
    if choice is not None:
        d.slots.update(date=choice["date"], time=choice["time"])
        d.ctx["alternatives"] = []
        return _advance(d)
    if p.intent in ("cancel", "modify", "info"):
        return None
    if _merge_slots(d):
        d.ctx["alternatives"] = []
        return _advance(d)
    labels = [phrases.option(d.lang, dt.date.fromisoformat(a["date"]), a["time"], False)
              for a in offered]  # fmt: skip
    text = d.say("pick_alternative", options=phrases.options(d.lang, labels))
    return d.finish(text, stage="alternatives", progress=False)


def _confirm_booking(d: Dialogue) -> Reply:
    if cues.is_no(d.text):
        if _merge_slots(d):
            return _advance(d)
        return d.finish(d.say("what_change"), stage="collecting", progress=True)
    if not cues.is_yes(d.text):
        if _merge_slots(d):
            return _advance(d)
        if d.parsed.intent in ("cancel", "modify", "info"):
            d.stage = "collecting"
            return _route(d)
        return _advance(d, progress=False)
    slots = d.slots
    wishes = ", ".join(slots.get("requests") or []) or None
    result = d.tool("create_reservation", date=slots["date"], time=slots["time"],
                    special_requests=wishes,
                    party_size=int(slots["party_size"]), name=slots["name"],
                    phone=slots["phone"], confidence=0.9)  # fmt: skip
    day, clock = dt.date.fromisoformat(slots["date"]), dt.time.fromisoformat(slots["time"])
    if not result.get("ok"):
        if result.get("blocked"):
            return offline_flows.hand_off(d, "guest on the blocked list")
        if result.get("alternatives"):
            return _offer(d, day, clock, int(slots["party_size"]), result["alternatives"],
                          result.get("error"))  # fmt: skip
        d.ctx["checked"] = None
        return d.finish(d.say("failed", reason=result.get("error")),
                        stage="collecting", progress=False, success=False)  # fmt: skip
    code = result["confirmation_code"]
    text = d.say("booked", party=phrases.party(d.lang, int(slots["party_size"])),
                 when=d.when(day, clock), code=code)  # fmt: skip
    reply = d.finish(text, stage="greeting", progress=True, confidence=0.95, quality=5,
                     activity="booking_attempt", resolution="booked")  # fmt: skip
    reply.booking_completed = True
    reply.confirmation_code = code
    reply.reservation_id = int(result["reservation_id"])
    reply.notes = {"alternatives_offered": d.ctx.get("alternatives_offered", 0),
                   "flow_turns": d.ctx.get("flow_turns", 0)}  # fmt: skip
    d.end_flow(last_code=code, guest_id=result.get("guest_id"))
    return reply
