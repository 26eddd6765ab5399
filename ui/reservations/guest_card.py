"""The guest the booking is for, at a glance: tier, visits, red allergy badges and notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.guest_views import GuestSummary
from app.services.reservation_views import ReservationView
from ui.reservations.badges import BadgeRow, allergy_badges, vip_text
from ui.reservations.guest_lookup import pretty_phone

CARD_STYLE = """
QFrame#guestCard { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px; }
QFrame#guestCard[state="blocked"] { border: 1px solid #e59a93; background: #fff7f6; }
QLabel#guestCardName { font-size: 12pt; font-weight: bold; }
QLabel#guestCardFacts { color: #5b6478; }
QLabel#guestCardNotes { color: #3d4658; background: #fff8e6; border-radius: 6px; padding: 6px 8px; }
QLabel#guestCardHint { color: #8a93a6; }
"""


def visits_text(guest: GuestSummary) -> str:
    if not guest.visit_count:
        return "No visits yet"
    text = "1 visit" if guest.visit_count == 1 else f"{guest.visit_count} visits"
    if guest.last_visit:
        text += f", last {guest.last_visit:%d %b %Y}"
    return text


class GuestCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guestCard")
        self.setStyleSheet(CARD_STYLE)
        self.name = QLabel()
        self.name.setObjectName("guestCardName")
        self.flags = BadgeRow()
        self.facts = QLabel()
        self.facts.setObjectName("guestCardFacts")
        self.facts.setWordWrap(True)
        self.history = QLabel()
        self.history.setObjectName("guestCardFacts")
        self.history.setWordWrap(True)
        self.allergies = BadgeRow()
        self.allergies.setObjectName("allergyBadges")
        self.notes = QLabel()
        self.notes.setObjectName("guestCardNotes")
        self.notes.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("guestCardHint")
        self.hint.setWordWrap(True)
        title = QHBoxLayout()
        title.setSpacing(8)
        title.addWidget(self.name)
        title.addWidget(self.flags, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(title)
        layout.addWidget(self.facts)
        layout.addWidget(self.history)
        layout.addWidget(self.allergies)
        layout.addWidget(self.notes)
        layout.addWidget(self.hint)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.show_hint("Type a phone number or a name: known guests appear as you type.")

    def show_hint(self, text: str) -> None:
        self._restyle("")
        self.name.hide()
        self.flags.set_badges([])
        self.facts.hide()
        self.history.hide()
        self.allergies.set_badges([])
        self.notes.hide()
        self.hint.setText(text)
        self.hint.show()

    def show_new_guest(self, name: str, phone: str) -> None:
        self.show_hint("")
        self.hint.hide()
        self.name.setText(name or "New guest")
        self.name.show()
        self.flags.set_badges([("New guest", "info")])
        self.facts.setText(f"{phone} · a guest profile is created when you book")
        self.facts.show()

    def show_guest(self, guest: GuestSummary) -> None:
        self._restyle("blocked" if guest.blacklisted else "")
        self.hint.hide()
        self.name.setText(guest.name)
        self.name.show()
        flags: list[tuple[str, str]] = []
        if guest.vip_status:
            flags.append((vip_text(guest.vip_status), "vip"))
        flags.append(("Returning guest" if guest.visit_count else "Known guest", "success"))
        if guest.blacklisted:
            flags.append(("Blocked: cannot book", "blocked"))
        self.flags.set_badges(flags)
        contact = [pretty_phone(guest.phone)] + ([guest.email] if guest.email else [])
        self.facts.setText(" · ".join(contact))
        self.facts.show()
        history = [visits_text(guest)]
        if guest.average_party_size:
            history.append(f"usually {guest.average_party_size:.0f} guests")
        if guest.preferred_times:
            history.append("likes " + ", ".join(guest.preferred_times[:3]))
        self.history.setText(" · ".join(history))
        self.history.show()
        self.allergies.set_badges(allergy_badges(guest.allergies))
        self.notes.setText(f"Notes: {guest.notes}" if guest.notes else "")
        self.notes.setVisible(bool(guest.notes))

    def show_reservation(self, view: ReservationView) -> None:
        """The guest of an existing booking (reschedule), from the booking's own view."""
        self._restyle("")
        self.hint.hide()
        self.name.setText(view.guest_name)
        self.name.show()
        flags = [(vip_text(view.vip_status), "vip")] if view.vip_status else []
        self.flags.set_badges([*flags, (f"Booking {view.confirmation_code}", "info")])
        self.facts.setText(f"{pretty_phone(view.guest_phone)} · {view.party_size} guests")
        self.facts.show()
        self.history.hide()
        self.allergies.set_badges(allergy_badges(view.allergies))
        self.notes.setText(f"Requests: {view.special_requests}" if view.special_requests else "")
        self.notes.setVisible(bool(view.special_requests))

    def allergy_texts(self) -> list[str]:
        return self.allergies.texts() if self.allergies.isVisibleTo(self) else []

    def _restyle(self, state: str) -> None:
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)
