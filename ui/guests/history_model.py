"""A guest's reservation history as a table model, with the status drawn as a coloured chip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.db.enums import ReservationStatus
from app.services.reservation_views import ReservationView
from ui.reservations.badges import (
    STATUS_COLOURS,
    paint_pill,
    pill_width,
    source_label,
    status_label,
)
from ui.reservations.rows_model import VIEW_ROLE, AnyIndex, ReservationRowsModel

COLUMNS = ("When", "Party", "Table", "Status", "Bill", "Source", "Code")
WHEN, PARTY, TABLE, STATUS, BILL, SOURCE, CODE = range(len(COLUMNS))


def money_text(amount: object) -> str:
    if amount is None:
        return ""
    return f"{amount:,.0f}".replace(",", " ")


class HistoryModel(ReservationRowsModel):
    columns = COLUMNS

    def _role_data(self, view: ReservationView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and view.special_requests:
            return view.special_requests
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PARTY, BILL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and view.status in (
            ReservationStatus.CANCELLED, ReservationStatus.NO_SHOW, ReservationStatus.RESCHEDULED
        ):  # fmt: skip
            return QColor("#8a93a6")
        return None

    def _display(self, view: ReservationView, column: int) -> str:
        values = {
            WHEN: f"{view.date:%d %b %Y}, {view.time:%H:%M}",
            PARTY: str(view.party_size),
            TABLE: "+".join(view.tables) or "—",
            STATUS: status_label(view.status),
            BILL: money_text(view.total_amount),
            SOURCE: source_label(view.source),
            CODE: view.confirmation_code,
        }
        return values[column]


class StatusChipDelegate(QStyledItemDelegate):
    """Draws the status column as the same coloured chip the day list uses."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        view = index.data(VIEW_ROLE)
        if index.column() != STATUS or not isinstance(view, ReservationView):
            super().paint(painter, option, index)
            return
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""
        if base.widget is not None:
            base.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter,
                                            base.widget)  # fmt: skip
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)
        paint_pill(painter, rect, status_label(view.status), *STATUS_COLOURS[view.status])

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        view = index.data(VIEW_ROLE)
        if index.column() == STATUS and isinstance(view, ReservationView):
            hint.setWidth(pill_width(option.font, status_label(view.status)) + 12)
        return hint
