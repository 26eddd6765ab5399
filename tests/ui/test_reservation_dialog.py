"""The booking dialog driven like a host would: type, click a time, book; check the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.db.enums import ReservationStatus
from app.services.accounts import add_user
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.guest_admin import set_blacklisted, update_guest
from app.services.guest_views import find_guests
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from ui.host_context import HostContext
from ui.reservations import ReservationDialog

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


@pytest.fixture
def context(db: Database, place: Place) -> Iterator[HostContext]:
    user = add_user(db, email="host@bistro.ru", name="Maria Host", role="staff",
                    password="long enough")  # fmt: skip
    context = HostContext(db, user, place.restaurant_id, FRIDAY, clock=lambda: NOW)
    yield context
    context.close()


def open_dialog(qtbot: QtBot, context: HostContext, **kwargs: object) -> ReservationDialog:
    dialog = ReservationDialog(context, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.availability_loaded and bool(dialog.slot_picker.buttons))
    return dialog


def choose_party(qtbot: QtBot, dialog: ReservationDialog, size: int) -> None:
    key = Qt.Key.Key_Up if size > dialog.party.value() else Qt.Key.Key_Down
    while dialog.party.value() != size:
        qtbot.keyClick(dialog.party, key)
    qtbot.waitUntil(
        lambda: (
            dialog.availability_loaded
            and dialog.availability is not None
            and dialog.availability.party_size == size
        )
    )


def click_slot(qtbot: QtBot, dialog: ReservationDialog, time: str) -> None:
    button = dialog.slot_picker.buttons[time]
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, LEFT)
    assert dialog.slot_picker.selected_time == time
    qtbot.waitUntil(lambda: bool(dialog.assignment.lines))


def test_booking_a_new_guest_through_the_dialog(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    dialog = open_dialog(qtbot, context)
    assert not dialog.book_button.isEnabled(), "nothing to book before a time is picked"
    qtbot.keyClicks(dialog.phone, "+7 903 555-12-34")
    qtbot.keyClicks(dialog.name, "Boris Ivanov")
    choose_party(qtbot, dialog, 4)
    click_slot(qtbot, dialog, "19:30")
    suggested = dialog.slot_picker.slots["19:30"].tables
    assert dialog.assignment.table.text() == f"Table {'+'.join(suggested)}"
    assert dialog.assignment.text_lines()[0] == "+".join(suggested), "the chosen table leads"
    assert dialog.book_button.isEnabled()
    with qtbot.waitSignal(dialog.reservation_booked, timeout=10_000) as booked:
        qtbot.mouseClick(dialog.book_button, LEFT)
    code = booked.args[0]
    assert dialog.result() == QDialog.DialogCode.Accepted
    [row] = day_reservations(db, place.restaurant_id, FRIDAY, search=code)
    assert row.guest_name == "Boris Ivanov" and row.guest_phone == "+79035551234"
    assert row.time == dt.time(19, 30) and row.party_size == 4
    assert row.tables == suggested and row.status is ReservationStatus.CONFIRMED
    assert row.source == "phone"


def test_a_known_guests_phone_fills_the_form_and_shows_the_allergy_badge(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    earlier = place.book(name="Anna Petrova", phone="+79161234567", time=dt.time(13, 0))
    update_guest(db, earlier.reservation.guest_id,
                 {"allergies": ["peanuts"], "notes": "Likes the window table"})  # fmt: skip
    dialog = open_dialog(qtbot, context)
    qtbot.keyClicks(dialog.phone, "8 916 123 45 67")
    qtbot.waitUntil(lambda: dialog.guest is not None)
    assert dialog.name.text() == "Anna Petrova"
    assert dialog.guest_card.allergy_texts() == ["⚠ Peanuts"]
    badge = dialog.guest_card.allergies.badges[0]
    assert badge.kind == "allergy" and badge.isVisible()
    assert "Likes the window table" in dialog.guest_card.notes.text()
    # Booking the known guest keeps one profile for them.
    click_slot(qtbot, dialog, "20:00")
    with qtbot.waitSignal(dialog.reservation_booked, timeout=10_000) as booked:
        qtbot.mouseClick(dialog.book_button, LEFT)
    [row] = day_reservations(db, place.restaurant_id, FRIDAY, search=booked.args[0])
    assert row.guest_id == earlier.reservation.guest_id
    assert row.special_requests and "ALLERGY: peanuts" in row.special_requests


def test_picking_a_guest_from_the_name_suggestions(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    place.book(name="Anna Petrova", phone="+79161234567")
    place.book(name="Annette Smirnova", phone="+79169998877", time=dt.time(20, 0))
    dialog = open_dialog(qtbot, context)
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "Ann")
    lookup = dialog.form.name_lookup
    qtbot.waitUntil(lambda: lookup.popup_visible and len(lookup.guests()) == 2)
    popup = lookup.completer.popup()
    row = next(i for i, g in enumerate(lookup.guests()) if g.name == "Annette Smirnova")
    rect = popup.visualRect(popup.model().index(row, 0))
    qtbot.mouseClick(popup.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: dialog.guest is not None)
    assert dialog.guest.name == "Annette Smirnova"  # type: ignore[union-attr]
    assert dialog.name.text() == "Annette Smirnova"
    assert "916 999-88-77" in dialog.phone.text()
    assert not lookup.popup_visible


def test_a_refused_booking_shows_why_and_the_alternatives_and_writes_nothing(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    dialog = open_dialog(qtbot, context)
    qtbot.keyClicks(dialog.phone, "+7 999 000-11-22")
    qtbot.keyClicks(dialog.name, "Big Party")
    choose_party(qtbot, dialog, 10)
    click_slot(qtbot, dialog, "19:00")
    assert dialog.slot_picker.slots["19:00"].tables == ("C1", "C2")
    # Meanwhile another terminal seats five at one of the joined six-tops.
    place.book(name="Olga", phone="+79031112233", party_size=5)
    qtbot.mouseClick(dialog.book_button, LEFT)
    qtbot.waitUntil(lambda: dialog.refusal.isVisible(), timeout=10_000)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "No table for 10" in dialog.refusal.message.text()
    # The free times follow: 19:00 is now disabled, with the reason as its tooltip.
    qtbot.waitUntil(lambda: not dialog.slot_picker.buttons["19:00"].isEnabled())
    assert "No table for 10" in dialog.slot_picker.buttons["19:00"].toolTip()
    assert dialog.refusal.isVisible(), "a refresh keeps the refusal on screen"
    chips = dialog.refusal.chips
    assert chips, "alternatives are offered"
    assert all(chip.isVisible() for chip in chips)
    assert len(day_reservations(db, place.restaurant_id, FRIDAY)) == 1
    assert find_guests(db, place.restaurant_id, "9990001122") == [], "no guest was created"
    # Taking the first alternative picks its time, and that one books.
    first = chips[0].text()
    qtbot.mouseClick(chips[0], LEFT)
    qtbot.waitUntil(lambda: dialog.slot_picker.selected_time is not None
                    and dialog.availability_loaded)  # fmt: skip
    assert dialog.slot_picker.selected_time in first
    with qtbot.waitSignal(dialog.reservation_booked, timeout=10_000):
        qtbot.mouseClick(dialog.book_button, LEFT)
    assert len(day_reservations(db, place.restaurant_id, FRIDAY)) == 2


def test_a_blocked_guest_is_refused_in_place(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    earlier = place.book(name="Trouble Maker", phone="+79165550000")
    set_blacklisted(db, earlier.reservation.guest_id, True, reason="Broke glasses")
    dialog = open_dialog(qtbot, context)
    qtbot.keyClicks(dialog.phone, "+79165550000")
    qtbot.waitUntil(lambda: dialog.guest is not None)
    assert "Blocked: cannot book" in dialog.guest_card.flags.texts()
    click_slot(qtbot, dialog, "21:00")
    # On a busy machine the guest lookup may still be re-checking the slot: wait for Book.
    qtbot.waitUntil(lambda: dialog.book_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(dialog.book_button, LEFT)
    qtbot.waitUntil(lambda: dialog.refusal.isVisible(), timeout=10_000)
    assert "blocked list" in dialog.refusal.message.text()
    assert len(day_reservations(db, place.restaurant_id, FRIDAY)) == 1


def test_rescheduling_an_existing_booking(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    old = place.book(name="Anna Petrova", phone="+79161234567").reservation
    dialog = open_dialog(qtbot, context, reschedule_code=old.confirmation_code)
    qtbot.waitUntil(lambda: dialog.original is not None)
    assert dialog.name.text() == "Anna Petrova" and not dialog.name.isEnabled()
    assert dialog.book_button.text() == "Reschedule"
    qtbot.waitUntil(lambda: dialog.availability_loaded)
    click_slot(qtbot, dialog, "21:15")
    with qtbot.waitSignal(dialog.reservation_booked, timeout=10_000) as booked:
        qtbot.mouseClick(dialog.book_button, LEFT)
    rows = {r.confirmation_code: r for r in day_reservations(db, place.restaurant_id, FRIDAY)}
    assert rows[old.confirmation_code].status is ReservationStatus.RESCHEDULED
    new = rows[booked.args[0]]
    assert new.time == dt.time(21, 15) and new.guest_id == old.guest_id
    assert new.rescheduled_from_id == old.id


def test_a_finished_reservation_cannot_be_rescheduled(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    old = place.book(name="Anna Petrova", phone="+79161234567").reservation
    change_status(db, old.confirmation_code, "cancelled", reason="ill", now=NOW)
    dialog = open_dialog(qtbot, context, reschedule_code=old.confirmation_code)
    qtbot.waitUntil(lambda: dialog.original is not None)
    click_slot(qtbot, dialog, "21:15")
    assert not dialog.book_button.isEnabled()
    assert "cancelled reservation cannot be moved" in dialog.error.text()


def test_the_deposit_field_shows_the_rule_and_takes_the_hosts_amount(
    qtbot: QtBot, db: Database
) -> None:
    from decimal import Decimal

    from tests.app.services.conftest import SETTINGS

    rules = {"party_size_at_least": 6, "amount_per_guest": 1000}
    deposit_place = create_place(db, settings=SETTINGS | {"deposit_rules": rules})
    user = add_user(db, email="dep@bistro.ru", name="Dep Host", role="staff",
                    password="long enough")  # fmt: skip
    context = HostContext(db, user, deposit_place.restaurant_id, FRIDAY, clock=lambda: NOW)
    try:
        dialog = open_dialog(qtbot, context)
        qtbot.keyClicks(dialog.phone, "+7 903 555-77-88")
        qtbot.keyClicks(dialog.name, "Gleb Orlov")
        choose_party(qtbot, dialog, 6)
        click_slot(qtbot, dialog, "19:00")
        qtbot.waitUntil(lambda: "6 000" in dialog.form.deposit.placeholderText())
        qtbot.keyClicks(dialog.form.deposit, "2 500")
        with qtbot.waitSignal(dialog.reservation_booked, timeout=10_000) as booked:
            qtbot.mouseClick(dialog.book_button, LEFT)
        [row] = day_reservations(db, deposit_place.restaurant_id, FRIDAY, search=booked.args[0])
        assert (row.deposit_required, row.deposit_amount) == (True, Decimal("2500.00"))
    finally:
        context.close()
