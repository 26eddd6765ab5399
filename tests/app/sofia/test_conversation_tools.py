"""Sofia's tools: OpenAI-format schemas, validated arguments, the engine's real answers."""

from __future__ import annotations

import pytest

from app.services.database import Database
from app.sofia.engine import SofiaEngine
from app.sofia.offline_engine import OfflineEngine
from app.sofia.tools import TOOL_SCHEMAS, SofiaTools
from tests.app.services.conftest import NOW, Place, create_place

EXPECTED = {"check_availability", "suggest_alternatives", "create_reservation",
            "find_reservation", "modify_reservation", "cancel_reservation",
            "get_guest_profile", "get_restaurant_info", "hand_off_to_human",
            "note_allergies"}  # fmt: skip


def test_schemas_follow_the_openai_tools_format() -> None:
    assert {s["function"]["name"] for s in TOOL_SCHEMAS} == EXPECTED
    for schema in TOOL_SCHEMAS:
        assert schema["type"] == "function"
        params = schema["function"]["parameters"]
        assert params["type"] == "object" and set(params["required"]) <= set(params["properties"])
    assert isinstance(OfflineEngine(), SofiaEngine)


@pytest.fixture
def tools(db: Database) -> tuple[Place, SofiaTools]:
    place = create_place(db)
    state = {"turns": 1, "channel_phone": "+79161234567"}
    return place, SofiaTools(db, place.restaurant_id, conversation_id=None, platform="telegram",
                             now=NOW, state=state)  # fmt: skip


def test_tools_validate_arguments(tools: tuple[Place, SofiaTools]) -> None:
    _, t = tools
    assert "date" in t.call("check_availability", {"date": "Friday", "time": "19:00",
                                                   "party_size": 2})["error"]  # fmt: skip
    assert t.call("check_availability", {"date": "2026-11-27"})["ok"] is False
    assert "party size" in t.call("check_availability", {"date": "2026-11-27", "time": "19:00",
                                                         "party_size": 0})["error"]  # fmt: skip
    assert t.call("drop_tables", {})["ok"] is False
    assert t.call("create_reservation", {"date": "2026-11-27", "time": "19:00",
                                         "party_size": 2, "name": "", "phone": "+79161234567"}
                  )["ok"] is False  # fmt: skip


def test_tools_return_the_engines_answers(tools: tuple[Place, SofiaTools]) -> None:
    place, t = tools
    free = t.call("check_availability", {"date": "2026-11-27", "time": "19:00", "party_size": 2})
    assert free["ok"] and free["available"]
    made = t.call("create_reservation", {"date": "2026-11-27", "time": "19:00", "party_size": 2,
                                         "name": "Anna", "phone": "+79161234567"})  # fmt: skip
    assert made["ok"] and made["confirmation_code"]
    assert (
        t.call("find_reservation", {})["reservations"][0]["confirmation_code"]
        == made["confirmation_code"]
    )
    profile = t.call("get_guest_profile", {})
    assert profile["name"] == "Anna" and profile["upcoming"]
    info = t.call("get_restaurant_info", {"date": "2026-11-27"})
    assert info["name"] == "Test Bistro" and info["hours"][0]["open"] == [
        "12:00-15:00",
        "18:00-01:00",
    ]
    closed = t.call("check_availability", {"date": "2026-11-29", "time": "19:00",
                                           "party_size": 2})  # fmt: skip
    assert closed["available"] is False and closed["reason"]
    assert t.call("hand_off_to_human", {"reason": "asked"})["handoff"]


def test_other_guests_reservations_are_invisible(tools: tuple[Place, SofiaTools]) -> None:
    place, t = tools
    theirs = place.book(phone="+79160000000", name="Someone Else").reservation.confirmation_code
    assert t.call("find_reservation", {"code": theirs})["ok"] is False
    assert t.call("cancel_reservation", {"code": theirs, "confirm": False})["ok"] is False
    assert "Someone" not in str(t.call("find_reservation", {}))
