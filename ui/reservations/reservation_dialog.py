"""New booking (or reschedule of an existing one): find the guest as you type, see the free
times live, pick one, book. A refusal shows why and what to offer instead; nothing closes.

Threading contract: lives on the UI thread. Guest look-ups, availability checks, the booking
and the reschedule all run through ``context.tasks``; an answer overtaken by a newer question
is dropped, so what is on screen always matches the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import NotAvailable
from app.services.availability import Alternative, AvailabilityResult, check_availability
from app.services.booking import BookingResult, book
from app.services.day_sheet import day_reservations
from app.services.deposit_quotes import deposit_quote
from app.services.guest_views import GuestSummary
from app.services.lifecycle import reschedule
from app.services.reservation_views import ReservationView
from ui.errors import error_text
from ui.host_context import HostContext
from ui.reservations.badges import status_label
from ui.reservations.booking_feedback import (
    FEEDBACK_STYLE,
    AssignmentSummary,
    RefusalBox,
    deposit_text,
)
from ui.reservations.booking_form import BookingForm, section_title
from ui.reservations.callbacks import run_for
from ui.reservations.slot_picker import SlotPicker
from ui.reservations.status_actions import allowed_actions

AVAILABILITY_DELAY_MS = 300
CHANGE_KINDS = frozenset({"reservation", "timeslot", "table", "restaurant"})
DIALOG_STYLE = """
QLabel#dialogTitle { font-size: 15pt; font-weight: bold; color: #1f2633; }
QLabel#dialogSubtitle { color: #5b6478; }
QLabel#sectionTitle { font-size: 11pt; font-weight: bold; color: #2f3b52; margin-top: 6px; }
QLabel#availabilityState { color: #5b6478; }
QSpinBox { padding-left: 8px; }
QFrame#panel { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px; }
QLabel#formError { color: #b3261e; background: #fdecea; border-radius: 6px; padding: 6px; }
"""


class ReservationDialog(QDialog):
    reservation_booked = Signal(str)  # confirmation code of the new booking

    def __init__(
        self,
        context: HostContext,
        *,
        reschedule_code: str | None = None,
        reservation: ReservationView | None = None,
        day: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.reschedule_code = reschedule_code
        self.original: ReservationView | None = None
        self.booked: ReservationView | None = None
        self.availability: AvailabilityResult | None = None
        self._generation = 0
        self._loaded_generation = -1
        self._explain_generation = 0
        self._pending_time: str | None = None
        self._working = False
        self.locked: str | None = None  # why this reservation cannot be rescheduled
        self.setWindowTitle(f"Reschedule {reschedule_code}" if reschedule_code else "New booking")
        self.setStyleSheet(DIALOG_STYLE + FEEDBACK_STYLE)
        self.setMinimumSize(940, 640)
        self.resize(1120, 720)
        self._timer = QTimer(self, singleShot=True, interval=AVAILABILITY_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self._build(day or context.day)
        context.data_changed.connect(self._data_changed)
        if reschedule_code:
            self._enter_reschedule(reschedule_code, reservation)
        self.check_now()

    def _build(self, day: dt.date) -> None:
        self.title = QLabel(self.windowTitle())
        self.title.setObjectName("dialogTitle")
        self.subtitle = QLabel("Find the guest, pick a free time, book.")
        self.subtitle.setObjectName("dialogSubtitle")
        self.form = BookingForm(self.context, day)
        # The form's widgets, by the names the host (and the tests) know them.
        form = self.form
        self.phone, self.name, self.email, self.guest_card = (
            form.phone, form.name, form.email, form.guest_card)  # fmt: skip
        self.date, self.party, self.occasion, self.source, self.requests = (
            form.date, form.party, form.occasion, form.source, form.requests)  # fmt: skip

        self.availability_state = QLabel()
        self.availability_state.setObjectName("availabilityState")
        self.slot_picker = SlotPicker()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.slot_picker)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: #fff; }")
        slots_panel = QFrame()
        slots_panel.setObjectName("panel")
        slots_layout = QVBoxLayout(slots_panel)
        slots_layout.setContentsMargins(12, 8, 12, 8)
        slots_layout.addWidget(scroll)
        self.assignment = AssignmentSummary()
        self.refusal = RefusalBox()
        self.booked_note = QLabel()
        self.booked_note.setObjectName("bookedTitle")
        self.booked_note.setWordWrap(True)
        self.booked_note.hide()
        self.deposit = QLabel()
        self.deposit.setObjectName("depositNote")
        self.deposit.setWordWrap(True)
        self.deposit.hide()
        head = QHBoxLayout()
        head.addWidget(section_title("Free times"))
        head.addStretch(1)
        head.addWidget(self.availability_state)
        right = QVBoxLayout()
        right.addLayout(head)
        right.addWidget(slots_panel, 1)
        for widget in (self.assignment, self.refusal, self.booked_note, self.deposit):
            right.addWidget(widget)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.cancel_button = QPushButton("Close")
        self.cancel_button.setMinimumWidth(110)
        self.book_button = QPushButton("Book")
        self.book_button.setObjectName("primary")
        self.book_button.setDefault(True)
        self.book_button.setMinimumWidth(160)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.book_button)
        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addWidget(self.form, 4)
        columns.addLayout(right, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

        self.form.question_changed.connect(self._question_changed)
        self.form.guest_changed.connect(self._update_book_button)
        self.slot_picker.slot_picked.connect(self._slot_picked)
        self.refusal.alternative_picked.connect(self.pick_alternative)
        self.book_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self._update_book_button()

    def _run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """A service call off the UI thread whose answer is dropped if the dialog is gone."""
        run_for(self, self.context.tasks, fn, *args, **kwargs)

    @property
    def guest(self) -> GuestSummary | None:
        return self.form.guest

    # -- availability -----------------------------------------------------------------------

    @property
    def availability_loaded(self) -> bool:
        """The newest availability answer is on screen (tests wait for it)."""
        return not self._timer.isActive() and self._loaded_generation == self._generation

    def _question_changed(self) -> None:
        self.refusal.hide()
        self.error.setVisible(self.locked is not None)
        self._timer.start(AVAILABILITY_DELAY_MS)

    def _data_changed(self, kind: str, _ids: object) -> None:
        if kind in CHANGE_KINDS and self.booked is None:
            self._timer.start(AVAILABILITY_DELAY_MS)

    def check_now(self) -> None:
        """Ask the engine for the day's slots for this party (off the UI thread)."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self.availability_state.setText("Checking…")
        self._ask(
            None,
            on_done=lambda result: self._availability_arrived(generation, result),
            on_error=lambda exc: self._availability_failed(generation, exc),
        )

    def _ask(self, time: dt.time | None, **callbacks: Any) -> None:
        """check_availability for the form's question (and one time, for its explanation)."""
        form = self.form
        self._run(check_availability, self.context.db, self.context.restaurant_id,
                  form.chosen_day(), self.party.value(), time=time,
                  special_requests=form.requests_text(), occasion=form.occasion_value(),
                  guest_id=form.guest_id(), now=self.context.now(), **callbacks)  # fmt: skip

    def _availability_arrived(self, generation: int, result: AvailabilityResult) -> None:
        if generation != self._generation:
            return
        self._loaded_generation = generation
        self.availability = result
        keep = self._pending_time or self.slot_picker.selected_time
        self.slot_picker.set_result(result, keep=keep)
        free = sum(1 for slot in result.slots if slot.available)
        state = result.closed or f"{free} of {len(result.slots)} times free"
        self.availability_state.setText(
            f"{result.date:%a %d %b} · {result.party_size} guests · {state}"
        )
        picked = self.slot_picker.selected_time
        if keep and picked is None:
            self.assignment.hide()
            self.availability_state.setText(f"{keep} is not free for this party any more")
        self._pending_time = None
        if picked is not None:
            self._slot_picked(picked)
        self._update_book_button()

    def _availability_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loaded_generation = generation
            self.availability_state.setText("")
            self.slot_picker.show_state(error_text(exc))

    def _slot_picked(self, time: str) -> None:
        slot = self.slot_picker.slots.get(time)
        if slot is None:
            return
        self.refusal.hide()
        self.error.hide()
        self.assignment.show_slot(slot, self.party.value())
        self._explain_generation += 1
        generation = self._explain_generation
        self._ask(
            dt.time.fromisoformat(time),
            on_done=lambda result: self._explained(generation, time, result),
            on_error=lambda _exc: None,  # the slot's own table is already shown
        )
        self._run(
            deposit_quote, self.context.db, self.context.restaurant_id, self.form.chosen_day(),
            dt.time.fromisoformat(time), self.party.value(),
            on_done=self.form.show_rule_deposit, on_error=lambda _exc: None,
        )  # fmt: skip
        self._update_book_button()

    def _explained(self, generation: int, time: str, result: AvailabilityResult) -> None:
        if generation == self._explain_generation and self.slot_picker.selected_time == time:
            self.assignment.show_explanation(result.requested, result.explanation)

    def pick_alternative(self, alternative: Alternative) -> None:
        """Offer one of the engine's alternatives: its day and time become the choice."""
        self.refusal.hide()
        if alternative.date == self.form.chosen_day() and self.slot_picker.select(alternative.time):
            return
        self._pending_time = alternative.time
        self.form.set_day(alternative.date)
        self.check_now()

    # -- booking ----------------------------------------------------------------------------

    def _update_book_button(self) -> None:
        if self.booked is not None:
            self.book_button.setEnabled(True)
            return
        ready = (
            self.locked is None
            and self.slot_picker.selected_time is not None
            and (self.reschedule_code is not None or self.form.has_contact())
        )
        self.book_button.setEnabled(ready and not self._working)
        if not self._working:
            self.book_button.setText("Reschedule" if self.reschedule_code else "Book")

    def submit(self) -> None:
        if self.booked is not None:  # the confirmation is showing: "Done"
            self.accept()
            return
        time = self.slot_picker.selected_time
        if time is None:
            return
        self._working = True
        self.book_button.setEnabled(False)
        self.book_button.setText("Booking…")
        self.error.hide()
        self.refusal.hide()
        user, clock = self.context.user, dt.time.fromisoformat(time)
        common = {"actor": user.name, "user_id": user.id, "now": self.context.now()}
        if self.reschedule_code:
            self._run(reschedule, self.context.db, self.reschedule_code,
                      date=self.form.chosen_day(), time=clock, party_size=self.party.value(),
                      **common, on_done=self._booked, on_error=self._refused)  # fmt: skip
            return
        request = self.form.request(self.context.restaurant_id, clock)
        self._run(book, self.context.db, request, **common, on_done=self._booked,
                  on_error=self._refused)  # fmt: skip

    def _booked(self, outcome: BookingResult | ReservationView) -> None:
        self._working = False
        view = outcome.reservation if isinstance(outcome, BookingResult) else outcome
        self.booked = view
        verb = "Rescheduled" if self.reschedule_code else "Booked"
        text = (
            f"{verb}: {view.guest_name}, {view.date:%a %d %b} {view.time:%H:%M}, "
            f"{view.party_size} guests, table {'+'.join(view.tables)}, "
            f"code {view.confirmation_code}"
        )
        self.reservation_booked.emit(view.confirmation_code)
        self.context.message_posted.emit(text)
        if not view.deposit_required:
            self.accept()
            return
        # The guest is still on the line: show the code and the deposit before closing.
        self.booked_note.setText(f"✓ {text}")
        self.booked_note.show()
        self.deposit.setText(deposit_text(view.deposit_amount))
        self.deposit.show()
        self.book_button.setText("Done")
        self.book_button.setEnabled(True)
        self.cancel_button.hide()

    def _refused(self, exc: Exception) -> None:
        self._working = False
        if isinstance(exc, NotAvailable):
            self.refusal.show_refusal(exc.message, exc.alternatives)
            self._timer.start(0)  # what was free has changed: show it
        else:
            self.error.setText(error_text(exc))
            self.error.show()
        self._update_book_button()

    # -- reschedule -------------------------------------------------------------------------

    def _enter_reschedule(self, code: str, reservation: ReservationView | None) -> None:
        self.form.lock_for_reschedule()
        self.subtitle.setText("Pick the new time; the old booking stays until the new one holds.")
        if reservation is not None:
            self._show_original(reservation)
            return
        # Opened by code alone (timeline, day list): the booking is on the day being shown.
        self._run(day_reservations, self.context.db, self.context.restaurant_id, self.context.day,
                  search=code, on_done=lambda rows: self._original_found(code, rows))  # fmt: skip

    def _original_found(self, code: str, rows: list[ReservationView]) -> None:
        for view in rows:
            if view.confirmation_code == code:
                self._show_original(view)
                return

    def _show_original(self, view: ReservationView) -> None:
        self.original = view
        self.title.setText(f"Reschedule {view.confirmation_code} · {view.guest_name}")
        self.subtitle.setText(
            f"Now {view.date:%a %d %b} at {view.time:%H:%M}, {view.party_size} guests, "
            f"table {'+'.join(view.tables) or '—'}. Pick the new time."
        )
        self.form.fill_from(view)
        if "reschedule" not in allowed_actions(view.status):
            self.locked = f"A {status_label(view.status).lower()} reservation cannot be moved."
            self.error.setText(self.locked)
            self.error.show()
        self._update_book_button()
        self.check_now()
