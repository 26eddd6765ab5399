"""The report period: a preset (today, this week, the last 7 or 30 days, this month) or two dates.

A custom range whose end comes before its start is refused with an inline message; nothing is
emitted until the range is valid again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from app.analytics.period import DateRange, preset
from app.errors import InvalidInput

CUSTOM = "custom"
CHOICES = (
    ("Today", "today"),
    ("This week", "this_week"),
    ("Last 7 days", "last_7_days"),
    ("Last 30 days", "last_30_days"),
    ("This month", "this_month"),
    ("Custom…", CUSTOM),
)
DEFAULT = "last_7_days"  # a week against the week before: the usual review


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class PeriodPicker(QWidget):
    period_changed = Signal(object)  # DateRange

    def __init__(
        self,
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        initial: str = DEFAULT,
    ) -> None:
        super().__init__(parent)
        # A callable, not a date: "today" moves at the restaurant's midnight.
        self._today = today
        self._period = preset(initial, today())
        self.choice = QComboBox()
        for text, key in CHOICES:
            self.choice.addItem(text, key)
        self.choice.setCurrentIndex(self.choice.findData(initial))
        self.start = self._date_edit("First day of the period")
        self.end = self._date_edit("Last day of the period (included)")
        self.dash = QLabel("–")
        self.error = QLabel()
        self.error.setObjectName("periodError")
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.choice)
        layout.addWidget(self.start)
        layout.addWidget(self.dash)
        layout.addWidget(self.end)
        layout.addWidget(self.error)
        self._show_dates(self._period)
        self._set_custom_enabled(False)
        self.choice.currentIndexChanged.connect(self._choice_changed)
        self.start.dateChanged.connect(self._dates_edited)
        self.end.dateChanged.connect(self._dates_edited)

    def _date_edit(self, tip: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd MMM yyyy")
        edit.setToolTip(tip)
        return edit

    # -- reading ----------------------------------------------------------------------------

    def period(self) -> DateRange:
        return self._period

    def preset_key(self) -> str:
        return str(self.choice.currentData())

    # -- choosing ---------------------------------------------------------------------------

    def choose(self, key: str) -> None:
        """Select a preset (or "custom") as the manager would."""
        self.choice.setCurrentIndex(self.choice.findData(key))

    def set_custom(self, start: dt.date, end: dt.date) -> None:
        """Type a custom range (refused inline when ``end`` is before ``start``)."""
        self.choose(CUSTOM)
        for edit in (self.start, self.end):
            edit.blockSignals(True)
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))
        for edit in (self.start, self.end):
            edit.blockSignals(False)
        self._dates_edited()

    def refresh_today(self) -> None:
        """Re-resolve a preset after midnight; a custom range stays as typed."""
        key = self.preset_key()
        if key != CUSTOM:
            self._apply(preset(key, self._today()))

    def _choice_changed(self, _index: int) -> None:
        key = self.preset_key()
        self._set_custom_enabled(key == CUSTOM)
        if key == CUSTOM:
            self._dates_edited()  # starts from the period shown until now
        else:
            self.error.hide()
            period = preset(key, self._today())
            self._show_dates(period)
            self._apply(period)

    def _dates_edited(self) -> None:
        if self.preset_key() != CUSTOM:
            return
        start, end = _date(self.start.date()), _date(self.end.date())
        try:
            period = DateRange(start, end)
        except InvalidInput as exc:
            self.error.setText(
                "The end date is before the start date." if end < start else exc.message
            )
            self.error.show()
            return
        self.error.hide()
        self._apply(period)

    def _apply(self, period: DateRange) -> None:
        if period != self._period:
            self._period = period
            self.period_changed.emit(period)

    def _show_dates(self, period: DateRange) -> None:
        for edit in (self.start, self.end):
            edit.blockSignals(True)
        self.start.setDate(_qdate(period.start))
        self.end.setDate(_qdate(period.end))
        for edit in (self.start, self.end):
            edit.blockSignals(False)

    def _set_custom_enabled(self, enabled: bool) -> None:
        # The dates stay on screen (greyed) for presets, so the manager sees what is counted.
        for edit in (self.start, self.end):
            edit.setEnabled(enabled)

    @property
    def refused(self) -> bool:
        return not self.error.isHidden()
