"""Reminders: how many hours before the visit a guest is reminded through their chat channel."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.services.restaurant_settings import RestaurantSettingsView
from ui.settings.form_bits import SettingsTab, error_label, group, hint

REMINDERS_HINT = (
    "Guests who booked through Telegram or WhatsApp get a reminder this many hours before "
    "their visit, once per entry (for example 24, 2). Leave it empty to send no reminders. "
    "When several are due at once (a late booking) only the nearest is sent."
)


def offsets_text(hours: tuple[float, ...]) -> str:
    return ", ".join(f"{h:g}" for h in hours)


class RemindersTab(SettingsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box, inner = group("Reminders before the visit")
        self.offsets = QLineEdit()
        self.offsets.setObjectName("reminder_offsets_hours")
        self.offsets.setPlaceholderText("No reminders")
        self.offsets.setMaximumWidth(320)
        self.offsets.textEdited.connect(self.changed)
        self.errors["reminder_offsets_hours"] = error_label()
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        row = QHBoxLayout()
        row.addWidget(self.offsets)
        row.addStretch(1)
        form.addRow("Hours before", row)
        inner.addLayout(form)
        inner.addWidget(self.errors["reminder_offsets_hours"])
        inner.addWidget(hint(REMINDERS_HINT))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.addWidget(box)
        layout.addStretch(1)

    def fill(self, view: RestaurantSettingsView) -> None:
        self.offsets.setText(offsets_text(view.reminder_offsets_hours))

    def values(self) -> dict[str, Any]:
        return {"reminder_offsets_hours": self.offsets.text()}
