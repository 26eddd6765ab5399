"""Booking rules: slot interval, turn times by party size, buffer, pacing, the booking window,
notice and last seating. Spin boxes span the service's own ranges (settings_form.LIMITS), so
only the turn-times table can hold something the service refuses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.services.restaurant_settings import RestaurantSettingsView
from app.services.settings_form import band_label
from ui.settings.form_bits import (
    SettingsTab,
    error_label,
    group,
    hint,
    limit_spin,
    set_spin,
    spin_value,
    table_text,
    with_error,
)

# Input field, label, suffix, hint.
SPINS: tuple[tuple[str, str, str, str], ...] = (
    ("slot_interval_minutes", "Slot interval", " min", "How often a booking can start."),
    ("buffer_minutes", "Buffer", " min", "Reset time between two parties at a table."),
    ("max_covers_per_slot", "Pacing", " covers", "Most guests arriving in one slot."),
    ("max_party_size", "Largest party", " guests", "Bigger parties are handed to a person."),
    ("max_advance_days", "Booking window", " days", "How far ahead guests can book."),
    ("min_notice_minutes", "Minimum notice", " min", "No bookings closer to now than this."),
    ("last_seating_minutes_before_close", "Last seating", " min",
     "Before closing time, no new parties."),
)  # fmt: skip
TURN_HINT = ("How long a party keeps its table, by party size (2, 3-4, 9+). Parties no row "
             "covers stay for the default turn time.")  # fmt: skip


class RulesTab(SettingsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spins: dict[str, QSpinBox] = {}
        rules_box, rules = group("Booking rules")
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        for name, label, suffix, note in SPINS:
            spin = limit_spin(name, suffix)
            spin.valueChanged.connect(lambda _v: self.changed.emit())
            spin.setToolTip(note)
            self.spins[name] = spin
            self.errors[name] = error_label()
            row = QHBoxLayout()
            row.setSpacing(14)
            row.addLayout(with_error(spin, self.errors[name]))
            row.addWidget(hint(note), 1)
            form.addRow(label, row)
        rules.addLayout(form)
        rules.addStretch(1)

        turns_box, turns = group("Turn times")
        self.default_turn = limit_spin("default_turn_minutes", " min")
        self.default_turn.valueChanged.connect(lambda _v: self.changed.emit())
        self.errors["default_turn_minutes"] = error_label()
        default_form = QFormLayout()
        default_form.addRow(
            "Default turn time", with_error(self.default_turn, self.errors["default_turn_minutes"])
        )
        self.turns = QTableWidget(0, 2)
        self.turns.setObjectName("turnTimes")
        self.turns.setHorizontalHeaderLabels(["Party size", "Minutes"])
        self.turns.verticalHeader().hide()
        self.turns.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.turns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.turns.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_band = QPushButton("Add row")
        self.remove_band = QPushButton("Remove")
        self.add_band.clicked.connect(lambda: self.add_row())
        self.remove_band.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_band)
        buttons.addWidget(self.remove_band)
        buttons.addStretch(1)
        self.errors["turn_times"] = error_label()
        turns.addLayout(default_form)
        turns.addWidget(hint(TURN_HINT))
        turns.addWidget(self.turns, 1)
        turns.addWidget(self.errors["turn_times"])
        turns.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(rules_box, 3)
        layout.addWidget(turns_box, 2)

    def fill(self, view: RestaurantSettingsView) -> None:
        for name, spin in self.spins.items():
            set_spin(spin, getattr(view, name))
        self.default_turn.setValue(view.default_turn_minutes)
        self.turns.blockSignals(True)
        self.turns.setRowCount(0)
        for band in view.turn_times:
            self.add_row(band_label(band), str(band.minutes))
        self.turns.blockSignals(False)

    def add_row(self, band: str = "", minutes: str = "") -> int:
        row = self.turns.rowCount()
        self.turns.insertRow(row)
        self.turns.setItem(row, 0, QTableWidgetItem(band))
        self.turns.setItem(row, 1, QTableWidgetItem(minutes))
        if not band:
            self.turns.setCurrentCell(row, 0)
        return row

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.turns.selectedIndexes()}, reverse=True)
        for row in rows or ([self.turns.currentRow()] if self.turns.currentRow() >= 0 else []):
            self.turns.removeRow(row)
        self.changed.emit()

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {name: spin_value(spin) for name, spin in self.spins.items()}
        result["default_turn_minutes"] = self.default_turn.value()
        result["turn_times"] = [(table_text(self.turns, row, 0), table_text(self.turns, row, 1))
                                for row in range(self.turns.rowCount())]  # fmt: skip
        return result
