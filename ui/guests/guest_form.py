"""The editable part of a guest profile: contact details, allergies, preferences, VIP tier and
staff notes, each with its own error line. Layout and value plumbing only: the profile view
saves ``changes()`` through ``update_guest`` and hands any refusal back to ``show_error``.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db.enums import VipTier
from app.services.guest_views import GuestSummary
from ui.reservations.badges import VIP_LABELS
from ui.reservations.guest_lookup import pretty_phone, same_phone

# Which field an error message is about, most specific first (messages name their field).
_FIELD_WORDS = (
    ("email", r"\be-?mail\b"),
    ("phone", r"\bphone\b"),
    ("allergies", r"\ballerg"),
    ("preferences", r"\bpreferences\b"),
    ("vip_status", r"\bVIP\b"),
    ("notes", r"\bnotes\b"),
    ("name", r"\bname\b"),
)
PREFERENCES_HINT = "seating: window\ndrinks: sparkling water"
FIELDS = ("name", "phone", "email", "allergies", "preferences", "vip_status", "notes")


def field_of(message: str) -> str | None:
    for field, pattern in _FIELD_WORDS:
        if re.search(pattern, message, flags=re.IGNORECASE):
            return field
    return None


def parse_preferences(text: str) -> dict[str, Any]:
    """``seating: window`` lines → {"seating": "window"}; a comma makes a list."""
    result: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, _, value = line.partition(":")
        items = [v.strip() for v in value.split(",") if v.strip()]
        result[key.strip().lower()] = items if len(items) > 1 else (items[0] if items else "")
    return result


def preferences_text(preferences: dict[str, Any] | None) -> str:
    lines = []
    # Sorted: PostgreSQL's jsonb does not keep the order keys were written in.
    for key, value in sorted((preferences or {}).items()):
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        lines.append(f"{key}: {shown}")
    return "\n".join(lines)


def keep_unchanged(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Edited preferences, keeping the stored value of every line the host did not touch
    (a one-item list reads back as plain text and must not turn into a string)."""
    return {
        key: before[key]
        if key in before and preferences_text({key: before[key]}) == preferences_text({key: value})
        else value
        for key, value in after.items()
    }


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


class GuestForm(QWidget):
    save_requested = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, *, can_set_tier: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guest: GuestSummary | None = None
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText("guest@example.com")
        self.allergies = QLineEdit()
        self.allergies.setPlaceholderText("peanuts, shellfish")
        self.preferences = QPlainTextEdit()
        self.preferences.setPlaceholderText(PREFERENCES_HINT)
        self.preferences.setFixedHeight(50)
        self.vip = QComboBox()
        self.vip.addItem("No tier", None)
        for tier in VipTier:
            self.vip.addItem(f"★ {VIP_LABELS[tier]}", tier.value)
        self.vip.setEnabled(can_set_tier)
        if not can_set_tier:
            self.vip.setToolTip("Only a manager or an administrator can change the VIP tier.")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What the team should know: regular table, birthdays…")
        self.notes.setFixedHeight(62)
        self.editors: dict[str, QWidget] = {
            "name": self.name, "phone": self.phone, "email": self.email,
            "allergies": self.allergies, "preferences": self.preferences, "vip_status": self.vip,
            "notes": self.notes,
        }  # fmt: skip
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setVerticalSpacing(4)
        labels = {"name": "Name", "phone": "Phone", "email": "E-mail", "allergies": "Allergies",
                  "preferences": "Preferences", "vip_status": "VIP tier",
                  "notes": "Staff notes"}  # fmt: skip
        for field in FIELDS:
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            self.errors[field] = error
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(self.editors[field])
            cell.addWidget(error)
            form.addRow(labels[field], cell)
        self.general_error = QLabel()
        self.general_error.setObjectName("formError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.save_button = QPushButton("Save changes")
        self.save_button.setObjectName("primary")
        self.save_button.setMinimumWidth(130)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setMinimumWidth(90)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for edit in (self.name, self.phone, self.email, self.allergies):
            edit.textEdited.connect(self._edited)
        for text in (self.preferences, self.notes):
            text.textChanged.connect(self._edited)
        self.vip.currentIndexChanged.connect(self._edited)
        self.save_button.clicked.connect(self.save_requested.emit)
        self.revert_button.clicked.connect(self.revert)
        self._sync_buttons()

    def set_guest(self, guest: GuestSummary, *, keep_edits: bool = False) -> None:
        """Show ``guest``; with ``keep_edits`` a host's unsaved typing stays in place."""
        same = self.guest is not None and self.guest.id == guest.id
        self.guest = guest
        if keep_edits and same and self.is_dirty():
            return
        self._fill(guest)

    def revert(self) -> None:
        if self.guest is not None:
            self._fill(self.guest)

    def _fill(self, guest: GuestSummary) -> None:
        widgets = (self.preferences, self.notes, self.vip)
        for widget in widgets:
            widget.blockSignals(True)
        self.name.setText(guest.name)
        self.phone.setText(pretty_phone(guest.phone))
        self.email.setText(guest.email or "")
        self.allergies.setText(", ".join(guest.allergies))
        self.preferences.setPlainText(preferences_text(guest.preferences))
        tier = guest.vip_status.value if guest.vip_status else None
        self.vip.setCurrentIndex(max(0, self.vip.findData(tier)))
        self.notes.setPlainText(guest.notes or "")
        for widget in widgets:
            widget.blockSignals(False)
        self.clear_errors()
        self._sync_buttons()

    def changes(self) -> dict[str, Any]:
        """Only what the host changed, in the shape ``update_guest`` takes."""
        guest = self.guest
        if guest is None:
            return {}
        result: dict[str, Any] = {}
        if self.name.text().strip() != guest.name:
            result["name"] = self.name.text()
        if not same_phone(self.phone.text(), guest.phone) or not self.phone.text().strip():
            result["phone"] = self.phone.text()
        if self.email.text().strip() != (guest.email or ""):
            result["email"] = self.email.text().strip() or None
        allergies = split_list(self.allergies.text())
        if [a.lower() for a in allergies] != [a.lower() for a in guest.allergies]:
            result["allergies"] = allergies
        preferences = parse_preferences(self.preferences.toPlainText())
        if preferences_text(preferences) != preferences_text(guest.preferences):
            result["preferences"] = keep_unchanged(guest.preferences, preferences)
        tier = self.vip.currentData()
        if self.vip.isEnabled() and tier != (guest.vip_status.value if guest.vip_status else None):
            result["vip_status"] = tier
        if self.notes.toPlainText().strip() != (guest.notes or "").strip():
            result["notes"] = self.notes.toPlainText()
        return result

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.general_error.hide()

    def show_error(self, message: str) -> None:
        """Put the service's message under the field it is about (or below the form)."""
        self.clear_errors()
        field = field_of(message)
        label = self.errors.get(field) if field else None
        if label is None:
            label = self.general_error
        label.setText(message)
        label.show()
        if field in self.editors:
            self.editors[field].setFocus()

    def _edited(self, *_args: object) -> None:
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.dirty_changed.emit(dirty)
