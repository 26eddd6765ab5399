"""Hours & dates: each weekday's services as one line of text, and the special dates (closed,
other hours, a note) in a small table. The text goes to the service as typed: it parses and
refuses, so the messages under the fields are the service's own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.booking_rules import SpecialDate
from app.domain.opening_hours import WEEKDAYS
from app.services.restaurant_settings import RestaurantSettingsView
from app.services.settings_form import DAY_NAMES, services_text
from ui.settings.form_bits import SettingsTab, error_label, group, hint, table_text

HOURS_HINT = ("Services separated by commas, like 12:00-15:00, 18:00-23:00. A closing time "
              "before the opening runs past midnight. Empty: closed.")  # fmt: skip
DATES_HINT = "Holidays and events: closed, or open at other hours (empty hours: closed)."
DATE, CLOSED, HOURS, NOTE = range(4)
EXTRA_ROLE = Qt.ItemDataRole.UserRole  # a special date's other rules (pacing, deposit), kept


class HoursTab(SettingsTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: dict[str, QLineEdit] = {}
        week_box, week = group("Opening hours")
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for index, day in enumerate(WEEKDAYS):
            editor = QLineEdit()
            editor.setObjectName(f"hours_{day}")
            editor.setPlaceholderText("Closed")
            editor.textEdited.connect(self.changed)
            error = error_label()
            grid.addWidget(QLabel(DAY_NAMES[day]), index * 2, 0)
            grid.addWidget(editor, index * 2, 1)
            grid.addWidget(error, index * 2 + 1, 1)
            self.days[day] = editor
            self.errors[f"opening_hours.{day}"] = error
        grid.setColumnStretch(1, 1)
        week.addLayout(grid)
        week.addWidget(hint(HOURS_HINT))
        self.errors["opening_hours"] = error_label()
        week.addWidget(self.errors["opening_hours"])
        week.addStretch(1)

        dates_box, dates = group("Special dates")
        self.dates = QTableWidget(0, 4)
        self.dates.setObjectName("specialDates")
        self.dates.setHorizontalHeaderLabels(["Date", "Closed", "Hours", "Note"])
        self.dates.verticalHeader().hide()
        self.dates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.dates.horizontalHeader()
        for column, mode in ((DATE, QHeaderView.ResizeMode.ResizeToContents),
                             (CLOSED, QHeaderView.ResizeMode.ResizeToContents),
                             (HOURS, QHeaderView.ResizeMode.Interactive),
                             (NOTE, QHeaderView.ResizeMode.Stretch)):  # fmt: skip
            header.setSectionResizeMode(column, mode)
        self.dates.setColumnWidth(HOURS, 120)
        self.dates.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_date = QPushButton("Add date")
        self.remove_date = QPushButton("Remove")
        self.add_date.clicked.connect(lambda: self.add_row())
        self.remove_date.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_date)
        buttons.addWidget(self.remove_date)
        buttons.addStretch(1)
        self.errors["special_dates"] = error_label()
        dates.addWidget(hint(DATES_HINT))
        dates.addWidget(self.dates, 1)
        dates.addWidget(self.errors["special_dates"])
        dates.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(week_box, 1)
        layout.addWidget(dates_box, 1)

    def fill(self, view: RestaurantSettingsView) -> None:
        for day, editor in self.days.items():
            editor.setText(services_text(view.opening_hours.get(day, ())))
        self.dates.blockSignals(True)
        self.dates.setRowCount(0)
        for special in view.special_dates:
            self.add_row(special)
        self.dates.blockSignals(False)

    def add_row(self, special: SpecialDate | None = None, day: str = "") -> int:
        """A special date row (a new one is dated ``day``, or left for the manager to type)."""
        row = self.dates.rowCount()
        self.dates.insertRow(row)
        date = QTableWidgetItem(special.day.isoformat() if special else day)
        date.setData(EXTRA_ROLE, {"max_covers_per_slot": special.max_covers_per_slot,
                                  "deposit": special.deposit} if special else {})  # fmt: skip
        closed = QTableWidgetItem()
        closed.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
        closed.setCheckState(Qt.CheckState.Checked if special is None or special.closed
                             else Qt.CheckState.Unchecked)  # fmt: skip
        hours = QTableWidgetItem(services_text(special.hours or ()) if special else "")
        note = QTableWidgetItem((special.note or "") if special else "")
        for column, item in ((DATE, date), (CLOSED, closed), (HOURS, hours), (NOTE, note)):
            self.dates.setItem(row, column, item)
        if special is None:
            self.dates.setCurrentCell(row, DATE)
            self.changed.emit()
        return row

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.dates.selectedIndexes()}, reverse=True)
        for row in rows or ([self.dates.currentRow()] if self.dates.currentRow() >= 0 else []):
            self.dates.removeRow(row)
        self.changed.emit()

    def values(self) -> dict[str, Any]:
        rows = []
        for row in range(self.dates.rowCount()):
            texts = [table_text(self.dates, row, c) for c in (DATE, HOURS, NOTE)]
            checked = self.dates.item(row, CLOSED)
            closed = checked is not None and checked.checkState() == Qt.CheckState.Checked
            if not any(texts) and not closed:
                continue  # a blank row added and never filled
            item = self.dates.item(row, DATE)
            extra = dict(item.data(EXTRA_ROLE) or {}) if item is not None else {}
            # Hours typed for a date still marked closed: the hours are what was meant.
            closed = closed and not texts[1]
            rows.append({"date": texts[0], "closed": closed, "hours": texts[1] or None,
                         "note": texts[2] or None, **extra})  # fmt: skip
        return {"opening_hours": {day: editor.text() for day, editor in self.days.items()},
                "special_dates": rows}  # fmt: skip
