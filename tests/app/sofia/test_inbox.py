"""The host's inbox of Sofia's conversations: listing, transcripts, take over, staff replies,
hand back, the test chat, permissions and change notices."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db.enums import ConversationStatus, Platform, SenderType, UserRole
from app.db.models import Message, Reservation
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.services.accounts import UserSummary, add_user
from app.services.changes import Change
from app.services.database import Database
from app.sofia import inbox
from tests.app.services.conftest import NOW, Place, create_place
from tests.app.sofia.test_conversation_booking import Chat, rows

LATER = NOW + dt.timedelta(minutes=5)


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


@pytest.fixture
def staff(db: Database) -> UserSummary:
    return add_user(db, email="host@bistro.ru", name="Maria Host", role="staff",
                    password="long enough")  # fmt: skip


def _ask_for_a_human(place: Place) -> int:
    chat = Chat(place.db, place.restaurant_id, user="tg-7", phone="+79161234567")
    chat.say("Hello, table for 2 on Friday at 19:00")
    reply = chat.say("I want to talk to a manager", now=NOW + dt.timedelta(minutes=1))
    assert reply.handoff
    return reply.conversation_id


def test_inbox_lists_newest_first_with_preview_and_flags(place: Place) -> None:
    first = Chat(place.db, place.restaurant_id, user="tg-1")
    first.say("Hello!")
    wanted = _ask_for_a_human(place)
    whatsapp = Chat(place.db, place.restaurant_id, platform="whatsapp", user="wa-1")
    whatsapp.say("table for 4 this Friday at 7pm", now=NOW + dt.timedelta(minutes=2))
    entries = inbox.list_conversations(place.db, place.restaurant_id)
    assert [e.platform for e in entries] == [Platform.WHATSAPP, Platform.TELEGRAM,
                                             Platform.TELEGRAM]  # fmt: skip
    newest, human, quiet = entries
    assert newest.preview_sender is SenderType.AI and newest.preview
    assert newest.title == "WhatsApp guest wa-1"
    assert human.id == wanted and human.needs_human and not human.taken_over
    assert human.status is ConversationStatus.PAUSED and human.waiting == 2
    assert not quiet.agent_handoff and quiet.waiting == 0 and quiet.message_count == 2
    assert inbox.list_conversations(place.db, place.restaurant_id + 1) == []


def test_take_over_staff_reply_silence_and_hand_back(place: Place, staff: UserSummary) -> None:
    conversation_id = _ask_for_a_human(place)
    seen: list[Change] = []
    place.db.changes.subscribe(seen.append)
    entry = inbox.take_over(place.db, conversation_id, staff, now=LATER)
    assert entry.taken_over and entry.staff_name == "Maria Host" and not entry.needs_human
    assert Change("conversation", frozenset({conversation_id})) in seen

    posted = inbox.post_staff_message(place.db, conversation_id, "  Hi, Maria here.  ", staff,
                                      now=LATER + dt.timedelta(seconds=5))  # fmt: skip
    assert posted.sender is SenderType.AGENT and posted.text == "Hi, Maria here."
    assert posted.author == "Maria Host"
    stored = rows(place.db, Message, Message.id == posted.id)[0]
    assert stored.meta["delivery"] == "pending" and stored.sender_id == f"user:{staff.id}"

    chat = Chat(place.db, place.restaurant_id, user="tg-7", phone="+79161234567")
    before = len(rows(place.db, Message))
    quiet = chat.say("Thanks! Can we bring a dog?", now=LATER + dt.timedelta(minutes=1))
    assert quiet.text == "" and quiet.handoff, "Sofia stays silent while staff has the thread"
    assert len(rows(place.db, Message)) == before + 1
    detail = inbox.open_conversation(place.db, conversation_id)
    assert detail.messages[-1].sender is SenderType.USER and detail.entry.waiting == 1
    assert [m.sender for m in detail.messages][-3:] == [SenderType.AI, SenderType.AGENT,
                                                       SenderType.USER]  # fmt: skip

    back = inbox.hand_back(place.db, conversation_id, staff, now=LATER)
    assert not back.agent_handoff and back.status is ConversationStatus.ACTIVE
    answer = chat.say("yes, my name is Anna", now=LATER + dt.timedelta(minutes=2))
    assert answer.text and not answer.handoff
    assert inbox.open_conversation(place.db, conversation_id).messages[-1].sender is SenderType.AI


def test_a_staff_reply_takes_the_thread_and_web_replies_stay_local(
    place: Place, staff: UserSummary
) -> None:
    reply = inbox.talk_as_guest(place.db, place.restaurant_id, staff, "Hello!", now=NOW)
    entry = inbox.list_conversations(place.db, place.restaurant_id)[0]
    assert entry.is_test and entry.title == "Test chat" and entry.platform is Platform.WEB
    assert not entry.agent_handoff
    posted = inbox.post_staff_message(place.db, reply.conversation_id, "Test", staff, now=LATER)
    assert rows(place.db, Message, Message.id == posted.id)[0].meta["delivery"] == "local"
    assert inbox.open_conversation(place.db, reply.conversation_id).entry.taken_over


def test_talk_as_guest_books_a_real_table(place: Place, staff: UserSummary) -> None:
    for text in ("table for 2 on Friday at 19:00", "my name is Anna Petrova", "+79161234567"):
        reply = inbox.talk_as_guest(place.db, place.restaurant_id, staff, text, now=NOW)
    assert reply.stage == "confirming"
    done = inbox.talk_as_guest(place.db, place.restaurant_id, staff, "yes", now=NOW)
    assert done.confirmation_code
    [booking] = rows(place.db, Reservation)
    assert booking.conversation_id == done.conversation_id
    assert inbox.list_conversations(place.db, place.restaurant_id)[0].title == "Anna Petrova"


def test_validation_and_permissions(place: Place, staff: UserSummary) -> None:
    conversation_id = _ask_for_a_human(place)
    with pytest.raises(InvalidInput):
        inbox.post_staff_message(place.db, conversation_id, "   ", staff)
    with pytest.raises(InvalidInput):
        inbox.post_staff_message(place.db, conversation_id, "x" * 5000, staff)
    with pytest.raises(NotFound):
        inbox.take_over(place.db, 999_999, staff)
    with pytest.raises(NotFound):
        inbox.open_conversation(place.db, 999_999)
    gone = UserSummary(staff.id + 100, "old@bistro.ru", "Old Host", UserRole.STAFF, False, None)
    for call in (inbox.take_over, inbox.hand_back):
        with pytest.raises(PermissionDenied):
            call(place.db, conversation_id, gone)
    with pytest.raises(PermissionDenied):
        inbox.post_staff_message(place.db, conversation_id, "hi", gone)
    with pytest.raises(PermissionDenied):
        inbox.talk_as_guest(place.db, place.restaurant_id, gone, "hi")
    assert rows(place.db, Message, Message.sender_type == SenderType.AGENT) == []
