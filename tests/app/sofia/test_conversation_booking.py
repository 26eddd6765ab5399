"""Sofia's offline dialogue books real tables: English, Russian, slot by slot, alternatives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from app.db.enums import BookingComplexity, ReservationSource, Sentiment
from app.db.models import AiActivity, ConversationThread, Guest, Message, Reservation
from app.services.database import Database
from app.sofia.assistant import SofiaReply, handle_message
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place


@dataclass
class Chat:
    """One guest on one channel, talking to Sofia at a fixed clock."""

    db: Database
    restaurant_id: int
    platform: str = "telegram"
    user: str = "tg-100"
    phone: str | None = None
    replies: list[SofiaReply] = field(default_factory=list)

    def say(self, text: str, **kw: Any) -> SofiaReply:
        reply = handle_message(
            self.db, self.restaurant_id, self.platform, self.user, text, now=kw.pop("now", NOW),
            phone=kw.pop("phone", self.phone), **kw,
        )  # fmt: skip
        self.replies.append(reply)
        return reply


def rows(db: Database, model: Any, *where: Any) -> list[Any]:
    with db.unit_of_work() as uow:
        found = list(uow.session.scalars(select(model).where(*where)))
        uow.session.expunge_all()
        return found


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


def test_full_english_booking_ends_in_a_reservation(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id)
    assert "Sofia" in chat.say("Hello!").text
    reply = chat.say("I'd like a table for 4 this Friday at 7pm")
    assert reply.stage == "collecting" and "name" in reply.text.lower()
    assert "available" in reply.text
    chat.say("My name is Anna Petrova")
    reply = chat.say("+7 916 123-45-67")
    assert reply.stage == "confirming" and "Anna Petrova" in reply.text and "19:00" in reply.text
    done = chat.say("yes please")
    assert done.booking_completed and done.confirmation_code and done.intent == "book"
    assert done.confirmation_code in done.text and done.stage == "greeting"

    [booking] = rows(place.db, Reservation)
    assert booking.confirmation_code == done.confirmation_code
    assert (booking.date, booking.time, booking.guests) == (FRIDAY, dt.time(19, 0), 4)
    assert booking.conversation_id == done.conversation_id
    assert booking.source is ReservationSource.TELEGRAM
    assert booking.ai_confidence is not None and 0 < booking.ai_confidence <= 1
    assert booking.alternatives_offered == 0
    assert booking.booking_complexity is BookingComplexity.SIMPLE
    assert booking.guest_sentiment in set(Sentiment)
    [guest] = rows(place.db, Guest)
    assert (guest.name, guest.phone) == ("Anna Petrova", "+79161234567")
    [thread] = rows(place.db, ConversationThread)
    assert thread.guest_id == guest.id and thread.resolution_type == "booked"
    assert thread.message_count == 10


def test_full_russian_booking_replies_in_russian(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, platform="whatsapp", user="79990001122")
    first = chat.say("Здравствуйте, хочу забронировать столик на пятницу")
    assert first.language == "ru" and first.text == "На какое время?"
    second = chat.say("нас четверо, в половину восьмого вечера")
    assert "19:30" in second.text and "имя" in second.text
    chat.say("Меня зовут Иван Петров")
    confirm = chat.say("8 916 111-22-33")
    assert confirm.stage == "confirming" and "Иван Петров" in confirm.text
    done = chat.say("да")
    assert done.booking_completed and "Код брони" in done.text
    [booking] = rows(place.db, Reservation)
    assert (booking.date, booking.time, booking.guests) == (FRIDAY, dt.time(19, 30), 4)
    assert booking.source is ReservationSource.WHATSAPP
    assert booking.conversation_id == done.conversation_id
    assert rows(place.db, Guest)[0].phone == "+79161112233"


def test_missing_details_are_asked_one_by_one(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, platform="web", user="web-1")
    assert chat.say("I want to book a table").text == "For which day would you like the table?"
    assert chat.say("this Friday").text == "At what time?"
    assert chat.say("at 8pm").text == "For how many guests?"
    assert "May I have your name" in chat.say("2").text
    assert chat.say("Maria").text == "And a phone number to reach you?"
    reply = chat.say("my number is +7 925 000 11 22")
    assert reply.stage == "confirming" and "Maria" in reply.text
    assert chat.say("yes").booking_completed
    booking = rows(place.db, Reservation)[0]
    assert (booking.time, booking.guests) == (dt.time(20, 0), 2)
    assert booking.source is ReservationSource.AI_ASSISTANT  # the web chat is Sofia herself


def test_known_details_are_not_asked_again(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, phone="+79161234567")
    reply = chat.say("Table for 2 on Friday at 19:00, name is Oleg")
    assert reply.stage == "confirming" and "+79161234567" in reply.text


def _fill_friday_seven(place: Place) -> None:
    for index in range(5):
        place.book(party_size=4, phone=f"+7916000000{index}", name=f"Guest {index}")


@pytest.mark.parametrize(
    ("pick", "expected"),
    [("the first one", 0), ("первый", 0), ("second", 1)],
)
def test_taken_time_offers_alternatives_and_the_guest_picks_one(
    place: Place, pick: str, expected: int
) -> None:
    _fill_friday_seven(place)
    chat = Chat(place.db, place.restaurant_id, phone="+79161234567")
    offer = chat.say("a table for 4 on Friday at 7pm please, I'm Boris")
    assert offer.stage == "alternatives" and "not available" in offer.text
    [activity] = rows(place.db, AiActivity)
    assert activity.type.value == "alternative_suggestion" and activity.alternatives_generated
    offered = [part.split(")")[1].strip().split(",")[0] for part in offer.text.split(" ")
               if ")" in part and part[0].isdigit()]  # fmt: skip
    assert offered  # "1) 18:30, 2) 19:30 …"
    confirm = chat.say(pick)
    assert confirm.stage == "confirming"
    done = chat.say("yes")
    assert done.booking_completed
    mine = rows(place.db, Reservation, Reservation.confirmation_code == done.confirmation_code)[0]
    assert mine.time != dt.time(19, 0) and mine.alternatives_offered >= 1
    assert mine.booking_complexity is not BookingComplexity.SIMPLE


def test_alternative_picked_by_its_time(place: Place) -> None:
    _fill_friday_seven(place)
    chat = Chat(place.db, place.restaurant_id, phone="+79161234567")
    offer = chat.say("a table for 4 on Friday at 7pm, my name is Boris")
    assert offer.stage == "alternatives"
    time_offered = offer.text.split("1) ")[1][:5]
    assert chat.say(time_offered).stage == "confirming"
    done = chat.say("yes")
    booking = rows(place.db, Reservation, Reservation.confirmation_code == done.confirmation_code)
    assert booking[0].time.strftime("%H:%M") == time_offered


def test_every_turn_writes_a_message_pair_and_an_activity(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id)
    for text in ("hi", "table for 2 tomorrow at 8pm", "I'm Anna", "+79161234567", "yes"):
        chat.say(text)
    messages = rows(place.db, Message)
    assert len(messages) == 10
    assert [m.sender_type.value for m in messages[:2]] == ["user", "ai"]
    user = next(m for m in messages if m.message_text == "table for 2 tomorrow at 8pm")
    assert user.intent_detected == "book" and user.language == "en"
    assert user.entities_extracted == {"date": "2026-11-25", "time": "20:00", "party_size": 2}
    assert user.sentiment_score is not None
    ai = [m for m in messages if m.sender_type.value == "ai"]
    assert all(m.ai_confidence is not None and m.processing_time is not None
               and m.response_time is not None for m in ai)  # fmt: skip
    activities = rows(place.db, AiActivity)
    assert len(activities) == 5
    last = activities[-1]
    assert last.booking_completed and last.type.value == "booking_attempt" and last.success
    assert last.model_version == "sofia-offline-1" and float(last.cost) == 0
    assert (last.input_tokens, last.output_tokens) == (0, 0)
    assert last.conversation_stage.value == "confirming"
    assert last.user_frustration_level == 0 and last.context_preserved
    assert not last.human_handoff_required and 1 <= last.response_quality <= 5
    assert last.confidence_score and last.processing_time is not None
    assert last.conversation_id == chat.replies[-1].conversation_id and last.guest_id
    [thread] = rows(place.db, ConversationThread)
    assert thread.message_count == 10 and thread.last_message_at is not None
