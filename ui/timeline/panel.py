"""The reservation timeline panel: a toolbar (zoom, show cancelled, jump to now), the canvas
and its legend. Dragging a block asks the booking engine to move the reservation.

Threading contract: loading and moves run through ``context.tasks`` (a worker thread, each
service call its own unit of work); results come back on the UI thread. A load overtaken by a
newer one is dropped. The panel refreshes from ``context.day_changed``,
``restaurant_changed`` and ``data_changed`` (reservations, tables, guests, settings).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.lifecycle import move_reservation
from app.services.permissions import Permission
from app.services.reservation_views import ReservationView
from ui.errors import error_text
from ui.host_context import HostContext
from ui.timeline.drag import DragMode, MoveRequest
from ui.timeline.legend import TimelineLegend
from ui.timeline.model import TimelineModel, TimelineSnapshot, load_timeline
from ui.timeline.style import FADED_STATUSES, ZOOM_STEP
from ui.timeline.view import TimelineView

REFRESH_KINDS = frozenset({"reservation", "table", "guest", "restaurant"})
REFRESH_DELAY_MS = 60
NOW_TICK_MS = 30_000
NOTICE_MS = 8_000
FIT_MIN_PX_PER_MINUTE = 1.3
PANEL_STYLE = """
QLabel#timelineTitle { font-size: 13pt; font-weight: bold; color: #1f2633; }
QLabel#timelineSummary { color: #5b6478; }
QLabel#timelineNotice { color: #b3261e; background: #fdecea; border: 1px solid #f5c2bd;
                        border-radius: 6px; padding: 5px 8px; }
QToolButton { background: #ffffff; border: 1px solid #c9d1e0; border-radius: 6px;
              padding: 3px 9px; color: #1f2633; }
QToolButton:hover { background: #f0f4fc; border-color: #9fb2d9; }
QToolButton#nowButton { color: #c62828; font-weight: bold; }
QCheckBox { color: #1f2633; }
TimelineView { border: 1px solid #dde2ec; background: #ffffff; }
"""


class TimelinePanel(QWidget):
    reservation_opened = Signal(str)  # confirmation code (double-click)
    reservation_moved = Signal(str)  # confirmation code, after the database took the move
    move_refused = Signal(str, str)  # confirmation code, the engine's reason

    def __init__(self, context: HostContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setStyleSheet(PANEL_STYLE)
        self._generation = 0
        self._loaded_generation = -1
        self._fitted_day: dt.date | None = None
        self.last_refusal: str | None = None

        self.title = QLabel("Timeline")
        self.title.setObjectName("timelineTitle")
        self.summary = QLabel()
        self.summary.setObjectName("timelineSummary")
        # A long summary may be clipped on a 1366-px screen, never widen the window.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.show_cancelled = QCheckBox("Show cancelled && no-shows")
        self.show_cancelled.toggled.connect(self.set_show_cancelled)
        self.now_button = self._button("Now", "Scroll to the current time", self.jump_to_now)
        self.now_button.setObjectName("nowButton")
        self.zoom_out = self._button("−", "Zoom out (Ctrl+wheel)", lambda: self.zoom(1 / ZOOM_STEP))
        self.zoom_in = self._button("+", "Zoom in (Ctrl+wheel)", lambda: self.zoom(ZOOM_STEP))
        self.fit = self._button("Fit", "Show the whole service day", self.fit_day)
        self.notice = QLabel()
        self.notice.setObjectName("timelineNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.view = TimelineView(self)
        self.view.set_editable(context.can(Permission.BOOK))
        self.view.reservation_opened.connect(self.reservation_opened)
        self.view.move_requested.connect(self._move_requested)
        self.legend = TimelineLegend(self)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.title)
        top.addSpacing(8)
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_cancelled)
        top.addSpacing(8)
        for button in (self.now_button, self.zoom_out, self.zoom_in, self.fit):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)

        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(self.notice.hide)
        self._now_timer = QTimer(self, interval=NOW_TICK_MS)
        self._now_timer.timeout.connect(self._tick)
        self._now_timer.start()
        context.day_changed.connect(lambda _day: self.refresh())
        context.restaurant_changed.connect(lambda _rid: self.refresh())
        context.data_changed.connect(self._data_changed)
        self._tick()
        self.refresh()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(slot)
        return button

    # -- loading ----------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """True once the newest refresh has arrived (tests and busy cursors use it)."""
        return self._loaded_generation == self._generation

    @property
    def model(self) -> TimelineModel | None:
        return self.view.model

    def refresh(self) -> None:
        """Reload the day in the background; the view keeps showing the old one meanwhile."""
        self._refresh_timer.stop()
        self._generation += 1
        generation = self._generation
        context = self.context
        context.tasks.run(
            load_timeline,
            context.db,
            context.restaurant_id,
            context.day,
            context.shared.call,
            on_done=lambda snapshot: self._loaded(generation, snapshot),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _data_changed(self, kind: str, _ids: object) -> None:
        if kind in REFRESH_KINDS:
            self._refresh_timer.start()

    def _loaded(self, generation: int, snapshot: TimelineSnapshot) -> None:
        if generation != self._generation:
            return
        self._loaded_generation = generation
        model = TimelineModel(snapshot, show_faded=self.show_cancelled.isChecked())
        self.view.set_model(model)
        self.title.setText(f"Timeline · {snapshot.day:%a %d %b}")
        active = [r for r in snapshot.reservations if r.status not in FADED_STATUSES]
        covers = sum(r.party_size for r in active)
        self.summary.setText(f"{len(active)} bookings · {covers} covers")
        if self._fitted_day != snapshot.day:
            self._fitted_day = snapshot.day
            self.fit_day()

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loaded_generation = generation
            self.show_notice(error_text(exc))

    # -- toolbar ----------------------------------------------------------------------------

    def set_show_cancelled(self, show: bool) -> None:
        if self.show_cancelled.isChecked() != show:
            self.show_cancelled.setChecked(show)  # comes back here through toggled
            return
        if self.view.model is not None:
            self.view.model.set_show_faded(show)
            self.view.relayout()

    def zoom(self, factor: float) -> None:
        self.view.zoom_by(factor)

    def fit_day(self) -> None:
        """Fit the day's services to the width (never so small the blocks become unreadable);
        on today's sheet, keep the current time in view."""
        self.view.fit_to_width(FIT_MIN_PX_PER_MINUTE)
        self.jump_to_now(quiet=True)

    def jump_to_now(self, quiet: bool = False) -> None:
        now = self.context.now()
        self.view.set_now(now)
        axis = self.view.axis
        if axis is not None and axis.start <= now <= axis.end:
            self.view.scroll_to_instant(now)
        elif not quiet:
            self.context.message_posted.emit("The current time is not on this day's timeline.")

    def focus_reservation(self, code: str) -> bool:
        """Select a reservation's block and scroll it into view (the main window calls this
        when a reservation is picked elsewhere). False when it is not on this timeline."""
        model = self.view.model
        if model is None or code not in model.by_code:
            return False
        placement = model.placement(code)
        self.view.select(code)
        self.view.scroll_to_instant(placement.start, 0.2)
        row = next((model.rows.row_of_table(t) for t in placement.table_ids), None)
        if row is not None:
            self.view.verticalScrollBar().setValue(row.y - 3 * row.height)
        self.view.viewport().update()
        return True

    def _tick(self) -> None:
        self.view.set_now(self.context.now())

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start()

    # -- moves ------------------------------------------------------------------------------

    def _move_requested(self, request: MoveRequest) -> None:
        model = self.view.model
        if model is None:
            return
        context = self.context
        if request.mode is DragMode.RESIZE:
            changes: dict[str, object] = {"duration": request.duration}
        else:
            local = request.placement.start.astimezone(model.zone)
            changes = {
                "date": model.snapshot.day,
                "time": local.time().replace(tzinfo=None),
                "tables": request.tables,
            }
        context.tasks.run(
            move_reservation,
            context.db,
            request.code,
            **changes,
            actor="host",
            user_id=context.user.id,
            now=context.now(),
            on_done=lambda view: self._move_saved(view),
            on_error=lambda exc: self._move_failed(request.code, exc),
        )

    def _move_saved(self, view: ReservationView) -> None:
        self.view.move_saved(view)
        self.notice.hide()
        zone = self.view.model.zone if self.view.model is not None else dt.UTC
        self.context.message_posted.emit(
            f"{view.guest_name} moved to {view.starts_at.astimezone(zone):%H:%M}"
            f"–{view.ends_at.astimezone(zone):%H:%M} at {', '.join(view.tables)}."
        )
        self.reservation_moved.emit(view.confirmation_code)

    def _move_failed(self, code: str, exc: Exception) -> None:
        reason = error_text(exc)
        self.last_refusal = reason
        self.view.move_refused(code, reason)
        self.show_notice(f"Not moved: {reason}")
        self.context.message_posted.emit(reason)
        self.move_refused.emit(code, reason)
