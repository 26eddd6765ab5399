"""The users dialog: an administrator adds a user (field errors in place), resets a password
(the new one signs in), deactivates and reactivates, changes a role; demoting or deactivating
the last administrator is refused with the service's message; non-admins get nothing to press."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.db.enums import UserRole
from app.errors import PermissionDenied
from app.services.accounts import UserSummary, add_user, list_users
from app.services.auth import authenticate
from app.services.database import Database
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from tests.ui.screens import distinct_colours, save_screenshot
from ui.host_context import HostContext
from ui.users.users_dialog import UsersDialog

LEFT = Qt.MouseButton.LeftButton
PASSWORD = "long enough"


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


@pytest.fixture
def admin(db: Database) -> UserSummary:
    return add_user(db, email="root@bistro.ru", name="Olga Admin", role="admin", password=PASSWORD)


@pytest.fixture
def admin_context(db: Database, place: Place, admin: UserSummary) -> Iterator[HostContext]:
    context = HostContext(db, admin, place.restaurant_id, FRIDAY, clock=lambda: NOW)
    yield context
    context.close()


def open_dialog(qtbot: QtBot, context: HostContext) -> UsersDialog:
    dialog = UsersDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy, timeout=10_000)
    return dialog


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def pick(qtbot: QtBot, dialog: UsersDialog, email: str) -> None:
    row = next(i for i, u in enumerate(dialog.users) if u.email == email)
    rect = dialog.table.visualRect(dialog.table.model().index(row, 0))
    qtbot.mouseClick(dialog.table.viewport(), LEFT, pos=rect.center())
    assert dialog.current_user() is not None and dialog.current_user().email == email


def by_email(db: Database, email: str) -> UserSummary:
    return next(u for u in list_users(db) if u.email == email)


def test_an_admin_adds_a_user_and_resets_their_password(
    qtbot: QtBot, db: Database, admin_context: HostContext
) -> None:
    dialog = open_dialog(qtbot, admin_context)
    assert [u.email for u in dialog.users] == ["root@bistro.ru"]
    form = dialog.new_user
    # Field by field: the passwords differ, then the e-mail is wrong, then it is added.
    type_into(qtbot, form.name, "Ivan Host")
    type_into(qtbot, form.email, "ivan-at-bistro")
    type_into(qtbot, form.password, "first password")
    type_into(qtbot, form.repeat, "other password")
    click(qtbot, form.add_button)
    assert form.errors["password"].isVisible() and "not the same" in form.errors[
        "password"].text()  # fmt: skip
    type_into(qtbot, form.repeat, "first password")
    click(qtbot, form.add_button)
    qtbot.waitUntil(lambda: not dialog.busy and form.errors["email"].isVisible(), timeout=10_000)
    assert "is not an email address" in form.errors["email"].text()
    assert len(list_users(db)) == 1
    type_into(qtbot, form.email, "Ivan@Bistro.ru")
    form.role.setCurrentIndex(form.role.findData("manager"))
    with qtbot.waitSignal(dialog.user_changed, timeout=10_000):
        click(qtbot, form.add_button)
    qtbot.waitUntil(lambda: not dialog.busy and len(dialog.users) == 2, timeout=10_000)
    assert "Ivan Host was added as manager" in form.message.text() and form.name.text() == ""
    ivan = by_email(db, "ivan@bistro.ru")
    assert ivan.role == UserRole.MANAGER and ivan.is_active
    assert authenticate(db, "ivan@bistro.ru", "first password").id == ivan.id
    row = next(i for i, u in enumerate(dialog.users) if u.id == ivan.id)
    texts = [dialog.table.item(row, c).text() for c in range(5)]
    local = NOW.replace(tzinfo=dt.UTC)  # signed in just now (the real clock, so only the shape)
    assert texts[:4] == ["Ivan Host", "ivan@bistro.ru", "Manager", "Active"] and local

    # A duplicate e-mail is refused under the e-mail field.
    type_into(qtbot, form.name, "Someone")
    type_into(qtbot, form.email, "ivan@bistro.ru")
    type_into(qtbot, form.password, PASSWORD)
    type_into(qtbot, form.repeat, PASSWORD)
    click(qtbot, form.add_button)
    qtbot.waitUntil(lambda: not dialog.busy and form.errors["email"].isVisible(), timeout=10_000)
    assert "already exists" in form.errors["email"].text()

    # Reset Ivan's password: the new one signs in, the old one no longer does.
    pick(qtbot, dialog, "ivan@bistro.ru")
    panel = dialog.selected
    type_into(qtbot, panel.password, "short")
    type_into(qtbot, panel.repeat, "short")
    click(qtbot, panel.reset_button)
    qtbot.waitUntil(lambda: not dialog.busy and panel.errors["password"].isVisible(),
                    timeout=10_000)  # fmt: skip
    assert "at least 8 characters" in panel.errors["password"].text()
    type_into(qtbot, panel.password, "a fresh secret")
    type_into(qtbot, panel.repeat, "a fresh secret")
    click(qtbot, panel.reset_button)
    qtbot.waitUntil(lambda: not dialog.busy and "password was reset" in panel.message.text(),
                    timeout=10_000)  # fmt: skip
    assert panel.password.text() == "" and panel.repeat.text() == ""
    assert authenticate(db, "ivan@bistro.ru", "a fresh secret").id == ivan.id
    with pytest.raises(PermissionDenied):
        authenticate(db, "ivan@bistro.ru", "first password")


def test_deactivate_reactivate_and_change_role(
    qtbot: QtBot, db: Database, admin_context: HostContext
) -> None:
    add_user(db, email="host@bistro.ru", name="Host", role="staff", password=PASSWORD)
    dialog = open_dialog(qtbot, admin_context)
    pick(qtbot, dialog, "host@bistro.ru")
    panel = dialog.selected
    assert panel.active_button.text() == "Deactivate"
    click(qtbot, panel.active_button)
    qtbot.waitUntil(lambda: not dialog.busy and panel.active_button.text() == "Reactivate",
                    timeout=10_000)  # fmt: skip
    assert not by_email(db, "host@bistro.ru").is_active
    row = next(i for i, u in enumerate(dialog.users) if u.email == "host@bistro.ru")
    assert dialog.table.item(row, 3).text() == "Deactivated"
    with pytest.raises(PermissionDenied, match="deactivated"):
        authenticate(db, "host@bistro.ru", PASSWORD)
    click(qtbot, panel.active_button)
    qtbot.waitUntil(lambda: not dialog.busy and panel.active_button.text() == "Deactivate",
                    timeout=10_000)  # fmt: skip
    assert authenticate(db, "host@bistro.ru", PASSWORD).is_active

    panel.role.setCurrentIndex(panel.role.findData("admin"))
    click(qtbot, panel.role_button)
    qtbot.waitUntil(lambda: not dialog.busy and "now administrator" in panel.message.text(),
                    timeout=10_000)  # fmt: skip
    assert by_email(db, "host@bistro.ru").role == UserRole.ADMIN


def test_the_last_admin_cannot_be_demoted_or_deactivated(
    qtbot: QtBot, db: Database, admin_context: HostContext
) -> None:
    dialog = open_dialog(qtbot, admin_context)
    pick(qtbot, dialog, "root@bistro.ru")
    panel = dialog.selected
    panel.role.setCurrentIndex(panel.role.findData("staff"))
    click(qtbot, panel.role_button)
    qtbot.waitUntil(lambda: not dialog.busy and panel.message.isVisible(), timeout=10_000)
    assert panel.message.property("level") == "error"
    assert panel.message.text() == (
        "You are the last active administrator: make another user an administrator first, "
        "so someone can still manage users."
    )
    assert panel.role.currentData() == "admin", "the list shows what is stored again"
    click(qtbot, panel.active_button)
    qtbot.waitUntil(
        lambda: (
            not dialog.busy
            and "Deactivate" in panel.active_button.text()
            and panel.message.property("level") == "error"
        ),
        timeout=10_000,
    )
    assert "last active administrator" in panel.message.text()
    root = by_email(db, "root@bistro.ru")
    assert root.role == UserRole.ADMIN and root.is_active


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_non_admins_are_refused(qtbot: QtBot, db: Database, place: Place, role: str) -> None:
    user = add_user(db, email=f"{role}@bistro.ru", name="Not Admin", role=role, password=PASSWORD)
    context = HostContext(db, user, place.restaurant_id, FRIDAY, clock=lambda: NOW)
    try:
        dialog = open_dialog(qtbot, context)
        assert dialog.error.isVisible() and "may not manage users" in dialog.error.text()
        assert dialog.users == [] and not dialog.new_user.isEnabled()
        assert not dialog.selected.reset_button.isEnabled()
    finally:
        context.close()


def test_the_users_screen(
    qtbot: QtBot, db: Database, styled: None, admin_context: HostContext, backend: str
) -> None:
    for email, name, role in (("anna@bistro.ru", "Anna Petrova", "manager"),
                              ("ivan@bistro.ru", "Ivan Sokolov", "staff"),
                              ("maria@bistro.ru", "Maria Kuznetsova", "staff"),
                              ("pavel@bistro.ru", "Pavel Orlov", "staff")):  # fmt: skip
        add_user(db, email=email, name=name, role=role, password=PASSWORD)
    authenticate(db, "anna@bistro.ru", PASSWORD, now=NOW)
    authenticate(db, "root@bistro.ru", PASSWORD, now=NOW - dt.timedelta(days=2))
    dialog = open_dialog(qtbot, admin_context)
    pick(qtbot, dialog, "pavel@bistro.ru")
    click(qtbot, dialog.selected.active_button)
    note = dialog.selected.message
    qtbot.waitUntil(lambda: not dialog.busy and "no longer sign in" in note.text(), timeout=10_000)
    pick(qtbot, dialog, "ivan@bistro.ru")
    qtbot.wait(50)
    image = dialog.grab().toImage()
    assert distinct_colours(image) > 20, "the screen is blank"
    save_screenshot(image, "users.png", backend)
