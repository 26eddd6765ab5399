"""The offline engine's other requests: cancel (with a confirmation turn), change, opening
hours and address, and the hand-off to a human."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from app.sofia import cues, phrases
from app.sofia.dialogue import Dialogue
from app.sofia.engine import Reply


def hand_off(d: Dialogue, reason: str) -> Reply:
    d.tool("hand_off_to_human", reason=reason)
    return d.finish(d.say("handoff"), progress=True, confidence=0.9, quality=3,
                    handoff=True, resolution="handoff")  # fmt: skip


def _describe(d: Dialogue, booking: dict[str, Any]) -> dict[str, str]:
    day = dt.date.fromisoformat(booking["date"])
    clock = dt.time.fromisoformat(booking["time"])
    return {"code": booking["confirmation_code"], "when": d.when(day, clock),
            "party": phrases.party(d.lang, int(booking["party_size"]))}  # fmt: skip


def _find_own(d: Dialogue) -> dict[str, Any] | None:
    """The guest's booking this message is about: a code, the last one made here, or by phone."""
    if d.parsed.phone:
        d.slots["phone"] = d.parsed.phone
    code = cues.confirmation_code(d.text) or d.ctx.get("last_code")
    found = d.tool("find_reservation", code=code) if code else {"ok": False}
    if not found.get("ok"):
        found = d.tool("find_reservation")
    reservations = found.get("reservations") or []
    return reservations[0] if reservations else None


def start_cancel(d: Dialogue) -> Reply:
    d.start_flow("cancel")
    booking = _find_own(d)
    if booking is None:
        d.ctx["awaiting"] = "reservation"
        return d.finish(d.say("cancel_which"), stage="collecting", progress=True)
    d.tool("cancel_reservation", code=booking["confirmation_code"], confirm=False)
    return d.finish(d.say("cancel_confirm", **_describe(d, booking)),
                    stage="confirming", progress=True, confidence=0.9)  # fmt: skip


def start_modify(d: Dialogue) -> Reply:
    d.start_flow("modify")
    booking = _find_own(d)
    if booking is None:
        d.ctx["awaiting"] = "reservation"
        return d.finish(d.say("modify_which"), stage="collecting", progress=True)
    d.ctx["modify"] = {k: booking[k] for k in ("confirmation_code", "date", "time", "party_size")}
    return _modify_details(d) or d.finish(
        d.say("modify_what", **_describe(d, booking)),
        stage="collecting",
        progress=True,
    )


def _modify_details(d: Dialogue) -> Reply | None:
    """The change the message asks for, put to the guest for confirmation."""
    p, change = d.parsed, d.ctx["modify"]
    if not (p.date or p.time or p.party_size):
        return None
    if p.date:
        change["date"] = p.date.isoformat()
    if p.time:
        change["time"] = p.time.strftime("%H:%M")
    if p.party_size:
        change["party_size"] = p.party_size
    return d.finish(d.say("modify_confirm", **_describe(d, change)),
                    stage="confirming", progress=True, confidence=0.85)  # fmt: skip


def resume(d: Dialogue, flow: str) -> Reply | None:
    """A cancel or change waiting for which booking, or for what to change."""
    if d.ctx.get("awaiting") == "reservation":
        if cues.confirmation_code(d.text) or d.parsed.phone:
            return start_cancel(d) if flow == "cancel" else start_modify(d)
        return None
    if flow == "modify" and d.ctx.get("modify"):
        return _modify_details(d)
    return None


def confirm(d: Dialogue, flow: str) -> Reply:
    if flow == "modify" and not cues.is_yes(d.text):
        corrected = _modify_details(d)  # the guest corrected the change: ask again
        if corrected is not None:
            return corrected
    if cues.is_no(d.text) or not cues.is_yes(d.text):
        if not cues.is_no(d.text):
            return d.finish(d.say("not_understood"), progress=False, quality=2)
        code = (d.ctx.get("pending_cancel") or d.ctx.get("modify") or {}).get(
            "code" if flow == "cancel" else "confirmation_code", ""
        )
        d.end_flow()
        return d.finish(d.say("cancel_kept", code=code), stage="greeting")
    if flow == "cancel":
        code = (d.ctx.get("pending_cancel") or {}).get("code")
        result = d.tool("cancel_reservation", code=code, confirm=True)
        if not result.get("ok"):
            d.end_flow()
            return d.finish(d.say("failed", reason=result.get("error")),
                            stage="greeting", success=False, progress=False)  # fmt: skip
        d.end_flow()
        return d.finish(d.say("cancelled", code=code), stage="greeting",
                        confidence=0.95, quality=5, resolution="cancelled")  # fmt: skip
    change = d.ctx["modify"]
    result = d.tool("modify_reservation", code=change["confirmation_code"], date=change["date"],
                    time=change["time"], party_size=int(change["party_size"]))  # fmt: skip
    if not result.get("ok"):
        return d.finish(d.say("failed", reason=result.get("error")),
                        stage="collecting", success=False, progress=False)  # fmt: skip
    d.end_flow(last_code=result["confirmation_code"])
    reply = d.finish(d.say("modified", **_describe(d, result)), stage="greeting",
                     confidence=0.95, quality=5, resolution="modified")  # fmt: skip
    reply.confirmation_code = result["confirmation_code"]
    reply.intent = "modify"
    return reply


def info(d: Dialogue, then: Callable[[Dialogue, str], Reply] | None = None) -> Reply:
    """Opening hours (of a day, or the week) and the address; a booking in progress goes on."""
    asked = d.parsed.date
    found = d.tool("get_restaurant_info", date=asked.isoformat() if asked else None)
    if not found.get("ok"):
        return d.finish(d.say("failed", reason=found.get("error")), success=False)
    days = []
    for day in found["hours"]:
        label = phrases.weekday(d.lang, dt.date.fromisoformat(day["date"]))
        days.append(f"{label} {', '.join(day['open']) or d.say('closed')}")
    address = d.say("address", address=found["address"]) if found.get("address") else ""
    text = d.say("hours", name=found["name"], hours="; ".join(days), address=address)
    if then is not None:
        return then(d, text + " ")
    reply = d.finish(text, progress=True, confidence=0.9)
    reply.intent = "info"
    return reply
