"""The timeline's drawing state and geometry: where each block is, what is under the pointer,
and painting the visible part of the day. Plain object used by ``TimelineView``.

Threading contract: UI thread only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter

from app.services.reservation_views import ReservationView
from ui.timeline.axis import TimeAxis
from ui.timeline.block_cache import BlockCache
from ui.timeline.blocks import STRIPE, BlockLook, Fonts, paint_block, paint_buffer
from ui.timeline.chrome import (
    Frame,
    paint_body,
    paint_corner,
    paint_header,
    paint_names,
    paint_now_line,
)
from ui.timeline.drag import Drag
from ui.timeline.model import Placement, TimelineModel
from ui.timeline.rows import Row
from ui.timeline.style import (
    BLOCK_MARGIN,
    FADED_STATUSES,
    HEADER_HEIGHT,
    MOVABLE_STATUSES,
    NAME_WIDTH,
    RESIZE_GRIP,
)

# Blocks this far left of the screen may still show their buffer on it.
_OFFSCREEN_SLACK = 200


@dataclass(frozen=True)
class Hit:
    code: str
    row: Row
    on_grip: bool  # the right edge: resizes instead of moving


@dataclass
class Canvas:
    fonts: Fonts
    model: TimelineModel | None = None
    axis: TimeAxis | None = None
    now: dt.datetime | None = None
    selected: str | None = None
    refused: str | None = None  # just snapped back; outlined until the next press
    saving: set[str] = field(default_factory=set)  # dropped, waiting for the database
    drag: Drag | None = None
    pictures: BlockCache = field(default_factory=BlockCache)

    @property
    def active_drag(self) -> Drag | None:
        return self.drag if self.drag is not None and self.drag.active else None

    # -- geometry -------------------------------------------------------------------------

    def rect_on(self, placement: Placement, row: Row, frame: Frame) -> QRectF:
        assert self.axis is not None
        x0, x1 = self.axis.x_of(placement.start), self.axis.x_of(placement.end)
        return QRectF(
            frame.vx(x0),
            frame.vy(row.y) + BLOCK_MARGIN,
            max(4.0, x1 - x0),
            row.height - 2 * BLOCK_MARGIN,
        )

    def rows_of(self, placement: Placement) -> list[Row]:
        """The rows a block is drawn on: its tables', or the unassigned row."""
        assert self.model is not None
        rows = [self.model.rows.row_of_table(t) for t in placement.table_ids]
        found = [row for row in rows if row is not None]
        unassigned = self.model.rows.unassigned_row()
        return found or ([unassigned] if unassigned else [])

    def block_rect(self, code: str, frame: Frame, table: str | None = None) -> QRectF | None:
        model = self.model
        if model is None or self.axis is None or code not in model.by_code:
            return None
        if not model.is_shown(model.by_code[code]):
            return None
        placement = self.model.placement(code)
        rows = self.rows_of(placement)
        if table is not None:
            rows = [r for r in rows if r.title.lower() == table.lower()]
        return self.rect_on(placement, rows[0], frame) if rows else None

    def hit(self, pos: QPointF, frame: Frame) -> Hit | None:
        """The topmost block under a viewport point."""
        if self.model is None or self.axis is None:
            return None
        if pos.x() < NAME_WIDTH or pos.y() < HEADER_HEIGHT:
            return None
        row = self.model.rows.row_at(pos.y() - HEADER_HEIGHT + frame.scroll_y)
        if row is None or not (row.is_table or row.unassigned):
            return None
        table_id = row.table.id if row.table is not None else None
        for code in reversed(self.model.codes_on(table_id)):
            rect = self.rect_on(self.model.placement(code), row, frame)
            if rect.contains(pos):
                return Hit(code, row, pos.x() >= rect.right() - RESIZE_GRIP)
        return None

    # -- painting -------------------------------------------------------------------------

    def paint(self, painter: QPainter, frame: Frame, base: QFont) -> None:
        model, axis = self.model, self.axis
        if model is None or axis is None:
            painter.fillRect(QRectF(0, 0, frame.width, frame.height), Qt.GlobalColor.white)
            return
        rows = model.rows.visible(frame.scroll_y, frame.scroll_y + frame.height - HEADER_HEIGHT)
        drag = self.active_drag
        paint_body(painter, frame, axis, rows, drag.target if drag else None)
        painter.save()
        painter.setClipRect(frame.body)
        now_x = None
        if self.now is not None and axis.start <= self.now <= axis.end:
            now_x = axis.x_of(self.now)
            paint_now_line(painter, frame, now_x)  # under the blocks: their text stays readable
        x0, x1 = frame.content_x_range()
        for row in rows:
            if not (row.is_table or row.unassigned):
                continue
            for code in model.codes_on(row.table.id if row.table is not None else None):
                placement = model.placement(code)
                start_x, end_x = axis.x_of(placement.start), axis.x_of(placement.end)
                if start_x > x1 or end_x + _OFFSCREEN_SLACK < x0:
                    continue
                if drag is not None and drag.code == code:
                    _paint_origin(painter, self.rect_on(placement, row, frame))
                    continue
                reservation = model.by_code[code]
                look = BlockLook(
                    faded=reservation.status in FADED_STATUSES,
                    saving=code in self.saving,
                    selected=code == self.selected,
                    refused=code == self.refused,
                )
                self._paint_one(painter, reservation, placement, row, frame, look)
        if drag is not None:
            reservation = model.by_code[drag.code]
            for row in self.rows_of(drag.proposal):
                look = BlockLook(ghost=True, selected=True)
                self._paint_one(painter, reservation, drag.proposal, row, frame, look)
        if now_x is not None:
            paint_now_line(painter, frame, now_x, over=True)  # and a hairline across them
        painter.restore()
        closed = "Closed on this day" if model.snapshot.hours.closed else None
        paint_header(painter, frame, axis, base, self.now, closed)
        paint_names(painter, frame, rows, base)
        count = len(model.rows.tables)
        paint_corner(painter, "Tables", f"{count} {'table' if count == 1 else 'tables'}", base)

    def _paint_one(
        self,
        painter: QPainter,
        reservation: ReservationView,
        placement: Placement,
        row: Row,
        frame: Frame,
        look: BlockLook,
    ) -> None:
        assert self.model is not None and self.axis is not None
        rect = self.rect_on(placement, row, frame)
        if reservation.status in MOVABLE_STATUSES and not look.ghost:
            buffer = self.model.buffer.total_seconds() / 60 * self.axis.px_per_minute
            paint_buffer(painter, QRectF(rect.right(), rect.top() + 3, buffer, rect.height() - 6))
        if look.ghost or rect.left() < NAME_WIDTH - STRIPE:
            # Lifted with a shadow, or scrolled under the names (its text slides along): drawn
            # afresh. Every other block is blitted from its cached picture.
            paint_block(
                painter,
                rect,
                reservation,
                self.model.zone,
                self.fonts,
                look,
                start=placement.start,
                end=placement.end,
                text_left=NAME_WIDTH,
            )
            return
        self.pictures.draw(painter, rect, reservation, self.model.zone, self.fonts, look,
                           placement.start, placement.end)  # fmt: skip


def _paint_origin(painter: QPainter, rect: QRectF) -> None:
    """Where a dragged block came from: a dashed outline."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.DashLine)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
    painter.restore()
