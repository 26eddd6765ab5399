"""Opening hours, day by day: closed, or one or two services from HH:MM to HH:MM. A closing time
at or before the opening time runs past midnight (a Friday 18:00–02:00 ends on Saturday).

``HoursEditor`` reads and writes the ``opening_hours`` JSON of ARCHITECTURE.md
(``{"mon": [["12:00", "15:00"], ["18:00", "23:00"]], …}``, a closed day left out); ``HoursPage``
is the wizard page around it, checked with ``check_restaurant_fields``.

Threading: UI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.opening_hours import WEEKDAYS
from app.services.first_run import DAY_NAMES, check_restaurant_fields
from ui.setup.fields import SetupPage

DEFAULT_SERVICE = ("12:00", "23:00")
DEFAULT_SECOND = ("18:00", "23:00")


def time_edit(text: str) -> QTimeEdit:
    edit = QTimeEdit(QTime.fromString(text, "HH:mm"))
    edit.setDisplayFormat("HH:mm")
    edit.setWrapping(True)
    edit.setFixedWidth(84)
    return edit


class DayRow:
    """One weekday's widgets in the editor's grid."""

    def __init__(self, day: str) -> None:
        self.day = day
        self.name = QLabel(DAY_NAMES[day])
        self.open = QCheckBox("Open")
        self.open.setChecked(True)
        self.first = (time_edit(DEFAULT_SERVICE[0]), time_edit(DEFAULT_SERVICE[1]))
        self.split = QCheckBox("2nd service")
        self.second = (time_edit(DEFAULT_SECOND[0]), time_edit(DEFAULT_SECOND[1]))
        self.note = QLabel()
        self.note.setObjectName("fieldHint")
        self.note.setMinimumWidth(110)
        self.open.toggled.connect(self.refresh)
        self.split.toggled.connect(self._split_toggled)
        for edit in (*self.first, *self.second):
            edit.timeChanged.connect(self.refresh)
        self.refresh()

    def services(self) -> list[list[str]]:
        if not self.open.isChecked():
            return []
        pairs = [self.first] + ([self.second] if self.split.isChecked() else [])
        return [[a.time().toString("HH:mm"), b.time().toString("HH:mm")] for a, b in pairs]

    def set_services(self, services: list[list[str]]) -> None:
        self.open.setChecked(bool(services))
        self.split.setChecked(len(services) > 1)
        for pair, edits in zip(services[:2], (self.first, self.second), strict=False):
            for text, edit in zip(pair, edits, strict=True):
                edit.setTime(QTime.fromString(text, "HH:mm"))
        self.refresh()

    def _split_toggled(self, on: bool) -> None:
        """A day split in two: lunch until 15:00, dinner from 18:00 until the day's old close
        (when the single service spanned both)."""
        opens, closes = self.first[0].time(), self.first[1].time()
        lunch_end, dinner = QTime(15, 0), QTime(18, 0)
        if on and opens < lunch_end and (closes >= dinner or closes <= opens):
            self.first[1].setTime(lunch_end)
            self.second[0].setTime(dinner)
            self.second[1].setTime(closes)
        self.refresh()

    def refresh(self) -> None:
        is_open = self.open.isChecked()
        for edit in self.first:
            edit.setEnabled(is_open)
        self.split.setEnabled(is_open)
        for edit in self.second:
            edit.setEnabled(is_open and self.split.isChecked())
        services = self.services()
        if not is_open:
            self.note.setText("Closed")
        elif any(b <= a for a, b in services):
            self.note.setText("until after midnight")
        else:
            self.note.setText("")


class HoursEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = {day: DayRow(day) for day in WEEKDAYS}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for line, row in enumerate(self.rows.values()):
            cells: list[QWidget] = [
                row.name, row.open, row.first[0], QLabel("–"), row.first[1],
                row.split, row.second[0], QLabel("–"), row.second[1], row.note,
            ]  # fmt: skip
            for column, widget in enumerate(cells):
                grid.addWidget(widget, line, column)
            row.open.toggled.connect(self.changed)
            row.split.toggled.connect(self.changed)
            for edit in (*row.first, *row.second):
                edit.timeChanged.connect(self.changed)
        grid.setColumnStretch(9, 1)

    def hours(self) -> dict[str, list[list[str]]]:
        """The ``opening_hours`` JSON: open days only."""
        return {day: row.services() for day, row in self.rows.items() if row.services()}

    def set_hours(self, hours: dict[str, list[list[str]]]) -> None:
        for day, row in self.rows.items():
            row.set_services(hours.get(day, []))

    def copy_monday(self) -> None:
        monday = self.rows["mon"].services()
        for row in self.rows.values():
            row.set_services(monday)


class HoursPage(SetupPage):
    def __init__(self, *, admin_page: int, parent: QWidget | None = None) -> None:
        super().__init__(
            "Opening hours",
            "When guests can book. A closing time before the opening time means the service "
            "ends after midnight.",
            parent,
        )
        self._next = admin_page
        self.editor = HoursEditor()
        self.copy = QPushButton("Use Monday's hours every day")
        self.copy.clicked.connect(self.editor.copy_monday)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.editor.changed.connect(self.error.hide)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.status)

    def show_field_errors(self, errors: dict[str, str]) -> bool:
        message = errors.get("opening_hours", "")
        self.error.setText(message)
        self.error.setVisible(bool(message))
        return bool(message)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        errors = check_restaurant_fields(name="-", address=None, timezone="UTC",
                                         opening_hours=self.editor.hours())  # fmt: skip
        return not self.show_field_errors(errors)

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return self._next
