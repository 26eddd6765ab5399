"""The floor-plan panel: a toolbar (area, zoom, edit toggle), the canvas, the clicked table's
card and the legend. Service mode for everyone; edit mode for managers and admins.

Threading contract: loading and every change run through ``context.tasks`` (worker threads,
each service call its own unit of work); results come back on the UI thread. A load overtaken
by a newer one is dropped. The panel refreshes from ``context.day_changed``,
``restaurant_changed`` and ``data_changed`` (tables, reservations, guests), and every 30 s so
timers and "reserved soon" stay true.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.table_states import LiveState
from app.services.permissions import Permission
from ui.errors import error_text
from ui.floor_plan.edit_mode import EditActions
from ui.floor_plan.legend import FloorLegend
from ui.floor_plan.model import FloorSnapshot, load_floor
from ui.floor_plan.service_mode import ServiceActions
from ui.floor_plan.style import ROTATE_STEP, ZOOM_STEP
from ui.floor_plan.table_popup import TablePopup
from ui.floor_plan.view import FloorPlanView
from ui.host_context import HostContext

REFRESH_KINDS = frozenset({"table", "reservation", "guest", "restaurant"})
REFRESH_DELAY_MS = 60
TICK_MS = 30_000
NOTICE_MS = 10_000
ALL_AREAS = "All areas"
PANEL_STYLE = """
QLabel#floorTitle { font-size: 13pt; font-weight: bold; color: #1f2633; }
QLabel#floorSummary { color: #5b6478; }
QLabel#floorNotice { color: #b3261e; background: #fdecea; border: 1px solid #f5c2bd;
                     border-radius: 6px; padding: 5px 8px; }
QLabel#floorEditHint { color: #5b6478; }
QFrame#floorTableCard { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px; }
QLabel#floorCardDetail { color: #4a5263; }
QToolButton { background: #ffffff; border: 1px solid #c9d1e0; border-radius: 6px;
              padding: 3px 9px; color: #1f2633; }
QToolButton:hover { background: #f0f4fc; border-color: #9fb2d9; }
QToolButton:checked { background: #1f5fd1; color: #ffffff; border-color: #1f5fd1; }
FloorPlanView { border: 1px solid #dde2ec; }
"""


class FloorPlanPanel(QWidget):
    mode_changed = Signal(bool)  # True in edit mode
    table_selected = Signal(int)

    def __init__(self, context: HostContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setStyleSheet(PANEL_STYLE)
        self.snapshot: FloorSnapshot | None = None
        self._generation = 0
        self._loaded_generation = -1
        self._fitted: tuple[int, str] | None = None
        self._fit_scale: float | None = None
        self._select_next: int | None = None
        self.edit_mode = False

        self.title = QLabel("Floor plan")
        self.title.setObjectName("floorTitle")
        self.summary = QLabel()
        self.summary.setObjectName("floorSummary")
        # A long summary may be clipped on a 1366-px screen, never widen the window.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.area_box = QComboBox(self)
        self.area_box.addItem(ALL_AREAS)
        self.area_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.area_box.setMinimumContentsLength(12)
        self.area_box.setToolTip("Show one area, or the whole floor")
        self.area_box.activated.connect(lambda _i: self.fit())
        self.zoom_out = self._button(
            "−", "Zoom out (wheel)", lambda: self.view.zoom_by(1 / ZOOM_STEP)
        )
        self.zoom_in = self._button("+", "Zoom in (wheel)", lambda: self.view.zoom_by(ZOOM_STEP))
        self.fit_button = self._button("Fit", "Fit the chosen area to the window", self.fit)
        self.edit_toggle = self._button("Edit floor", "Move, add and edit tables (managers)",
                                        None)  # fmt: skip
        self.edit_toggle.setCheckable(True)
        self.edit_toggle.toggled.connect(self.set_edit_mode)
        self.edit_toggle.setVisible(context.can(Permission.EDIT_FLOOR))

        self.view = FloorPlanView(self)
        self.service = ServiceActions(self)
        self.edits = EditActions(self)
        self.popup = TablePopup(self)
        self.notice = QLabel()
        self.notice.setObjectName("floorNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.legend = FloorLegend(self)
        self.edit_bar = self._build_edit_bar()
        self.edit_bar.hide()

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.title)
        top.addSpacing(8)
        top.addWidget(self.summary, 1)
        top.addWidget(self.area_box)
        for button in (self.zoom_out, self.zoom_in, self.fit_button, self.edit_toggle):
            top.addWidget(button)
        middle = QHBoxLayout()
        middle.setSpacing(6)
        middle.addWidget(self.view, 1)
        middle.addWidget(self.popup)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.edit_bar)
        layout.addWidget(self.notice)
        layout.addLayout(middle, 1)
        layout.addWidget(self.legend)

        self.view.table_clicked.connect(self._table_clicked)
        self.view.background_clicked.connect(self.popup.dismiss)
        self.view.reservation_dropped.connect(self.service.drop)
        self.view.tables_dragged.connect(self.edits.move)
        self.popup.walk_in_requested.connect(self.service.seat_walk_in)
        self.popup.clean_requested.connect(self.service.mark_cleaned)
        self.popup.seat_requested.connect(self.service.seat)
        undo = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self)
        delete.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete.activated.connect(lambda: self.edit_mode and self.edits.delete())
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.popup.dismiss)

        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(self.notice.hide)
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()
        context.day_changed.connect(lambda _day: self.refresh())
        context.restaurant_changed.connect(self._restaurant_changed)
        context.data_changed.connect(self._data_changed)
        self.refresh()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    def _build_edit_bar(self) -> QWidget:
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.add_button = self._button("Add table", "Add a table in the middle of the view",
                                       self.edits.add)  # fmt: skip
        self.duplicate_button = self._button("Duplicate", "Copy the selected table",
                                             self.edits.duplicate)  # fmt: skip
        self.rotate_left = self._button("⟲ 15°", "Rotate left",
                                        lambda: self.edits.rotate(-ROTATE_STEP))  # fmt: skip
        self.rotate_right = self._button("⟳ 15°", "Rotate right",
                                         lambda: self.edits.rotate(ROTATE_STEP))  # fmt: skip
        self.properties_button = self._button("Properties…", "Edit the selected table",
                                              lambda: self.edits.edit_properties())  # fmt: skip
        self.delete_button = self._button("Delete", "Delete the selected table (Del)",
                                          self.edits.delete)  # fmt: skip
        self.undo_button = self._button("Undo", "Undo the last edit (Ctrl+Z)", self.undo)
        for button in (self.add_button, self.duplicate_button, self.rotate_left,
                       self.rotate_right, self.properties_button, self.delete_button,
                       self.undo_button):  # fmt: skip
            row.addWidget(button)
        hint = QLabel("Drag tables to move them (10 cm grid); changes are saved as you go.")
        hint.setObjectName("floorEditHint")
        row.addSpacing(8)
        row.addWidget(hint)
        row.addStretch(1)
        return bar

    # -- loading ----------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """True once the newest refresh has arrived (tests and busy cursors use it)."""
        return self._loaded_generation == self._generation

    def refresh(self) -> None:
        """Reload in the background; the canvas keeps showing the old floor meanwhile."""
        self._refresh_timer.stop()
        self._generation += 1
        generation = self._generation
        context = self.context
        context.tasks.run(
            load_floor, context.db, context.restaurant_id, context.day, context.now(),
            context.timezone, context.shared.call,
            on_done=lambda snapshot: self._loaded(generation, snapshot),
            on_error=lambda exc: self._failed(generation, exc),
        )  # fmt: skip

    def _data_changed(self, kind: str, _ids: object) -> None:
        if kind in REFRESH_KINDS:
            self._refresh_timer.start()

    def _restaurant_changed(self, _restaurant_id: int) -> None:
        self.edits.undo_stack.clear()
        self.popup.dismiss()
        self.refresh()

    def _loaded(self, generation: int, snapshot: FloorSnapshot) -> None:
        if generation != self._generation:
            return
        if self.view.is_pressed():  # never rebuild under the host's finger: try again shortly
            QTimer.singleShot(150, lambda: self._loaded(generation, snapshot))
            return
        self._loaded_generation = generation
        self.snapshot = snapshot
        self.view.floor.build(snapshot, edit_mode=self.edit_mode)
        if self._select_next is not None and self._select_next in self.view.floor.items_by_id:
            self.view.floor.clearSelection()
            self.view.floor.items_by_id[self._select_next].setSelected(True)
            self._select_next = None
        self._update_areas(snapshot)
        self._update_summary(snapshot)
        if self.popup.table_id is not None:
            self.popup.show_table(snapshot, self.popup.table_id, can_book=self._can_book())
        key = (self.context.restaurant_id, self.area_box.currentText())
        if self._fitted != key:
            self._fitted = key
            self.fit()

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loaded_generation = generation
            self.show_notice(error_text(exc))

    def _update_areas(self, snapshot: FloorSnapshot) -> None:
        areas = sorted(self.view.floor.area_rects, key=lambda a: self.view.floor.area_rects[a].x())
        current = self.area_box.currentText()
        existing = [self.area_box.itemText(i) for i in range(1, self.area_box.count())]
        if existing != areas:
            self.area_box.blockSignals(True)
            self.area_box.clear()
            self.area_box.addItem(ALL_AREAS)
            self.area_box.addItems(areas)
            index = self.area_box.findText(current)
            self.area_box.setCurrentIndex(max(0, index))
            self.area_box.blockSignals(False)

    def _update_summary(self, snapshot: FloorSnapshot) -> None:
        active = [t for t in snapshot.tables if t.table.is_active]
        counts = {state: 0 for state in LiveState}
        for t in active:
            counts[t.live.state] += 1
        local = snapshot.now.astimezone(snapshot.zone)
        self.title.setText(f"Floor plan · {local:%a %d %b %H:%M}")
        self.summary.setText(
            f"{counts[LiveState.FREE]} free · {counts[LiveState.RESERVED_SOON]} reserved soon · "
            f"{counts[LiveState.SEATED] + counts[LiveState.DINING]} occupied · "
            f"{counts[LiveState.NEEDS_CLEANING]} to clean · {len(active)} tables"
        )

    # -- view -------------------------------------------------------------------------------

    def current_area(self) -> str | None:
        text = self.area_box.currentText()
        return None if text == ALL_AREAS else text

    def show_area(self, area: str | None) -> None:
        self.area_box.setCurrentIndex(max(0, self.area_box.findText(area or ALL_AREAS)))
        self.fit()

    def fit(self) -> None:
        area = self.current_area()
        rect = self.view.floor.area_rects.get(area) if area else None
        if rect is not None:
            self.view.fit_rect(rect)
        else:
            self.view.fit_all()
        self._fit_scale = self.view.scale_factor

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        # A floor the host has not zoomed by hand stays fitted as the window changes size.
        if self._fit_scale is not None and self.view.scale_factor == self._fit_scale:
            QTimer.singleShot(0, self.fit)

    def _can_book(self) -> bool:
        return self.context.can(Permission.BOOK)

    def _table_clicked(self, table_id: int) -> None:
        self.table_selected.emit(table_id)
        if self.edit_mode or self.snapshot is None:
            return
        self.popup.show_table(self.snapshot, table_id, can_book=self._can_book())

    def select_after_load(self, table_id: int) -> None:
        self._select_next = table_id

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start()

    def hide_notice(self) -> None:
        self.notice.hide()

    # -- modes ------------------------------------------------------------------------------

    def set_edit_mode(self, on: bool) -> None:
        if on and not self.context.can(Permission.EDIT_FLOOR):
            self.edit_toggle.setChecked(False)
            self.show_notice("Only a manager or an administrator may edit the floor plan.")
            return
        if self.edit_toggle.isChecked() != on:
            self.edit_toggle.setChecked(on)  # comes back here through toggled
            return
        if on == self.edit_mode:
            return
        self.edit_mode = on
        self.popup.dismiss()
        self.edit_bar.setVisible(on)
        self.legend.setVisible(not on)
        self.view.set_edit_mode(on)
        if self.snapshot is not None:
            self.view.floor.build(self.snapshot, edit_mode=on)
        self.mode_changed.emit(on)

    def undo(self) -> None:
        if self.edit_mode:
            self.edits.undo()
