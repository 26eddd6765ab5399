"""The Guests tab: search, the profile, edits with field errors, and the blocked list by role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.accounts import add_user
from app.services.database import Database
from app.services.guest_admin import update_guest
from app.services.guest_views import guest_profile
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from ui.guests import GuestsPanel
from ui.guests.guest_profile_view import CONVERSATIONS_EMPTY
from ui.host_context import HostContext

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def place(db: Database) -> Place:
    place = create_place(db)
    anna = place.book(name="Anna Petrova", phone="+79161234567", time=dt.time(13, 0))
    update_guest(db, anna.reservation.guest_id,
                 {"allergies": ["peanuts", "shellfish"], "notes": "Window table"})  # fmt: skip
    place.book(name="Anna Petrova", phone="+79161234567", time=dt.time(20, 0))
    place.book(name="Olga Smirnova", phone="+79031112233", time=dt.time(19, 0))
    return place


@pytest.fixture
def make_panel(qtbot: QtBot, db: Database, place: Place) -> Iterator[Callable[[str], GuestsPanel]]:
    contexts: list[HostContext] = []

    def make(role: str) -> GuestsPanel:
        user = add_user(db, email=f"{role}@bistro.ru", name=f"{role.title()} User", role=role,
                        password="long enough")  # fmt: skip
        context = HostContext(db, user, place.restaurant_id, FRIDAY, clock=lambda: NOW)
        contexts.append(context)
        panel = GuestsPanel(context)
        qtbot.addWidget(panel)
        panel.resize(1300, 760)
        panel.show()
        return panel

    yield make
    for context in contexts:
        context.close()


def open_guest(qtbot: QtBot, panel: GuestsPanel, text: str, name: str) -> int:
    qtbot.keyClicks(panel.search, text)
    qtbot.waitUntil(lambda: panel.loaded and any(g.name == name for g in panel.guests()))
    row = next(i for i, g in enumerate(panel.guests()) if g.name == name)
    rect = panel.list.visualRect(panel.model.index(row, 0))
    qtbot.mouseClick(panel.list.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: panel.profile.loaded and panel.profile.name.text() == name)
    return panel.guests()[row].id


def test_search_and_profile(qtbot: QtBot, db: Database, make_panel: Callable) -> None:
    panel = make_panel("staff")
    assert panel.results.currentWidget() is panel.hint
    guest_id = open_guest(qtbot, panel, "anna", "Anna Petrova")
    profile = panel.profile
    assert profile.allergy_badges.texts() == ["⚠ Peanuts", "⚠ Shellfish"]
    assert all(b.kind == "allergy" for b in profile.allergy_badges.badges)
    assert "+7 916 123-45-67" in profile.contact.text()
    assert profile.history_model.rowCount() == 2
    assert profile.tiles["visits"].value.text() == "0"
    assert profile.form.notes.toPlainText() == "Window table"
    assert profile.conversations_empty.text() == CONVERSATIONS_EMPTY
    assert profile.conversations_empty.isVisible()
    assert not profile.form.vip.isEnabled(), "staff cannot set the VIP tier"
    # A visit completed elsewhere updates the open profile.
    first = profile.history_model.reservation_at(1)
    assert first is not None and first.time == dt.time(13, 0)
    change_status(db, first.confirmation_code, "seated", now=NOW)
    change_status(db, first.confirmation_code, "completed", total_amount="5200", now=NOW)
    qtbot.waitUntil(lambda: profile.tiles["visits"].value.text() == "1")
    assert profile.tiles["spent"].value.text() == "5 200"
    assert guest_profile(db, guest_id).guest.visit_count == 1
    panel.search.clear()
    qtbot.keyClicks(panel.search, "zzz")
    qtbot.waitUntil(lambda: panel.loaded and panel.results.currentWidget() is panel.hint)
    assert "No guest matches" in panel.hint.text()


def test_editing_details_with_field_errors(
    qtbot: QtBot, db: Database, make_panel: Callable
) -> None:
    panel = make_panel("staff")
    guest_id = open_guest(qtbot, panel, "Olga", "Olga Smirnova")
    form = panel.profile.form
    assert not form.save_button.isEnabled()
    form.email.clear()
    qtbot.keyClicks(form.email, "not-an-address")
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, LEFT)
    qtbot.waitUntil(lambda: form.errors["email"].isVisible())
    assert "not an email address" in form.errors["email"].text()
    assert not form.errors["phone"].isVisible() and not form.general_error.isVisible()
    assert guest_profile(db, guest_id).guest.email is None
    # Another guest's phone is refused under the phone field.
    form.email.clear()
    qtbot.keyClicks(form.email, "olga@example.com")
    form.phone.clear()
    qtbot.keyClicks(form.phone, "+7 916 123 45 67")
    qtbot.mouseClick(form.save_button, LEFT)
    qtbot.waitUntil(lambda: form.errors["phone"].isVisible())
    assert not form.errors["email"].isVisible()
    assert "Another guest already has the phone" in form.errors["phone"].text()
    # Put the phone back, add allergies: saved.
    form.phone.clear()
    qtbot.keyClicks(form.phone, "+7 903 111 22 33")
    qtbot.keyClicks(form.allergies, "gluten, Lactose")
    qtbot.mouseClick(form.save_button, LEFT)
    qtbot.waitUntil(lambda: guest_profile(db, guest_id).guest.email == "olga@example.com")
    saved = guest_profile(db, guest_id).guest
    assert saved.allergies == ("gluten", "lactose") and saved.phone == "+79031112233"
    qtbot.waitUntil(lambda: panel.profile.allergy_badges.texts() == ["⚠ Gluten", "⚠ Lactose"])
    assert not any(label.isVisible() for label in form.errors.values())
    assert not form.save_button.isEnabled()


def test_blacklisting_as_staff_is_refused_and_the_switch_goes_back(
    qtbot: QtBot, db: Database, make_panel: Callable
) -> None:
    panel = make_panel("staff")
    guest_id = open_guest(qtbot, panel, "Olga", "Olga Smirnova")
    toggle = panel.profile.block_toggle
    assert not toggle.isChecked()
    qtbot.mouseClick(toggle, LEFT)
    qtbot.waitUntil(lambda: panel.profile.notice.isVisible() and toggle.isEnabled())
    assert "may not block guests" in panel.profile.notice.text()
    assert panel.profile.notice.property("tone") == "error"
    assert not toggle.isChecked(), "the switch shows what is true: not blocked"
    assert guest_profile(db, guest_id).guest.blacklisted is False


def test_blacklisting_and_vip_as_a_manager(
    qtbot: QtBot, db: Database, make_panel: Callable
) -> None:
    panel = make_panel("manager")
    guest_id = open_guest(qtbot, panel, "Olga", "Olga Smirnova")
    profile = panel.profile
    qtbot.keyClicks(profile.block_reason, "Rude to staff")
    qtbot.mouseClick(profile.block_toggle, LEFT)
    qtbot.waitUntil(lambda: guest_profile(db, guest_id).guest.blacklisted)
    qtbot.waitUntil(lambda: "Blocked" in profile.flags.texts())
    assert profile.block_toggle.isChecked() and profile.notice.property("tone") == "ok"
    assert "Rude to staff" in (guest_profile(db, guest_id).guest.notes or "")
    form = profile.form
    assert form.vip.isEnabled()
    form.vip.setCurrentIndex(form.vip.findData("gold"))
    qtbot.mouseClick(form.save_button, LEFT)
    qtbot.waitUntil(lambda: guest_profile(db, guest_id).guest.vip_status == "gold")
    qtbot.waitUntil(lambda: "★ Gold" in profile.flags.texts())
    qtbot.mouseClick(profile.block_toggle, LEFT)
    qtbot.waitUntil(lambda: not guest_profile(db, guest_id).guest.blacklisted)


def test_preferences_and_conversations_show_without_spurious_edits(
    qtbot: QtBot, db: Database, place: Place, make_panel: Callable
) -> None:
    from app.db.enums import Platform, SenderType
    from app.db.models import ConversationThread, Message

    olga = next(g for g in place_guests(db, place) if g[1] == "Olga Smirnova")[0]
    update_guest(db, olga, {"preferences": {"seating": ["window"], "drinks": ["tea", "wine"]}})
    with db.unit_of_work() as uow:
        thread = ConversationThread(
            restaurant_id=place.restaurant_id, guest_id=olga, platform=Platform.WHATSAPP,
            platform_user_id="79031112233",
        )  # fmt: skip
        uow.session.add(thread)
        uow.session.flush()
        uow.session.add(Message(conversation_id=thread.id, sender_type=SenderType.USER,
                                message_text="Можно столик у окна?"))  # fmt: skip
        uow.commit()
    panel = make_panel("staff")
    open_guest(qtbot, panel, "olga", "Olga Smirnova")
    profile = panel.profile
    assert profile.form.preferences.toPlainText() == "drinks: tea, wine\nseating: window"
    assert profile.form.changes() == {}, "a one-item list must not read back as an edit"
    assert profile.conversations.isVisible() and not profile.conversations_empty.isVisible()
    text = profile.conversations.toPlainText()
    assert "Whatsapp" in text and "Guest: Можно столик у окна?" in text
    profile.form.preferences.setPlainText("drinks: tea\nseating: window")
    assert profile.form.changes() == {"preferences": {"drinks": "tea", "seating": ["window"]}}


def place_guests(db: Database, place: Place) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from app.db.models import Guest

    with db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Guest.id, Guest.name).where(Guest.restaurant_id == place.restaurant_id)
        )
        return [(r.id, r.name) for r in rows]
