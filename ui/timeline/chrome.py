"""Painting everything around the blocks: row bands, the hour/quarter grid, closed stretches,
the sticky time header, the sticky table-name column and the red "now" line. Layout only.

Every function draws in viewport coordinates for the part that is visible, given ``Frame``:
where the body starts and how far the content is scrolled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen

from ui.timeline.axis import TimeAxis
from ui.timeline.rows import Row
from ui.timeline.style import (
    AREA_BAND,
    BACKGROUND,
    CLOSED_FILL,
    CLOSED_HATCH,
    GRID_HOUR,
    GRID_QUARTER,
    HEADER_HEIGHT,
    MAINTENANCE_FILL,
    MAINTENANCE_TEXT,
    NAME_WIDTH,
    NOW_COLOUR,
    ROW_LINE,
    SURFACE,
    TEXT,
    TEXT_MUTED,
)


@dataclass(frozen=True)
class Frame:
    """The viewport's geometry and scroll offsets."""

    width: int
    height: int
    scroll_x: int
    scroll_y: int

    def vx(self, content_x: float) -> float:
        return NAME_WIDTH + content_x - self.scroll_x

    def vy(self, content_y: float) -> float:
        return HEADER_HEIGHT + content_y - self.scroll_y

    @property
    def body(self) -> QRectF:
        return QRectF(
            NAME_WIDTH, HEADER_HEIGHT, self.width - NAME_WIDTH, self.height - HEADER_HEIGHT
        )

    def content_x_range(self) -> tuple[float, float]:
        return self.scroll_x, self.scroll_x + self.width - NAME_WIDTH


def _font(base: QFont, size: float, *, bold: bool = False, caps: bool = False) -> QFont:
    font = QFont(base)
    font.setPointSizeF(size)
    font.setBold(bold)
    if caps:
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.6)
    return font


def paint_body(
    painter: QPainter, frame: Frame, axis: TimeAxis, rows: list[Row], highlight: Row | None
) -> None:
    """Row bands, shaded closed/outside-hours stretches, grid lines (under the blocks)."""
    body = frame.body
    painter.save()
    painter.setClipRect(body)
    painter.fillRect(body, BACKGROUND)
    x0, x1 = frame.content_x_range()
    for start, end in axis.outside_hours():
        if end >= x0 and start <= x1:
            painter.fillRect(
                QRectF(frame.vx(start), body.top(), end - start, body.height()), SURFACE
            )
    for row in rows:
        top = frame.vy(row.y)
        band = QRectF(body.left(), top, body.width(), row.height)
        if not row.is_table and not row.unassigned:
            painter.fillRect(band, AREA_BAND)
        elif row.in_maintenance:
            painter.fillRect(band, MAINTENANCE_FILL)
            painter.fillRect(band, QBrush(QColor(0, 0, 0, 18), Qt.BrushStyle.BDiagPattern))
        if highlight is not None and row is highlight:
            painter.fillRect(band, QColor(59, 99, 217, 26))
    quarter_px = 15 * axis.px_per_minute
    step = 15 if quarter_px >= 9 else 30 if quarter_px >= 5 else 60
    for tick in axis.ticks(x0 - 1, x1 + 1, step):
        x = round(frame.vx(tick.x)) + 0.5
        painter.setPen(QPen(GRID_HOUR if tick.major else GRID_QUARTER, 1))
        painter.drawLine(QPointF(x, body.top()), QPointF(x, body.bottom()))
    painter.setPen(QPen(ROW_LINE, 1))
    for row in rows:
        y = round(frame.vy(row.bottom)) - 0.5
        painter.drawLine(QPointF(body.left(), y), QPointF(body.right(), y))
    for start, end in axis.gaps():
        if end >= x0 and start <= x1:
            _paint_closed(painter, QRectF(frame.vx(start), body.top(), end - start, body.height()))
    painter.restore()


def _paint_closed(painter: QPainter, rect: QRectF) -> None:
    painter.fillRect(rect, CLOSED_FILL)
    painter.fillRect(rect, QBrush(CLOSED_HATCH, Qt.BrushStyle.BDiagPattern))
    painter.setPen(QPen(GRID_HOUR, 1))
    painter.drawLine(rect.topLeft(), rect.bottomLeft())
    painter.drawLine(rect.topRight(), rect.bottomRight())


def paint_now_line(painter: QPainter, frame: Frame, x: float, *, over: bool = False) -> None:
    """The red "now" line: 2 px under the blocks, a translucent hairline over them."""
    vx = frame.vx(x)
    if vx < NAME_WIDTH or vx > frame.width:
        return
    painter.save()
    colour = QColor(NOW_COLOUR)
    if over:
        colour.setAlpha(110)
    painter.setPen(QPen(colour, 1 if over else 2))
    painter.drawLine(QPointF(vx, HEADER_HEIGHT), QPointF(vx, frame.height))
    painter.restore()


def paint_header(
    painter: QPainter,
    frame: Frame,
    axis: TimeAxis,
    base: QFont,
    now: dt.datetime | None,
    closed_note: str | None = None,
) -> None:
    """The sticky time header: service windows on top, hour labels and ticks below."""
    rect = QRectF(NAME_WIDTH, 0, frame.width - NAME_WIDTH, HEADER_HEIGHT)
    painter.save()
    painter.setClipRect(rect)
    painter.fillRect(rect, BACKGROUND)
    x0, x1 = frame.content_x_range()
    # Top band: the services ("Lunch 12:00–15:00"), as soft chips.
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    label_font = _font(base, 7.6, bold=True)
    painter.setFont(label_font)
    metrics = QFontMetrics(label_font)
    for start, end, text in axis.window_ranges():
        if end < x0 or start > x1:
            continue
        left, right = max(frame.vx(start), NAME_WIDTH + 2), frame.vx(end)
        chip = QRectF(left + 2, 4, right - left - 4, 16)
        if chip.width() < 20:
            continue
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eaf0fd"))
        painter.drawRoundedRect(chip, 4, 4)
        painter.setPen(QColor("#2747b3"))
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(chip.width() - 10))
        painter.drawText(
            chip.adjusted(6, 0, -4, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            shown,
        )
    if closed_note:
        painter.setPen(TEXT_MUTED)
        painter.drawText(
            QRectF(NAME_WIDTH + 8, 4, 400, 16), Qt.AlignmentFlag.AlignVCenter, closed_note
        )
    for start, end in axis.gaps():
        if end >= x0 and start <= x1:
            _paint_closed(painter, QRectF(frame.vx(start), 22, end - start, HEADER_HEIGHT - 22))
    # Bottom band: hours (bold) and half hours, with ticks; none under the "now" pill.
    pill = _now_pill(frame, axis, now, base)
    hour_font = _font(base, 8.4, bold=True)
    half_font = _font(base, 7.4)
    hour_px = 60 * axis.px_per_minute
    for tick in axis.ticks(x0 - 60, x1 + 60, 15):
        x = round(frame.vx(tick.x)) + 0.5
        minute = tick.local.minute
        height = 9 if tick.major else 5 if minute == 30 else 3
        painter.setPen(QPen(GRID_HOUR if tick.major else GRID_QUARTER.darker(115), 1))
        painter.drawLine(QPointF(x, HEADER_HEIGHT - height), QPointF(x, HEADER_HEIGHT))
        if tick.major and (hour_px >= 36 or tick.local.hour % 2 == 0):
            font, colour = hour_font, TEXT
        elif minute == 30 and hour_px >= 110 or minute in (15, 45) and hour_px >= 240:
            font, colour = half_font, TEXT_MUTED
        else:
            continue
        label = f"{tick.local:%H:%M}"
        width = QFontMetrics(font).horizontalAdvance(label) + 2
        box = QRectF(x + 3, 22, width, HEADER_HEIGHT - 24)
        if box.left() < NAME_WIDTH + 2 or pill and box.intersects(pill[0].adjusted(-3, 0, 3, 0)):
            continue
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
    painter.setPen(QPen(GRID_HOUR, 1))
    painter.drawLine(
        QPointF(rect.left(), HEADER_HEIGHT - 0.5), QPointF(rect.right(), HEADER_HEIGHT - 0.5)
    )
    if pill is not None:
        box, text, font = pill
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(NOW_COLOUR)
        painter.drawRoundedRect(box, 7, 7)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def _now_pill(
    frame: Frame, axis: TimeAxis, now: dt.datetime | None, base: QFont
) -> tuple[QRectF, str, QFont] | None:
    """Where the red "now" label sits in the header, if now is on screen."""
    if now is None or not axis.start <= now <= axis.end:
        return None
    vx = frame.vx(axis.x_of(now))
    if vx < NAME_WIDTH or vx > frame.width:
        return None
    font = _font(base, 7.8, bold=True)
    text = f"{now.astimezone(axis.zone):%H:%M}"
    width = QFontMetrics(font).horizontalAdvance(text) + 12
    return QRectF(vx - width / 2, 25, width, 16), text, font


def paint_names(painter: QPainter, frame: Frame, rows: list[Row], base: QFont) -> None:
    """The sticky left column: area headings and table names with their seats."""
    rect = QRectF(0, HEADER_HEIGHT, NAME_WIDTH, frame.height - HEADER_HEIGHT)
    painter.save()
    painter.setClipRect(rect)
    painter.fillRect(rect, BACKGROUND)
    name_font = _font(base, 9.2, bold=True)
    small_font = _font(base, 7.6)
    area_font = _font(base, 7.4, bold=True, caps=True)
    for row in rows:
        top = frame.vy(row.y)
        band = QRectF(0, top, NAME_WIDTH, row.height)
        if not row.is_table and not row.unassigned:
            painter.fillRect(band, AREA_BAND)
            painter.setFont(area_font)
            painter.setPen(TEXT_MUTED)
            painter.drawText(band.adjusted(12, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, row.title)
        else:
            if row.in_maintenance:
                painter.fillRect(band, MAINTENANCE_FILL)
            painter.setFont(name_font)
            painter.setPen(TEXT_MUTED if row.in_maintenance or row.unassigned else TEXT)
            painter.drawText(
                QRectF(14, top + 5, NAME_WIDTH - 20, row.height / 2 - 3),
                Qt.AlignmentFlag.AlignBottom,
                row.title,
            )
            painter.setFont(small_font)
            if row.in_maintenance:
                painter.setPen(MAINTENANCE_TEXT)
                detail = "Maintenance"
            elif row.table is not None:
                painter.setPen(TEXT_MUTED)
                low, high = row.table.min_guests, row.table.max_guests
                detail = f"{high} seats" if low in (1, high) else f"{low}–{high} seats"
            else:
                painter.setPen(TEXT_MUTED)
                detail = "no table yet"
            painter.drawText(
                QRectF(14, top + row.height / 2 + 1, NAME_WIDTH - 20, row.height / 2 - 4),
                Qt.AlignmentFlag.AlignTop,
                detail,
            )
        painter.setPen(QPen(ROW_LINE, 1))
        y = round(frame.vy(row.bottom)) - 0.5
        painter.drawLine(QPointF(0, y), QPointF(NAME_WIDTH, y))
    painter.setPen(QPen(GRID_HOUR, 1))
    painter.drawLine(
        QPointF(NAME_WIDTH - 0.5, HEADER_HEIGHT), QPointF(NAME_WIDTH - 0.5, frame.height)
    )
    painter.restore()


def paint_corner(painter: QPainter, title: str, subtitle: str, base: QFont) -> None:
    rect = QRectF(0, 0, NAME_WIDTH, HEADER_HEIGHT)
    painter.save()
    painter.fillRect(rect, BACKGROUND)
    painter.setFont(_font(base, 7.4, bold=True, caps=True))
    painter.setPen(TEXT_MUTED)
    painter.drawText(QRectF(14, 6, NAME_WIDTH - 18, 16), Qt.AlignmentFlag.AlignVCenter, title)
    painter.setFont(_font(base, 7.6))
    painter.drawText(QRectF(14, 22, NAME_WIDTH - 18, 16), Qt.AlignmentFlag.AlignVCenter, subtitle)
    painter.setPen(QPen(GRID_HOUR, 1))
    painter.drawLine(QPointF(0, HEADER_HEIGHT - 0.5), QPointF(NAME_WIDTH, HEADER_HEIGHT - 0.5))
    painter.drawLine(QPointF(NAME_WIDTH - 0.5, 0), QPointF(NAME_WIDTH - 0.5, HEADER_HEIGHT))
    painter.restore()
