"""Paints the day list's richer cells: the guest with VIP star and red allergy badge, the status
as a coloured chip. Everything else is drawn by Qt."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from app.services.reservation_views import ReservationView
from ui.reservations.badges import (
    ALLERGY_BG,
    ALLERGY_FG,
    STATUS_COLOURS,
    VIP_COLOUR,
    allergy_text,
    paint_pill,
    pill_width,
    status_label,
)
from ui.reservations.day_list_model import GUEST, STATUS, ReservationTableModel
from ui.reservations.rows_model import VIEW_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex
PAD = 6
MIN_PILL = 30.0
FEW_TEXTS = 16  # a column with no more distinct texts than this asks the delegate for each
WIDEST = 3  # otherwise only the widest few (by the view's font) are measured by the delegate


class DayListDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        view = index.data(VIEW_ROLE)
        if index.column() not in (GUEST, STATUS) or not isinstance(view, ReservationView):
            super().paint(painter, option, index)
            return
        # Let the style draw selection and hover backgrounds, then draw the content ourselves.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = background.widget.style() if background.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter,
                              background.widget)  # fmt: skip
        rect = QRectF(option.rect).adjusted(PAD, 0, -PAD, 0)
        if index.column() == STATUS:
            colours = STATUS_COLOURS[view.status]
            paint_pill(painter, rect, status_label(view.status), *colours)
            return
        self._paint_guest(painter, option, rect, view, index)

    def _paint_guest(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        rect: QRectF,
        view: ReservationView,
        index: AnyIndex,
    ) -> None:
        painter.save()
        metrics = QFontMetrics(option.font)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        painter.setPen(
            foreground if isinstance(foreground, QColor) else option.palette.text().color()
        )
        painter.setFont(option.font)
        # The name comes first; the allergy pill takes what is left (at least its ⚠ sign).
        reserve = MIN_PILL if view.allergies else 0.0
        star = "★ " if view.vip_status else ""
        star_width = metrics.horizontalAdvance(star) if star else 0
        if star:
            painter.setPen(QColor(VIP_COLOUR))
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, star)
            painter.setPen(
                foreground if isinstance(foreground, QColor) else option.palette.text().color()
            )
        name_room = max(0.0, rect.width() - reserve - star_width - (PAD if reserve else 0))
        name = metrics.elidedText(view.guest_name, Qt.TextElideMode.ElideRight, int(name_room))
        name_rect = QRectF(rect.left() + star_width, rect.top(), name_room, rect.height())
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name
        )
        if view.allergies:
            left = name_rect.left() + metrics.horizontalAdvance(name) + PAD
            badge = QRectF(left, rect.top(), rect.right() - left, rect.height())
            paint_pill(painter, badge, f"⚠ {allergy_text(view.allergies)}", ALLERGY_BG, ALLERGY_FG,
                       point_size=8.0)  # fmt: skip
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        view = index.data(VIEW_ROLE)
        if index.column() == GUEST and isinstance(view, ReservationView) and view.allergies:
            extra = QFontMetrics(option.font).horizontalAdvance(allergy_text(view.allergies))
            hint.setWidth(hint.width() + min(extra + 40, 140))
        if index.column() == STATUS and isinstance(view, ReservationView):
            hint.setWidth(pill_width(option.font, status_label(view.status)) + 2 * PAD)
        return QSize(hint.width(), max(hint.height(), 30))


def fit_columns(view: QTableView, columns: tuple[int, ...]) -> None:
    """Size ``columns`` to their widest cell and header, like ResizeToContents over every row,
    but asking the delegate for a handful of size hints instead of one per row and column.

    Threading contract: UI thread only (it measures with the view's fonts and style).
    """
    model = view.model()
    if not isinstance(model, ReservationTableModel):
        return
    header = view.horizontalHeader()
    metrics = QFontMetrics(view.font())
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    grid = 1 if view.showGrid() else 0
    for column in columns:
        texts = model.column_texts(column)
        if len(texts) > FEW_TEXTS:
            ranked = sorted(texts, key=metrics.horizontalAdvance, reverse=True)[:WIDEST]
            texts = {text: texts[text] for text in ranked}
        width = header.sectionSizeHint(column)
        for row in texts.values():
            index = model.index(row, column)
            hint = view.itemDelegateForIndex(index).sizeHint(option, index)
            width = max(width, hint.width() + grid)
        header.resizeSection(column, width)
