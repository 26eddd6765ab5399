"""Painting one reservation block: status colours, guest, party, time and small painted badges.

Layout only. Every badge is drawn with QPainter (a star polygon, pills with a letter or a short
word), never an emoji, so it looks the same on every platform and font.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QPolygonF

from app.db.enums import ReservationStatus
from app.services.reservation_views import ReservationView
from ui.timeline.style import (
    ALLERGY_RED,
    BUFFER_HATCH,
    FADED_STATUSES,
    OCCASION_TEXT,
    OCCASION_VIOLET,
    VIP_GOLD,
    status_style,
)

RADIUS = 5.0
STRIPE = 4.0


@dataclass(frozen=True)
class Fonts:
    name: QFont
    small: QFont
    badge: QFont

    @classmethod
    def from_base(cls, base: QFont) -> Fonts:
        name = QFont(base)
        name.setPointSizeF(8.8)
        name.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(7.8)
        badge = QFont(base)
        badge.setPointSizeF(6.8)
        badge.setWeight(QFont.Weight.Bold)
        return cls(name, small, badge)


@dataclass(frozen=True)
class BlockLook:
    faded: bool = False  # cancelled / no-show: washed out
    ghost: bool = False  # being dragged: lifted with a shadow
    saving: bool = False  # dropped, waiting for the database
    selected: bool = False
    refused: bool = False  # just snapped back: outlined red for a moment


def paint_buffer(painter: QPainter, rect: QRectF) -> None:
    """The reset time after a party leaves: a light hatch the next booking must not cover."""
    if rect.width() < 1:
        return
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(BUFFER_HATCH.red(), BUFFER_HATCH.green(), BUFFER_HATCH.blue(), 60))
    painter.drawRoundedRect(rect, 3, 3)
    painter.setBrush(QBrush(BUFFER_HATCH, Qt.BrushStyle.BDiagPattern))
    painter.drawRoundedRect(rect, 3, 3)
    painter.restore()


def paint_block(
    painter: QPainter,
    rect: QRectF,
    reservation: ReservationView,
    zone: ZoneInfo,
    fonts: Fonts,
    look: BlockLook = BlockLook(),
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    text_left: float | None = None,
) -> None:
    """Draw a block in ``rect`` (viewport coordinates); start/end override the times shown.
    ``text_left`` keeps the text of a block scrolled partly off the left edge readable."""
    style = status_style(reservation.status)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if look.faded:
        painter.setOpacity(0.55)
    elif look.saving:
        painter.setOpacity(0.75)
    if look.ghost:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 30, 60, 45))
        painter.drawRoundedRect(rect.translated(2, 3), RADIUS, RADIUS)
    border = QColor(style.accent)
    border.setAlpha(255 if look.selected or look.ghost else 110)
    pen = QPen(border, 2 if look.selected or look.ghost else 1)
    if look.saving:
        pen.setStyle(Qt.PenStyle.DashLine)
    if look.refused:
        pen = QPen(QColor("#b3261e"), 2)
    painter.setPen(pen)
    painter.setBrush(style.fill)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
    if look.faded:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(
            QBrush(
                QColor(style.accent.red(), style.accent.green(), style.accent.blue(), 70),
                Qt.BrushStyle.FDiagPattern,
            )
        )
        painter.drawRoundedRect(rect, RADIUS, RADIUS)
    # The status stripe on the left edge.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.accent)
    stripe = QRectF(rect.left(), rect.top(), min(STRIPE + RADIUS, rect.width()), rect.height())
    painter.save()
    clip = QRectF(rect.left(), rect.top(), min(STRIPE, rect.width()), rect.height())
    painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
    painter.drawRoundedRect(stripe, RADIUS, RADIUS)
    painter.restore()
    content = rect.adjusted(STRIPE + 5, 3, -5, -3)
    if text_left is not None and content.left() < text_left + 5:
        content.setLeft(min(text_left + 5, content.right()))
    if content.width() > 6:
        _paint_content(
            painter,
            content,
            reservation,
            zone,
            fonts,
            start or reservation.starts_at,
            end or reservation.ends_at,
        )
    painter.restore()


def _paint_content(
    painter: QPainter,
    rect: QRectF,
    r: ReservationView,
    zone: ZoneInfo,
    fonts: Fonts,
    start: dt.datetime,
    end: dt.datetime,
) -> None:
    style = status_style(r.status)
    painter.save()
    painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    line_h = rect.height() / 2
    top = QRectF(rect.left(), rect.top(), rect.width(), line_h)
    bottom = QRectF(rect.left(), rect.top() + line_h, rect.width(), line_h)
    # Line 1: the VIP star and the guest's name, as wide as the block allows.
    x = top.left()
    if r.vip_status is not None and top.width() > 30:
        paint_star(painter, QPointF(x + 5, top.center().y()), 5.2, VIP_GOLD)
        x += 13
    name_font = QFont(fonts.name)
    if r.status in FADED_STATUSES:
        name_font.setStrikeOut(True)
    painter.setFont(name_font)
    painter.setPen(style.text)
    metrics = QFontMetrics(name_font)
    width = int(max(0, top.right() - x))
    name = metrics.elidedText(r.guest_name, Qt.TextElideMode.ElideRight, width)
    left_top = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    painter.drawText(QRectF(x, top.top(), top.right() - x, line_h), left_top, name)
    # Line 2: badges from the right (the allergy first: it matters most), then the party size
    # and the time from the left, as far as there is room.
    bx = bottom.right()
    for text, colour in _badges(r):
        width_b = badge_width(fonts, text)
        if bx - width_b < bottom.left():
            break
        bx -= width_b
        paint_badge(
            painter, QRectF(bx, bottom.center().y() - 6.5, width_b, 13), text, colour, fonts
        )
        bx -= 3
    party_w = _party_width(fonts, r.party_size)
    x = bottom.left()
    if bx - x >= party_w:
        _paint_party(
            painter, QRectF(x, bottom.top(), party_w, line_h), r.party_size, style.text, fonts
        )
        x += party_w + 5
    muted = QColor(style.text)
    muted.setAlpha(175)
    painter.setFont(fonts.small)
    painter.setPen(muted)
    when = f"{start.astimezone(zone):%H:%M}–{end.astimezone(zone):%H:%M}"
    if r.status in FADED_STATUSES:
        when = f"{status_style(r.status).label} · {when}"
    small = QFontMetrics(fonts.small)
    text = small.elidedText(when, Qt.TextElideMode.ElideRight, int(max(0, bx - x - 2)))
    painter.drawText(QRectF(x, bottom.top(), max(0.0, bx - x), line_h), left_top, text)
    painter.restore()


def _badges(r: ReservationView) -> list[tuple[str, QColor]]:
    badges: list[tuple[str, QColor]] = []
    if r.allergies:
        badges.append(("!", ALLERGY_RED))
    occasion = OCCASION_TEXT.get(r.occasion or "")
    if occasion:
        badges.append((occasion, OCCASION_VIOLET))
    return badges


def badge_width(fonts: Fonts, text: str) -> float:
    return max(13.0, QFontMetrics(fonts.badge).horizontalAdvance(text) + 8.0)


def paint_badge(painter: QPainter, rect: QRectF, text: str, colour: QColor, fonts: Fonts) -> None:
    """A small filled pill with white text (a circle for a single character)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(fonts.badge)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def paint_star(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
    """A five-pointed star (the VIP mark)."""
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.45
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle)))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(colour.darker(120), 0.8))
    painter.setBrush(colour)
    painter.drawPolygon(QPolygonF(points))
    painter.restore()


def _party_width(fonts: Fonts, size: int) -> float:
    return QFontMetrics(fonts.small).horizontalAdvance(str(size)) + 14.0


def _paint_party(painter: QPainter, rect: QRectF, size: int, colour: QColor, fonts: Fonts) -> None:
    """A small painted person glyph and the party size."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    cy = rect.center().y()
    glyph = QColor(colour)
    glyph.setAlpha(170)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(glyph)
    painter.drawEllipse(QPointF(rect.left() + 4.5, cy - 2.6), 2.3, 2.3)
    painter.drawPie(QRectF(rect.left() + 0.5, cy + 0.6, 8, 8), 0, 180 * 16)
    painter.setPen(colour)
    number = QFont(fonts.small)
    number.setWeight(QFont.Weight.DemiBold)
    painter.setFont(number)
    painter.drawText(
        rect.adjusted(11, 0, 0, 0),
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
        str(size),
    )
    painter.restore()


def tooltip_html(r: ReservationView, zone: ZoneInfo) -> str:
    """The hover card: everything a host checks before walking a party to a table."""
    style = status_style(r.status)
    lines = [
        f"<b>{_esc(r.guest_name)}</b> · {r.party_size} "
        f"{'guest' if r.party_size == 1 else 'guests'}",
        f"{r.starts_at.astimezone(zone):%H:%M}–{r.ends_at.astimezone(zone):%H:%M}"
        f" · {', '.join(r.tables) or 'no table'}",
        f"<span style='color:{style.accent.name()}'>{style.label}</span> · {r.confirmation_code}",
    ]
    if r.vip_status is not None:
        lines.append(f"VIP: {r.vip_status.value.capitalize()}")
    if r.allergies:
        lines.append(
            f"<span style='color:#b3261e'><b>Allergies:</b> {_esc(', '.join(r.allergies))}</span>"
        )
    if r.occasion:
        lines.append(f"Occasion: {r.occasion.capitalize()}")
    if r.special_requests:
        lines.append(f"Requests: {_esc(r.special_requests)}")
    if r.status not in FADED_STATUSES and r.status is not ReservationStatus.COMPLETED:
        lines.append(
            "<i style='color:#6b7385'>Drag to move · drag the right edge to resize · "
            "double-click to open</i>"
        )
    return "<br>".join(lines)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
