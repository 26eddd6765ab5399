"""The shared PostgreSQL server restarts under an open host stand: the banner shows, the host's
booking (finished during the outage) is kept on screen and saved once the server is back, and
changes from another terminal arrive live again after the restart."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db.engine import create_db_engine
from app.demo import DEMO_ACCOUNTS, create_demo
from app.services.auth import authenticate
from app.services.booking import BookingRequest, book
from app.services.database import Database
from app.services.restaurants import list_restaurants
from ui.host_context import HostContext
from ui.live_updates import LiveUpdates
from ui.reservations import ReservationDialog
from ui.shell.main_window import MainWindow

TODAY = dt.date(2026, 11, 27)  # a Friday
NOW = dt.datetime.combine(TODAY, dt.time(12, 5), tzinfo=ZoneInfo("Europe/Moscow")).astimezone(
    dt.UTC
)
LONG = 30_000  # ms: a stopped server, reconnect back-off and a slow CI machine


def _open_window(qtbot: QtBot, db: Database) -> MainWindow:
    restaurant_id = create_demo(db, today=TODAY, now=NOW)
    restaurants = list_restaurants(db)
    chosen = next(r for r in restaurants if r.id == restaurant_id)
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == "staff")
    user = authenticate(db, account.email, account.password)
    context = HostContext(db, user, restaurant_id, TODAY, timezone=chosen.timezone,
                          clock=lambda: NOW)  # fmt: skip
    live = LiveUpdates(db)
    window = MainWindow(context, restaurants, live=live)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    live.start()
    qtbot.waitUntil(lambda: window.day_list.loaded, timeout=LONG)
    return window


def _reservations_of(url: str, name: str) -> list[tuple[str, str | None, str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT r.confirmation_code, r.special_requests, r.time FROM reservations r "
                    "JOIN guests g ON g.id = r.guest_id WHERE g.name = :name"
                ),
                {"name": name},
            ).all()
    finally:
        engine.dispose()
    return [(code, requests, str(time)[:5]) for code, requests, time in rows]


@pytest.mark.postgres_only
def test_a_server_restart_under_the_open_app_loses_no_edit(
    qtbot: QtBot, db: Database, database_url: str, backend: str, pg_server: object
) -> None:
    if not hasattr(pg_server, "start"):
        pytest.skip("needs the throwaway PostgreSQL server, which this test stops and starts")
    window = _open_window(qtbot, db)
    assert window.live is not None
    # The watcher is listening before anything happens (its first reading succeeded).
    qtbot.waitUntil(lambda: "disconnected" not in window.connection_label.text(), timeout=LONG)

    dialog = ReservationDialog(window.context, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.availability_loaded and bool(dialog.slot_picker.buttons),
                    timeout=LONG)  # fmt: skip
    qtbot.keyClicks(dialog.phone, "+7 903 555-44-33")
    free = [t for t, b in dialog.slot_picker.buttons.items() if b.isEnabled()]
    chosen = free[-1]
    qtbot.mouseClick(dialog.slot_picker.buttons[chosen], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.book_button.isEnabled(), timeout=LONG)

    pg_server.stop(remove=False)  # type: ignore[attr-defined]
    try:
        qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=LONG)
        assert "disconnected" in window.connection_label.text()
        assert "cannot be reached" in window.banner.label.text()
        # The host finishes the booking while the server is down…
        qtbot.keyClicks(dialog.name, "Patient Guest")
        qtbot.keyClicks(dialog.requests, "window seat, birthday cake")
        qtbot.waitUntil(lambda: dialog.availability_loaded, timeout=LONG)
        qtbot.waitUntil(lambda: dialog.book_button.isEnabled(), timeout=LONG)
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
        # …is told it was not saved, and nothing typed is lost.
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=LONG)
        assert dialog.isVisible() and dialog.booked is None
        assert dialog.name.text() == "Patient Guest"
        assert dialog.requests.toPlainText() == "window seat, birthday cake"
    finally:
        pg_server.start()  # type: ignore[attr-defined]

    # The server is back: the banner goes by itself, the app reconnects.
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=LONG)
    assert "connected" in window.connection_label.text()
    assert _reservations_of(database_url, "Patient Guest") == []  # nothing half-saved
    # The dialog re-checks availability after the reconnect and keeps the host's time.
    qtbot.waitUntil(
        lambda: (
            dialog.availability_loaded
            and dialog.slot_picker.selected_time == chosen
            and dialog.book_button.isEnabled()
        ),
        timeout=LONG,
    )
    with qtbot.waitSignal(dialog.reservation_booked, timeout=LONG) as booked:
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    code = booked.args[0]
    # The edit reached the database, once, as typed.
    assert _reservations_of(database_url, "Patient Guest") == [
        (code, "window seat, birthday cake", chosen)
    ]
    qtbot.waitUntil(lambda: window.day_list.select(code), timeout=LONG)

    # Live updates resumed: another terminal's booking after the restart shows up here.
    before = window.day_list.model.rowCount()
    elsewhere = Database.from_engine(create_db_engine(database_url))
    try:
        remote = book(elsewhere, BookingRequest(
            restaurant_id=window.context.restaurant_id, date=TODAY, time=dt.time(22, 30),
            party_size=2, name="Remote Terminal", phone="+79995550101",
        ), now=NOW)  # fmt: skip
    finally:
        elsewhere.close()
    qtbot.waitUntil(lambda: window.day_list.model.rowCount() == before + 1, timeout=LONG)
    assert window.day_list.select(remote.reservation.confirmation_code)
    window.close()
