"""The side card for the table a host clicked: its state, current and upcoming reservations,
and the actions that fit (seat a walk-in, mark cleaned, seat a due booking). Layout only: the
card reports requests by signal and the panel runs them through the services."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.table_states import LiveState
from app.services.reservation_views import ReservationView
from ui.floor_plan.model import FloorSnapshot, is_due
from ui.floor_plan.style import state_style
from ui.floor_plan.table_item import elapsed_text

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
WALK_IN_STATES = frozenset({LiveState.FREE, LiveState.RESERVED_SOON})


class TablePopup(QFrame):
    walk_in_requested = Signal(int, int)  # table id, party size
    clean_requested = Signal(int)  # table id
    seat_requested = Signal(str)  # confirmation code
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("floorTableCard")
        self.setFixedWidth(290)
        self.table_id: int | None = None
        self.title = QLabel()
        self.title.setObjectName("floorCardTitle")
        self.title.setWordWrap(True)
        close = QToolButton(self)
        close.setText("×")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.dismiss)
        self.state_label = QLabel()
        self.state_label.setObjectName("floorCardState")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setObjectName("floorCardDetail")
        self.bookings = QListWidget(self)
        self.bookings.setObjectName("floorCardBookings")
        self.bookings.setWordWrap(True)
        self.bookings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bookings.currentItemChanged.connect(lambda *_: self._update_seat())
        self.empty = QLabel("No current or upcoming reservations.")
        self.empty.setObjectName("floorCardDetail")

        self.party = QSpinBox(self)
        self.party.setRange(1, 100)
        self.party.setValue(2)
        self.party.setSuffix(" guests")
        self.walk_in = QPushButton("Seat walk-in", self)
        self.walk_in.clicked.connect(self._walk_in)
        self.clean = QPushButton("Mark cleaned", self)
        self.clean.clicked.connect(
            lambda: self.table_id and self.clean_requested.emit(self.table_id)
        )
        self.seat = QPushButton("Seat selected booking", self)
        self.seat.clicked.connect(self._seat)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        walk = QHBoxLayout()
        walk.addWidget(self.party)
        walk.addWidget(self.walk_in, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addLayout(head)
        layout.addWidget(self.state_label)
        layout.addWidget(self.detail)
        layout.addWidget(QLabel("<b>Reservations</b>"))
        layout.addWidget(self.empty)
        layout.addWidget(self.bookings, 1)
        layout.addWidget(self.seat)
        layout.addLayout(walk)
        layout.addWidget(self.clean)
        self._snapshot: FloorSnapshot | None = None
        self.hide()

    def show_table(self, snapshot: FloorSnapshot, table_id: int, *, can_book: bool) -> bool:
        """Fill the card for a table; False when the table is gone from the snapshot."""
        live = snapshot.table(table_id)
        if live is None:
            self.dismiss()
            return False
        self._snapshot = snapshot
        self.can_book = can_book
        if self.table_id != table_id:
            self.party.setValue(max(live.table.min_guests, min(2, live.table.max_guests)))
        self.table_id = table_id
        t, state = live.table, live.live
        self.title.setText(f"<b>{t.name}</b> · {t.min_guests}–{t.max_guests} guests · {t.area}")
        style = state_style(state.state)
        self.state_label.setText(style.label)
        self.state_label.setStyleSheet(
            f"background: {style.fill.name()}; color: {style.text.name()};"
            f"border: 1px solid {style.border.name()}; border-radius: 6px; padding: 3px 8px;"
            "font-weight: bold;"
        )
        details = []
        if state.current is not None and state.minutes_seated is not None:
            c = state.current
            late = " (over time)" if state.overdue else ""
            details.append(f"{c.guest_name}, {c.party_size} guests — seated "
                           f"{elapsed_text(state.minutes_seated)}{late}")  # fmt: skip
        if state.next is not None:
            when = state.next.starts_at.astimezone(snapshot.zone)
            details.append(f"Next: {when:%a %H:%M} — {state.next.guest_name}, "
                           f"{state.next.party_size} guests")  # fmt: skip
        if t.features:
            details.append("Features: " + ", ".join(t.features))
        if t.notes:
            details.append(t.notes)
        self.detail.setText("\n".join(details))
        self.detail.setVisible(bool(details))
        self.bookings.clear()
        for r in snapshot.on_table(table_id):
            item = QListWidgetItem(self._line(r, snapshot))
            item.setData(CODE_ROLE, r.confirmation_code)
            item.setToolTip(
                ", ".join(r.tables) + (f"\n{r.special_requests}" if r.special_requests else "")
            )
            self.bookings.addItem(item)
        self.empty.setVisible(self.bookings.count() == 0)
        self.walk_in.setVisible(state.state in WALK_IN_STATES)
        self.party.setVisible(state.state in WALK_IN_STATES)
        self.walk_in.setEnabled(can_book)
        self.party.setMaximum(max(1, t.max_guests))
        self.clean.setVisible(state.state == LiveState.NEEDS_CLEANING)
        self._update_seat()
        self.show()
        return True

    @staticmethod
    def _line(r: ReservationView, snapshot: FloorSnapshot) -> str:
        start = r.starts_at.astimezone(snapshot.zone)
        end = r.ends_at.astimezone(snapshot.zone)
        flags = []
        if r.vip_status is not None:
            flags.append("★ VIP")
        if r.allergies:
            flags.append("! " + ", ".join(r.allergies))
        status = r.status.value.replace("_", "-")
        text = f"{start:%H:%M}–{end:%H:%M} · {status}\n{r.guest_name} · {r.party_size} guests"
        return text + ("\n" + "  ".join(flags) if flags else "")

    def _selected_code(self) -> str | None:
        item = self.bookings.currentItem()
        return None if item is None else str(item.data(CODE_ROLE))

    def _update_seat(self) -> None:
        code = self._selected_code()
        snapshot = self._snapshot
        r = snapshot.reservation(code) if snapshot is not None and code else None
        self.seat.setVisible(r is not None and is_due(r, snapshot.now) and self.can_book)  # type: ignore[union-attr]

    def _walk_in(self) -> None:
        if self.table_id is not None:
            self.walk_in_requested.emit(self.table_id, self.party.value())

    def _seat(self) -> None:
        code = self._selected_code()
        if code:
            self.seat_requested.emit(code)

    def dismiss(self) -> None:
        self.table_id = None
        self.hide()
        self.closed.emit()
