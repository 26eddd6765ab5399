"""The toolbar's Manage menu opens the back-office dialogs by role: restaurant settings for
managers and admins, users for admins, About for everyone; a renamed restaurant shows its new
name in the window's picker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.database import Database
from tests.ui.test_main_window import open_window
from ui.reservations import ReservationDialog
from ui.settings.restaurant_settings_dialog import RestaurantSettingsDialog
from ui.shell.about_dialog import AboutDialog
from ui.users.users_dialog import UsersDialog

LONG = 20_000


@pytest.mark.parametrize(
    ("role", "settings", "users"),
    [("admin", True, True), ("manager", True, False), ("staff", False, False)],
)
def test_the_menu_offers_what_the_role_may_do(
    qtbot: QtBot, db: Database, role: str, settings: bool, users: bool
) -> None:
    window = open_window(qtbot, db, role)
    menu = window.manage
    visible = [a.text() for a in menu.menu.actions() if a.isVisible() and a.text()]
    expected = (["Restaurant settings…"] if settings else []) + (["Users…"] if users else [])
    assert visible == [*expected, "About ToBeOut Host Stand"]
    # The shortcut of a hidden action does nothing; asking anyway is refused politely.
    if not settings:
        assert menu.open_settings() is None
        assert "managers and admins" in window.statusBar().currentMessage()
    if not users:
        assert menu.open_users() is None
        assert "for admins" in window.statusBar().currentMessage()
    window.close()


def test_a_manager_saves_settings_from_the_menu_and_the_window_hears_of_it(
    qtbot: QtBot, db: Database
) -> None:
    window = open_window(qtbot, db, "manager")
    window.manage.settings_action.trigger()
    dialog = window.manage.dialogs["settings"]
    assert isinstance(dialog, RestaurantSettingsDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=LONG)
    # Asking again raises the open dialog rather than opening a second one.
    assert window.manage.open_settings() is dialog

    spin = dialog.rules.spins["slot_interval_minutes"]
    spin.setValue(30)
    with qtbot.waitSignal(window.manage.settings_saved, timeout=LONG):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Restaurant settings saved."
    qtbot.waitUntil(lambda: "settings" not in window.manage.dialogs, timeout=LONG)
    # A new booking now offers half-hourly slots.
    booking = ReservationDialog(window.context, parent=window)
    qtbot.addWidget(booking)
    booking.show()
    qtbot.waitUntil(lambda: booking.availability_loaded, timeout=LONG)
    times = list(booking.slot_picker.buttons)
    assert times and {t[-2:] for t in times} <= {"00", "30"}, times
    booking.reject()
    window.manage.settings_action.trigger()
    again = window.manage.dialogs["settings"]
    assert again is not dialog
    qtbot.waitUntil(lambda: again.loaded, timeout=LONG)
    assert again.rules.spins["slot_interval_minutes"].value() == 30
    again.reject()
    window.close()


def test_a_renamed_restaurant_shows_its_new_name_in_the_picker(qtbot: QtBot, db: Database) -> None:
    window = open_window(qtbot, db, "manager")
    restaurant_id = window.context.restaurant_id
    window.manage.settings_action.trigger()
    dialog = window.manage.dialogs["settings"]
    assert isinstance(dialog, RestaurantSettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy, timeout=LONG)
    name = dialog.restaurant.lines["name"]
    assert window.restaurant_box.currentText() == name.text()
    name.setText("Brasserie Tverskaya")
    with qtbot.waitSignal(window.manage.settings_saved, timeout=LONG):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.restaurant_box.currentText() == "Brasserie Tverskaya"
    assert window.restaurant_box.currentData() == restaurant_id
    assert window.restaurants[restaurant_id].name == "Brasserie Tverskaya"
    assert window.context.timezone == window.restaurants[restaurant_id].timezone
    window.close()


def test_an_admin_opens_users_and_anyone_opens_about(qtbot: QtBot, db: Database) -> None:
    window = open_window(qtbot, db, "admin")
    window.manage.users_action.trigger()
    users = window.manage.dialogs["users"]
    assert isinstance(users, UsersDialog)
    qtbot.waitUntil(lambda: users.loaded, timeout=LONG)
    assert users.table.rowCount() >= 3  # the demo's three accounts
    users.reject()

    window.manage.about_action.trigger()
    about = window.manage.dialogs["about"]
    assert isinstance(about, AboutDialog)
    assert about.database_label.text() == db.describe()
    assert about.log_label.text().endswith(".log")
    about.reject()
    qtbot.waitUntil(lambda: not window.manage.dialogs, timeout=LONG)
    window.close()
