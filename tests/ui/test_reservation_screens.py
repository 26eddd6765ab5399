"""Screens at the host stand's size (1366×768): the booking dialog with a guest picked and the
free times shown, and a guest profile. With TOBEOUT_SCREENSHOTS=1 they are saved under
docs/screenshots/; otherwise the test only checks that something real was drawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services.accounts import add_user
from app.services.database import Database
from app.services.guest_admin import update_guest
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from tests.ui.screens import distinct_colours, save_screenshot
from ui.guests import GuestsPanel
from ui.host_context import HostContext
from ui.reservations import ReservationDialog

SIZE = (1366, 768)
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def place(db: Database) -> Place:
    """A Friday with a busy dinner peak, and a regular with history, a tier and allergies."""
    place = create_place(db)
    first = place.book(name="Anna Petrova", phone="+79161234567", date=dt.date(2026, 11, 24),
                       time=dt.time(19, 30), occasion="anniversary")  # fmt: skip
    second = place.book(name="Anna Petrova", phone="+79161234567", date=dt.date(2026, 11, 25),
                        time=dt.time(20, 0), party_size=4)  # fmt: skip
    for result, total in ((first, "7400"), (second, "12850")):
        view = result.reservation
        change_status(db, view.confirmation_code, "seated", now=view.starts_at)
        done = view.starts_at + dt.timedelta(minutes=95)
        change_status(db, view.confirmation_code, "completed", total_amount=total, rating=5,
                      now=done)  # fmt: skip
    update_guest(db, first.reservation.guest_id, {
        "allergies": ["peanuts", "shellfish"], "vip_status": "gold", "email": "anna@petrova.ru",
        "notes": "Prefers the window table. Anniversary in late November.",
    })  # fmt: skip
    place.book(name="Anna Petrova", phone="+79161234567", time=dt.time(13, 0))
    peak = [("Olga Smirnova", "+79031112233", 2), ("Ivan Sidorov", "+79264445566", 2),
            ("Pavel Orlov", "+79057778899", 4), ("Elena Volkova", "+79161112200", 4),
            ("Dmitry Kozlov", "+79037770011", 3)]  # fmt: skip
    for name, phone, party in peak:
        place.book(name=name, phone=phone, time=dt.time(19, 30), party_size=party)
    return place


@pytest.fixture
def context(db: Database, place: Place) -> Iterator[HostContext]:
    user = add_user(db, email="host@bistro.ru", name="Maria Host", role="manager",
                    password="long enough")  # fmt: skip
    context = HostContext(db, user, place.restaurant_id, FRIDAY, clock=lambda: NOW)
    yield context
    context.close()


def finish(widget: QWidget, name: str, backend: str) -> None:
    image = widget.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    assert distinct_colours(image) > 40, "the screen is blank"
    save_screenshot(image, name, backend)


def test_reservation_dialog_screen(
    qtbot: QtBot, styled: None, context: HostContext, backend: str
) -> None:
    dialog = ReservationDialog(context)
    qtbot.addWidget(dialog)
    dialog.resize(*SIZE)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.availability_loaded and bool(dialog.slot_picker.buttons))
    qtbot.keyClicks(dialog.phone, "+7 916 123-45-67")
    qtbot.waitUntil(lambda: dialog.guest is not None)
    dialog.occasion.setCurrentIndex(dialog.occasion.findData("anniversary"))
    qtbot.keyClicks(dialog.requests, "Window table, candle on the dessert")
    qtbot.waitUntil(lambda: dialog.availability_loaded)
    assert not dialog.slot_picker.buttons["19:30"].isEnabled()
    qtbot.mouseClick(dialog.slot_picker.buttons["21:15"], LEFT)
    qtbot.waitUntil(lambda: bool(dialog.assignment.lines))
    qtbot.wait(50)
    finish(dialog, "reservation-dialog.png", backend)


def test_guest_profile_screen(
    qtbot: QtBot, styled: None, context: HostContext, backend: str
) -> None:
    panel = GuestsPanel(context)
    qtbot.addWidget(panel)
    panel.resize(*SIZE)
    panel.show()
    panel.search_for("an")
    qtbot.waitUntil(lambda: panel.loaded and len(panel.guests()) >= 2)
    row = next(i for i, g in enumerate(panel.guests()) if g.name == "Anna Petrova")
    panel.list.setCurrentIndex(panel.model.index(row, 0))
    qtbot.waitUntil(lambda: panel.profile.loaded and panel.profile.name.text() == "Anna Petrova")
    qtbot.wait(50)
    finish(panel, "guest-profile.png", backend)
