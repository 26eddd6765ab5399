"""Covers by weekday and hour as a painted 7×24 heat map (QtCharts has none).

``paint_heatmap`` draws into any painter and rectangle, so the PDF report uses the same picture.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.analytics.results import WEEKDAY_LABELS, CoversHeatmap

LOW = QColor("#eef2fb")
HIGH = QColor("#3056d3")
EMPTY = QColor("#f8f9fc")
LABEL_W = 38.0  # the weekday names' column
LABEL_H = 16.0  # the hours' row


def cell_colour(value: int, peak: int) -> QColor:
    """From pale (a few covers) to the accent (the busiest hour); zero stays background."""
    if value <= 0 or peak <= 0:
        return EMPTY
    t = 0.15 + 0.85 * value / peak
    return QColor.fromRgbF(
        LOW.redF() + (HIGH.redF() - LOW.redF()) * t,
        LOW.greenF() + (HIGH.greenF() - LOW.greenF()) * t,
        LOW.blueF() + (HIGH.blueF() - LOW.blueF()) * t,
    )


def _grid(rect: QRectF, unit: float = 1.0) -> tuple[float, float]:
    return (rect.width() - LABEL_W * unit) / 24, (rect.height() - LABEL_H * unit) / 7


def paint_heatmap(
    painter: QPainter, rect: QRectF, heatmap: CoversHeatmap | None, unit: float = 1.0
) -> None:
    """``unit``: device pixels per screen pixel (the PDF's 150 dpi against the screen's 96);
    fonts are in points and need no scaling."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    font = QFont(painter.font())
    font.setPointSizeF(7.5)
    font.setBold(False)
    painter.setFont(font)
    if heatmap is None or heatmap.total == 0:
        painter.setPen(QColor("#8a93a6"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No covers in this period.")
        painter.restore()
        return
    cell_w, cell_h = _grid(rect, unit)
    label_w, label_h = LABEL_W * unit, LABEL_H * unit
    peak = heatmap.peak
    left, top = rect.left() + label_w, rect.top() + label_h
    painter.setPen(QColor("#5b6478"))
    for hour in range(0, 24, 2):  # every other hour: 24 labels do not fit a narrow map
        cell = QRectF(left + hour * cell_w, rect.top(), cell_w * 2, label_h)
        painter.drawText(cell, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"{hour:02d}")  # fmt: skip
    for day, name in enumerate(WEEKDAY_LABELS):
        label = QRectF(rect.left(), top + day * cell_h, label_w - 4 * unit, cell_h)
        painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
    metrics = QFontMetricsF(font, painter.device())
    show_numbers = cell_h >= metrics.height()
    gap = 0.5 * unit
    for day, row in enumerate(heatmap.covers):
        for hour, value in enumerate(row):
            cell = QRectF(left + hour * cell_w, top + day * cell_h, cell_w, cell_h)
            painter.fillRect(cell.adjusted(gap, gap, -gap, -gap), cell_colour(value, peak))
            text = str(value)
            # A number only where it fits: a narrow map is read by colour and tooltip.
            if show_numbers and value and metrics.horizontalAdvance(text) + 2 * unit <= cell_w:
                dark = value / peak > 0.55
                painter.setPen(QColor("#ffffff" if dark else "#1f2633"))
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
    painter.setPen(QPen(QColor("#dde2ec")))
    painter.setBrush(Qt.BrushStyle.NoBrush)  # a frame only: the PDF's painter may hold a brush
    painter.drawRect(QRectF(left, top, cell_w * 24, cell_h * 7))
    painter.restore()


class CoversHeatmapView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heatmap: CoversHeatmap | None = None
        self.setMinimumSize(360, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, 220)

    def set_heatmap(self, heatmap: CoversHeatmap | None) -> None:
        self.heatmap = heatmap
        self.update()

    def cell_value(self, weekday: int, hour: int) -> int:
        if self.heatmap is None:
            return 0
        return self.heatmap.covers[weekday][hour]

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        """(weekday, hour) under a point of the widget, or None off the grid."""
        cell_w, cell_h = _grid(QRectF(self.rect()))
        x, y = point.x() - LABEL_W, point.y() - LABEL_H
        if x < 0 or y < 0 or cell_w <= 0 or cell_h <= 0:
            return None
        hour, day = int(x // cell_w), int(y // cell_h)
        if hour >= 24 or day >= 7:
            return None
        return day, hour

    def tooltip_at(self, point: QPoint) -> str:
        cell = self.cell_at(point)
        if cell is None or self.heatmap is None:
            return ""
        day, hour = cell
        covers = self.cell_value(day, hour)
        return f"{WEEKDAY_LABELS[day]} {hour:02d}:00–{hour:02d}:59: {covers} covers"

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        paint_heatmap(painter, QRectF(self.rect()), self.heatmap)
        painter.end()
