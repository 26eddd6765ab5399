"""The day list's search box and filters (status multi-select, source). Layout only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget

from app.db.enums import ReservationSource, ReservationStatus
from ui.reservations.badges import source_label, status_label


class DayListFilters(QWidget):
    search_edited = Signal(str)
    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, phone or code")
        self.search.setClearButtonEnabled(True)
        self.status_button = QToolButton()
        self.status_button.setObjectName("statusFilter")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.status_button)
        self.status_actions: dict[ReservationStatus, QAction] = {}
        for status in ReservationStatus:
            action = menu.addAction(status_label(status))
            action.setCheckable(True)
            action.toggled.connect(self._statuses_toggled)
            self.status_actions[status] = action
        menu.addSeparator()
        menu.addAction("Show all statuses").triggered.connect(lambda: self.set_statuses(set()))
        self.status_button.setMenu(menu)
        self.source = QComboBox()
        self.source.addItem("All sources", None)
        for source in ReservationSource:
            self.source.addItem(source_label(source.value), source.value)
        self.source.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        self.search.textChanged.connect(self.search_edited.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.status_button)
        layout.addWidget(self.source)
        self._update_label()

    def search_text(self) -> str | None:
        return self.search.text().strip() or None

    def statuses(self) -> frozenset[ReservationStatus]:
        return frozenset(s for s, action in self.status_actions.items() if action.isChecked())

    def sources(self) -> frozenset[str] | None:
        value = self.source.currentData()
        return frozenset({str(value)}) if value else None

    def is_filtered(self) -> bool:
        return bool(self.search_text() or self.statuses() or self.sources())

    def set_statuses(self, statuses: set[ReservationStatus] | frozenset[ReservationStatus]) -> None:
        for status, action in self.status_actions.items():
            action.blockSignals(True)
            action.setChecked(status in statuses)
            action.blockSignals(False)
        self._statuses_toggled()

    def set_source(self, source: str | None) -> None:
        self.source.setCurrentIndex(max(0, self.source.findData(source)))

    def _statuses_toggled(self, *_args: object) -> None:
        self._update_label()
        self.filters_changed.emit()

    def _update_label(self) -> None:
        chosen = [status_label(s) for s in ReservationStatus if s in self.statuses()]
        if not chosen:
            text = "All statuses"
        elif len(chosen) <= 2:
            text = ", ".join(chosen)
        else:
            text = f"{len(chosen)} statuses"
        self.status_button.setText(f"{text}  ▾")
