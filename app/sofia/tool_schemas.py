"""Sofia's tools described in the OpenAI Chat Completions ``tools`` format.

An LLM engine sends ``TOOL_SCHEMAS`` with every request and runs the calls it gets back through
``SofiaTools.call(name, arguments)``; the offline engine calls the same methods directly.
"""

from __future__ import annotations

from typing import Any

_DATE = {"type": "string", "description": "Date as YYYY-MM-DD (restaurant's local date)"}
_TIME = {"type": "string", "description": "Local time as HH:MM (24-hour clock)"}
_PARTY = {"type": "integer", "minimum": 1, "maximum": 100, "description": "Number of guests"}
_CODE = {"type": "string", "description": "The reservation's confirmation code"}
_ALLERGIES = {"type": "array", "items": {"type": "string"},
              "description": "Allergies the guest named, e.g. [\"peanuts\"]"}  # fmt: skip


def _tool(name: str, description: str, properties: dict[str, Any],
          required: list[str]) -> dict[str, Any]:  # fmt: skip
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            },
        },
    }


TOOL_SCHEMAS: list[dict[str, Any]] = [
    _tool("check_availability",
          "Is a table free for this party at this date and time? Returns alternatives if not.",
          {"date": _DATE, "time": _TIME, "party_size": _PARTY},
          ["date", "time", "party_size"]),
    _tool("suggest_alternatives",
          "The nearest bookable times to the requested one (same day first, then next days).",
          {"date": _DATE, "time": _TIME, "party_size": _PARTY},
          ["date", "time", "party_size"]),
    _tool("create_reservation",
          "Book a table once the guest has confirmed every detail.",
          {"date": _DATE, "time": _TIME, "party_size": _PARTY,
           "name": {"type": "string", "description": "Guest's name"},
           "phone": {"type": "string", "description": "Guest's phone, ideally +E.164"},
           "special_requests": {"type": "string", "description": "Wishes and occasion"},
           "allergies": _ALLERGIES,
           "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                          "description": "How sure you are of the details (0-1)"}},
          ["date", "time", "party_size", "name", "phone"]),
    _tool("find_reservation",
          "The guest's own upcoming reservations, or the one with this code if it is theirs.",
          {"code": _CODE}, []),
    _tool("modify_reservation",
          "Move the guest's reservation to another date/time or change the party size.",
          {"code": _CODE, "date": _DATE, "time": _TIME, "party_size": _PARTY}, ["code"]),
    _tool("cancel_reservation",
          "Cancel the guest's reservation. Call first with confirm=false, ask the guest, and "
          "only in a later turn, after an explicit yes, call again with confirm=true.",
          {"code": _CODE, "confirm": {"type": "boolean"},
           "reason": {"type": "string", "description": "Why the guest cancels"}},
          ["code", "confirm"]),
    _tool("note_allergies",
          "Save allergies the guest mentions on their profile and flag their upcoming "
          "bookings for the kitchen.", {"allergies": _ALLERGIES}, ["allergies"]),
    _tool("get_guest_profile",
          "The current guest's profile: name, visits, usual party and times, allergies, "
          "upcoming bookings.", {}, []),
    _tool("get_restaurant_info",
          "Name, address, phone, cuisine, menu notes and opening hours (a date, or the week).",
          {"date": _DATE}, []),
    _tool("hand_off_to_human",
          "Pass the conversation to a human host (the guest asks for one, or is upset).",
          {"reason": {"type": "string"}}, []),
]  # fmt: skip
