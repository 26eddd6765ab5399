"""The day list: search, filters, one-click status actions and live refresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db.enums import ReservationStatus
from app.services.accounts import add_user
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.guest_admin import update_guest
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from ui.host_context import HostContext
from ui.reservations import RESERVATION_MIME, DayListPanel
from ui.reservations.day_list_model import GUEST, STATUS, TIME
from ui.reservations.status_prompts import CompletionPrompt, ReasonPrompt

LEFT = Qt.MouseButton.LeftButton
S = ReservationStatus


@pytest.fixture
def place(db: Database) -> Place:
    place = create_place(db)
    anna = place.book(name="Anna Petrova", phone="+79161234567", time=dt.time(19, 0))
    update_guest(db, anna.reservation.guest_id, {"allergies": ["peanuts"], "vip_status": "gold"})
    place.book(name="Olga Smirnova", phone="+79031112233", time=dt.time(20, 0), party_size=4)
    place.book(name="Ivan Sidorov", phone="+79264445566", time=dt.time(13, 0), source="web")
    return place


@pytest.fixture
def context(db: Database, place: Place) -> Iterator[HostContext]:
    user = add_user(db, email="host@bistro.ru", name="Maria Host", role="staff",
                    password="long enough")  # fmt: skip
    context = HostContext(db, user, place.restaurant_id, FRIDAY, clock=lambda: NOW)
    yield context
    context.close()


@pytest.fixture
def panel(qtbot: QtBot, context: HostContext) -> DayListPanel:
    panel = DayListPanel(context)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitUntil(lambda: panel.loaded and panel.model.rowCount() == 3)
    return panel


def names(panel: DayListPanel) -> list[str]:
    return [panel.model.reservation_at(r).guest_name for r in range(panel.model.rowCount())]  # type: ignore[union-attr]


def status_in_db(db: Database, place: Place, code: str) -> ReservationStatus:
    [row] = day_reservations(db, place.restaurant_id, FRIDAY, search=code)
    return row.status


def click_row(qtbot: QtBot, panel: DayListPanel, name: str) -> str:
    row = names(panel).index(name)
    rect = panel.table.visualRect(panel.model.index(row, TIME))
    qtbot.mouseClick(panel.table.viewport(), LEFT, pos=rect.center())
    view = panel.selected()
    assert view is not None and view.guest_name == name
    return view.confirmation_code


def test_rows_show_the_day_in_time_order_with_flags(panel: DayListPanel) -> None:
    assert names(panel) == ["Ivan Sidorov", "Anna Petrova", "Olga Smirnova"]
    anna = panel.model.index(1, GUEST)
    assert "Allergies: peanuts" in anna.data(Qt.ItemDataRole.ToolTipRole)
    assert panel.model.index(1, STATUS).data() == "Confirmed"
    assert panel.summary.text() == "3 bookings · 8 covers"


def test_search_filters_rows_by_name_phone_and_code(qtbot: QtBot, panel: DayListPanel) -> None:
    qtbot.keyClicks(panel.search, "olga")
    qtbot.waitUntil(lambda: panel.loaded and names(panel) == ["Olga Smirnova"])
    panel.search.clear()
    qtbot.keyClicks(panel.search, "926 444")
    qtbot.waitUntil(lambda: panel.loaded and names(panel) == ["Ivan Sidorov"])
    code = panel.model.reservation_at(0).confirmation_code  # type: ignore[union-attr]
    panel.search.clear()
    qtbot.keyClicks(panel.search, code.lower())
    qtbot.waitUntil(lambda: panel.loaded and names(panel) == ["Ivan Sidorov"])
    panel.search.clear()
    qtbot.keyClicks(panel.search, "nobody")
    qtbot.waitUntil(lambda: panel.loaded and panel.model.rowCount() == 0)
    assert panel.stack.currentWidget() is panel.empty
    assert "match the search" in panel.empty.text()


def test_status_and_source_filters(qtbot: QtBot, db: Database, place: Place,
                                   panel: DayListPanel) -> None:  # fmt: skip
    panel.filters.set_source("web")
    qtbot.waitUntil(lambda: panel.loaded and names(panel) == ["Ivan Sidorov"])
    panel.filters.set_source(None)
    qtbot.waitUntil(lambda: panel.loaded and panel.model.rowCount() == 3)
    [olga] = day_reservations(db, place.restaurant_id, FRIDAY, search="Olga")
    change_status(db, olga.confirmation_code, "cancelled", reason="ill", now=NOW)
    panel.filters.status_actions[S.CANCELLED].trigger()
    qtbot.waitUntil(lambda: panel.loaded and names(panel) == ["Olga Smirnova"])
    assert "Cancelled" in panel.filters.status_button.text()
    panel.filters.status_actions[S.CONFIRMED].trigger()
    qtbot.waitUntil(lambda: panel.loaded and panel.model.rowCount() == 3)


def test_seat_then_dine_with_actions_enabled_by_the_status_flow(
    qtbot: QtBot, db: Database, place: Place, panel: DayListPanel
) -> None:
    buttons = panel.action_buttons
    assert not any(b.isEnabled() for b in buttons.values()), "nothing selected, nothing to do"
    code = click_row(qtbot, panel, "Olga Smirnova")
    enabled = {k for k, b in buttons.items() if b.isEnabled()}
    assert enabled == {"seat", "cancel", "no_show", "reschedule"}
    with qtbot.waitSignal(panel.status_changed, timeout=10_000) as changed:
        qtbot.mouseClick(buttons["seat"], LEFT)
    assert changed.args == [code, "seated"]
    assert status_in_db(db, place, code) is S.SEATED
    qtbot.waitUntil(lambda: panel.selected() is not None and panel.selected().status is S.SEATED)  # type: ignore[union-attr]
    assert {k for k, b in buttons.items() if b.isEnabled()} == {"dine", "complete"}
    qtbot.mouseClick(buttons["dine"], LEFT)
    qtbot.waitUntil(lambda: status_in_db(db, place, code) is S.DINING)


def test_cancel_asks_for_a_reason(
    qtbot: QtBot, db: Database, place: Place, panel: DayListPanel
) -> None:
    code = click_row(qtbot, panel, "Olga Smirnova")
    qtbot.mouseClick(panel.action_buttons["cancel"], LEFT)
    prompt = panel.prompt
    assert isinstance(prompt, ReasonPrompt) and prompt.isVisible()
    assert not prompt.ok_button.isEnabled(), "no reason, no cancellation"
    line = prompt.reason.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "Guest called: flu")
    assert prompt.ok_button.isEnabled()
    with qtbot.waitSignal(panel.status_changed, timeout=10_000):
        qtbot.mouseClick(prompt.ok_button, LEFT)
    assert status_in_db(db, place, code) is S.CANCELLED
    qtbot.waitUntil(lambda: panel.model.index(names(panel).index("Olga Smirnova"), STATUS).data()
                    == "Cancelled")  # fmt: skip


def test_a_closed_prompt_changes_nothing(
    qtbot: QtBot, db: Database, place: Place, panel: DayListPanel
) -> None:
    code = click_row(qtbot, panel, "Ivan Sidorov")
    qtbot.mouseClick(panel.action_buttons["no_show"], LEFT)
    prompt = panel.prompt
    assert isinstance(prompt, ReasonPrompt)
    prompt.buttons.rejected.emit()
    qtbot.wait(200)
    assert status_in_db(db, place, code) is S.CONFIRMED


def test_complete_asks_for_the_bill_and_a_rating(
    qtbot: QtBot, db: Database, place: Place, panel: DayListPanel
) -> None:
    code = click_row(qtbot, panel, "Olga Smirnova")
    change_status(db, code, "seated", now=NOW)
    qtbot.waitUntil(lambda: panel.action_buttons["complete"].isEnabled())
    qtbot.mouseClick(panel.action_buttons["complete"], LEFT)
    prompt = panel.prompt
    assert isinstance(prompt, CompletionPrompt)
    qtbot.keyClicks(prompt.total, "4 500,50")
    prompt.rating.setCurrentIndex(prompt.rating.findData(5))
    with qtbot.waitSignal(panel.status_changed, timeout=10_000):
        qtbot.mouseClick(prompt.ok_button, LEFT)
    [row] = day_reservations(db, place.restaurant_id, FRIDAY, search=code)
    assert row.status is S.COMPLETED and row.total_amount == Decimal("4500.50")


def test_a_change_made_elsewhere_shows_up_in_the_open_list(
    qtbot: QtBot, db: Database, place: Place, panel: DayListPanel
) -> None:
    [ivan] = day_reservations(db, place.restaurant_id, FRIDAY, search="Ivan")
    change_status(db, ivan.confirmation_code, "seated", now=NOW)  # e.g. from the floor plan
    qtbot.waitUntil(lambda: panel.model.index(0, STATUS).data() == "Seated")
    place.book(name="Late Booker", phone="+79051230000", time=dt.time(22, 0))
    qtbot.waitUntil(lambda: "Late Booker" in names(panel))
    assert panel.summary.text() == "4 bookings · 10 covers"


def test_another_day(qtbot: QtBot, context: HostContext, panel: DayListPanel) -> None:
    context.set_day(FRIDAY + dt.timedelta(days=1))
    qtbot.waitUntil(lambda: panel.loaded and panel.model.rowCount() == 0)
    assert panel.stack.currentWidget() is panel.empty and "Sat 28 Nov" in panel.empty.text()
    context.set_day(FRIDAY)
    qtbot.waitUntil(lambda: panel.loaded and panel.model.rowCount() == 3)
    assert panel.title.text() == "Reservations · Fri 27 Nov"


def test_rows_drag_out_as_reservation_codes(qtbot: QtBot, panel: DayListPanel) -> None:
    index = panel.model.index(1, GUEST)
    assert panel.model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    data = panel.model.mimeData([index])
    code = panel.model.reservation_at(1).confirmation_code  # type: ignore[union-attr]
    assert data.hasFormat(RESERVATION_MIME)
    assert bytes(data.data(RESERVATION_MIME).data()).decode() == code and data.text() == code
    assert panel.table.dragEnabled()


def test_double_click_opens_the_reservation(qtbot: QtBot, panel: DayListPanel) -> None:
    code = click_row(qtbot, panel, "Olga Smirnova")
    rect = panel.table.visualRect(panel.model.index(names(panel).index("Olga Smirnova"), TIME))
    with qtbot.waitSignal(panel.reservation_opened) as opened:
        qtbot.mouseDClick(panel.table.viewport(), LEFT, pos=rect.center())
    assert opened.args == [code]


def test_reschedule_opens_the_dialog_in_reschedule_mode(
    qtbot: QtBot, db: Database, place: Place, panel: DayListPanel
) -> None:
    code = click_row(qtbot, panel, "Anna Petrova")
    qtbot.mouseClick(panel.action_buttons["reschedule"], LEFT)
    dialog = panel.reschedule_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.reschedule_code == code  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.availability_loaded and bool(dialog.slot_picker.buttons))  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.slot_picker.buttons["21:30"], LEFT)  # type: ignore[attr-defined]
    with qtbot.waitSignal(panel.status_changed, timeout=10_000) as changed:
        qtbot.mouseClick(dialog.book_button, LEFT)  # type: ignore[attr-defined]
    assert changed.args == [code, "rescheduled"]
    assert status_in_db(db, place, code) is S.RESCHEDULED
