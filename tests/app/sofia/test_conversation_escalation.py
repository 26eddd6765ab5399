"""Sofia steps back for what a person must decide: a party no table seats, a blocked guest."""

from __future__ import annotations

import pytest

from app.db.models import ConversationThread, Reservation
from app.services.database import Database
from app.services.guest_admin import set_blacklisted
from tests.app.services.conftest import Place, create_place
from tests.app.sofia.test_conversation_booking import Chat, rows


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


def test_a_party_no_table_seats_goes_to_a_person(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, phone="+79161234567")
    reply = chat.say("table for 30 people on Friday at 19:00")
    assert reply.handoff
    [thread] = rows(place.db, ConversationThread)
    assert thread.agent_handoff
    assert rows(place.db, Reservation) == []


def test_a_blocked_guest_is_handed_over_without_being_told_why(place: Place) -> None:
    guest_id = place.book(name="Boris Blocked", phone="+79160000099").reservation.guest_id
    set_blacklisted(place.db, guest_id, True, reason="Broke two chairs; never again")
    before = len(rows(place.db, Reservation))
    chat = Chat(place.db, place.restaurant_id, phone="+79160000099")
    chat.say("table for 2 on Friday at 20:00, my name is Boris")
    if chat.replies[-1].stage != "confirming":
        chat.say("+79160000099")
    reply = chat.say("yes")
    assert reply.handoff
    said = " ".join(r.text for r in chat.replies).lower()
    assert "chair" not in said and "blocked" not in said
    assert len(rows(place.db, Reservation)) == before
    [thread] = rows(place.db, ConversationThread)
    assert thread.agent_handoff
