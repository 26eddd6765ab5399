"""Sofia's tools: the booking engine's services behind validated, JSON-friendly calls.

Every engine (the offline rules, an LLM with tool calling) acts only through these. Each tool
validates its arguments, calls the one booking path (app/services) and returns the engine's real
answer as a plain dict: ``{"ok": True, ...}`` or ``{"ok": False, "error": "..."}`` with the
service's own message (and ``alternatives`` when a time is taken). ``TOOL_SCHEMAS`` describes
them in the OpenAI tools format; ``SofiaTools.call(name, arguments)`` runs one by name.

Guardrails live here, not in the engine: a conversation only sees and changes the reservations of
its own guest (matched by phone or made in this conversation), and a cancellation needs a
confirmation turn — ``cancel_reservation(confirm=True)`` is refused unless an earlier turn of the
same conversation asked for it.

Threading: a ``SofiaTools`` belongs to one turn on one thread; each call opens its own unit of
work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select

from app.db.enums import BLOCKING_STATUSES, ReservationSource
from app.db.models import Guest, Reservation, Restaurant
from app.domain import fields
from app.domain.phones import normalize_phone
from app.errors import GuestBlocked, InvalidInput, NotAvailable, ToBeOutError
from app.services.availability import check_availability
from app.services.booking import BookingRequest, book
from app.services.database import Database
from app.services.guest_allergies import record_allergies
from app.services.guest_views import guest_profile
from app.services.lifecycle import change_status, reschedule
from app.services.reservation_views import ReservationView, load_views
from app.services.service_hours_view import service_hours
from app.sofia.tool_schemas import TOOL_SCHEMAS

__all__ = ["TOOL_SCHEMAS", "SofiaTools"]

MAX_ALTERNATIVES = 3
CANCEL_REASON = "Cancelled by the guest in a chat with Sofia"


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"date must be YYYY-MM-DD, not {value!r}.") from None


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"time must be HH:MM, not {value!r}.") from None


def _party(value: Any) -> int:
    return fields.integer(value, "party size", minimum=1, maximum=100)


def _allergy_list(value: Any) -> list[str]:
    if value in (None, "", []):
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidInput("allergies must be a list of words.")
    return list(fields.text_list([str(item) for item in items], "allergies"))


def reservation_dict(view: ReservationView) -> dict[str, Any]:
    """What a guest may know about their booking (no tables' notes, no other guests)."""
    return {
        "confirmation_code": view.confirmation_code,
        "date": view.date.isoformat(),
        "time": view.time.strftime("%H:%M"),
        "party_size": view.party_size,
        "name": view.guest_name,
        "status": view.status.value,
        "reservation_id": view.id,
        "guest_id": view.guest_id,
    }


class SofiaTools:
    """The tools of one conversation turn; ``state`` is the conversation context (mutated)."""

    def __init__(
        self,
        db: Database,
        restaurant_id: int,
        *,
        conversation_id: int | None,
        platform: str,
        now: dt.datetime,
        state: dict[str, Any],
        region: str = "RU",
    ) -> None:
        self.db = db
        self.restaurant_id = restaurant_id
        self.conversation_id = conversation_id
        self.platform = platform
        self.now = now
        self.state = state
        self.region = region
        self.calls: list[dict[str, Any]] = []
        self.handoff_reason: str | None = None
        self.booked: dict[str, Any] | None = None

    # -- dispatch -------------------------------------------------------------------------

    def call(self, name: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run tool ``name`` with JSON ``arguments``; errors come back as ``ok: False``."""
        handler: Callable[..., dict[str, Any]] | None = getattr(self, name, None)
        if name not in TOOL_NAMES or handler is None:
            result: dict[str, Any] = {"ok": False, "error": f"There is no tool {name!r}."}
        else:
            try:
                result = handler(**(arguments or {}))
            except TypeError as exc:
                result = {"ok": False, "error": f"Bad arguments for {name}: {exc}"}
            except GuestBlocked:
                # Never tell a guest why (the staff note may say it): a person takes over.
                result = {"ok": False, "blocked": True,
                          "error": "This booking needs a member of our staff."}  # fmt: skip
            except NotAvailable as exc:
                result = {"ok": False, "error": exc.message,
                          "alternatives": _alts(exc.alternatives)}  # fmt: skip
            except ToBeOutError as exc:
                result = {"ok": False, "error": exc.message}
        self.calls.append({"tool": name, "arguments": _jsonable(arguments or {}),
                           "ok": bool(result.get("ok"))})  # fmt: skip
        return result

    # -- availability ---------------------------------------------------------------------

    def check_availability(self, date: Any, time: Any, party_size: Any) -> dict[str, Any]:
        day, clock, party = _date(date), _time(time), _party(party_size)
        result = check_availability(self.db, self.restaurant_id, day, party, time=clock,
                                    now=self.now)  # fmt: skip
        requested = result.requested
        available = bool(requested and requested.available)
        reason = None
        if not available:
            reason = result.closed or (requested.message if requested else None)
            reason = reason or "That time is outside the seating hours."
        return {
            "ok": True, "available": available, "date": day.isoformat(),
            "time": clock.strftime("%H:%M"), "party_size": party, "reason": reason,
            "refusal": requested.reason if requested and not available else None,
            "alternatives": _alts(result.alternatives),
        }  # fmt: skip

    def suggest_alternatives(self, date: Any, time: Any, party_size: Any) -> dict[str, Any]:
        found = self.check_availability(date, time, party_size)
        return {"ok": True, "alternatives": found["alternatives"]}

    # -- reservations ---------------------------------------------------------------------

    def create_reservation(
        self,
        date: Any,
        time: Any,
        party_size: Any,
        name: Any,
        phone: Any,
        special_requests: Any = None,
        confidence: Any = None,
        allergies: Any = None,
    ) -> dict[str, Any]:
        clean_name = fields.required_text(name, "guest name", max_length=200)
        e164 = normalize_phone(str(phone or ""), self.region)
        source = (self.platform if self.platform in {s.value for s in ReservationSource}
                  and self.platform != "web" else ReservationSource.AI_ASSISTANT.value)  # fmt: skip
        score = None if confidence is None else fields.number(confidence, "confidence")
        request = BookingRequest(
            restaurant_id=self.restaurant_id, date=_date(date), time=_time(time),
            party_size=_party(party_size), name=clean_name, phone=e164,
            special_requests=fields.text(special_requests, "special requests", max_length=1000),
            source=source, status="confirmed", conversation_id=self.conversation_id,
            ai_confidence=None if score is None else max(0.0, min(1.0, score)),
        )  # fmt: skip
        result = book(self.db, request, actor="sofia", now=self.now)
        named = _allergy_list(allergies) + list(self.state.pop("pending_allergies", []))
        if named:
            record_allergies(self.db, result.reservation.guest_id, named, now=self.now)
        answer = {"ok": True, **reservation_dict(result.reservation)}
        self.booked = answer
        return answer

    def find_reservation(self, code: Any = None) -> dict[str, Any]:
        """The guest's own upcoming bookings (or the one with ``code``, if it is theirs)."""
        views = self._own_reservations(code)
        if not views:
            return {"ok": False, "error": "No upcoming reservation of yours was found.",
                    "reservations": []}  # fmt: skip
        return {"ok": True, "reservations": [reservation_dict(v) for v in views]}

    def modify_reservation(
        self, code: Any, date: Any = None, time: Any = None, party_size: Any = None
    ) -> dict[str, Any]:
        current = self._one_own(code)
        new_date = _date(date) if date else current.date
        new_time = _time(time) if time else current.time
        party = _party(party_size) if party_size else current.party_size
        view = reschedule(
            self.db, current.confirmation_code, date=new_date, time=new_time, party_size=party,
            actor="sofia", reason="Changed by the guest in a chat with Sofia", now=self.now,
        )  # fmt: skip
        return {"ok": True, "previous_code": current.confirmation_code, **reservation_dict(view)}

    def cancel_reservation(
        self, code: Any, confirm: Any = False, reason: Any = None
    ) -> dict[str, Any]:
        current = self._one_own(code)
        turn = int(self.state.get("turns", 0))
        pending = self.state.get("pending_cancel") or {}
        confirmed = confirm if isinstance(confirm, bool) else fields.boolean(confirm, "confirm")
        if not confirmed:
            self.state["pending_cancel"] = {"code": current.confirmation_code, "turn": turn}
            return {"ok": False, "needs_confirmation": True, **reservation_dict(current),
                    "error": "Ask the guest to confirm the cancellation first."}  # fmt: skip
        if pending.get("code") != current.confirmation_code or pending.get("turn", turn) >= turn:
            self.state["pending_cancel"] = {"code": current.confirmation_code, "turn": turn}
            return {"ok": False, "needs_confirmation": True, **reservation_dict(current),
                    "error": "The guest has not confirmed this cancellation yet."}  # fmt: skip
        why = fields.text(reason, "reason", max_length=500) or CANCEL_REASON
        view = change_status(self.db, current.confirmation_code, "cancelled", actor="sofia",
                             reason=why, now=self.now)  # fmt: skip
        self.state.pop("pending_cancel", None)
        return {"ok": True, **reservation_dict(view)}

    # -- guest and restaurant -------------------------------------------------------------

    def note_allergies(self, allergies: Any) -> dict[str, Any]:
        """Saved on the guest and their upcoming bookings; kept for the booking if unknown."""
        named = _allergy_list(allergies)
        if not named:
            return {"ok": False, "error": "Name at least one allergy."}
        guest_id = self._guest_id()
        if guest_id is None:
            pending = list(self.state.get("pending_allergies", []))
            self.state["pending_allergies"] = pending + [a for a in named if a not in pending]
            return {"ok": True, "saved": False, "allergies": named,
                    "note": "Kept for the booking: the guest is not known yet."}  # fmt: skip
        saved = record_allergies(self.db, guest_id, named, now=self.now)
        return {"ok": True, "saved": True, "allergies": list(saved)}

    def get_guest_profile(self) -> dict[str, Any]:
        guest_id = self._guest_id()
        if guest_id is None:
            return {"ok": False, "error": "The guest is not known yet (no phone number)."}
        profile = guest_profile(self.db, guest_id)
        g = profile.guest
        return {
            "ok": True, "name": g.name, "visit_count": g.visit_count, "vip_status":
            g.vip_status.value if g.vip_status else None, "allergies": list(g.allergies),
            "preferred_times": list(g.preferred_times),
            "average_party_size": g.average_party_size, "no_shows": profile.no_shows,
            "upcoming": [reservation_dict(v) for v in profile.reservations
                         if v.date >= self._today() and v.status in BLOCKING_STATUSES],
        }  # fmt: skip

    def get_restaurant_info(self, date: Any = None) -> dict[str, Any]:
        first = _date(date) if date else self._today()
        with self.db.unit_of_work() as uow:
            restaurant = uow.session.get(Restaurant, self.restaurant_id)
            if restaurant is None:
                return {"ok": False, "error": "Unknown restaurant."}
            settings = restaurant.settings or {}
            facts = {
                "name": restaurant.name, "address": restaurant.address,
                "phone": restaurant.phone, "cuisine": restaurant.cuisine,
                "description": restaurant.description, "menu_notes": settings.get("menu_notes"),
                "timezone": restaurant.timezone,
            }  # fmt: skip
        hours = []
        for offset in range(1 if date else 7):
            day = first + dt.timedelta(days=offset)
            info = service_hours(self.db, self.restaurant_id, day)
            zone = _zone(info.timezone)
            windows = [f"{w.opens_at.astimezone(zone):%H:%M}-{w.closes_at.astimezone(zone):%H:%M}"
                       for w in info.windows]  # fmt: skip
            hours.append({"date": day.isoformat(), "weekday": day.strftime("%A"),
                          "open": windows})  # fmt: skip
        return {"ok": True, **facts, "hours": hours}

    def hand_off_to_human(self, reason: Any = None) -> dict[str, Any]:
        self.handoff_reason = fields.text(reason, "reason", max_length=500) or "requested"
        return {"ok": True, "handoff": True, "reason": self.handoff_reason}

    # -- helpers --------------------------------------------------------------------------

    def _today(self) -> dt.date:
        with self.db.unit_of_work() as uow:
            restaurant = uow.session.get(Restaurant, self.restaurant_id)
            tz = restaurant.timezone if restaurant else "Europe/Moscow"
        return self.now.astimezone(_zone(tz)).date()

    def guest_phone(self) -> str | None:
        raw = (self.state.get("slots") or {}).get("phone") or self.state.get("channel_phone")
        if not raw:
            return None
        try:
            return normalize_phone(str(raw), self.region)
        except InvalidInput:
            return None

    def _guest_id(self) -> int | None:
        phone = self.guest_phone()
        if phone is None:
            return None
        with self.db.unit_of_work() as uow:
            return uow.session.scalar(
                select(Guest.id).where(Guest.restaurant_id == self.restaurant_id,
                                       Guest.phone == phone)
            )  # fmt: skip

    def _own_reservations(self, code: Any = None) -> list[ReservationView]:
        phone = self.guest_phone()
        mine = [Reservation.conversation_id == self.conversation_id] if self.conversation_id else []
        if phone:
            mine.append(Guest.phone == phone)
        if not mine:
            return []
        conditions: list[Any] = [
            Reservation.restaurant_id == self.restaurant_id, or_(*mine),
            Reservation.status.in_(sorted(BLOCKING_STATUSES)),
        ]  # fmt: skip
        if code:
            conditions.append(Reservation.confirmation_code == "".join(
                ch for ch in str(code).upper() if ch.isalnum()))  # fmt: skip
        else:
            conditions.append(Reservation.date >= self._today())
        with self.db.unit_of_work() as uow:
            return load_views(uow.session, *conditions)

    def _one_own(self, code: Any) -> ReservationView:
        if not code:
            raise InvalidInput("Which reservation? A confirmation code is needed.")
        views = self._own_reservations(code)
        if not views:
            raise InvalidInput(f"No reservation {str(code).strip()!r} was found for you.")
        return views[0]


TOOL_NAMES = frozenset(schema["function"]["name"] for schema in TOOL_SCHEMAS)


def _alts(alternatives: Any) -> list[dict[str, Any]]:
    out = []
    for alt in tuple(alternatives or ())[:MAX_ALTERNATIVES]:
        to_json = getattr(alt, "to_json", None)
        if to_json is not None:
            document = to_json()
            out.append({"date": document["date"], "time": document["time"]})
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
