"""One KPI on a card: its name, the value in its unit, and the change against the previous period
in green (better) or red (worse); the tooltip says what was divided by what."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.analytics.period import DateRange
from app.analytics.results import Change
from ui.analytics.format import NO_DATA, change_colour, change_text, change_tooltip, metric_value

CARD_STYLE = """
QFrame#kpiCard { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px; }
QFrame#kpiCard QLabel { background: transparent; border: none; }
QLabel#kpiTitle { color: #5b6478; font-size: 9pt; }
QLabel#kpiValue { font-size: 17pt; font-weight: bold; color: #1f2633; }
QLabel#kpiValue[empty="true"] { font-size: 13pt; font-weight: normal; color: #8a93a6; }
QLabel#kpiChange { font-size: 9pt; font-weight: bold; }
"""


class KpiCard(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.setStyleSheet(CARD_STYLE)
        self.setMinimumWidth(150)
        self.title = QLabel(title)
        self.title.setObjectName("kpiTitle")
        self.title.setWordWrap(True)
        self.value = QLabel("—")
        self.value.setObjectName("kpiValue")
        self.change = QLabel("")
        self.change.setObjectName("kpiChange")
        self.change.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.change)
        self.current: Change | None = None

    def show_change(
        self, change: Change, previous_period: DateRange | None = None, currency: str = ""
    ) -> None:
        self.current = change
        self.title.setText(change.current.label)
        text = metric_value(change.current, currency)
        self.value.setText(text)
        self.value.setProperty("empty", text == NO_DATA)
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        self.change.setText(change_text(change))
        self.change.setStyleSheet(f"color: {change_colour(change)};")
        self.setToolTip(change_tooltip(change, previous_period, currency))

    def show_loading(self) -> None:
        self.value.setText("…")
        self.change.setText("")
