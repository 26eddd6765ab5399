"""The floor plan's scene: one ``TableItem`` per table, on a white region per area (main room,
terrace, private room…) with the area's name above it. Built from a ``FloorSnapshot``."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
)

from app.services.floor_plan import FloorTableLive
from ui.floor_plan.model import FloorSnapshot
from ui.floor_plan.style import (
    AREA_BORDER,
    AREA_FILL,
    AREA_MARGIN,
    AREA_TEXT,
    AREA_TITLE,
    BACKGROUND,
    GRID,
    GRID_LINE,
)
from ui.floor_plan.table_item import TableItem


def area_bounds(tables: list[FloorTableLive]) -> dict[str, QRectF]:
    """Each area's region: the box around its tables, with a margin and room for the name."""
    boxes: dict[str, QRectF] = {}
    grouped: dict[str, list[FloorTableLive]] = defaultdict(list)
    for live in tables:
        grouped[live.table.area].append(live)
    for area, members in grouped.items():
        box = QRectF()
        for live in members:
            t = live.table
            box = box.united(QRectF(t.x, t.y, t.width, t.height))
        boxes[area] = box.adjusted(
            -AREA_MARGIN, -AREA_MARGIN - AREA_TITLE, AREA_MARGIN, AREA_MARGIN
        )
    return boxes


def _grid_brush() -> QBrush:
    """White with a light line every five snapping steps (edit mode's background)."""
    step = int(GRID * 5)
    tile = QPixmap(step, step)
    tile.fill(AREA_FILL)
    painter = QPainter(tile)
    painter.setPen(QPen(GRID_LINE, 3))
    painter.drawLine(0, 0, step, 0)
    painter.drawLine(0, 0, 0, step)
    painter.end()
    return QBrush(tile)


def decorations(live: FloorTableLive, snapshot: FloorSnapshot) -> tuple[str | None, bool, bool]:
    """A table's next booking time (local "HH:MM") and its seated guest's VIP / allergy marks."""
    upcoming = live.live.next
    next_time = f"{upcoming.starts_at.astimezone(snapshot.zone):%H:%M}" if upcoming else None
    guest = snapshot.current_guest(live.table.id)
    if guest is None:
        return next_time, False, False
    return next_time, guest.vip_status is not None, bool(guest.allergies)


class FloorScene(QGraphicsScene):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setBackgroundBrush(BACKGROUND)
        self.items_by_id: dict[int, TableItem] = {}
        self.area_rects: dict[str, QRectF] = {}
        self.show_inactive = True
        self._layout: tuple[bool, tuple[int, ...]] | None = None

    def build(self, snapshot: FloorSnapshot, *, edit_mode: bool) -> None:
        """Show the snapshot's tables (selection is kept by table id). When the same tables
        stand in the same areas, the items are updated in place and only those whose picture
        changed repaint (a reload every 30 s, or another day, usually changes a few)."""
        # In service mode inactive tables are left out; in edit mode they show (to re-activate).
        shown = [t for t in snapshot.tables if edit_mode or t.table.is_active]
        area_rects = area_bounds(shown)
        layout = (edit_mode, tuple(live.table.id for live in shown))
        if layout == self._layout and area_rects == self.area_rects:
            for live in shown:
                self.items_by_id[live.table.id].show_state(live, *decorations(live, snapshot))
            return
        self._layout = layout
        selected = {item.table_id for item in self.items_by_id.values() if item.isSelected()}
        self.clear()
        self.items_by_id = {}
        self.area_rects = area_rects
        title_font = QFont()
        title_font.setPixelSize(30)
        title_font.setBold(True)
        for area, rect in sorted(self.area_rects.items(), key=lambda kv: (kv[1].x(), kv[1].y())):
            region = QGraphicsRectItem(rect)
            region.setBrush(_grid_brush() if edit_mode else QBrush(AREA_FILL))
            region.setPen(QPen(AREA_BORDER, 3))
            region.setZValue(-10)
            # Edit mode's grid is a scaled texture: far slower to fill than to blit once drawn.
            region.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            region.setData(0, area)
            self.addItem(region)
            label = QGraphicsSimpleTextItem(area)
            label.setFont(title_font)
            label.setBrush(AREA_TEXT)
            label.setPos(rect.x() + 16, rect.y() + 10)
            label.setZValue(-9)
            self.addItem(label)
        for live in shown:
            item = TableItem(live)
            item.set_edit_mode(edit_mode)
            item.show_state(live, *decorations(live, snapshot))
            self.addItem(item)
            self.items_by_id[live.table.id] = item
            if live.table.id in selected:
                item.setSelected(True)
        bounds = self.itemsBoundingRect()
        self.setSceneRect(bounds.adjusted(-200, -200, 200, 200))

    def set_edit_mode(self, on: bool) -> None:
        for item in self.items_by_id.values():
            item.set_edit_mode(on)

    def table_items(self) -> list[TableItem]:
        return list(self.items_by_id.values())

    def selected_tables(self) -> list[TableItem]:
        return [item for item in self.items_by_id.values() if item.isSelected()]
