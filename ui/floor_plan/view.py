"""The floor plan's view: zoom (wheel, buttons, fit), pan (drag the background), clicks on
tables, edit-mode table drags with grid snapping, and reservation drops from the day list.

The view only reports what the hand did (signals); the panel decides what it means and asks
the services. Threading contract: UI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
    QPainter,
    QPixmapCache,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from ui.floor_plan.scene import FloorScene
from ui.floor_plan.style import DRAG_THRESHOLD, GRID, MAX_SCALE, MIN_SCALE, ZOOM_STEP
from ui.floor_plan.table_item import TableItem
from ui.reservations import RESERVATION_MIME

PIXMAP_CACHE_KB = 64 * 1024


def snap(value: float, grid: float = GRID) -> float:
    return round(value / grid) * grid


@dataclass(frozen=True)
class TableMove:
    table_id: int
    before: QPointF  # saved top-left corner before the drag
    after: QPointF  # snapped top-left corner after it


class FloorPlanView(QGraphicsView):
    table_clicked = Signal(int)
    background_clicked = Signal()
    tables_dragged = Signal(object)  # list[TableMove]
    reservation_dropped = Signal(str, int)  # confirmation code, table id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.floor = FloorScene(self)
        self.setScene(self.floor)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # Every item sets the pen, brush, font and hints it uses: no save/restore per item.
        self.setOptimizationFlags(
            QGraphicsView.OptimizationFlag.DontSavePainterState
            | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing
        )
        # Tables cache their picture (DeviceCoordinateCache): leave room for a zoomed-in floor.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.edit_mode = False
        self._press: QPoint | None = None
        self._press_item: TableItem | None = None
        self._dragging = False
        self._starts: dict[int, QPointF] = {}  # item centres when the drag began
        self._scroll_start = (0, 0)
        self._drop_item: TableItem | None = None

    # -- zoom -------------------------------------------------------------------------------

    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = max(MIN_SCALE, min(MAX_SCALE, self.scale_factor * factor))
        factor = target / self.scale_factor
        self.scale(factor, factor)

    def fit_rect(self, rect: QRectF) -> None:
        if rect.isEmpty():
            return
        self.fitInView(rect.adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)

    def fit_all(self) -> None:
        self.fit_rect(self.floor.itemsBoundingRect())

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps)
        event.accept()

    # -- helpers for the panel and tests ----------------------------------------------------

    def is_pressed(self) -> bool:
        return self._press is not None

    def set_edit_mode(self, on: bool) -> None:
        self.edit_mode = on
        self.floor.set_edit_mode(on)
        self.resetCachedContent()
        self.viewport().update()

    def item_at(self, pos: QPoint) -> TableItem | None:
        for item in self.items(pos):
            if isinstance(item, TableItem):
                return item
        return None

    def table_point(self, table_id: int) -> QPoint:
        """Where a table's centre is in viewport pixels."""
        return self.mapFromScene(self.floor.items_by_id[table_id].pos())

    # -- mouse ------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position().toPoint()
        self._press = pos
        self._dragging = False
        self._press_item = self.item_at(pos)
        self._scroll_start = (self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        item = self._press_item
        if item is not None and self.edit_mode:
            additive = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if not item.isSelected() and not additive:
                self.floor.clearSelection()
            item.setSelected(True)
            self._starts = {i.table_id: QPointF(i.pos()) for i in self.floor.selected_tables()}
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None:
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        delta = pos - self._press
        if not self._dragging and delta.manhattanLength() < DRAG_THRESHOLD:
            return
        self._dragging = True
        if self._press_item is not None and self.edit_mode:
            shift = self.mapToScene(pos) - self.mapToScene(self._press)
            for table_id, start in self._starts.items():
                item = self.floor.items_by_id.get(table_id)
                if item is None:
                    continue
                t = item.table
                corner = start + shift - QPointF(t.width / 2, t.height / 2)
                item.setPos(snap(corner.x()) + t.width / 2, snap(corner.y()) + t.height / 2)
        elif self._press_item is None:
            hx, vy = self._scroll_start
            self.horizontalScrollBar().setValue(hx - delta.x())
            self.verticalScrollBar().setValue(vy - delta.y())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        item, dragging = self._press_item, self._dragging
        self._press, self._press_item, self._dragging = None, None, False
        if dragging and item is not None and self.edit_mode:
            moves = []
            for table_id, start in self._starts.items():
                moved = self.floor.items_by_id.get(table_id)
                if moved is None or moved.pos() == start:
                    continue
                t = moved.table
                moves.append(TableMove(table_id, QPointF(t.x, t.y), moved.top_left()))
            self._starts = {}
            if moves:
                self.tables_dragged.emit(moves)
        elif not dragging:
            if item is not None:
                if not self.edit_mode:
                    self.floor.clearSelection()
                    item.setSelected(True)
                self.table_clicked.emit(item.table_id)
            else:
                self.floor.clearSelection()
                self.background_clicked.emit()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()

    # -- drops from the day list ------------------------------------------------------------

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return not self.edit_mode and event.mimeData().hasFormat(RESERVATION_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if not self._accepts(event):
            event.ignore()
            return
        item = self.item_at(event.position().toPoint())
        self._highlight(item)
        if item is None:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._highlight(None)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._highlight(None)
        if not self._accepts(event):
            event.ignore()
            return
        item = self.item_at(event.position().toPoint())
        if item is None:
            event.ignore()
            return
        code = bytes(event.mimeData().data(RESERVATION_MIME).data()).decode("utf-8").strip()
        event.acceptProposedAction()
        if code:
            self.reservation_dropped.emit(code, item.table_id)

    def _highlight(self, item: TableItem | None) -> None:
        if self._drop_item is item:
            return
        if self._drop_item is not None and self._drop_item.scene() is not None:
            self._drop_item.drop_highlight = False
            self._drop_item.update()
        self._drop_item = item
        if item is not None:
            item.drop_highlight = True
            item.update()
