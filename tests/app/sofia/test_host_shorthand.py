"""A host typing to Sofia in one line: "party of 4 tomorrow 19:30 by the window for Ivanov …"."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db.models import Guest, Reservation
from app.services.database import Database
from tests.app.services.conftest import Place, create_place
from tests.app.sofia.test_conversation_booking import Chat, rows


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


@pytest.mark.parametrize(
    ("line", "name", "phone"),
    [
        ("party of 4 on Friday 19:30 by the window for Ivanov +7 916 123-45-67",
         "Ivanov", "+79161234567"),
        ("столик на четверых в пятницу в 19:30 у окна на Петрова +7 916 222-33-44",
         "Петрова", "+79162223344"),
    ],
)  # fmt: skip
def test_one_line_books_with_the_name_phone_and_wish(
    place: Place, line: str, name: str, phone: str
) -> None:
    chat = Chat(place.db, place.restaurant_id, platform="web", user="host-1")
    ask = chat.say(line)
    assert ask.stage == "confirming", ask.text
    assert chat.say("yes" if "party" in line else "да").confirmation_code
    [booking] = rows(place.db, Reservation)
    [guest] = rows(place.db, Guest)
    assert (guest.name, guest.phone) == (name, phone)
    assert booking.time == dt.time(19, 30) and booking.guests == 4
    assert "window" in (booking.special_requests or "")


def test_for_a_weekday_is_not_a_name(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, phone="+79161234567")
    reply = chat.say("a table for Friday at 19:00 for 2")
    assert "name" in reply.text.lower()
