"""The day's reservations as a Qt table model; rows drag out as reservation MIME data."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.db.enums import ReservationStatus
from app.services.reservation_views import ReservationView
from ui.reservations.badges import allergy_text, source_label, status_label, vip_text
from ui.reservations.rows_model import AnyIndex, ReservationRowsModel

# What the floor plan (and any other drop target) accepts: the text is the confirmation code.
RESERVATION_MIME = "application/x-tobeout-reservation"
COLUMNS = ("Time", "Table", "Guest", "Party", "Status", "Source", "Notes")
TIME, TABLE, GUEST, PARTY, STATUS, SOURCE, NOTES = range(len(COLUMNS))
_FADED = frozenset({ReservationStatus.CANCELLED, ReservationStatus.NO_SHOW,
                    ReservationStatus.RESCHEDULED, ReservationStatus.COMPLETED})  # fmt: skip
# What a column's text is made of (the same value always reads the same).
_RAW = {TIME: attrgetter("time"), TABLE: attrgetter("tables"), PARTY: attrgetter("party_size"),
        STATUS: attrgetter("status"), SOURCE: attrgetter("source")}  # fmt: skip


def reservation_mime(code: str) -> QMimeData:
    data = QMimeData()
    data.setData(RESERVATION_MIME, code.encode("utf-8"))
    data.setText(code)
    return data


def notes_of(view: ReservationView) -> str:
    parts = []
    if view.occasion:
        parts.append(view.occasion.capitalize())
    if view.special_requests:
        parts.append(view.special_requests)
    if view.deposit_required:
        parts.append("Deposit" + (f" {view.deposit_amount:,.0f}" if view.deposit_amount else ""))
    return " · ".join(parts)


class ReservationTableModel(ReservationRowsModel):
    columns = COLUMNS

    # -- contents ---------------------------------------------------------------------------

    def row_of(self, code: str) -> int:
        for row, view in enumerate(self._rows):
            if view.confirmation_code == code:
                return row
        return -1

    def column_texts(self, column: int) -> dict[str, int]:
        """Each distinct text shown in ``column``, with the first row showing it."""
        raw = _RAW.get(column)
        firsts: dict[object, int] = {}
        if raw is None:
            firsts = {row: row for row in range(len(self._rows))}
        else:  # distinct values first: a big night has few times, sizes and statuses
            for row, view in enumerate(self._rows):
                firsts.setdefault(raw(view), row)
        texts: dict[str, int] = {}
        for row in firsts.values():
            texts.setdefault(self._display(self._rows[row], column), row)
        return texts

    def codes(self) -> list[str]:
        return [view.confirmation_code for view in self._rows]

    # -- Qt model API -----------------------------------------------------------------------

    def _role_data(self, view: ReservationView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(view, column)
        if role == Qt.ItemDataRole.ForegroundRole and view.status in _FADED:
            return QColor("#8a93a6")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TIME, PARTY):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, view: ReservationView, column: int) -> str:
        if column == TIME:
            return f"{view.time:%H:%M}"
        if column == TABLE:
            return "+".join(view.tables) or "—"
        if column == GUEST:
            return view.guest_name
        if column == PARTY:
            return str(view.party_size)
        if column == STATUS:
            return status_label(view.status)
        if column == SOURCE:
            return source_label(view.source)
        return notes_of(view)

    def _tooltip(self, view: ReservationView, column: int) -> str | None:
        if column == GUEST:
            lines = [view.guest_name, view.guest_phone]
            if view.vip_status:
                lines.append(f"VIP {vip_text(view.vip_status)}")
            if view.allergies:
                lines.append(f"Allergies: {allergy_text(view.allergies)}")
            return "\n".join(lines)
        if column == NOTES:
            return notes_of(view) or None
        lines = [
            f"{view.confirmation_code} · {view.party_size} guests · {status_label(view.status)}",
            f"Source: {source_label(view.source)}",
        ]
        notes = notes_of(view)
        if notes:
            lines.append(notes)
        return "\n".join(lines)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [RESERVATION_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        view = self.reservation_at(rows[0]) if rows else None
        return reservation_mime(view.confirmation_code if view else "")
