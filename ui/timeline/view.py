"""The timeline canvas widget: a custom-painted scroll area that draws only what is on screen.

Rows are found by bisection and each row holds a handful of blocks, so painting costs the same
for 300 tables and 1,000 bookings as for ten. The view knows nothing about the database: a
finished drag is emitted as ``move_requested(MoveRequest)`` and the panel answers with
``move_saved`` or ``move_refused``.

Threading contract: UI thread only.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from app.services.reservation_views import ReservationView
from ui.reservations.day_list_model import reservation_mime
from ui.timeline.axis import TimeAxis
from ui.timeline.blocks import Fonts, tooltip_html
from ui.timeline.canvas import Canvas, Hit
from ui.timeline.chrome import Frame
from ui.timeline.drag import Drag, DragMode, MoveRequest, propose
from ui.timeline.model import TimelineModel
from ui.timeline.style import (
    DEFAULT_PX_PER_MINUTE,
    HEADER_HEIGHT,
    MAX_PX_PER_MINUTE,
    MIN_PX_PER_MINUTE,
    MOVABLE_STATUSES,
    NAME_WIDTH,
    ZOOM_STEP,
)

DRAG_OUT_MARGIN = 24  # pixels outside the viewport before a move becomes a drag elsewhere


class TimelineView(QAbstractScrollArea):
    reservation_opened = Signal(str)
    move_requested = Signal(object)  # MoveRequest
    zoom_changed = Signal(float)  # pixels per minute

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = Canvas(Fonts.from_base(self.font()))
        self.px_per_minute = DEFAULT_PX_PER_MINUTE
        self.editable = True
        self._fit_floor: float | None = None  # set while the zoom follows the width ("Fit")
        self.viewport().setMouseTracking(True)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.horizontalScrollBar().setSingleStep(20)
        self.verticalScrollBar().setSingleStep(20)

    @property
    def model(self) -> TimelineModel | None:
        return self.canvas.model

    @property
    def axis(self) -> TimeAxis | None:
        return self.canvas.axis

    # -- data ----------------------------------------------------------------------------

    def set_model(self, model: TimelineModel | None) -> None:
        """Show a (re)loaded day; zoom and scroll position stay where the host left them.
        Blocks still being saved keep their dragged place until the answer arrives."""
        canvas = self.canvas
        previous = canvas.model
        if previous is not None and model is not None and previous is not model:
            for code in canvas.saving:
                if code in previous.overrides and code in model.by_code:
                    model.set_override(code, previous.overrides[code])
        canvas.model = model
        if canvas.drag is not None and (model is None or canvas.drag.code not in model.by_code):
            canvas.drag = None
        canvas.axis = TimeAxis(model.spans(), model.zone, self.px_per_minute) if model else None
        self._update_scrollbars()
        if self._fit_floor is not None and canvas.axis is not None and canvas.drag is None:
            scroll = self.horizontalScrollBar().value()
            self.fit_to_width(self._fit_floor)  # the day's span may have grown or shrunk
            self.horizontalScrollBar().setValue(scroll)
        self.viewport().update()

    def relayout(self) -> None:
        """Recompute the axis after the model's visible set changed (show cancelled…)."""
        self.set_model(self.canvas.model)

    def set_now(self, now: dt.datetime) -> None:
        self.canvas.now = now
        self.viewport().update()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable

    def select(self, code: str | None) -> None:
        self.canvas.selected = code
        self.viewport().update()

    @property
    def selected(self) -> str | None:
        return self.canvas.selected

    # -- answers from the panel -----------------------------------------------------------

    def move_saved(self, view: ReservationView) -> None:
        self.canvas.saving.discard(view.confirmation_code)
        model = self.canvas.model
        if model is not None and view.confirmation_code in model.by_code:
            model.accept(view)
        self.viewport().update()

    def move_refused(self, code: str, reason: str) -> None:
        """Snap the block back to where it was and say why, next to it."""
        self.canvas.saving.discard(code)
        self.canvas.refused = code
        if self.canvas.model is not None:
            self.canvas.model.clear_override(code)
        self.viewport().update()
        rect = self.block_rect(code)
        if rect is not None and self.isVisible():
            anchor = self.viewport().mapToGlobal(rect.topLeft().toPoint() + QPoint(0, -8))
            QToolTip.showText(anchor, reason, self.viewport())

    # -- zoom and scroll ------------------------------------------------------------------

    def set_px_per_minute(self, value: float, anchor_vx: float | None = None) -> None:
        """Zoom keeping the instant under ``anchor_vx`` (default: the middle) in place."""
        self._fit_floor = None
        self._scale(value, anchor_vx)

    def _scale(self, value: float, anchor_vx: float | None = None) -> None:
        value = min(MAX_PX_PER_MINUTE, max(MIN_PX_PER_MINUTE, value))
        axis = self.canvas.axis
        self.px_per_minute = value
        if axis is None:
            return
        anchor = anchor_vx if anchor_vx is not None else NAME_WIDTH + self._body_width() / 2
        instant = axis.instant_at(anchor - NAME_WIDTH + self.horizontalScrollBar().value())
        axis.set_scale(value)
        self._update_scrollbars()
        self.horizontalScrollBar().setValue(round(axis.x_of(instant) - (anchor - NAME_WIDTH)))
        self.viewport().update()
        self.zoom_changed.emit(value)

    def zoom_by(self, factor: float, anchor_vx: float | None = None) -> None:
        self.set_px_per_minute(self.px_per_minute * factor, anchor_vx)

    def fit_to_width(self, minimum: float = MIN_PX_PER_MINUTE) -> None:
        """Zoom so the whole service day fits the visible width (but never below ``minimum``
        pixels per minute); the fit follows later resizes until the host zooms by hand."""
        self._fit_floor = minimum
        axis = self.canvas.axis
        if axis is None:
            return
        gaps = sum(end - start for start, end in axis.gaps())
        fitted = (self._body_width() - gaps - 2) / max(axis.total_minutes, 1)
        self._scale(max(minimum, fitted))
        self.horizontalScrollBar().setValue(0)

    @property
    def fitted(self) -> bool:
        return self._fit_floor is not None

    def scroll_to_instant(self, instant: dt.datetime, fraction: float = 0.3) -> None:
        if self.canvas.axis is not None:
            x = self.canvas.axis.x_of(instant) - self._body_width() * fraction
            self.horizontalScrollBar().setValue(round(x))

    def _body_width(self) -> float:
        return max(1, self.viewport().width() - NAME_WIDTH)

    def _update_scrollbars(self) -> None:
        width = self.canvas.axis.width if self.canvas.axis else 0
        height = self.canvas.model.rows.height if self.canvas.model else 0
        body_h = max(1, self.viewport().height() - HEADER_HEIGHT)
        h_bar, v_bar = self.horizontalScrollBar(), self.verticalScrollBar()
        h_bar.setRange(0, max(0, round(width - self._body_width())))
        h_bar.setPageStep(round(self._body_width()))
        v_bar.setRange(0, max(0, height - body_h))
        v_bar.setPageStep(body_h)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_scrollbars()
        if self._fit_floor is not None and event.oldSize().width() != event.size().width():
            scroll = self.horizontalScrollBar().value()
            self.fit_to_width(self._fit_floor)
            self.horizontalScrollBar().setValue(scroll)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(ZOOM_STEP**steps, event.position().x())
            event.accept()
            return
        super().wheelEvent(event)

    # -- geometry (viewport coordinates) --------------------------------------------------

    def frame(self) -> Frame:
        viewport = self.viewport()
        h_bar, v_bar = self.horizontalScrollBar(), self.verticalScrollBar()
        return Frame(viewport.width(), viewport.height(), h_bar.value(), v_bar.value())

    def block_rect(self, code: str, table: str | None = None) -> QRectF | None:
        """Where a block is drawn now, on ``table``'s row (default: its first row)."""
        return self.canvas.block_rect(code, self.frame(), table)

    def time_x(self, instant: dt.datetime) -> float:
        assert self.canvas.axis is not None
        return self.frame().vx(self.canvas.axis.x_of(instant))

    def row_centre_y(self, table: str) -> float | None:
        model = self.canvas.model
        if model is None:
            return None
        table_id = model.rows.table_id_by_name(table)
        row = model.rows.row_of_table(table_id) if table_id is not None else None
        return None if row is None else self.frame().vy(row.y + row.height / 2)

    def hit(self, pos: QPointF) -> Hit | None:
        return self.canvas.hit(pos, self.frame())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self.viewport())
        try:
            self.canvas.paint(painter, self.frame(), self.font())
        finally:
            painter.end()

    # -- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        model = self.canvas.model
        if event.button() != Qt.MouseButton.LeftButton or model is None:
            super().mousePressEvent(event)
            return
        found = self.hit(event.position())
        self.canvas.refused = None
        self.canvas.selected = found.code if found else None
        if found is not None and self.editable:
            reservation = model.by_code[found.code]
            if reservation.status in MOVABLE_STATUSES and found.code not in self.canvas.saving:
                placement = model.placement(found.code)
                frame = self.frame()
                self.canvas.drag = Drag(
                    code=found.code,
                    mode=DragMode.RESIZE if found.on_grip else DragMode.MOVE,
                    press_x=event.position().x() - NAME_WIDTH + frame.scroll_x,
                    press_y=event.position().y() - HEADER_HEIGHT + frame.scroll_y,
                    grabbed_table=found.row.table.id if found.row.table is not None else None,
                    party_size=reservation.party_size,
                    original=placement,
                    proposal=placement,
                    target=found.row,
                )
        self.viewport().update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        drag, model, axis = self.canvas.drag, self.canvas.model, self.canvas.axis
        if drag is None or model is None or axis is None:
            self._hover(pos)
            return
        frame = self.frame()
        cx = pos.x() - NAME_WIDTH + frame.scroll_x
        cy = pos.y() - HEADER_HEIGHT + frame.scroll_y
        if not drag.active:
            if abs(cx - drag.press_x) + abs(cy - drag.press_y) < QApplication.startDragDistance():
                return
            drag.active = True
            resizing = drag.mode is DragMode.RESIZE
            cursor = Qt.CursorShape.SizeHorCursor if resizing else Qt.CursorShape.ClosedHandCursor
            self.viewport().setCursor(cursor)
        if drag.mode is DragMode.MOVE:
            if self._outside(pos):
                self._drag_out(drag.code)
                return
            row = model.rows.row_at(cy)
            if row is not None and row.is_table:
                drag.target = row
        slot = model.snapshot.hours.slot_minutes
        target = drag.target if drag.mode is DragMode.MOVE else None
        drag.proposal = propose(drag, cx, target, axis, model.rows.tables, slot)
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag, self.canvas.drag = self.canvas.drag, None
        model = self.canvas.model
        self.viewport().unsetCursor()
        self.viewport().update()
        if drag is None or not drag.active or not drag.changed or model is None:
            return
        tables = model.rows.tables
        request = MoveRequest(
            code=drag.code,
            original=drag.original,
            placement=drag.proposal,
            tables=tuple(tables[t].name for t in drag.proposal.table_ids if t in tables),
            duration=drag.proposal.minutes if drag.mode is DragMode.RESIZE else None,
            mode=drag.mode,
        )
        model.set_override(drag.code, drag.proposal)
        self.canvas.saving.add(drag.code)
        self.move_requested.emit(request)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.canvas.drag = None
        found = self.hit(event.position())
        if found is not None:
            self.reservation_opened.emit(found.code)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.canvas.drag is not None:
            self.canvas.drag = None
            self.viewport().unsetCursor()
            self.viewport().update()
            return
        super().keyPressEvent(event)

    def _hover(self, pos: QPointF) -> None:
        found = self.hit(pos)
        model = self.canvas.model
        if found is None or model is None:
            self.viewport().unsetCursor()
            return
        movable = self.editable and model.by_code[found.code].status in MOVABLE_STATUSES
        if not movable:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        elif found.on_grip:
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)

    def _outside(self, pos: QPointF) -> bool:
        margin = DRAG_OUT_MARGIN
        rect = QRectF(self.viewport().rect()).adjusted(-margin, -margin, margin, margin)
        return not rect.contains(pos)

    def _drag_out(self, code: str) -> None:
        """The block left the timeline: offer it to other widgets as a reservation drag."""
        self.canvas.drag = None
        self.viewport().unsetCursor()
        self.viewport().update()
        out = QDrag(self.viewport())
        out.setMimeData(reservation_mime(code))
        out.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        model = self.canvas.model
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip and model:
            found = self.hit(QPointF(event.pos()))
            if found is None:
                QToolTip.hideText()
            else:
                html = tooltip_html(model.by_code[found.code], model.zone)
                QToolTip.showText(event.globalPos(), html, self.viewport())
            return True
        return super().viewportEvent(event)
