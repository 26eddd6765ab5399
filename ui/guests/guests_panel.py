"""The Guests tab: find a guest by name or phone, read and edit their profile beside the list.

Threading contract: lives on the UI thread; searches run through ``context.tasks`` and only the
newest answer is shown. The list re-asks its question when guests change anywhere.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.guest_views import GuestSummary, find_guests
from ui.errors import error_text
from ui.guests.guest_profile_view import GuestProfileView
from ui.host_context import HostContext
from ui.reservations.callbacks import run_for
from ui.reservations.guest_lookup import GUEST_ROLE, GuestPopupDelegate, guest_line

SEARCH_DELAY_MS = 250
MIN_SEARCH = 2
PANEL_STYLE = """
QLabel#panelTitle { font-size: 13pt; font-weight: bold; color: #1f2633; }
QLabel#listHint { color: #8a93a6; padding: 18px; }
QListView#guestList { background: #ffffff; border: 1px solid #dde2ec; border-radius: 6px; }
QListView#guestList::item:selected { background: #dfe7fb; }
"""


class GuestsPanel(QWidget):
    guest_selected = Signal(int)  # guest id

    def __init__(self, context: HostContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setStyleSheet(PANEL_STYLE)
        self._generation = 0
        self._loaded_generation = 0
        title = QLabel("Guests")
        title.setObjectName("panelTitle")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or phone")
        self.search.setClearButtonEnabled(True)
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setObjectName("guestList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(GuestPopupDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hint = QLabel()
        self.hint.setObjectName("listHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.results = QStackedWidget()
        self.results.addWidget(self.hint)
        self.results.addWidget(self.list)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(title)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.results, 1)
        self.profile = GuestProfileView(context)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.profile)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        context.data_changed.connect(self._data_changed)
        context.restaurant_changed.connect(self._restaurant_changed)
        self._show_hint("Type two letters of a name or three digits of a phone to find a guest.")

    # -- searching --------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return not self._timer.isActive() and self._loaded_generation == self._generation

    def guests(self) -> list[GuestSummary]:
        return [self.model.item(row).data(GUEST_ROLE) for row in range(self.model.rowCount())]

    def search_for(self, text: str) -> None:
        self.search.setText(text)
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, text = self._generation, self.search.text().strip()
        if len(text) < MIN_SEARCH:
            self._loaded_generation = generation
            self.model.clear()
            self._show_hint("Type two letters of a name or three digits of a phone to find "
                            "a guest.")  # fmt: skip
            return
        run_for(
            self,
            self.context.tasks,
            find_guests,
            self.context.db,
            self.context.restaurant_id,
            text,
            on_done=lambda guests: self._arrived(generation, guests),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, guests: list[GuestSummary]) -> None:
        if generation != self._generation:
            return
        self._loaded_generation = generation
        current = self.profile.guest_id
        self.list.selectionModel().blockSignals(True)
        self.model.clear()
        for guest in guests:
            item = QStandardItem(guest.name)
            item.setData(guest, GUEST_ROLE)
            item.setToolTip(guest_line(guest))
            self.model.appendRow(item)
            if guest.id == current:
                self.list.setCurrentIndex(item.index())
        self.list.selectionModel().blockSignals(False)
        if guests:
            self.results.setCurrentWidget(self.list)
        else:
            self._show_hint(f"No guest matches “{self.search.text().strip()}”.")

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loaded_generation = generation
            self._show_hint(error_text(exc))

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.results.setCurrentWidget(self.hint)

    def _data_changed(self, kind: str, _ids: object) -> None:
        if kind == "guest" and len(self.search.text().strip()) >= MIN_SEARCH:
            self._timer.start(SEARCH_DELAY_MS)

    def _restaurant_changed(self, *_args: object) -> None:
        self.profile.clear()
        self.refresh()

    # -- choosing ---------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        guest = current.data(GUEST_ROLE) if current.isValid() else None
        if isinstance(guest, GuestSummary):
            self.show_guest(guest.id)

    def show_guest(self, guest_id: int) -> None:
        """Open a guest's profile (the main window calls this from other panels' signals)."""
        self.profile.show_guest(guest_id)
        self.guest_selected.emit(guest_id)
