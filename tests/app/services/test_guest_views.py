"""Guest look-ups: phone fragments typed the way guests say them, the full profile."""

from __future__ import annotations

import datetime as dt

from app.db.enums import ConversationStatus, Platform, SenderType
from app.db.models import ConversationThread, Guest, Message
from app.services.guest_admin import update_guest
from app.services.guest_views import find_guests, guest_profile, phone_fragments
from tests.app.services.conftest import Place


def test_phone_fragments_drop_trunk_prefixes() -> None:
    assert phone_fragments("8 916 123") == ["8916123", "7916123"]
    assert phone_fragments("020 7946") == ["0207946", "207946"]
    assert phone_fragments("91") == []


def test_a_russian_number_typed_with_eight_finds_the_guest(place: Place) -> None:
    place.book(name="Ivan Sidorov", phone="+79031234567")
    place.book(name="Olga Ivanova", phone="+79269876543", time=dt.time(20, 0))
    found = find_guests(place.db, place.restaurant_id, "8 903 123")
    assert [g.name for g in found] == ["Ivan Sidorov"]
    assert [g.name for g in find_guests(place.db, place.restaurant_id, "+7 926")] == [
        "Olga Ivanova"
    ]


def test_the_profile_carries_points_preferences_and_conversations(place: Place) -> None:
    guest_id = place.book().reservation.guest_id
    update_guest(place.db, guest_id, {"preferences": {"seating": ["window"], "drinks": "tea"}})
    start = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    with place.db.unit_of_work() as uow:
        uow.session.get(Guest, guest_id).loyalty_points = 120
        thread = ConversationThread(
            restaurant_id=place.restaurant_id, guest_id=guest_id, platform=Platform.TELEGRAM,
            platform_user_id="555", status=ConversationStatus.COMPLETED, agent_handoff=True,
            created_at=start, last_message_at=start + dt.timedelta(minutes=2),
        )  # fmt: skip
        uow.session.add(thread)
        uow.session.flush()
        for minute, sender, text in [(0, SenderType.USER, "Table for two?"),
                                     (1, SenderType.AI, "Of course, when?")]:  # fmt: skip
            uow.session.add(Message(
                conversation_id=thread.id, sender_type=sender, message_text=text,
                created_at=start + dt.timedelta(minutes=minute),
            ))  # fmt: skip
        uow.commit()
    profile = guest_profile(place.db, guest_id)
    assert profile.guest.loyalty_points == 120
    assert profile.guest.preferences == {"seating": ["window"], "drinks": "tea"}
    [chat] = profile.conversations
    assert (chat.platform, chat.status, chat.agent_handoff) == (
        Platform.TELEGRAM, ConversationStatus.COMPLETED, True,
    )  # fmt: skip
    assert [(m.sender, m.text) for m in chat.messages] == [
        (SenderType.USER, "Table for two?"),
        (SenderType.AI, "Of course, when?"),
    ]
