"""The timeline's legend: what each colour, badge and shading means. Layout only."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.timeline.blocks import Fonts, badge_width, paint_badge, paint_buffer, paint_star
from ui.timeline.style import (
    ALLERGY_RED,
    CLOSED_FILL,
    CLOSED_HATCH,
    LEGEND_STATUSES,
    NOW_COLOUR,
    OCCASION_VIOLET,
    TEXT_MUTED,
    VIP_GOLD,
    status_style,
)

SWATCH = 14
SPACING = 14


class TimelineLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fonts = Fonts.from_base(self.font())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(900, 24)

    def labels(self) -> list[str]:
        """Every entry's text, in order (tests and accessibility read them)."""
        statuses = [status_style(s).label for s in LEGEND_STATUSES]
        return [*statuses, "VIP", "Allergy", "Occasion", "Buffer", "Closed", "Now"]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = self._fonts.small
        painter.setFont(font)
        metrics = QFontMetrics(font)
        cy = self.height() / 2
        x = 4.0

        def label(text: str) -> None:
            nonlocal x
            painter.setPen(TEXT_MUTED)
            painter.setFont(font)
            width = metrics.horizontalAdvance(text)
            painter.drawText(
                QRectF(x, 0, width + 2, self.height()), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += width + SPACING

        for status in LEGEND_STATUSES:
            style = status_style(status)
            swatch = QRectF(x, cy - SWATCH / 2 + 1, SWATCH + 4, SWATCH - 2)
            painter.setPen(QPen(style.accent, 1))
            painter.setBrush(style.fill)
            painter.drawRoundedRect(swatch, 3, 3)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.accent)
            painter.drawRect(QRectF(swatch.left(), swatch.top(), 3, swatch.height()))
            x += SWATCH + 9
            label(style.label)
        x += 6
        paint_star(painter, QPointF(x + 6, cy), 6, VIP_GOLD)
        x += 16
        label("VIP")
        paint_badge(painter, QRectF(x, cy - 6.5, 13, 13), "!", ALLERGY_RED, self._fonts)
        x += 17
        label("Allergy")
        width = badge_width(self._fonts, "B'day")
        paint_badge(painter, QRectF(x, cy - 6.5, width, 13), "B'day", OCCASION_VIOLET, self._fonts)
        x += width + 4
        label("Occasion")
        paint_buffer(painter, QRectF(x, cy - 6, 20, 12))
        x += 24
        label("Buffer")
        closed = QRectF(x, cy - 7, 14, 14)
        painter.fillRect(closed, CLOSED_FILL)
        painter.fillRect(closed, QBrush(CLOSED_HATCH, Qt.BrushStyle.BDiagPattern))
        x += 18
        label("Closed")
        painter.setPen(QPen(NOW_COLOUR, 2))
        painter.drawLine(QPointF(x + 4, cy - 7), QPointF(x + 4, cy + 7))
        painter.setBrush(QColor(NOW_COLOUR))
        x += 12
        label("Now")
        painter.end()
