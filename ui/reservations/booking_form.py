"""The left half of the booking dialog: who the booking is for and what they asked for.

The guest is found as the host types (phone or name); picking one fills the form and shows the
guest card with red allergy badges. ``question_changed`` fires when anything that changes the
free times changes (date, party, occasion, requests, the guest).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.db.enums import OccasionType, ReservationSource
from app.services.booking import BookingRequest
from app.services.guest_views import GuestSummary
from app.services.reservation_views import ReservationView
from ui.host_context import HostContext
from ui.reservations.badges import source_label
from ui.reservations.guest_card import GuestCard
from ui.reservations.guest_lookup import GuestLookup, pretty_phone, same_phone

LABEL_WIDTH = 72
LABELS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
INPUT_HEIGHT = 32
HINT = "Type a phone number or a name: known guests appear as you type."
DEPOSIT_HINT = "By the rules"


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def field_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setMinimumWidth(LABEL_WIDTH)
    return label


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


class BookingForm(QWidget):
    question_changed = Signal()
    guest_changed = Signal()

    def __init__(self, context: HostContext, day: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.guest: GuestSummary | None = None
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("+7 916 123-45-67")
        self.name = QLineEdit()
        self.name.setPlaceholderText("Guest's name")
        self.email = QLineEdit()
        self.email.setPlaceholderText("optional")
        self.phone_lookup = GuestLookup(context, self.phone, match_phone=True)
        self.name_lookup = GuestLookup(context, self.name)
        self.guest_card = GuestCard()
        self.date = QDateEdit(qdate(day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.party = QSpinBox()
        self.party.setRange(1, 100)
        self.party.setValue(2)
        self.party.setSuffix(" guests")
        self.occasion = QComboBox()
        self.occasion.addItem("No occasion", None)
        for occasion in OccasionType:
            self.occasion.addItem(occasion.value.capitalize(), occasion.value)
        self.source = QComboBox()
        for source in ReservationSource:
            self.source.addItem(source_label(source.value), source.value)
        self.source.setCurrentIndex(self.source.findData(ReservationSource.PHONE.value))
        self.requests = QPlainTextEdit()
        self.requests.setPlaceholderText("Window seat, high chair, cake at dessert…")
        self.requests.setFixedHeight(64)
        self.deposit = QLineEdit()
        self.deposit.setPlaceholderText(DEPOSIT_HINT)
        self.deposit.setToolTip(
            "Leave empty to follow the restaurant's deposit rules; 0 waives it."
        )

        for widget in (self.phone, self.name, self.email, self.date, self.party, self.occasion,
                       self.source, self.deposit):  # fmt: skip
            widget.setMinimumHeight(INPUT_HEIGHT)
        guest_form = QFormLayout()
        guest_form.setLabelAlignment(LABELS)
        guest_form.addRow(field_label("Phone"), self.phone)
        guest_form.addRow(field_label("Name"), self.name)
        guest_form.addRow(field_label("E-mail"), self.email)
        booking_form = QFormLayout()
        booking_form.setLabelAlignment(LABELS)
        booking_form.addRow(field_label("Date"), self.date)
        booking_form.addRow(field_label("Party"), self.party)
        booking_form.addRow(field_label("Occasion"), self.occasion)
        booking_form.addRow(field_label("Source"), self.source)
        booking_form.addRow(field_label("Deposit"), self.deposit)
        booking_form.addRow(field_label("Requests"), self.requests)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(section_title("Guest"))
        layout.addLayout(guest_form)
        layout.addWidget(self.guest_card)
        layout.addWidget(section_title("Booking"))
        layout.addLayout(booking_form)
        layout.addStretch(1)
        self.guest_card.show_hint(HINT)

        self.phone_lookup.guest_picked.connect(self.pick_guest)
        self.name_lookup.guest_picked.connect(self.pick_guest)
        self.phone.textEdited.connect(self._guest_typed)
        self.name.textEdited.connect(self._guest_typed)
        self.date.dateChanged.connect(lambda _d: self.question_changed.emit())
        self.party.valueChanged.connect(lambda _v: self.question_changed.emit())
        self.occasion.currentIndexChanged.connect(lambda _i: self.question_changed.emit())
        self.requests.textChanged.connect(self.question_changed.emit)

    # -- values -----------------------------------------------------------------------------

    def chosen_day(self) -> dt.date:
        return self.date.date().toPython()  # type: ignore[no-any-return]

    def set_day(self, day: dt.date) -> None:
        self.date.setDate(qdate(day))

    def requests_text(self) -> str | None:
        return self.requests.toPlainText().strip() or None

    def occasion_value(self) -> str | None:
        value = self.occasion.currentData()
        return str(value) if value else None

    def guest_id(self) -> int | None:
        return self.guest.id if self.guest else None

    def has_contact(self) -> bool:
        return bool(self.phone.text().strip())

    def request(self, restaurant_id: int, time: dt.time) -> BookingRequest:
        return BookingRequest(
            restaurant_id=restaurant_id, date=self.chosen_day(), time=time,
            party_size=self.party.value(), phone=self.phone.text().strip() or None,
            name=self.name.text().strip() or None, email=self.email.text().strip() or None,
            guest_id=self.guest_id(), special_requests=self.requests_text(),
            occasion=self.occasion_value(), source=str(self.source.currentData()),
            deposit=self.deposit.text().strip().replace(" ", "") or None,
        )  # fmt: skip

    def show_rule_deposit(self, amount: Decimal | None) -> None:
        """What the rules would ask, as the hint of the (empty) deposit field."""
        if amount is None:
            self.deposit.setPlaceholderText("No deposit by the rules")
        else:
            self.deposit.setPlaceholderText(f"{amount:,.0f} by the rules".replace(",", " "))

    # -- guest ------------------------------------------------------------------------------

    def pick_guest(self, guest: GuestSummary) -> None:
        """Fill the form from a known guest (a suggestion chosen, or their whole phone typed)."""
        self.guest = guest
        self.name.setText(guest.name)
        if not same_phone(self.phone.text(), guest.phone):
            self.phone.setText(pretty_phone(guest.phone))
        if guest.email and not self.email.text().strip():
            self.email.setText(guest.email)
        self.phone_lookup.hide()
        self.name_lookup.hide()
        self.guest_card.show_guest(guest)
        self.guest_changed.emit()
        self.question_changed.emit()  # the guest's history and tier weigh on the table

    def _guest_typed(self, _text: str) -> None:
        if self.guest is not None and not (
            same_phone(self.phone.text(), self.guest.phone) and self.name.text() == self.guest.name
        ):
            self.guest = None
            self.question_changed.emit()
        if self.guest is None:
            phone, name = self.phone.text().strip(), self.name.text().strip()
            if phone:
                self.guest_card.show_new_guest(name, phone)
            else:
                self.guest_card.show_hint(HINT)
        self.guest_changed.emit()

    # -- reschedule -------------------------------------------------------------------------

    def lock_for_reschedule(self) -> None:
        """A reschedule keeps the guest, occasion, source and requests: only when changes."""
        for widget in (self.phone, self.name, self.email, self.occasion, self.source,
                       self.requests, self.deposit):  # fmt: skip
            widget.setEnabled(False)
        self.phone_lookup.enabled = self.name_lookup.enabled = False

    def fill_from(self, view: ReservationView) -> None:
        widgets = (self.party, self.date, self.occasion, self.source, self.requests)
        for widget in widgets:
            widget.blockSignals(True)
        self.phone.setText(pretty_phone(view.guest_phone))
        self.name.setText(view.guest_name)
        self.party.setValue(view.party_size)
        self.date.setDate(qdate(view.date))
        self.occasion.setCurrentIndex(max(0, self.occasion.findData(view.occasion)))
        self.source.setCurrentIndex(max(0, self.source.findData(view.source)))
        self.requests.setPlainText(view.special_requests or "")
        for widget in widgets:
            widget.blockSignals(False)
        self.guest_card.show_reservation(view)
