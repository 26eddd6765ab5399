"""The inbox rows: the guest and the time, then platform / "needs a human" / staff pills, then
the last message. Layout only; the panel fills the model.

Threading contract: UI thread only.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.db.enums import ConversationStatus, Platform, SenderType
from app.sofia.inbox import PLATFORM_NAMES, InboxEntry
from ui.reservations.badges import paint_pill

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 20
AnyIndex = QModelIndex | QPersistentModelIndex
PLATFORM_COLOURS = {
    Platform.TELEGRAM: ("#dcf0fb", "#0b6aa2"),
    Platform.WHATSAPP: ("#d9f2e3", "#1b7f3b"),
    Platform.WEB: ("#eef0f5", "#4a5263"),
}
HUMAN_COLOURS = ("#b3261e", "#ffffff")
STAFF_COLOURS = ("#e1e9ff", "#2747b3")
STATUS_COLOURS = {
    ConversationStatus.ACTIVE: ("#efe6fa", "#6b3fa0"),
    ConversationStatus.PAUSED: ("#fff1cc", "#8a5a00"),
    ConversationStatus.COMPLETED: ("#e9ecf1", "#4a5263"),
    ConversationStatus.ABANDONED: ("#f4f6fa", "#8a93a6"),
}
PREVIEW_PREFIX = {SenderType.AI: "Sofia: ", SenderType.AGENT: "Staff: ", SenderType.USER: ""}


def platform_text(entry: InboxEntry) -> str:
    return "Test" if entry.is_test else PLATFORM_NAMES.get(entry.platform, entry.platform.value)


def status_text(entry: InboxEntry) -> str:
    if entry.needs_human:
        return "Needs a human"
    if entry.taken_over:
        return f"Staff: {entry.staff_name}"
    return {ConversationStatus.ACTIVE: "Sofia", ConversationStatus.COMPLETED: "Done",
            ConversationStatus.ABANDONED: "Quiet", ConversationStatus.PAUSED: "Paused",
            }.get(entry.status, entry.status.value)  # fmt: skip


def pills(entry: InboxEntry) -> list[tuple[str, tuple[str, str]]]:
    """The row's badges, in order: platform, who has it, waiting guest messages."""
    found = [(platform_text(entry), PLATFORM_COLOURS.get(entry.platform, PLATFORM_COLOURS[
        Platform.WEB]))]  # fmt: skip
    if entry.needs_human:
        found.append(("⚑ " + status_text(entry), HUMAN_COLOURS))
    elif entry.taken_over:
        found.append((status_text(entry), STAFF_COLOURS))
    else:
        found.append((status_text(entry), STATUS_COLOURS.get(entry.status, STAFF_COLOURS)))
    if entry.waiting:
        found.append((f"{entry.waiting} waiting", ("#fde4e1", "#b3261e")))
    return found


def when_text(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime) -> str:
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    if local.date() == today:
        return local.strftime("%H:%M")
    if (today - local.date()).days < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b")


class InboxModel(QStandardItemModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo("UTC")
        self.now = dt.datetime.now(dt.UTC)

    def set_entries(self, entries: list[InboxEntry], zone: ZoneInfo, now: dt.datetime) -> None:
        self.zone, self.now = zone, now
        self.clear()
        for entry in entries:
            item = QStandardItem(entry.title)
            item.setData(entry, ENTRY_ROLE)
            item.setEditable(False)
            item.setToolTip(f"{entry.title} · {platform_text(entry)} · {status_text(entry)} · "
                            f"{entry.stage.value} · {entry.message_count} messages")  # fmt: skip
            self.appendRow(item)

    def entries(self) -> list[InboxEntry]:
        return [self.item(row).data(ENTRY_ROLE) for row in range(self.rowCount())]

    def row_of(self, conversation_id: int) -> int:
        return next((r for r, e in enumerate(self.entries()) if e.id == conversation_id), -1)


class InboxDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""
        if base.widget is not None:
            base.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter,
                                            base.widget)  # fmt: skip
        if not isinstance(entry, InboxEntry):
            return
        model = index.model()
        zone = getattr(model, "zone", ZoneInfo("UTC"))
        now = getattr(model, "now", entry.last_activity)
        rect = QRectF(option.rect).adjusted(10, 5, -10, -5)
        line = rect.height() / 3
        rows = [QRectF(rect.left(), rect.top() + i * line, rect.width(), line) for i in range(3)]
        painter.save()
        if entry.needs_human:  # a red edge the eye finds in a long list
            edge = QRectF(option.rect.left(), option.rect.top() + 1, 3, option.rect.height() - 2)
            painter.fillRect(edge, QColor(HUMAN_COLOURS[0]))
        bold = QFont(option.font)
        bold.setBold(True)
        when = when_text(entry.last_activity, zone, now)
        small = QFontMetrics(option.font)
        painter.setFont(option.font)
        painter.setPen(QColor("#8a93a6"))
        painter.drawText(rows[0], Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, when)
        painter.setFont(bold)
        painter.setPen(QColor("#1f2633"))
        name_rect = rows[0].adjusted(0, 0, -small.horizontalAdvance(when) - 8, 0)
        name = QFontMetrics(bold).elidedText(entry.title, Qt.TextElideMode.ElideRight,
                                             int(name_rect.width()))  # fmt: skip
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter, name)
        left = rows[1].left()
        for text, (background, foreground) in pills(entry):
            pill_rect = QRectF(left, rows[1].top(), rows[1].right() - left, rows[1].height())
            if pill_rect.width() < 24:
                break
            left += paint_pill(painter, pill_rect, text, background, foreground,
                               point_size=8.0) + 6  # fmt: skip
        painter.setFont(option.font)
        painter.setPen(QColor("#5b6478"))
        prefix = PREVIEW_PREFIX.get(entry.preview_sender, "") if entry.preview_sender else ""
        preview = small.elidedText(prefix + (entry.preview or "No messages yet"),
                                   Qt.TextElideMode.ElideRight, int(rows[2].width()))  # fmt: skip
        painter.drawText(rows[2], Qt.AlignmentFlag.AlignVCenter, preview)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        return QSize(260, 3 * QFontMetrics(option.font).height() + 22)
