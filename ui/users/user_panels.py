"""The two forms beside the users table: what to do with the selected user (role, active,
password) and a new user. Layout and value plumbing only: the dialog runs the services and
hands refusals back through ``show_error``, which puts each under the field it names.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db.enums import UserRole
from app.services.accounts import UserSummary
from ui.settings.form_bits import error_label, with_error

ROLE_LABELS = {UserRole.ADMIN: "Administrator", UserRole.MANAGER: "Manager",
               UserRole.STAFF: "Staff"}  # fmt: skip
# Which field a refusal is about, most specific first (the services' messages name it).
_FIELD_WORDS = (("email", r"\be-?mail\b"), ("password", r"\bpassword"), ("role", r"\brole\b"),
                ("name", r"\bname\b"))  # fmt: skip
MISMATCH = "The two passwords are not the same."
INPUT_HEIGHT = 30


def field_of(message: str) -> str | None:
    for name, pattern in _FIELD_WORDS:
        if re.search(pattern, message, flags=re.IGNORECASE):
            return name
    return None


def role_box() -> QComboBox:
    box = QComboBox()
    box.setMinimumHeight(INPUT_HEIGHT)
    # Narrow enough for the side panel; the list opens as wide as it needs.
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(6)
    for role in UserRole:
        box.addItem(ROLE_LABELS[role], role.value)
    return box


def password_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setMinimumHeight(INPUT_HEIGHT)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class _Panel(QGroupBox):
    """A group of fields, each with its error line, and one message line for the rest (a
    refusal that names no field, or what was just done)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.errors: dict[str, QLabel] = {}
        self.message = QLabel()
        self.message.setObjectName("panelMessage")
        self.message.setWordWrap(True)
        self.message.hide()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.message.hide()

    def show_error(self, message: str) -> None:
        self.clear_errors()
        label = self.errors.get(field_of(message) or "")
        if label is None:
            self._say(message, "error")
        else:
            label.setText(message)
            label.show()

    def show_note(self, text: str) -> None:
        self.clear_errors()
        self._say(text, "ok")

    def _say(self, text: str, level: str) -> None:
        self.message.setText(text)
        self.message.setProperty("level", level)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()


class SelectedUserPanel(_Panel):
    role_change_requested = Signal(str)  # the new role
    active_toggle_requested = Signal(bool)  # the wanted state
    password_reset_requested = Signal(str)  # the new password

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Selected user", parent)
        self.user: UserSummary | None = None
        self.who = QLabel("Pick a user in the list.")
        self.who.setObjectName("selectedUser")
        self.who.setWordWrap(True)
        self.role = role_box()
        self.role_button = QPushButton("Change role")
        self.active_button = QPushButton("Deactivate")
        self.password = password_edit("New password (8+ characters)")
        self.repeat = password_edit("Repeat it")
        self.reset_button = QPushButton("Reset password")
        self.errors = {"role": error_label(), "password": error_label()}
        role_row = QHBoxLayout()
        role_row.setSpacing(8)
        role_row.addWidget(self.role, 1)
        role_row.addWidget(self.role_button)
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.addRow("Role", role_row)
        form.addRow("", self.errors["role"])
        form.addRow("Password", self.password)
        form.addRow("", with_error(self.repeat, self.errors["password"]))
        buttons = QHBoxLayout()
        buttons.addWidget(self.active_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.who)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.role_button.clicked.connect(
            lambda: self.role_change_requested.emit(str(self.role.currentData()))
        )
        self.active_button.clicked.connect(
            lambda: self.active_toggle_requested.emit(not (self.user and self.user.is_active))
        )
        self.reset_button.clicked.connect(self._reset)
        self.busy = False
        self.show_user(None)

    def show_user(self, user: UserSummary | None, *, keep_note: bool = False) -> None:
        changed = user is None or self.user is None or user.id != self.user.id
        self.user = user
        if user is None:
            self.who.setText("Pick a user in the list.")
        else:
            state = "" if user.is_active else " · deactivated"
            self.who.setText(f"<b>{user.name}</b><br>{user.email}{state}")
            self.role.setCurrentIndex(max(0, self.role.findData(user.role.value)))
            self.active_button.setText("Deactivate" if user.is_active else "Reactivate")
        if changed:
            self.password.clear()
            self.repeat.clear()
        if not keep_note:
            self.clear_errors()
        self.set_busy(self.busy)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        ready = self.user is not None and not busy
        for widget in (self.role, self.role_button, self.active_button, self.password,
                       self.repeat, self.reset_button):  # fmt: skip
            widget.setEnabled(ready)

    def _reset(self) -> None:
        if self.password.text() != self.repeat.text():
            self.show_error(MISMATCH)
            return
        self.password_reset_requested.emit(self.password.text())

    def password_was_reset(self) -> None:
        self.password.clear()
        self.repeat.clear()


class NewUserPanel(_Panel):
    add_requested = Signal(str, str, str, str)  # name, e-mail, role, password

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a user", parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Maria Ivanova")
        self.name.setMinimumHeight(INPUT_HEIGHT)
        self.email = QLineEdit()
        self.email.setMinimumHeight(INPUT_HEIGHT)
        self.email.setPlaceholderText("maria@restaurant.ru")
        self.role = role_box()
        self.role.setCurrentIndex(self.role.findData(UserRole.STAFF.value))
        self.password = password_edit("8+ characters")
        self.repeat = password_edit("Repeat it")
        self.add_button = QPushButton("Add user")
        self.add_button.setProperty("primary", True)
        self.errors = {name: error_label() for name in ("name", "email", "role", "password")}
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.addRow("Name", with_error(self.name, self.errors["name"]))
        form.addRow("E-mail", with_error(self.email, self.errors["email"]))
        form.addRow("Role", with_error(self.role, self.errors["role"]))
        form.addRow("Password", self.password)
        form.addRow("", with_error(self.repeat, self.errors["password"]))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._add)

    def _add(self) -> None:
        if self.password.text() != self.repeat.text():
            self.show_error(MISMATCH)
            return
        self.add_requested.emit(self.name.text(), self.email.text(),
                                str(self.role.currentData()), self.password.text())  # fmt: skip

    def set_busy(self, busy: bool) -> None:
        self.add_button.setEnabled(not busy)

    def was_added(self) -> None:
        for edit in (self.name, self.email, self.password, self.repeat):
            edit.clear()
        self.role.setCurrentIndex(self.role.findData(UserRole.STAFF.value))
