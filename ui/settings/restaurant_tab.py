"""The restaurant's own details: name, cuisine, address, phone, e-mail, time zone and a
description. The service checks and normalises them (app/services/profile_form.py); the phone
is shown as a host reads it aloud and stored in E.164.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from app.domain.phones import display_phone
from app.services.restaurant_settings import RestaurantSettingsView
from ui.settings.form_bits import SettingsTab, error_label, group, hint, with_error
from ui.setup.fields import set_timezone, timezone_box

# Input field, label, placeholder, hint.
LINES: tuple[tuple[str, str, str, str], ...] = (
    ("name", "Name", "Bistro Nord", "Shown to hosts in the restaurant picker and to guests."),
    ("cuisine", "Cuisine", "French brasserie", ""),
    ("address", "Address", "Nevsky prospekt 1, St Petersburg", ""),
    ("phone", "Phone", "+7 495 123-45-67",
     "A number without a country code is read in the restaurant's country."),
    ("email", "E-mail", "booking@example.com", ""),
)  # fmt: skip
TIMEZONE_HINT = ("Booking times are kept in this zone. It cannot change once the restaurant "
                 "has bookings. Type part of a city to find it.")  # fmt: skip
DESCRIPTION_HINT = ("Sofia tells guests the name, address, phone, cuisine and this description "
                    "when they ask about the restaurant.")  # fmt: skip


class RestaurantTab(SettingsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: dict[str, QLineEdit] = {}
        details_box, details = group("The restaurant")
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        for name, label, placeholder, note in LINES:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            edit.textEdited.connect(lambda _t: self.changed.emit())
            self.lines[name] = edit
            form.addRow(label, self._cell(name, edit, note))
        self.timezone = timezone_box()
        self.timezone.setObjectName("timezone")
        self.timezone.editTextChanged.connect(lambda _t: self.changed.emit())
        form.addRow("Time zone", self._cell("timezone", self.timezone, TIMEZONE_HINT))
        details.addLayout(form)
        details.addStretch(1)

        about_box, about = group("Description")
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setPlaceholderText("What makes the place worth a visit.")
        self.description.textChanged.connect(self.changed)
        self.errors["description"] = error_label()
        about.addWidget(self.description, 1)
        about.addWidget(self.errors["description"])
        about.addWidget(hint(DESCRIPTION_HINT))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(details_box, 3)
        layout.addWidget(about_box, 2)

    def _cell(self, name: str, editor: QWidget, note: str) -> QWidget:
        """The editor, its error line and its hint, stacked."""
        self.errors[name] = error_label()
        cell = QWidget()
        stack = with_error(editor, self.errors[name])
        if note:
            stack.addWidget(hint(note))
        cell.setLayout(stack)
        return cell

    def fill(self, view: RestaurantSettingsView) -> None:
        stored = {"name": view.name, "cuisine": view.cuisine, "address": view.address,
                  "phone": display_phone(view.phone) if view.phone else None,
                  "email": view.email}  # fmt: skip
        for name, edit in self.lines.items():
            edit.setText(stored[name] or "")
        set_timezone(self.timezone, view.timezone)
        self.description.blockSignals(True)
        self.description.setPlainText(view.description or "")
        self.description.blockSignals(False)

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {name: edit.text() for name, edit in self.lines.items()}
        result["timezone"] = self.timezone.currentText()
        result["description"] = self.description.toPlainText()
        return result
