"""A table model over a list of reservations: the part the day list and a guest's history share.

Subclasses name their ``columns``, say what a cell reads (``_display``) and may answer other
roles (``_role_data``); the whole view is under ``VIEW_ROLE`` for delegates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.reservation_views import ReservationView

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class ReservationRowsModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReservationView] = []

    def set_rows(self, rows: Sequence[ReservationView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def reservation_at(self, row: int) -> ReservationView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        view = self.reservation_at(index.row()) if index.isValid() else None
        if view is None:
            return None
        if role == VIEW_ROLE:
            return view
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(view, index.column())
        return self._role_data(view, index.column(), role)

    def _display(self, view: ReservationView, column: int) -> str:
        raise NotImplementedError

    def _role_data(self, view: ReservationView, column: int, role: int) -> Any:
        return None
