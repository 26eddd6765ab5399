"""Service-mode actions on the floor: seat a walk-in, mark a table cleaned, seat a due booking,
and a reservation dropped on a table (move it there, and seat it when it is due now).

Threading contract: the controller lives on the UI thread and runs every service call through
``context.tasks``; the ``place_reservation`` helper runs on a worker thread.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.db.enums import ReservationStatus
from app.services.database import Database
from app.services.floor_plan import mark_cleaned
from app.services.lifecycle import change_status, move_reservation
from app.services.reservation_views import ReservationView
from app.services.walk_ins import seat_walk_in
from ui.errors import error_text
from ui.floor_plan.model import is_due

if TYPE_CHECKING:
    from ui.floor_plan.panel import FloorPlanPanel


def place_reservation(
    db: Database,
    code: str,
    table_name: str,
    *,
    move: bool,
    seat: bool,
    user_id: int,
    now: dt.datetime,
) -> ReservationView:
    """Worker side of a drop: move the booking to the table (the booking engine checks size,
    overlaps and holds) and seat it when it is due, in one transaction: both or neither."""
    if move:
        return move_reservation(db, code, tables=(table_name,), actor="host", user_id=user_id,
                                now=now, seat=seat)  # fmt: skip
    return change_status(db, code, ReservationStatus.SEATED, actor="host", user_id=user_id,
                         now=now)  # fmt: skip


class ServiceActions(QObject):
    walk_in_seated = Signal(object)  # ReservationView
    table_cleaned = Signal(int)
    reservation_placed = Signal(object)  # ReservationView, after a drop or "seat" was saved
    drop_refused = Signal(str, str)  # confirmation code, the reason

    def __init__(self, panel: FloorPlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.context = panel.context
        self.last_refusal: str | None = None

    def _refused(self, reason: str) -> None:
        self.last_refusal = reason
        self.panel.show_notice(reason)
        self.context.message_posted.emit(reason)

    # -- walk-ins and cleaning --------------------------------------------------------------

    def seat_walk_in(self, table_id: int, party_size: int) -> None:
        context = self.context
        context.tasks.run(
            seat_walk_in, context.db, context.restaurant_id,
            table_ids=(table_id,), party_size=party_size, actor="host",
            user_id=context.user.id, now=context.now(),
            on_done=self._walk_in_done,
            on_error=lambda exc: self._refused(f"Walk-in not seated: {error_text(exc)}"),
        )  # fmt: skip

    def _walk_in_done(self, view: ReservationView) -> None:
        self.panel.hide_notice()
        self.context.message_posted.emit(
            f"Walk-in of {view.party_size} seated at {', '.join(view.tables)}."
        )
        self.walk_in_seated.emit(view)
        self.panel.refresh()

    def mark_cleaned(self, table_id: int) -> None:
        context = self.context
        context.tasks.run(
            mark_cleaned, context.db, table_id, now=context.now(),
            on_done=lambda table: self._cleaned(table.id, table.name),
            on_error=lambda exc: self._refused(error_text(exc)),
        )  # fmt: skip

    def _cleaned(self, table_id: int, name: str) -> None:
        self.context.message_posted.emit(f"Table {name} is clean and ready.")
        self.table_cleaned.emit(table_id)
        self.panel.refresh()

    # -- seating and drops ------------------------------------------------------------------

    def seat(self, code: str) -> None:
        context = self.context
        context.tasks.run(
            change_status, context.db, code, ReservationStatus.SEATED, actor="host",
            user_id=context.user.id, now=context.now(),
            on_done=self._placed,
            on_error=lambda exc: self._refused(f"Not seated: {error_text(exc)}"),
        )  # fmt: skip

    def drop(self, code: str, table_id: int) -> None:
        """A reservation dragged from the day list onto a table."""
        snapshot = self.panel.snapshot
        if snapshot is None:
            return
        target = snapshot.table(table_id)
        if target is None:
            return
        name = target.table.name
        now = self.context.now()
        booking = snapshot.reservation(code)
        seat = booking is not None and is_due(booking, now)
        move = booking is None or booking.table_ids != (table_id,)
        if not move and not seat:
            self.context.message_posted.emit(f"{booking.guest_name} is already at {name}.")  # type: ignore[union-attr]
            return
        context = self.context
        context.tasks.run(
            place_reservation, context.db, code, name, move=move, seat=seat,
            user_id=context.user.id, now=now,
            on_done=self._placed,
            on_error=lambda exc: self._drop_failed(code, name, exc),
        )  # fmt: skip

    def _placed(self, view: ReservationView) -> None:
        self.panel.hide_notice()
        verb = "seated at" if view.status == ReservationStatus.SEATED else "moved to"
        self.context.message_posted.emit(f"{view.guest_name} {verb} {', '.join(view.tables)}.")
        self.reservation_placed.emit(view)
        self.panel.refresh()

    def _drop_failed(self, code: str, table_name: str, exc: Exception) -> None:
        reason = error_text(exc)
        self._refused(f"Not placed at {table_name}: {reason}")
        self.drop_refused.emit(code, reason)
