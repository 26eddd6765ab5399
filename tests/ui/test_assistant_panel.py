"""The assistant panel: the host talks to Sofia as a guest and gets a real booking; a guest who
asks for a person is flagged and announced; take over, reply as staff, Sofia silent, hand back;
a conversation from another terminal arrives; the screen on the demo data (1366×768)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.db.engine import create_db_engine
from app.db.enums import SenderType
from app.db.models import Message, Reservation
from app.demo import create_demo
from app.services.accounts import UserSummary, add_user
from app.services.database import Database
from app.services.restaurants import list_restaurants
from app.sofia.assistant import handle_message
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from tests.app.sofia.test_conversation_booking import Chat, rows
from tests.ui.screens import distinct_colours, save_screenshot
from ui.host_context import HostContext
from ui.live_updates import LiveUpdates
from ui.sofia import AssistantPanel
from ui.sofia.inbox_list import pills

LEFT = Qt.MouseButton.LeftButton
SIZE = (1366, 768)


def ticking(start: dt.datetime) -> object:
    """A clock at ``start`` that moves on with real time (messages keep their order)."""
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


@pytest.fixture
def host(db: Database) -> UserSummary:
    return add_user(db, email="host@bistro.ru", name="Maria Host", role="staff",
                    password="long enough")  # fmt: skip


@pytest.fixture
def panel(qtbot: QtBot, db: Database, place: Place, host: UserSummary) -> Iterator[AssistantPanel]:
    context = HostContext(db, host, place.restaurant_id, FRIDAY, clock=ticking(NOW))
    panel = AssistantPanel(context)
    qtbot.addWidget(panel)
    panel.resize(*SIZE)
    panel.show()
    qtbot.waitUntil(lambda: panel.loaded)
    yield panel
    context.close()


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def say_as_guest(qtbot: QtBot, panel: AssistantPanel, text: str) -> str:
    """Type into the composer in test mode, press Enter, return Sofia's answer as shown."""
    before = len(panel.transcript.messages)
    qtbot.keyClicks(panel.composer, text)
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.loaded and len(panel.transcript.messages) >= before + 2)
    guest, sofia = panel.transcript.messages[-2:]
    assert (guest.sender, guest.text) == (SenderType.USER, text)
    assert sofia.sender is SenderType.AI
    return sofia.text


def open_entry(qtbot: QtBot, panel: AssistantPanel, conversation_id: int) -> None:
    qtbot.waitUntil(lambda: panel.loaded and panel.model.row_of(conversation_id) >= 0)
    rect = panel.list.visualRect(panel.model.index(panel.model.row_of(conversation_id), 0))
    qtbot.mouseClick(panel.list.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: panel.loaded and panel.detail is not None
                    and panel.detail.entry.id == conversation_id)  # fmt: skip


def test_talk_to_sofia_books_a_real_table(
    qtbot: QtBot, panel: AssistantPanel, place: Place
) -> None:
    assert not panel.composer.isEnabled(), "nothing open: nothing to write to"
    click(qtbot, panel.test_button)
    assert panel.test_mode and panel.composer.isEnabled()
    assert "name" in say_as_guest(qtbot, panel, "table for 2 tomorrow at 7pm").lower()
    assert "phone" in say_as_guest(qtbot, panel, "My name is Anna Petrova").lower()
    confirm = say_as_guest(qtbot, panel, "+7 916 123-45-67")
    assert "19:00" in confirm and "Anna Petrova" in confirm
    done = say_as_guest(qtbot, panel, "yes")
    [booking] = rows(place.db, Reservation)
    assert booking.confirmation_code in done
    assert booking.date == dt.date(2026, 11, 25) and booking.time == dt.time(19, 0)
    assert booking.conversation_id == panel.conversation_id
    shown = panel.transcript.toPlainText()
    assert "Sofia 12:0" in shown and "Guest 12:0" in shown, "times in Moscow (UTC+3)"
    qtbot.waitUntil(lambda: panel.loaded and bool(panel.entries()))
    entry = panel.entries()[0]
    assert entry.is_test and entry.title == "Anna Petrova"
    assert panel.list.currentIndex().row() == 0, "the test chat is the selected row"
    click(qtbot, panel.pane.new_chat_button)
    qtbot.waitUntil(lambda: panel.loaded and panel.transcript.messages == ())
    assert "Sofia" in say_as_guest(qtbot, panel, "Hello!")
    assert panel.conversation_id != booking.conversation_id


def test_handoff_take_over_staff_reply_and_hand_back(
    qtbot: QtBot, panel: AssistantPanel, place: Place
) -> None:
    guest = Chat(place.db, place.restaurant_id, user="tg-42", phone="+79161234567")
    guest.say("Hello! Table for 2 on Friday at 19:00 please")
    qtbot.waitUntil(lambda: panel.loaded and len(panel.entries()) == 1)
    with qtbot.waitSignal(panel.handoff_requested, timeout=5000) as announced:
        reply = guest.say("I want to talk to a manager")
    assert announced.args == [reply.conversation_id]
    qtbot.waitUntil(lambda: panel.loaded and panel.entries()[0].needs_human)
    assert ("⚑ Needs a human", ("#b3261e", "#ffffff")) in pills(panel.entries()[0])
    assert "1 needs a human" in panel.summary.text()

    open_entry(qtbot, panel, reply.conversation_id)
    pane = panel.pane
    assert pane.badges.texts() == ["Telegram", "Needs a human"]
    assert not panel.composer.isEnabled() and not pane.hand_back_button.isHidden()
    click(qtbot, pane.take_over_button)
    qtbot.waitUntil(lambda: panel.loaded and panel.detail.entry.taken_over)
    assert pane.badges.texts() == ["Telegram", "Staff: Maria Host"]
    assert pane.take_over_button.isHidden() and panel.composer.isEnabled()
    assert "You have this conversation" in pane.hint.text()

    qtbot.keyClicks(panel.composer, "Hello, this is Maria. How can I help?")
    click(qtbot, pane.send_button)
    qtbot.waitUntil(lambda: panel.loaded and panel.transcript.messages[-1].sender
                    is SenderType.AGENT)  # fmt: skip
    [staff] = rows(place.db, Message, Message.sender_type == SenderType.AGENT)
    assert staff.message_text == "Hello, this is Maria. How can I help?"
    assert staff.meta["delivery"] == "pending" and staff.meta["author"] == "Maria Host"
    assert "Maria Host (staff)" in panel.transcript.toPlainText()

    quiet = guest.say("Can we bring our dog?", now=NOW + dt.timedelta(minutes=10))
    assert quiet.text == ""
    qtbot.waitUntil(lambda: panel.loaded and panel.transcript.messages[-1].text
                    == "Can we bring our dog?")  # fmt: skip
    assert [m.sender for m in panel.transcript.messages[-2:]] == [SenderType.AGENT,
                                                                 SenderType.USER]  # fmt: skip
    qtbot.waitUntil(lambda: panel.entries()[0].waiting == 1)

    click(qtbot, pane.hand_back_button)
    qtbot.waitUntil(lambda: panel.loaded and not panel.detail.entry.agent_handoff)
    assert not panel.composer.isEnabled() and "Sofia is answering" in pane.hint.text()
    answer = guest.say("ok, book it for Anna", now=NOW + dt.timedelta(minutes=11))
    assert answer.text and not answer.handoff
    qtbot.waitUntil(lambda: panel.loaded and panel.transcript.messages[-1].sender
                    is SenderType.AI)  # fmt: skip


def test_a_conversation_from_another_terminal_shows_up(
    qtbot: QtBot, panel: AssistantPanel, place: Place, database_url: str
) -> None:
    live = LiveUpdates(place.db)
    live.changes_arrived.connect(panel.context.announce)
    live.start()
    try:
        qtbot.wait(600)  # the watcher takes its first reading
        elsewhere = Database.from_engine(create_db_engine(database_url))
        try:
            handle_message(elsewhere, place.restaurant_id, "whatsapp", "wa-555",
                           "Do you have a table for 3 tonight?", now=NOW)  # fmt: skip
        finally:
            elsewhere.close()
        qtbot.waitUntil(lambda: panel.loaded and len(panel.entries()) == 1, timeout=5000)
    finally:
        live.stop()
    entry = panel.entries()[0]
    assert entry.title == "WhatsApp guest wa-555" and entry.preview_sender is SenderType.AI
    assert pills(entry)[0][0] == "WhatsApp"


# -- the screen ------------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 27)  # a Friday
DEMO_NOW = dt.datetime.combine(TODAY, dt.time(19, 35), tzinfo=ZoneInfo("Europe/Moscow"))


def test_assistant_panel_screen(qtbot: QtBot, styled: None, db: Database, backend: str) -> None:
    restaurant_id = create_demo(db, today=TODAY, now=DEMO_NOW)
    [restaurant] = [r for r in list_restaurants(db) if r.id == restaurant_id]
    user = add_user(db, email="host@bistro.ru", name="Maria Host", role="manager",
                    password="long enough")  # fmt: skip
    context = HostContext(db, user, restaurant_id, TODAY, timezone=restaurant.timezone,
                          clock=lambda: DEMO_NOW.astimezone(dt.UTC))  # fmt: skip
    try:
        panel = AssistantPanel(context)
        qtbot.addWidget(panel)
        panel.resize(*SIZE)
        panel.show()
        qtbot.waitUntil(lambda: panel.loaded and len(panel.entries()) >= 5, timeout=20_000)
        wanted = next((e for e in panel.entries() if e.needs_human), panel.entries()[0])
        open_entry(qtbot, panel, wanted.id)
        assert panel.transcript.messages
        qtbot.wait(50)
        image = panel.grab().toImage()
        assert (image.width(), image.height()) == SIZE
        assert distinct_colours(image) > 40, "the screen is blank"
        save_screenshot(image, "assistant-panel.png", backend)
    finally:
        context.close()
