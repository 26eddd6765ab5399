"""Sofia learns the guest from the chat: style, profile, history, satisfaction, wishes, and
greets a returning guest with their usual party and time."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from app.db.enums import ConversationStyle
from app.db.models import Guest, Reservation
from app.services.database import Database
from app.sofia import profiling
from app.sofia.engine import Turn
from app.sofia.llm_prompt import system_prompt
from app.sofia.parsing import parse_message
from app.sofia.tools import SofiaTools
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from tests.app.sofia.test_conversation_booking import Chat, rows

PHONE = "+79161234567"


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


def _guest(db: Database, phone: str = PHONE) -> Guest:
    [guest] = rows(db, Guest, Guest.phone == phone)
    return guest


def _known_guest(
    place: Place, phone: str = PHONE, name: str = "Anna Petrova", **fields: Any
) -> int:
    """A guest on file (booked for Friday lunch), with ``fields`` set on the guest row."""
    guest_id = place.book(name=name, phone=phone, time=dt.time(13, 0)).reservation.guest_id
    with place.db.unit_of_work() as uow:
        guest = uow.session.get(Guest, guest_id)
        assert guest is not None
        for key, value in fields.items():
            setattr(guest, key, value)
        uow.commit()
    return guest_id


def _observe(text: str, answering: bool = False) -> profiling.Observation:
    parsed = parse_message(text, NOW, "Europe/Moscow", "RU")
    return profiling.observe(text, parsed, language=parsed.language, answering=answering)


# -- detecting the style ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("Good evening! Would you be so kind as to book a table for us?", "formal"),
        ("Здравствуйте, будьте добры столик на пятницу", "formal"),
        ("hey 😊", "casual"),
        ("привет! го в пятницу", "casual"),
        ("wanna grab a table tmrw lol", "casual"),
        ("table 2 fri 19:00", "brief"),
        ("столик пятница 19:00", "brief"),
    ],
)
def test_a_message_votes_for_the_style_it_is_written_in(text: str, style: str) -> None:
    assert _observe(text).vote == style


def test_short_answers_to_a_question_say_nothing_about_the_style() -> None:
    assert _observe("2", answering=True).vote is None
    assert _observe("Maria", answering=True).vote is None


def test_the_style_is_a_stable_decision_not_a_flip_per_message() -> None:
    context: dict[str, Any] = {}
    assert profiling.remember(context, _observe("hey there 😊")) is None  # one message: not yet
    assert profiling.remember(context, _observe("wanna book a table lol")) == "casual"
    # One formal message does not overturn a decided style …
    assert profiling.remember(context, _observe("Good evening, could you help me please?")) == (
        "casual"
    )
    # … a clear, repeated change does.
    for _ in range(3):
        profiling.remember(context, _observe("Good evening, could you help me please?"))
    assert context["style"] == "formal"


def test_style_detected_in_a_chat_is_stored_on_the_guest(place: Place) -> None:
    _known_guest(place)
    chat = Chat(place.db, place.restaurant_id, phone=PHONE)
    chat.say("hey! 😊")
    chat.say("wanna book a table for 2 on friday at 7pm, I'm Anna")
    assert _guest(place.db).conversation_style is ConversationStyle.CASUAL
    profile = _guest(place.db).ai_personality_profile
    assert profile["language"] == "en" and profile["messages"] == 2
    assert profile["emoji_rate"] == 0.5 and profile["typical_message_length"] > 5
    assert profile["style_votes"]["casual"] >= 2


def test_a_guest_who_becomes_known_later_keeps_what_was_said_before(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, user="tg-new")
    chat.say("Good evening! Could you book a table for 2 on Friday at 19:00, please?")
    chat.say("My name is Olga Smirnova.")
    chat.say("+7 903 555 11 22")
    assert rows(place.db, Guest) == []  # not a guest on file until the booking
    assert chat.say("Yes, please.").booking_completed
    guest = _guest(place.db, "+79035551122")
    assert guest.ai_personality_profile["messages"] == 4
    assert guest.conversation_style is ConversationStyle.FORMAL


# -- answering in the guest's style ------------------------------------------------------------


def _reply_for(place: Place, style: str, phone: str, text: str) -> str:
    _known_guest(place, phone=phone, name=f"Guest {style}",
                 conversation_style=ConversationStyle(style))  # fmt: skip
    return Chat(place.db, place.restaurant_id, user=f"tg-{style}", phone=phone).say(text).text


def test_the_same_answer_is_worded_per_style(place: Place) -> None:
    text = "table for 2 on Friday at 19:00, name is Oleg"
    formal = _reply_for(place, "formal", "+79160000001", text)
    casual = _reply_for(place, "casual", "+79160000002", text)
    brief = _reply_for(place, "brief", "+79160000003", text)
    assert len({formal, casual, brief}) == 3
    for reply in (formal, casual, brief):
        assert "19:00" in reply and "2 guests" in reply and "Oleg" in reply
    assert formal.startswith("Good news:") and "Please reply yes or no" in formal
    assert casual.startswith("Great!")
    assert brief.startswith("Fri 27 Nov 19:00, 2 guests — free.") and len(brief) < len(formal)


def test_brief_guest_gets_the_minimum(place: Place) -> None:
    _known_guest(place, conversation_style=ConversationStyle.BRIEF)
    chat = Chat(place.db, place.restaurant_id, phone=PHONE)
    assert chat.say("table fri 19:00").text == "Guests?"
    assert chat.say("2").text.startswith("Fri 27 Nov 19:00, 2 guests — free.")


def test_russian_styles(place: Place) -> None:
    formal = _reply_for(place, "formal", "+79160000004", "столик в пятницу")
    casual = _reply_for(place, "casual", "+79160000005", "столик в пятницу")
    brief = _reply_for(place, "brief", "+79160000006", "столик в пятницу")
    assert formal == "На какое время Вам было бы удобно?"
    assert casual == "Во сколько?" and brief == "Время?"


def test_brief_style_detected_across_turns_changes_the_wording(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, phone=PHONE)
    assert chat.say("table fri 19:00").text == "For how many guests?"  # one is not a style
    assert chat.say("2").text.startswith("Good news:")
    chat.say("Anna")
    assert chat.say("yes").booking_completed
    again = chat.say("table for 2 sat 20:00")  # the second terse request decides it
    assert again.text == "Sat 28 Nov 20:00, 2 guests — free. Anna, +79161234567. Book? Yes/no."
    assert _guest(place.db).conversation_style is ConversationStyle.BRIEF


def test_the_llm_prompt_states_the_style(place: Place) -> None:
    parsed = parse_message("hi", NOW, "Europe/Moscow", "RU")
    state: dict[str, Any] = {}
    tools = SofiaTools(place.db, place.restaurant_id, conversation_id=None, platform="web",
                       now=NOW, state=state)  # fmt: skip
    turn = Turn(text="hi", parsed=parsed, language="en", stage="greeting", context=state,
                now=NOW, restaurant_id=place.restaurant_id, restaurant_name="Test Bistro",
                timezone="Europe/Moscow", conversation_id=0, guest_id=None, platform="web",
                tools=tools, style="brief")  # fmt: skip
    assert "conversation style is brief" in system_prompt(turn)
    plain = dataclasses.replace(turn, style=None)
    assert "conversation style" not in system_prompt(plain)


# -- returning guests --------------------------------------------------------------------------


def _regular(place: Place) -> int:
    return _known_guest(place, visit_count=5, average_party_size=2.4, preferred_times=["19:00"])


def test_a_returning_guest_is_greeted_with_the_usual_and_yes_books_it(place: Place) -> None:
    _regular(place)
    chat = Chat(place.db, place.restaurant_id, phone=PHONE)
    hello = chat.say("Hello!")
    assert hello.text == "Welcome back, Anna! A table for 2 guests at 19:00 as usual?"
    ask = chat.say("yes")
    assert ask.text == "For which day would you like the table?"
    confirm = chat.say("this Friday")
    assert confirm.stage == "confirming" and "Anna Petrova" in confirm.text
    assert "19:00" in confirm.text and "2 guests" in confirm.text
    done = chat.say("yes")
    assert done.booking_completed
    [booking] = rows(place.db, Reservation, Reservation.confirmation_code == done.confirmation_code)
    assert (booking.date, booking.time, booking.guests) == (FRIDAY, dt.time(19, 0), 2)
    entry = _guest(place.db).communication_history[-1]
    assert entry["approach"] == "usual" and entry["booked"] is True


def test_as_usual_in_russian_fills_party_and_time(place: Place) -> None:
    _regular(place)
    chat = Chat(place.db, place.restaurant_id, user="wa-1", platform="whatsapp", phone=PHONE)
    hello = chat.say("Здравствуйте")
    assert hello.text == "С возвращением, Anna! Как обычно — столик на 2 персоны в 19:00?"
    confirm = chat.say("как обычно, в пятницу")
    assert confirm.stage == "confirming" and "19:00" in confirm.text and "2 персоны" in confirm.text
    assert chat.say("да").booking_completed


def test_no_to_the_usual_asks_as_for_anyone(place: Place) -> None:
    _regular(place)
    chat = Chat(place.db, place.restaurant_id, phone=PHONE)
    chat.say("Hello!")
    reply = chat.say("no, 4 people on Saturday at 20:00")
    assert reply.stage == "confirming" and "4 guests" in reply.text and "20:00" in reply.text


def test_a_first_time_guest_gets_the_ordinary_greeting(place: Place) -> None:
    _known_guest(place)  # on file, never visited
    assert "Sofia" in Chat(place.db, place.restaurant_id, phone=PHONE).say("Hello!").text


# -- history, satisfaction, preferences ------------------------------------------------------


def test_each_finished_conversation_is_appended_to_the_history(place: Place) -> None:
    chat = Chat(place.db, place.restaurant_id, phone=PHONE)
    chat.say("a table for 2 on Friday at 19:00 by the window please, I'm Anna")
    done = chat.say("yes")
    assert done.booking_completed
    chat.say("I need to cancel my booking")
    chat.say("yes")
    history = _guest(place.db).communication_history
    assert [h["outcome"] for h in history] == ["booked", "cancelled"]
    first = history[0]
    assert first["booked"] and first["approach"] == "direct"
    assert first["path"][0] == "confirming" and first["conversation_id"] == done.conversation_id
    assert history[1]["booked"] is False and history[1]["path"][0] == "greeting"
    profile = _guest(place.db).ai_personality_profile
    assert profile["approaches"]["direct"] == {"tried": 2, "booked": 1}
    assert 0 < profile["decisiveness"] <= 1
    assert _guest(place.db).preferences["seating"] == ["window"]


def test_history_is_capped(place: Place) -> None:
    old = [{"outcome": "booked", "n": i} for i in range(profiling.HISTORY_CAP)]
    _known_guest(place, communication_history=old)
    chat = Chat(place.db, place.restaurant_id, phone=PHONE)
    chat.say("table for 2 on Friday at 20:00, name Anna")
    chat.say("yes")
    history = _guest(place.db).communication_history
    assert len(history) == profiling.HISTORY_CAP
    assert history[0]["n"] == 1 and history[-1]["outcome"] == "booked"


def test_satisfaction_follows_the_mood_and_the_outcome(place: Place) -> None:
    _known_guest(place, satisfaction_score=3.0)
    happy = Chat(place.db, place.restaurant_id, phone=PHONE)
    happy.say("table for 2 on Friday at 20:00, name Anna")
    happy.say("yes, perfect, thank you so much!")
    pleased = _guest(place.db).satisfaction_score
    assert pleased is not None and pleased > 3.0
    angry = Chat(place.db, place.restaurant_id, user="tg-angry", phone=PHONE)
    angry.say("this is terrible, awful service")
    angry.say("I want to talk to a manager")
    upset = _guest(place.db).satisfaction_score
    assert upset is not None and 0 <= upset < pleased
    assert _guest(place.db).communication_history[-1]["outcome"] == "handoff"


def test_unknown_guests_are_not_profiled(place: Place) -> None:
    Chat(place.db, place.restaurant_id, user="anon").say("hey 😊 table for 2 fri?")
    assert rows(place.db, Guest) == []
