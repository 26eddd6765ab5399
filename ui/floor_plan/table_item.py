"""One dining table on the canvas: its shape, name, capacity, live colour, next booking or the
time its party has been seated, and VIP / allergy badges. Painting only; the view decides what
a click or a drag means.

The item's position is the table's centre; the shape is drawn rotated, the text upright.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.db.enums import TableShape
from app.domain.table_states import LiveState
from app.services.floor_plan import FloorTable, FloorTableLive
from ui.floor_plan.style import (
    ALLERGY_RED,
    DROP_TARGET,
    EDIT_STYLE,
    OVERDUE,
    SELECTED,
    VIP_GOLD,
    StateStyle,
    state_style,
)

BADGE = 22.0  # floor units


def elapsed_text(minutes: int) -> str:
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60}h {minutes % 60:02d}"


class TableItem(QGraphicsRectItem):
    """A rect item only for its C++ ``boundingRect`` (the rect, no pen): Qt asks every item for
    it on every repaint, and a Python override then needs the GIL once per table, which a busy
    worker thread makes the UI thread wait for. ``paint`` (only on a cache miss) and ``shape``
    (hit tests) are Python."""

    def __init__(self, live: FloorTableLive) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        # Repaints (scrolling, a dragged neighbour, the 30 s tick elsewhere) blit a pixmap made
        # at the current zoom; anything that changes the picture calls ``update()``.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.edit_mode = False
        self.drop_highlight = False
        self.vip = False
        self.allergy = False
        self.next_time: str | None = None  # local "HH:MM" of the next booking
        self.minutes_seated: int | None = None
        self.set_live(live)

    # -- data -------------------------------------------------------------------------------

    @property
    def table(self) -> FloorTable:
        return self.live.table

    @property
    def table_id(self) -> int:
        return self.live.table.id

    @property
    def state(self) -> LiveState:
        return self.live.live.state

    def set_live(self, live: FloorTableLive) -> None:
        self.prepareGeometryChange()
        self.live = live
        t = live.table
        self.setRect(self._bounds())
        self.rotation_deg = t.rotation
        self.setPos(self._centre(t))
        self.minutes_seated = live.live.minutes_seated
        self.setToolTip(self._tooltip())
        self.update()

    def show_state(
        self, live: FloorTableLive, next_time: str | None, vip: bool, allergy: bool
    ) -> None:
        """Show a reloaded table; repaints (and re-caches) only when something changed."""
        t = live.table
        placed = self.pos() == self._centre(t) and self.rotation_deg == t.rotation
        if placed and (live, next_time, vip, allergy) == (
            self.live, self.next_time, self.vip, self.allergy
        ):  # fmt: skip
            return
        self.next_time, self.vip, self.allergy = next_time, vip, allergy
        if not placed or t != self.live.table:
            self.set_live(live)
            return
        self.live = live
        self.minutes_seated = live.live.minutes_seated
        self.setToolTip(self._tooltip())
        self.update()

    @staticmethod
    def _centre(t: FloorTable) -> QPointF:
        return QPointF(t.x + t.width / 2, t.y + t.height / 2)

    def top_left(self) -> QPointF:
        """The table's saved corner (x, y) for the item's current position."""
        return QPointF(
            self.pos().x() - self.table.width / 2, self.pos().y() - self.table.height / 2
        )

    def set_rotation_deg(self, degrees: float) -> None:
        self.prepareGeometryChange()
        self.rotation_deg = degrees % 360
        self.update()

    def set_edit_mode(self, on: bool) -> None:
        self.edit_mode = on
        self.setCursor(Qt.CursorShape.SizeAllCursor if on else Qt.CursorShape.PointingHandCursor)
        self.update()

    def style(self) -> StateStyle:
        return EDIT_STYLE if self.edit_mode else state_style(self.state)

    def _tooltip(self) -> str:
        t = self.table
        lines = [f"<b>{t.name}</b> · {t.min_guests}–{t.max_guests} guests · {t.area}"]
        lines.append(state_style(self.state).label)
        if self.live.live.current is not None:
            c = self.live.live.current
            lines.append(f"{c.guest_name}, {c.party_size} guests")
        if t.features:
            lines.append(", ".join(t.features))
        return "<br>".join(lines)

    # -- geometry ---------------------------------------------------------------------------

    def _body(self) -> QRectF:
        t = self.table
        return QRectF(-t.width / 2, -t.height / 2, t.width, t.height)

    def _outline(self) -> QPainterPath:
        path = QPainterPath()
        body = self._body()
        if self.table.shape == TableShape.ROUND:
            path.addEllipse(body)
        else:
            radius = min(body.width(), body.height()) * 0.12
            path.addRoundedRect(body, radius, radius)
        return QTransform().rotate(self.rotation_deg).map(path)

    def _bounds(self) -> QRectF:
        """Body and badges at any rotation (kept as the item's rect, see the class)."""
        t = self.table
        half = math.hypot(t.width, t.height) / 2 + BADGE
        return QRectF(-half, -half, 2 * half, 2 * half)

    def shape(self) -> QPainterPath:
        return self._outline()

    # -- painting ---------------------------------------------------------------------------

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        style = self.style()
        outline = self._outline()
        selected = self.isSelected()
        width = 4.0 if selected else 2.5
        painter.setPen(QPen(SELECTED if selected else style.border, width))
        painter.setBrush(style.fill)
        painter.drawPath(outline)
        if self.state == LiveState.MAINTENANCE and not self.edit_mode:
            hatch = QColor(style.border)
            hatch.setAlpha(90)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.drawPath(outline)
        if self.drop_highlight:
            painter.setPen(QPen(DROP_TARGET, 5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(outline.translated(0, 0))
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        self._paint_text(painter, style, lod)
        if not self.edit_mode:
            self._paint_badges(painter)

    def _lines(self) -> list[tuple[str, float, bool, object]]:
        t = self.table
        lines: list[tuple[str, float, bool, object]] = [
            (t.name, 1.0, True, None),
            (f"{t.min_guests}–{t.max_guests}", 0.8, False, None),
        ]
        if self.edit_mode:
            return lines
        state = self.state
        if state in (LiveState.SEATED, LiveState.DINING) and self.minutes_seated is not None:
            colour = OVERDUE if self.live.live.overdue else None
            lines.append((elapsed_text(self.minutes_seated), 0.8, True, colour))
        elif self.next_time and state in (LiveState.FREE, LiveState.RESERVED_SOON):
            lines.append((self.next_time, 0.8, True, None))
        return lines

    def _paint_text(self, painter: QPainter, style: StateStyle, lod: float) -> None:
        t = self.table
        sideways = abs(math.sin(math.radians(self.rotation_deg))) >= 0.5
        upright_w, upright_h = (t.height, t.width) if sideways else (t.width, t.height)
        box_w = upright_w * (0.78 if t.shape == TableShape.ROUND else 0.94)
        side = upright_h
        long_side = max(t.width, t.height)
        lines = self._lines()
        base = max(14.0, min(24.0, side * 0.3, long_side * 0.22))
        if base * lod < 4:  # too small on screen to read: colour only
            return
        heights = [base * scale * 1.15 for _, scale, _, _ in lines]
        while sum(heights) > side * 0.92 and len(lines) > 1:
            lines.pop(1 if len(lines) == 2 else -1)
            heights = [base * scale * 1.15 for _, scale, _, _ in lines]
        y = -sum(heights) / 2
        font = QFont(painter.font())
        for (text, scale, bold, colour), h in zip(lines, heights, strict=True):
            font.setPixelSize(max(1, round(base * scale)))
            font.setBold(bold)
            painter.setFont(font)
            painter.setPen(colour or style.text)
            painter.drawText(QRectF(-box_w / 2, y, box_w, h), Qt.AlignmentFlag.AlignCenter, text)
            y += h

    def _paint_badges(self, painter: QPainter) -> None:
        t = self.table
        x = t.width / 2 * 0.75 if t.shape == TableShape.ROUND else t.width / 2
        y = -t.height / 2 * (0.75 if t.shape == TableShape.ROUND else 1.0)
        centre = QPointF(x, y)
        if self.allergy:
            painter.setPen(QPen(Qt.GlobalColor.white, 2))
            painter.setBrush(ALLERGY_RED)
            painter.drawEllipse(centre, BADGE / 2, BADGE / 2)
            font = QFont(painter.font())
            font.setPixelSize(int(BADGE * 0.8))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(QRectF(x - BADGE / 2, y - BADGE / 2, BADGE, BADGE),
                             Qt.AlignmentFlag.AlignCenter, "!")  # fmt: skip
            centre = QPointF(x - BADGE - 2, y)
        if self.vip:
            points = []
            for i in range(10):
                radius = BADGE / 2 if i % 2 == 0 else BADGE / 4.5
                angle = math.radians(-90 + i * 36)
                points.append(centre + QPointF(math.cos(angle) * radius, math.sin(angle) * radius))
            painter.setPen(QPen(Qt.GlobalColor.white, 1.5))
            painter.setBrush(VIP_GOLD)
            painter.drawPolygon(QPolygonF(points))
