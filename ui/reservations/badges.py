"""Small visual vocabulary shared by the reservation and guest screens: status chips, the VIP
star, red allergy badges, and the colours behind them. Layout only; no behaviour."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.db.enums import ReservationStatus, VipTier

S = ReservationStatus

# (background, text) per status: calm for waiting, green for in the room, red for lost.
STATUS_COLOURS: dict[ReservationStatus, tuple[str, str]] = {
    S.INQUIRY: ("#eef0f5", "#4a5263"),
    S.PENDING: ("#fff1cc", "#8a5a00"),
    S.CONFIRMED: ("#e1e9ff", "#2747b3"),
    S.REMINDED: ("#dcf0fb", "#0b6aa2"),
    S.SEATED: ("#d9f2e3", "#1b7f3b"),
    S.DINING: ("#d4efec", "#0f766e"),
    S.COMPLETED: ("#e9ecf1", "#4a5263"),
    S.CANCELLED: ("#fde4e1", "#b3261e"),
    S.NO_SHOW: ("#fbe2d3", "#a3410f"),
    S.RESCHEDULED: ("#efe6fa", "#6b3fa0"),
}
VIP_COLOUR = "#d49b00"
ALLERGY_BG, ALLERGY_FG = "#fde4e1", "#b3261e"
VIP_LABELS = {
    VipTier.BRONZE: "Bronze",
    VipTier.SILVER: "Silver",
    VipTier.GOLD: "Gold",
    VipTier.PLATINUM: "Platinum",
}
SOURCE_LABELS = {
    "web": "Web",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "phone": "Phone",
    "walk_in": "Walk-in",
    "ai_assistant": "Sofia (AI)",
}

_BADGE_STYLES = {
    "allergy": f"background:{ALLERGY_BG}; color:{ALLERGY_FG}; border:1px solid #f2b8b2;",
    "vip": "background:#fff3cf; color:#8a5a00; border:1px solid #f0d68a;",
    "blocked": "background:#b3261e; color:#ffffff; border:1px solid #8f1d17;",
    "neutral": "background:#eef0f5; color:#4a5263; border:1px solid #dde2ec;",
    "success": "background:#d9f2e3; color:#1b7f3b; border:1px solid #a9dcbc;",
    "info": "background:#e1e9ff; color:#2747b3; border:1px solid #b9c9f5;",
}


def status_label(status: ReservationStatus | str) -> str:
    value = status.value if isinstance(status, ReservationStatus) else str(status)
    return "No-show" if value == "no_show" else value.replace("_", " ").capitalize()


def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source.replace("_", " ").capitalize())


def vip_text(tier: VipTier | None) -> str:
    return f"★ {VIP_LABELS[tier]}" if tier is not None else ""


def allergy_text(allergies: Iterable[str]) -> str:
    return ", ".join(a.strip() for a in allergies if a and a.strip())


class Badge(QLabel):
    """A rounded pill: ``kind`` is allergy, vip, blocked, neutral, success or info."""

    def __init__(self, text: str, kind: str = "neutral", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.kind = kind
        self.setObjectName(f"{kind}Badge")
        self.setStyleSheet(
            f"QLabel {{ {_BADGE_STYLES[kind]} border-radius: 10px; padding: 2px 9px;"
            " font-weight: bold; font-size: 9pt; }"
        )
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)


class BadgeRow(QWidget):
    """A row of badges that can be replaced as a whole (allergies, tiers, flags)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.badges: list[Badge] = []

    def set_badges(self, items: Iterable[tuple[str, str]]) -> None:
        for badge in self.badges:
            self._layout.removeWidget(badge)
            badge.deleteLater()
        self.badges = []
        for text, kind in items:
            badge = Badge(text, kind, self)
            self._layout.insertWidget(len(self.badges), badge)
            self.badges.append(badge)
        self.setVisible(bool(self.badges))

    def texts(self) -> list[str]:
        return [badge.text() for badge in self.badges]


def allergy_badges(allergies: Iterable[str]) -> list[tuple[str, str]]:
    return [(f"⚠ {a.strip().capitalize()}", "allergy") for a in allergies if a and a.strip()]


def pill_font(base: QFont, point_size: float = 8.5, bold: bool = True) -> QFont:
    font = QFont(base)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def pill_width(base: QFont, text: str, point_size: float = 8.5) -> int:
    """The width ``paint_pill`` needs for ``text`` (for size hints of chip columns)."""
    return QFontMetrics(pill_font(base, point_size)).horizontalAdvance(text) + 16


def paint_pill(
    painter: QPainter,
    rect: QRectF,
    text: str,
    background: str,
    foreground: str,
    *,
    bold: bool = True,
    point_size: float = 8.5,
) -> float:
    """Draw a rounded pill with ``text`` starting at rect's left, vertically centred.

    Returns the pill's width so callers can draw what follows it.
    """
    font = pill_font(painter.font(), point_size, bold)
    metrics = QFontMetrics(font)
    width = min(rect.width(), metrics.horizontalAdvance(text) + 16)
    height = min(rect.height() - 4, metrics.height() + 6)
    pill = QRectF(rect.left(), rect.center().y() - height / 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(background))
    painter.drawRoundedRect(pill, height / 2, height / 2)
    painter.setPen(QColor(foreground))
    painter.setFont(font)
    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width - 12))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, elided)
    painter.restore()
    return width
