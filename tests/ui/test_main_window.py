"""The whole host-stand window on the demo restaurant: panels, shortcuts, live changes from
another terminal, and a lost database connection that shows a banner and recovers."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db.engine import create_db_engine
from app.demo import DEMO_ACCOUNTS, create_demo
from app.services.auth import authenticate
from app.services.booking import BookingRequest, book
from app.services.database import Database
from app.services.restaurants import list_restaurants
from tests.ui.screens import save_screenshot
from ui.host_context import HostContext
from ui.live_updates import LiveUpdates
from ui.reservations import ReservationDialog
from ui.shell.main_window import MainWindow

TODAY = dt.date(2026, 11, 27)  # a Friday
MOSCOW = ZoneInfo("Europe/Moscow")
NOW = dt.datetime.combine(TODAY, dt.time(19, 35), tzinfo=MOSCOW).astimezone(dt.UTC)


def open_window(
    qtbot: QtBot,
    db: Database,
    role: str = "manager",
    *,
    live: bool = False,
    clock: Callable[[], dt.datetime] = lambda: NOW,
) -> MainWindow:
    restaurant_id = create_demo(db, today=TODAY, now=NOW)
    restaurants = list_restaurants(db)
    chosen = next(r for r in restaurants if r.id == restaurant_id)
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    user = authenticate(db, account.email, account.password)
    context = HostContext(db, user, restaurant_id, TODAY, timezone=chosen.timezone,
                          clock=clock)  # fmt: skip
    updates = LiveUpdates(db) if live else None
    window = MainWindow(context, restaurants, live=updates)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    if updates is not None:
        updates.start()
    qtbot.waitUntil(lambda: window.day_list.loaded, timeout=20_000)
    return window


def test_the_window_opens_on_the_demo_day_with_every_panel(
    qtbot: QtBot, db: Database, styled: None, backend: str
) -> None:
    window = open_window(qtbot, db)
    assert window.day_list.model.rowCount() > 20
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Floor plan", "Timeline", "Guests", "Dashboard",  # a manager sees reports
    ]  # fmt: skip
    kind = "local file" if backend == "sqlite" else "server"
    assert window.database_label.text().startswith(f"Database ({kind})")
    assert "Manager" in window.user_label.text() or "manager" in window.user_label.text()
    qtbot.waitUntil(lambda: window.floor.loaded, timeout=20_000)
    # At 19:35 the list opens on the evening, not on lunch's finished bookings.
    table, rows = window.day_list.table, window.day_list.model

    def top_row_is_current() -> bool:
        top = rows.reservation_at(table.rowAt(0))
        return top is not None and top.ends_at > NOW

    qtbot.waitUntil(top_row_is_current, timeout=5000)
    above = rows.reservation_at(table.rowAt(0) - 1)
    assert above is not None and above.ends_at <= NOW
    qtbot.wait(100)
    save_screenshot(window.grab().toImage(), "main-window.png", backend)
    # Keyboard: the next day, back to today, the timeline tab.
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.context.day == TODAY + dt.timedelta(days=1)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.context.day == TODAY
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.tabs.currentWidget() is window.timeline
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert window.tabs.currentWidget() is window.guests


def test_a_booking_made_on_another_terminal_appears_in_the_open_window(
    qtbot: QtBot, db: Database, database_url: str
) -> None:
    window = open_window(qtbot, db, "staff", live=True)
    before = window.day_list.model.rowCount()
    qtbot.wait(700)  # the watcher takes its first reading
    elsewhere = Database.from_engine(create_db_engine(database_url))
    try:
        made = book(elsewhere, BookingRequest(
            restaurant_id=window.context.restaurant_id, date=TODAY, time=dt.time(22, 30),
            party_size=2, name="Remote Terminal", phone="+79995550101",
        ), now=NOW)  # fmt: skip
    finally:
        elsewhere.close()
    code = made.reservation.confirmation_code
    qtbot.waitUntil(lambda: window.day_list.model.rowCount() == before + 1, timeout=5000)
    assert window.day_list.select(code)


def test_a_lost_server_shows_the_banner_and_an_edit_waits_for_it(
    qtbot: QtBot, db: Database, backend: str, pg_server: object
) -> None:
    if backend != "postgresql" or not hasattr(pg_server, "start"):
        pytest.skip("needs a PostgreSQL server this test may stop")
    window = open_window(qtbot, db, "staff", live=True)
    qtbot.wait(700)
    dialog = ReservationDialog(window.context, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.availability_loaded and bool(dialog.slot_picker.buttons))
    qtbot.keyClicks(dialog.phone, "+7 903 555-44-33")
    qtbot.keyClicks(dialog.name, "Patient Guest")
    free = [t for t, b in dialog.slot_picker.buttons.items() if b.isEnabled()]
    qtbot.mouseClick(dialog.slot_picker.buttons[free[-1]], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.book_button.isEnabled())
    pg_server.stop(remove=False)  # type: ignore[attr-defined]
    try:
        qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10_000)
        assert "disconnected" in window.connection_label.text()
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20_000)
        assert dialog.isVisible(), "the host's edit stays on screen"
    finally:
        pg_server.start()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20_000)
    assert "connected" in window.connection_label.text()
    with qtbot.waitSignal(dialog.reservation_booked, timeout=20_000):
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)


def test_a_table_booked_through_sofias_panel_appears_on_the_timeline(
    qtbot: QtBot, db: Database
) -> None:
    started = time.monotonic()  # messages need distinct times to keep their order
    window = open_window(
        qtbot, db, "staff", clock=lambda: NOW + dt.timedelta(seconds=time.monotonic() - started)
    )
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.sofia_dock.isVisible()
    panel = window.sofia
    qtbot.waitUntil(lambda: panel.loaded, timeout=10_000)
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)

    def say(text: str) -> str:
        before = len(panel.transcript.messages)
        qtbot.keyClicks(panel.composer, text)
        qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(panel.transcript.messages) >= before + 2, timeout=10_000)
        return panel.transcript.messages[-1].text

    say("table for 2 today at 23:00")
    say("My name is Panel Guest")
    assert "Panel Guest" in say("+7 916 765-43-21")
    assert "booked" in say("yes")
    window.tabs.setCurrentWidget(window.timeline)

    def on_timeline() -> bool:
        model = window.timeline.model
        return model is not None and any(
            r.guest_name == "Panel Guest" for r in model.snapshot.reservations
        )

    qtbot.waitUntil(on_timeline, timeout=10_000)
