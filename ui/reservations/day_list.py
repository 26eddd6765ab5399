"""The host's list of the day's reservations: search, filters, and one-click status actions.

Threading contract: every query and status change runs through ``context.tasks`` (a worker
thread with its own unit of work); results and errors come back on the UI thread. A refresh
that was overtaken by a newer one is dropped, so the list always shows the latest question.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db.enums import ReservationStatus
from app.services.day_sheet import day_reservations
from app.services.lifecycle import change_status
from app.services.permissions import Permission
from app.services.reservation_views import ReservationView
from ui.errors import error_text
from ui.host_context import HostContext
from ui.reservations.badges import status_label
from ui.reservations.callbacks import run_for
from ui.reservations.day_list_delegate import DayListDelegate, fit_columns
from ui.reservations.day_list_filters import DayListFilters
from ui.reservations.day_list_model import (
    COLUMNS,
    GUEST,
    NOTES,
    PARTY,
    SOURCE,
    STATUS,
    TABLE,
    TIME,
    ReservationTableModel,
)
from ui.reservations.status_actions import ACTIONS, allowed_actions
from ui.reservations.status_prompts import (
    CANCEL_REASONS,
    NO_SHOW_REASONS,
    CompletionPrompt,
    ReasonPrompt,
)

SEARCH_DELAY_MS = 250
CHANGE_DELAY_MS = 60
WIDE = 680  # narrower than this (beside the floor plan), source and notes go to the tooltip
ACTION_COLUMNS = 4
REFRESH_KINDS = frozenset({"reservation", "guest", "table", "restaurant"})
S = ReservationStatus
PANEL_STYLE = """
QLabel#panelTitle { font-size: 13pt; font-weight: bold; color: #1f2633; }
QLabel#panelSummary { color: #5b6478; }
QLabel#emptyState { color: #8a93a6; font-size: 11pt; background: #ffffff;
                    border: 1px solid #dde2ec; border-radius: 6px; }
QLabel#formError { color: #b3261e; background: #fdecea; border-radius: 6px; padding: 6px; }
QToolButton#statusFilter { background: #ffffff; border: 1px solid #c9d1e0; border-radius: 6px;
                           padding: 4px 8px; }
QToolButton#statusFilter::menu-indicator { image: none; width: 0px; }
QPushButton[danger="true"] { color: #b3261e; }
"""

RESIZE_PRECISION = 60
FITTED_COLUMNS = (TIME, TABLE, PARTY, STATUS, SOURCE)


class DayListPanel(QWidget):
    reservation_opened = Signal(str)  # confirmation code
    status_changed = Signal(str, str)  # confirmation code, new status value

    def __init__(self, context: HostContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setStyleSheet(PANEL_STYLE)
        self.prompt: ReasonPrompt | CompletionPrompt | None = None
        self.reschedule_dialog: QWidget | None = None
        self._scrolled_for: tuple[int, object] | None = None
        self._generation = 0
        self._loaded_generation = -1
        self._pending_change = False

        self.title = QLabel("Reservations")
        self.title.setObjectName("panelTitle")
        self.summary = QLabel()
        self.summary.setObjectName("panelSummary")
        self.filters = DayListFilters()
        self.search = self.filters.search
        self.filters.filters_changed.connect(self.refresh)
        self.model = ReservationTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        # Only the guest and status cells are painted in Python; Qt draws the others itself.
        self.delegate = DayListDelegate(self.table)
        self.table.setItemDelegateForColumn(GUEST, self.delegate)
        self.table.setItemDelegateForColumn(STATUS, self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Columns fit their widest cell, measured by ``fit_columns`` on each load: Qt's
        # ResizeToContents asks the (style-sheeted, Python) delegate for hundreds of size hints
        # per reload, which stalled the UI thread for ~130 ms on a 1,000-booking night.
        header.setResizeContentsPrecision(RESIZE_PRECISION)
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(GUEST, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTES, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NOTES, 160)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._opened)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)

        self.empty = QLabel("No reservations")
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.action_buttons: dict[str, QPushButton] = {}
        actions_row = QGridLayout()
        actions_row.setSpacing(4)
        for position, action in enumerate(ACTIONS):
            button = QPushButton(action.label)
            button.setToolTip(action.tooltip)
            button.setProperty("danger", action.key in ("cancel", "no_show"))
            button.clicked.connect(lambda _=False, key=action.key: self.run_action(key))
            self.action_buttons[action.key] = button
            actions_row.addWidget(button, position // ACTION_COLUMNS, position % ACTION_COLUMNS)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.error)
        layout.addLayout(actions_row)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.filters.search_edited.connect(lambda _text: self._search_timer.start())
        context.day_changed.connect(self._day_changed)
        context.restaurant_changed.connect(self._day_changed)
        context.data_changed.connect(self._data_changed)
        self._update_actions()
        self.refresh()

    # -- loading ----------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """True once the newest refresh has arrived (tests and busy cursors use it)."""
        return self._loaded_generation == self._generation

    def _day_changed(self, *_args: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        self.title.setText(f"Reservations · {self.context.day:%a %d %b}")
        # Unfiltered, the question is the one the floor plan and the timeline ask when the day
        # changes: asked the same way, the three panels share one query (HostContext.shared).
        filters = {
            "search": self.filters.search_text(),
            "statuses": self.filters.statuses() or None,
            "sources": self.filters.sources(),
        }
        run_for(
            self,
            self.context.tasks,
            self.context.shared.call,
            day_reservations,
            self.context.db,
            self.context.restaurant_id,
            self.context.day,
            **{name: value for name, value in filters.items() if value},
            on_done=lambda rows: self._loaded(generation, rows),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _loaded(self, generation: int, rows: list[ReservationView]) -> None:
        if generation != self._generation:
            return
        self._loaded_generation = generation
        keep = self.selected_code()
        first_seen = self.model.reservation_at(self.table.rowAt(0))
        self.model.set_rows(rows)
        fit_columns(self.table, FITTED_COLUMNS)
        if keep:
            self.select(keep)
        gone = (S.CANCELLED, S.RESCHEDULED, S.NO_SHOW)
        covers = sum(r.party_size for r in rows if r.status not in gone)
        self.summary.setText(f"{len(rows)} bookings · {covers} covers")
        self.empty.setText(self._empty_text())
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        if self._scrolled_for != (self.context.restaurant_id, self.context.day):
            self._scroll_to_now(rows)
        elif first_seen is not None and not keep:
            # A refresh resets the model; the host keeps the place they had scrolled to.
            self._scroll_to_row(self.model.row_of(first_seen.confirmation_code))
        self._update_actions()

    def _scroll_to_now(self, rows: list[ReservationView]) -> None:
        """A newly opened day starts at the first party still to come or still at table, not at
        lunch's finished bookings (once per day: later refreshes keep the host's scrolling)."""
        self._scrolled_for = (self.context.restaurant_id, self.context.day)
        now = self.context.now()
        self._scroll_to_row(next((i for i, r in enumerate(rows) if r.ends_at > now), -1))

    def _scroll_to_row(self, row: int) -> None:
        # After the reset's layout has run: until then the table has no rows to scroll through.
        if row >= 0:
            QTimer.singleShot(0, lambda: self.table.scrollTo(
                self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop))  # fmt: skip

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loaded_generation = generation
            self.show_error(exc)

    def _empty_text(self) -> str:
        day = f"{self.context.day:%a %d %b}"
        if self.filters.is_filtered():
            return f"No reservations on {day} match the search and filters."
        return f"No reservations on {day} yet.\nNew bookings appear here as they are made."

    def _data_changed(self, kind: str, _ids: object) -> None:
        if kind in REFRESH_KINDS:
            # Several kinds arrive together after one commit: one query answers them all.
            self._search_timer.start(CHANGE_DELAY_MS)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        narrow = self.width() < WIDE
        self.table.setColumnHidden(SOURCE, narrow)
        self.table.setColumnHidden(NOTES, narrow)

    # -- selection --------------------------------------------------------------------------

    def selected(self) -> ReservationView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.reservation_at(rows[0].row()) if rows else None

    def selected_code(self) -> str | None:
        view = self.selected()
        return view.confirmation_code if view else None

    def select(self, code: str) -> bool:
        row = self.model.row_of(code)
        if row < 0:
            return False
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
        self.table.selectionModel().select(self.model.index(row, 0), flags)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _opened(self, index: object) -> None:
        view = self.selected()
        if view is not None:
            self.reservation_opened.emit(view.confirmation_code)

    def _update_actions(self, *_args: object) -> None:
        view = self.selected()
        allowed = allowed_actions(view.status if view else None)
        may = self.context.can(Permission.BOOK) and not self._pending_change
        for key, button in self.action_buttons.items():
            button.setEnabled(may and key in allowed)

    def _context_menu(self, point: QPoint) -> None:
        if not self.table.indexAt(point).isValid():
            return
        menu = QMenu(self)
        for action in ACTIONS:
            button = self.action_buttons[action.key]
            item = menu.addAction(action.label)
            item.setEnabled(button.isEnabled())
            item.triggered.connect(lambda _=False, key=action.key: self.run_action(key))
        menu.addSeparator()
        menu.addAction("Open…").triggered.connect(lambda: self._opened(None))
        menu.popup(self.table.viewport().mapToGlobal(point))

    # -- status actions ---------------------------------------------------------------------

    def run_action(self, key: str) -> None:
        view = self.selected()
        if view is None or not self.action_buttons[key].isEnabled():
            return
        self.error.hide()
        if key == "reschedule":
            self._open_reschedule(view)
        elif key == "cancel":
            self._ask_reason(view, S.CANCELLED, "Cancel the booking",
                             f"Why is {view.guest_name}'s booking cancelled?",
                             "Cancel booking", CANCEL_REASONS)  # fmt: skip
        elif key == "no_show":
            self._ask_reason(view, S.NO_SHOW, "Mark as no-show",
                             f"Why is {view.guest_name} a no-show?", "Mark no-show",
                             NO_SHOW_REASONS)  # fmt: skip
        elif key == "complete":
            prompt = CompletionPrompt(view.guest_name, self)
            prompt.accepted.connect(
                lambda: self.change(view.confirmation_code, S.COMPLETED,
                                    total=prompt.amount(), rating=prompt.stars())
            )  # fmt: skip
            self._show_prompt(prompt)
        else:
            target = next(a.target for a in ACTIONS if a.key == key)
            self.change(view.confirmation_code, target)

    def _ask_reason(
        self, view: ReservationView, target: ReservationStatus, title: str, question: str,
        action: str, suggestions: tuple[str, ...],
    ) -> None:  # fmt: skip
        prompt = ReasonPrompt(title, question, action, suggestions, self)
        prompt.accepted.connect(
            lambda: self.change(view.confirmation_code, target, reason=prompt.text())
        )
        self._show_prompt(prompt)

    def _show_prompt(self, prompt: ReasonPrompt | CompletionPrompt) -> None:
        self.prompt = prompt
        prompt.finished.connect(prompt.deleteLater)
        prompt.open()

    def _open_reschedule(self, view: ReservationView) -> None:
        from ui.reservations.reservation_dialog import ReservationDialog

        dialog = ReservationDialog(self.context, reschedule_code=view.confirmation_code,
                                   reservation=view, parent=self)  # fmt: skip
        dialog.reservation_booked.connect(
            lambda _new: self.status_changed.emit(view.confirmation_code, S.RESCHEDULED.value)
        )
        dialog.finished.connect(dialog.deleteLater)
        self.reschedule_dialog = dialog
        dialog.open()

    def change(
        self,
        code: str,
        status: ReservationStatus,
        *,
        reason: str | None = None,
        total: Decimal | None = None,
        rating: int | None = None,
    ) -> None:
        """Move one reservation along the status flow, off the UI thread."""
        user = self.context.user
        self._pending_change = True
        self._update_actions()
        run_for(
            self,
            self.context.tasks,
            change_status,
            self.context.db,
            code,
            status,
            reason=reason,
            total_amount=total,
            rating=rating,
            actor=user.name,
            user_id=user.id,
            now=self.context.now(),
            on_done=self._changed,
            on_error=self._change_failed,
        )

    def _changed(self, view: ReservationView) -> None:
        self._pending_change = False
        self._update_actions()
        self.status_changed.emit(view.confirmation_code, view.status.value)
        when = f"{view.time:%H:%M}"
        self.context.message_posted.emit(
            f"{view.guest_name} ({when}, {view.confirmation_code}): {status_label(view.status)}"
        )
        self.refresh()

    def _change_failed(self, exc: Exception) -> None:
        self._pending_change = False
        self._update_actions()
        self.show_error(exc)

    def show_error(self, exc: Exception) -> None:
        self.error.setText(error_text(exc))
        self.error.show()
