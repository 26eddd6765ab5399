"""Previous day, today, next day and a calendar: the host moves through service days."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QPushButton, QWidget


class DateNavigator(QWidget):
    day_chosen = Signal(object)  # dt.date

    def __init__(self, day: dt.date, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.previous = QPushButton("◀")
        self.previous.setToolTip("Previous day (Alt+Left)")
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Back to today (Alt+Home)")
        self.next = QPushButton("▶")
        self.next.setToolTip("Next day (Alt+Right)")
        self.calendar = QDateEdit()
        self.calendar.setCalendarPopup(True)
        self.calendar.setDisplayFormat("ddd d MMM yyyy")
        self.calendar.setMinimumWidth(140)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.previous, self.today_button, self.next, self.calendar):
            layout.addWidget(widget)
        self.set_day(day)
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self._choose(self._today))
        self.calendar.dateChanged.connect(lambda q: self._choose(q.toPython()))

    def set_day(self, day: dt.date) -> None:
        self._day = day
        self.calendar.blockSignals(True)
        self.calendar.setDate(QDate(day.year, day.month, day.day))
        self.calendar.blockSignals(False)
        self.today_button.setEnabled(day != self._today)

    def set_today(self, today: dt.date) -> None:
        self._today = today
        self.today_button.setEnabled(self._day != today)

    def step(self, days: int) -> None:
        self._choose(self._day + dt.timedelta(days=days))

    def go_today(self) -> None:
        self._choose(self._today)

    def _choose(self, day: dt.date) -> None:
        if day != self._day:
            self.set_day(day)
            self.day_chosen.emit(day)
