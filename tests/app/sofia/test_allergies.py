"""Allergies mentioned in a chat reach the guest's profile and the kitchen's booking flags."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db.models import Guest, Reservation
from app.services.database import Database
from app.services.guest_allergies import flagged_requests, record_allergies
from app.sofia.parsing.allergies import find_allergies, without_allergies
from app.sofia.tool_schemas import TOOL_SCHEMAS
from tests.app.services.conftest import Place, create_place
from tests.app.sofia.test_conversation_booking import Chat, rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm allergic to peanuts and shellfish", ("peanuts", "shellfish")),
        ("nut allergy, table for 2", ("nuts",)),
        ("у меня аллергия на орехи", ("nuts",)),
        ("непереносимость лактозы", ("lactose",)),
        ("severe allergy to kiwi fruit please", ("kiwi fruit",)),
        ("my wife is allergic to fish. Table at 8", ("fish",)),
        ("I love shrimp and nuts", ()),
        ("столик у окна", ()),
    ],
)
def test_allergies_are_read_only_when_named_as_such(text: str, expected: tuple[str, ...]) -> None:
    assert find_allergies(text) == expected


def test_an_allergy_clause_is_not_part_of_a_name() -> None:
    assert without_allergies("Anna Smith, I am allergic to peanuts") == "Anna Smith"


def test_flags_merge_into_one_allergy_part() -> None:
    assert (
        flagged_requests("Cake | ALLERGY: nuts", ["Fish", "nuts"]) == "Cake | ALLERGY: nuts, Fish"
    )
    assert flagged_requests(None, []) is None


def test_the_tool_is_offered_to_the_language_model() -> None:
    names = {s["function"]["name"] for s in TOOL_SCHEMAS}
    assert "note_allergies" in names


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


def test_an_allergy_said_before_booking_is_on_the_guest_and_the_booking(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, phone="+79161234567")
    first = chat.say("Hi! I'm allergic to peanuts")
    assert "peanuts" in first.text
    chat.say("table for 2 on Friday at 19:00, my name is Anna")
    assert chat.say("yes").confirmation_code
    [guest] = rows(place.db, Guest)
    [booking] = rows(place.db, Reservation)
    assert guest.allergies == ["peanuts"]
    assert "ALLERGY: peanuts" in (booking.special_requests or "")


def test_an_allergy_said_after_booking_flags_the_upcoming_booking(place: Place) -> None:
    booked = place.book(name="Ivan", phone="+79031234567", special_requests="Window")
    chat = Chat(place.db, place.restaurant_id, phone="+79031234567")
    reply = chat.say("забыл сказать: у сына аллергия на рыбу")
    assert "рыба" in reply.text and reply.language == "ru"
    [booking] = rows(place.db, Reservation, Reservation.id == booked.reservation.id)
    assert booking.special_requests == "Window | ALLERGY: fish"
    [guest] = rows(place.db, Guest, Guest.id == booked.reservation.guest_id)
    assert guest.allergies == ["fish"]


def test_recording_twice_keeps_one_of_each(place: Place) -> None:
    view = place.book().reservation
    record_allergies(
        place.db, view.guest_id, ["Nuts"], now=dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    )
    saved = record_allergies(place.db, view.guest_id, ["nuts", "eggs"])
    assert saved == ("nuts", "eggs")
