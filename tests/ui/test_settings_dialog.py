"""The restaurant settings dialog: a manager edits fields in several tabs and saves (the
database has them), the restaurant's own details included; invalid values are refused under
their fields and nothing is written;
Cancel writes nothing; Sofia's "Test" asks a real local OpenAI-compatible server, and a refused
port reads as such; staff are refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from app.db.models import Restaurant
from app.services.accounts import UserSummary, add_user
from app.services.database import Database
from app.services.restaurant_settings import RestaurantSettingsInput, save_settings
from tests.app.services.conftest import FRIDAY, NOW, SETTINGS, Place, create_place
from tests.support.fake_openai import MODEL, FakeOpenAI, running, status, text
from tests.ui.screens import distinct_colours, save_screenshot
from ui.host_context import HostContext
from ui.settings.restaurant_settings_dialog import RestaurantSettingsDialog

LEFT = Qt.MouseButton.LeftButton
KEY = "sk-test-DO-NOT-LEAK-1234567890"


@pytest.fixture(autouse=True)
def _no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOBEOUT_AI_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db, settings=dict(SETTINGS) | {"demo": True, "currency": "RUB"})


def account(db: Database, role: str) -> UserSummary:
    return add_user(db, email=f"{role}@bistro.ru", name=f"Maria {role.title()}", role=role,
                    password="long enough")  # fmt: skip


@pytest.fixture
def manager_context(db: Database, place: Place) -> Iterator[HostContext]:
    context = HostContext(db, account(db, "manager"), place.restaurant_id, FRIDAY,
                          clock=lambda: NOW)  # fmt: skip
    yield context
    context.close()


def open_dialog(qtbot: QtBot, context: HostContext) -> RestaurantSettingsDialog:
    dialog = RestaurantSettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy, timeout=10_000)
    return dialog


def stored(db: Database, restaurant_id: int) -> dict[str, Any]:
    with db.unit_of_work() as uow:
        r = uow.session.get(Restaurant, restaurant_id)
        assert r is not None
        return {"settings": r.settings, "opening_hours": r.opening_hours,
                "average_service_time": r.average_service_time,
                "max_advance_booking": r.max_advance_booking}  # fmt: skip


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def retype(qtbot: QtBot, edit: QLineEdit, value: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, value)


def type_in_cell(qtbot: QtBot, table: QTableWidget, row: int, column: int, value: str) -> None:
    """Pick the cell, F2, type into its editor, Enter (as a manager would)."""
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), editor
    editor.selectAll()
    qtbot.keyClicks(editor, value)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_a_manager_edits_several_tabs_and_saves(
    qtbot: QtBot, db: Database, place: Place, manager_context: HostContext
) -> None:
    dialog = open_dialog(qtbot, manager_context)
    assert dialog.title.text() == "Restaurant settings · Test Bistro"
    assert dialog.tabs.currentWidget() is dialog.restaurant, "the restaurant's details come first"
    dialog.tabs.setCurrentWidget(dialog.hours)
    assert dialog.hours.days["fri"].text() == "12:00-15:00, 18:00-01:00"
    assert dialog.hours.days["sun"].text() == "" and dialog.rules.spins[
        "slot_interval_minutes"].value() == 15  # fmt: skip

    retype(qtbot, dialog.hours.days["sun"], "13:00-22:00")
    click(qtbot, dialog.hours.add_date)
    type_in_cell(qtbot, dialog.hours.dates, 0, 0, "2026-12-31")
    type_in_cell(qtbot, dialog.hours.dates, 0, 3, "New Year's Eve")
    dialog.tabs.setCurrentWidget(dialog.rules)
    spin = dialog.rules.spins["slot_interval_minutes"]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "30")
    type_in_cell(qtbot, dialog.rules.turns, 3, 1, "170")
    dialog.tabs.setCurrentWidget(dialog.deposits)
    qtbot.keyClicks(dialog.deposits.vip[next(iter(dialog.deposits.vip))][0], "3")
    retype(qtbot, dialog.deposits.amount, "1 500")
    dialog.tabs.setCurrentWidget(dialog.reminders)
    retype(qtbot, dialog.reminders.offsets, "48, 3")

    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000) as saved:
        click(qtbot, dialog.save_button)
    assert saved.args[0].slot_interval_minutes == 30
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
    row = stored(db, place.restaurant_id)
    assert row["opening_hours"]["sun"] == [["13:00", "22:00"]]
    settings = row["settings"]
    assert settings["slot_interval_minutes"] == 30
    assert settings["turn_times"] == {"1-2": 90, "3-4": 105, "5-8": 120, "9+": 170}
    assert settings["special_dates"] == {"2026-12-31": {"closed": True,
                                                        "note": "New Year's Eve"}}  # fmt: skip
    assert settings["vip_thresholds"] == {"bronze": {"visits": 3}}
    assert settings["deposit_rules"]["amount_per_guest"] == 1500
    assert settings["reminder_offsets_hours"] == [48, 3]
    assert settings["demo"] is True and settings["currency"] == "RUB"


def test_invalid_values_are_shown_under_their_fields_and_nothing_is_written(
    qtbot: QtBot, db: Database, place: Place, manager_context: HostContext
) -> None:
    before = stored(db, place.restaurant_id)
    dialog = open_dialog(qtbot, manager_context)
    retype(qtbot, dialog.hours.days["mon"], "25:00-26:00")
    retype(qtbot, dialog.hours.days["tue"], "12:00-15:00")  # a good edit alongside
    dialog.tabs.setCurrentWidget(dialog.rules)
    type_in_cell(qtbot, dialog.rules.turns, 0, 0, "5-3")
    dialog.tabs.setCurrentWidget(dialog.reminders)
    retype(qtbot, dialog.reminders.offsets, "24, soon")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.hours.errors["opening_hours.mon"]
                    .isVisible(), timeout=10_000)  # fmt: skip
    assert dialog.isVisible(), "a refused save keeps the dialog open"
    assert "Monday, service 1: '25:00' is not a time" in dialog.hours.errors[
        "opening_hours.mon"].text()  # fmt: skip
    assert not dialog.hours.errors["opening_hours.tue"].isVisible()
    assert "is empty" in dialog.rules.errors["turn_times"].text()
    assert "'soon' is not a number of hours" in dialog.reminders.errors[
        "reminder_offsets_hours"].text()  # fmt: skip
    assert dialog.tabs.currentWidget() is dialog.hours, "the first tab with an error comes up"
    assert not dialog.error.isVisible()
    assert stored(db, place.restaurant_id) == before

    # Fixed, the same form saves.
    retype(qtbot, dialog.hours.days["mon"], "12:00-15:00")
    type_in_cell(qtbot, dialog.rules.turns, 0, 0, "1-2")
    retype(qtbot, dialog.reminders.offsets, "24")
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        click(qtbot, dialog.save_button)
    assert stored(db, place.restaurant_id)["settings"]["reminder_offsets_hours"] == [24]


def details(db: Database, restaurant_id: int) -> dict[str, Any]:
    with db.unit_of_work() as uow:
        r = uow.session.get(Restaurant, restaurant_id)
        assert r is not None
        return {"name": r.name, "phone": r.phone, "email": r.email, "address": r.address,
                "timezone": r.timezone}  # fmt: skip


def test_a_manager_corrects_the_restaurants_details(
    qtbot: QtBot, db: Database, place: Place, manager_context: HostContext
) -> None:
    dialog = open_dialog(qtbot, manager_context)
    tab = dialog.restaurant
    assert tab.lines["name"].text() == "Test Bistro" and tab.lines["phone"].text() == ""
    assert tab.timezone.currentText() == "Europe/Moscow"
    retype(qtbot, tab.lines["name"], "  Bistro Nord ")
    retype(qtbot, tab.lines["phone"], "8 (916) 123-45-67")  # local: read in Russia
    retype(qtbot, tab.lines["email"], "Booking@Bistro-Nord.RU")
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000) as saved:
        click(qtbot, dialog.save_button)
    assert saved.args[0].name == "Bistro Nord"
    assert details(db, place.restaurant_id) == {
        "name": "Bistro Nord", "phone": "+79161234567", "email": "Booking@bistro-nord.ru",
        "address": None, "timezone": "Europe/Moscow"}  # fmt: skip
    again = open_dialog(qtbot, manager_context)
    assert again.title.text() == "Restaurant settings · Bistro Nord"
    assert again.restaurant.lines["phone"].text() == "+7 916 123-45-67"


def test_bad_details_are_shown_under_their_fields(
    qtbot: QtBot, db: Database, place: Place, manager_context: HostContext
) -> None:
    place.book(now=NOW)
    before = details(db, place.restaurant_id)
    dialog = open_dialog(qtbot, manager_context)
    dialog.tabs.setCurrentWidget(dialog.reminders)
    tab = dialog.restaurant
    retype(qtbot, tab.lines["name"], "   ")
    retype(qtbot, tab.lines["email"], "booking at bistro")
    retype(qtbot, tab.timezone.lineEdit(), "Europe/Berlin")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.busy and tab.errors["name"].isVisible(), timeout=10_000)
    assert tab.errors["name"].text() == "The restaurant's name is required."
    assert "is not an e-mail address" in tab.errors["email"].text()
    assert tab.errors["timezone"].text() == (
        "The time zone cannot change once the restaurant has bookings: their times would move."
    )
    assert not tab.errors["phone"].isVisible() and not dialog.error.isVisible()
    assert dialog.tabs.currentWidget() is tab and not dialog.tabs.tabIcon(0).isNull()
    assert dialog.isVisible() and details(db, place.restaurant_id) == before


def test_cancel_writes_nothing(
    qtbot: QtBot, db: Database, place: Place, manager_context: HostContext
) -> None:
    before = stored(db, place.restaurant_id)
    dialog = open_dialog(qtbot, manager_context)
    retype(qtbot, dialog.hours.days["mon"], "10:00-11:00")
    click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected
    qtbot.wait(100)
    manager_context.tasks.wait()
    assert stored(db, place.restaurant_id) == before


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with running() as fake:
        yield fake


def test_sofia_test_asks_a_real_server_and_a_refused_port_says_so(
    qtbot: QtBot, db: Database, place: Place, manager_context: HostContext, server: FakeOpenAI
) -> None:
    dialog = open_dialog(qtbot, manager_context)
    tab = dialog.sofia
    dialog.tabs.setCurrentWidget(tab)
    assert tab.offline.isChecked() and tab.api_key.placeholderText().startswith("sk-")
    click(qtbot, tab.openai)
    retype(qtbot, tab.base_url, server.url)
    retype(qtbot, tab.model, "llama3.1")
    qtbot.keyClicks(tab.api_key, KEY)
    server.add(text("OK"))
    click(qtbot, tab.test_button)
    qtbot.waitUntil(lambda: not dialog.busy and "Connected" in tab.test_result.text(),
                    timeout=10_000)  # fmt: skip
    assert f"{MODEL} answered" in tab.test_result.text()
    assert tab.test_result.property("level") == "ok"
    (request,) = server.completions()
    assert request.headers["authorization"] == f"Bearer {KEY}"

    server.add(status(404, "model 'llama3.1' not found"))
    click(qtbot, tab.test_button)
    qtbot.waitUntil(lambda: not dialog.busy and "HTTP 404" in tab.test_result.text(),
                    timeout=10_000)  # fmt: skip
    assert "does not know the model 'llama3.1'" in tab.test_result.text()

    with running() as gone:
        closed_url = gone.url
    retype(qtbot, tab.base_url, closed_url)
    click(qtbot, tab.test_button)
    qtbot.waitUntil(lambda: not dialog.busy and "refused" in tab.test_result.text(),
                    timeout=10_000)  # fmt: skip
    assert tab.test_result.property("level") == "error"
    assert f"Could not connect to {closed_url}" in tab.test_result.text()
    assert KEY not in tab.test_result.text()

    # Saved: the key is stored (never shown again), the form says so when reopened.
    retype(qtbot, tab.base_url, server.url)
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        click(qtbot, dialog.save_button)
    sofia = stored(db, place.restaurant_id)["settings"]["sofia"]
    assert sofia["engine"] == "openai" and sofia["base_url"] == server.url
    assert KEY not in str(sofia)
    again = open_dialog(qtbot, manager_context)
    assert again.sofia.api_key.text() == "" and "stored" in again.sofia.api_key.placeholderText()
    assert again.sofia.openai.isChecked() and again.sofia.model.text() == "llama3.1"


def test_staff_are_refused(qtbot: QtBot, db: Database, place: Place) -> None:
    context = HostContext(db, account(db, "staff"), place.restaurant_id, FRIDAY,
                          clock=lambda: NOW)  # fmt: skip
    try:
        dialog = open_dialog(qtbot, context)
        assert dialog.error.isVisible()
        assert "may not change restaurant settings" in dialog.error.text()
        assert not dialog.save_button.isEnabled() and not dialog.tabs.isEnabled()
    finally:
        context.close()


def test_the_settings_screen(
    qtbot: QtBot,
    db: Database,
    styled: None,
    place: Place,
    manager_context: HostContext,
    backend: str,
) -> None:
    manager = manager_context.user
    save_settings(db, place.restaurant_id, RestaurantSettingsInput(
        special_dates=[{"date": "2026-12-31", "hours": "19:00-03:00", "note": "New Year's Eve"},
                       {"date": "2026-12-25", "closed": True, "note": "Private event"}],
        max_covers_per_slot=40, reminder_offsets_hours="24, 2",
        deposit_party_size_at_least=8, deposit_amount_per_guest=1000,
        vip_thresholds={"silver": {"visits": 5}, "gold": {"visits": 12, "spent": 100000}},
        sofia_engine="openai", sofia_base_url="http://127.0.0.1:11434/v1",
        sofia_model="llama3.1", sofia_api_key=KEY, name="Bistro Nord", cuisine="Nordic bistro",
        address="Nevsky prospekt 1, St Petersburg", phone="8 812 123-45-67",
        email="booking@bistro-nord.ru", timezone="Europe/Moscow",
        description="Small plates from the Baltic coast, natural wines and a fireplace.\n"
                    "Private room for up to 14 guests."), user=manager)  # fmt: skip
    dialog = open_dialog(qtbot, manager_context)
    shots = []
    for page in (dialog.hours, dialog.rules, dialog.deposits, dialog.sofia, dialog.restaurant):
        dialog.tabs.setCurrentWidget(page)
        qtbot.wait(50)
        image = dialog.grab().toImage()
        assert distinct_colours(image) > 20, "the screen is blank"
        shots.append(image)
    save_screenshot(shots[0], "settings.png", backend)
    save_screenshot(shots[1], "settings-rules.png", backend)
    save_screenshot(shots[2], "settings-deposits.png", backend)
    save_screenshot(shots[3], "settings-sofia.png", backend)
    save_screenshot(shots[4], "settings-restaurant.png", backend)
