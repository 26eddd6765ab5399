"""Sign-in through the real dialog, lock-out, and changes from another terminal arriving live."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db.engine import create_db_engine
from app.services.accounts import add_user
from app.services.auth import MAX_FAILURES
from app.services.database import Database
from app.services.floor_plan import mark_cleaned
from tests.app.services.conftest import create_place
from ui.host_context import HostContext
from ui.live_updates import LiveUpdates
from ui.shell.login_dialog import LoginDialog


def _sign_in(qtbot: QtBot, dialog: LoginDialog, email: str, password: str) -> None:
    dialog.email.setText(email)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)


def test_sign_in_then_lock_out(qtbot: QtBot, db: Database) -> None:
    add_user(db, email="host@bistro.ru", name="Maria", role="staff", password="correct horse")
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    for attempt in range(MAX_FAILURES):
        _sign_in(qtbot, dialog, "host@bistro.ru", f"nope {attempt}")
        qtbot.waitUntil(lambda: ok.isEnabled() and dialog.error.isVisibleTo(dialog))
    assert "locked" in dialog.error.text()
    _sign_in(qtbot, dialog, "host@bistro.ru", "correct horse")
    qtbot.waitUntil(lambda: ok.isEnabled() and "locked for" in dialog.error.text())
    assert dialog.user is None and dialog.password.text() == ""

    other = LoginDialog(db)
    qtbot.addWidget(other)
    add_user(db, email="boss@bistro.ru", name="Boss", role="manager", password="long enough")
    with qtbot.waitSignal(other.signed_in, timeout=5000) as signed:
        _sign_in(qtbot, other, "BOSS@bistro.ru", "long enough")
    assert signed.args[0].name == "Boss" and other.user is not None


def test_a_change_from_another_terminal_reaches_the_open_window(
    qtbot: QtBot, db: Database, database_url: str
) -> None:
    place = create_place(db)
    user = add_user(db, email="h@b.ru", name="Host", role="staff", password="long enough")
    context = HostContext(db, user, place.restaurant_id, dt.date(2026, 11, 27))
    live = LiveUpdates(db)
    live.changes_arrived.connect(context.announce)
    seen: list[str] = []
    context.data_changed.connect(lambda kind, ids: seen.append(kind))
    live.start()
    try:
        qtbot.wait(600)  # the watcher takes its first reading
        seen.clear()
        elsewhere = Database.from_engine(create_db_engine(database_url))
        try:
            mark_cleaned(elsewhere, place.table_ids["A1"])  # not on this Database's bus
        finally:
            elsewhere.close()
        qtbot.waitUntil(lambda: "table" in seen, timeout=5000)
    finally:
        live.stop()
        context.close()
