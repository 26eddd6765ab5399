"""The day's slots for a party as buttons grouped by service; unavailable ones are disabled
with the engine's reason as their tooltip. Layout only: the dialog feeds it results."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.availability import AvailabilityResult, SlotOption

COLUMNS = 8
PICKER_STYLE = """
QPushButton[slot="true"] { min-width: 58px; padding: 6px 0px; border-radius: 6px;
    font-weight: bold; color: #2747b3; background: #ffffff; border: 1px solid #b9c9f5; }
QPushButton[slot="true"]:hover { background: #eef2fb; }
QPushButton[slot="true"]:checked { background: #3056d3; color: #ffffff; border: 1px solid #2747b3; }
QPushButton[slot="true"]:disabled { color: #b0b7c6; background: #f1f3f7; border: 1px solid #e3e7ee;
    font-weight: normal; text-decoration: line-through; }
QLabel#serviceTitle { font-weight: bold; color: #1f2633; margin-top: 4px; }
QLabel#serviceFacts { color: #5b6478; }
QLabel#pickerState { color: #5b6478; padding: 18px; }
"""
REASONS = {
    "no_table": "no table is free for this party",
    "too_soon": "too soon to book",
    "beyond_max_advance": "too far ahead",
    "past": "already passed",
    "pacing_full": "the kitchen is at capacity",
    "party_too_large": "party too large",
    "slot_closed": "not taking bookings",
    "closed": "closed",
}


def slot_tooltip(slot: SlotOption) -> str:
    if slot.available:
        tables = "+".join(slot.tables)
        return f"{slot.time} · table {tables}" if tables else slot.time
    reason = slot.message or REASONS.get(slot.reason or "", slot.reason or "Not available")
    return f"{slot.time} is not available: {reason}"


def service_title(service: str) -> str:
    return service.replace("_", " ").title()


class SlotPicker(QWidget):
    slot_picked = Signal(str)  # "HH:MM"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(PICKER_STYLE)
        self.buttons: dict[str, QPushButton] = {}
        self.slots: dict[str, SlotOption] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.state = QLabel()
        self.state.setObjectName("pickerState")
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state.setWordWrap(True)
        self._layout.addWidget(self.state)
        self._sections: list[QWidget] = []
        self.show_state("Choose a date and party size to see the free times.")

    @property
    def selected_time(self) -> str | None:
        button = self.group.checkedButton()
        return str(button.property("time")) if button is not None else None

    def selected_slot(self) -> SlotOption | None:
        time = self.selected_time
        return self.slots.get(time) if time else None

    def show_state(self, text: str) -> None:
        self.state.setText(text)
        self.state.show()

    def set_result(self, result: AvailabilityResult, keep: str | None = None) -> None:
        """Show ``result``'s slots; ``keep`` stays selected when it is still available."""
        self._clear()
        if result.closed or not result.slots:
            self.show_state(result.closed or "No bookable times on this day.")
            return
        self.state.hide()
        services: dict[str, list[SlotOption]] = {}
        for slot in result.slots:
            if slot.time not in self.slots:  # an autumn fold repeats a label: keep the first
                services.setdefault(slot.service, []).append(slot)
                self.slots[slot.time] = slot
        for service, slots in services.items():
            self._add_section(service, slots)
        if keep and keep in self.buttons and self.buttons[keep].isEnabled():
            self.buttons[keep].setChecked(True)

    def select(self, time: str) -> bool:
        """Pick ``time`` as if clicked; False when it is not offered or not available."""
        button = self.buttons.get(time)
        if button is None or not button.isEnabled():
            return False
        button.setChecked(True)
        self.slot_picked.emit(time)
        return True

    def clear_selection(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)

    def _clear(self) -> None:
        for button in self.buttons.values():
            self.group.removeButton(button)
        for section in self._sections:
            self._layout.removeWidget(section)
            section.deleteLater()
        self._sections = []
        self.buttons = {}
        self.slots = {}

    def _add_section(self, service: str, slots: list[SlotOption]) -> None:
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(4)
        free = sum(1 for s in slots if s.available)
        title = QLabel(f"{service_title(service)}")
        title.setObjectName("serviceTitle")
        facts = QLabel(f"{slots[0].time}–{slots[-1].time} · {free} of {len(slots)} times free")
        facts.setObjectName("serviceFacts")
        heading = QGridLayout()
        heading.addWidget(title, 0, 0)
        heading.addWidget(facts, 0, 1, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(heading)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        for position, slot in enumerate(slots):
            button = QPushButton(slot.time)
            button.setCheckable(True)
            button.setProperty("slot", True)
            button.setProperty("time", slot.time)
            button.setEnabled(slot.available)
            button.setToolTip(slot_tooltip(slot))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, t=slot.time: self.slot_picked.emit(t))
            self.group.addButton(button)
            self.buttons[slot.time] = button
            grid.addWidget(button, position // COLUMNS, position % COLUMNS)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        self._layout.addWidget(section)
        self._sections.append(section)
