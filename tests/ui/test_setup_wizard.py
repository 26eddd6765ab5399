"""The first start: the set-up wizard driven like a person would (clicks and keys), from an empty
data folder to the host-stand window signed in; the demo instead; a server that fails the test;
a damaged settings file; a database given on the command line."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QLabel, QTimeEdit, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import server_check
from app.db.enums import UserRole
from app.db.models import Restaurant, User
from app.demo import create_demo
from app.local_config import DatabaseChoice, config_file, load_database_choice
from app.paths import default_sqlite_path
from app.services.database import connect
from app.services.restaurants import import_restaurant
from tests.support.postgres_server import PostgresServer, free_port
from tests.ui.screens import distinct_colours, save_screenshot
from ui.application import show_host_stand
from ui.setup import SetupWizard, startup
from ui.setup.setup_wizard import ADMIN, DEMO, HOURS, JOIN, RESTAURANT
from ui.setup.startup import Ready, prepare, ready_from
from ui.shell.main_window import MainWindow

Button = QWizard.WizardButton


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    # A radio button or check box reacts on its mark and label, at the left of a wide row.
    where = QPoint(8, button.height() // 2) if button.isCheckable() else QPoint()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=where)


def next_page(qtbot: QtBot, wizard: SetupWizard, expected: int) -> None:
    click(qtbot, wizard.button(Button.NextButton))
    qtbot.waitUntil(lambda: wizard.currentId() == expected, timeout=10_000)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def type_time(qtbot: QtBot, edit: QTimeEdit, hhmm: str) -> None:
    edit.setFocus()
    edit.setSelectedSection(QTimeEdit.Section.HourSection)
    qtbot.keyClicks(edit, hhmm.replace(":", ""))
    assert edit.time().toString("HH:mm") == hhmm


def shot(qtbot: QtBot, wizard: SetupWizard, name: str) -> None:
    qtbot.wait(50)
    image = wizard.grab().toImage()
    assert distinct_colours(image) > 12, f"{name} looks blank"
    save_screenshot(image, name, "sqlite")


@pytest.fixture
def wizard(qtbot: QtBot, styled: None) -> Iterator[SetupWizard]:
    """What a first start on an empty data folder shows."""
    assert not default_sqlite_path().exists() and not config_file().exists()
    step = prepare(None)
    assert isinstance(step, SetupWizard)
    qtbot.addWidget(step)
    step.resize(860, 660)
    step.show()
    yield step
    if step.outcome is not None:
        step.outcome.db.close()


def close_window(qtbot: QtBot, window: object) -> None:
    assert isinstance(window, MainWindow)
    window.close()
    qtbot.wait(50)


def test_a_first_start_walks_through_the_wizard_to_the_host_stand_window(
    qtbot: QtBot, wizard: SetupWizard
) -> None:
    page = wizard.database_page
    assert page.local.isChecked() and not page.server_box.isEnabled()
    assert str(default_sqlite_path()) in page.local_hint.text()
    shot(qtbot, wizard, "setup-database.png")
    next_page(qtbot, wizard, RESTAURANT)  # the file is checked on a worker, then Next moves on
    assert "will be created" in page.status.text() and not default_sqlite_path().exists()

    restaurant = wizard.restaurant_page
    click(qtbot, wizard.button(Button.NextButton))  # nothing typed yet
    assert wizard.currentId() == RESTAURANT
    assert restaurant.fields["name"].error.text() == "The restaurant's name is required."
    shot(qtbot, wizard, "setup-restaurant-errors.png")
    type_into(qtbot, restaurant.name, "Bistro Nord")
    assert not restaurant.fields["name"].error.isVisible()  # typing takes the error away
    type_into(qtbot, restaurant.address, "Nevsky prospekt 1, St Petersburg")
    type_into(qtbot, restaurant.timezone.lineEdit(), "Asia/Yekaterinburg")
    assert restaurant.timezone.currentText() == "Asia/Yekaterinburg"
    shot(qtbot, wizard, "setup-restaurant.png")
    next_page(qtbot, wizard, HOURS)
    assert not restaurant.fields["name"].error.isVisible()

    hours = wizard.hours_page.editor
    monday, friday, saturday = hours.rows["mon"], hours.rows["fri"], hours.rows["sat"]
    click(qtbot, monday.open)  # closed on Mondays
    click(qtbot, friday.split)  # lunch and dinner; dinner runs past midnight
    assert friday.services() == [["12:00", "15:00"], ["18:00", "23:00"]]
    type_time(qtbot, friday.second[1], "02:00")
    click(qtbot, saturday.split)
    click(qtbot, saturday.split)  # a second click: one service again (lunch 12:00–15:00)
    assert saturday.services() == [["12:00", "15:00"]]
    type_time(qtbot, saturday.first[1], "01:30")
    type_time(qtbot, friday.first[1], "19:00")  # overlaps dinner
    click(qtbot, wizard.button(Button.NextButton))
    assert wizard.hours_page.error.text() == (
        "Friday: the service from 12:00 overlaps the one from 18:00."
    )
    assert "after midnight" in friday.note.text() and monday.note.text() == "Closed"
    type_time(qtbot, friday.first[1], "15:00")
    assert not wizard.hours_page.error.isVisible()
    shot(qtbot, wizard, "setup-hours.png")
    next_page(qtbot, wizard, ADMIN)

    admin = wizard.admin_page
    type_into(qtbot, admin.name, "Irina Petrova")
    type_into(qtbot, admin.email, "Irina@Bistro-Nord.ru")
    type_into(qtbot, admin.password, "short")
    click(qtbot, wizard.button(Button.FinishButton))
    assert admin.fields["admin_password"].error.text() == (
        "The password must have at least 8 characters."
    )
    type_into(qtbot, admin.password, "white nights 1703")
    type_into(qtbot, admin.again, "white nights 1730")
    click(qtbot, wizard.button(Button.FinishButton))
    assert "differ" in admin.fields["password_again"].error.text()
    assert not admin.fields["admin_password"].error.isVisible()
    type_into(qtbot, admin.again, "white nights 1703")
    shot(qtbot, wizard, "setup-admin.png")
    click(qtbot, wizard.button(Button.FinishButton))
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=30_000)
    assert not wizard.isVisible()

    ready = ready_from(wizard)
    assert isinstance(ready, Ready) and ready.user is not None
    window = show_host_stand(ready.db, ready.user)  # signed in: no sign-in dialog
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.day_list.loaded, timeout=20_000)
    assert window.isVisible()
    assert window.restaurant_box.currentText() == "Bistro Nord"
    assert window.user_label.text() == "Irina Petrova · admin"
    assert window.database_label.text().startswith("Database (local file)")
    assert window.context.timezone == "Asia/Yekaterinburg"

    with ready.db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(Restaurant)).all()
        [user] = uow.session.scalars(select(User)).all()
        assert (row.name, row.address, row.timezone) == (
            "Bistro Nord", "Nevsky prospekt 1, St Petersburg", "Asia/Yekaterinburg",
        )  # fmt: skip
        assert row.opening_hours == {
            "tue": [["12:00", "23:00"]], "wed": [["12:00", "23:00"]],
            "thu": [["12:00", "23:00"]], "fri": [["12:00", "15:00"], ["18:00", "02:00"]],
            "sat": [["12:00", "01:30"]], "sun": [["12:00", "23:00"]],
        }  # fmt: skip
        assert (user.email, user.role, user.last_login) == (
            "irina@bistro-nord.ru", UserRole.ADMIN, None,
        )  # fmt: skip
        assert user.password.startswith("$2") and "white nights" not in user.password
    assert default_sqlite_path().exists()
    assert load_database_choice() == DatabaseChoice.local()
    close_window(qtbot, window)

    # The next start opens the same database and asks for a sign-in.
    again = prepare(None)
    assert isinstance(again, Ready) and again.user is None
    again.db.close()


def test_the_demo_instead_shows_its_accounts_and_signs_in_its_admin(
    qtbot: QtBot, wizard: SetupWizard
) -> None:
    next_page(qtbot, wizard, RESTAURANT)
    click(qtbot, wizard.restaurant_page.demo)
    assert not wizard.restaurant_page.name.isEnabled()
    next_page(qtbot, wizard, DEMO)
    texts = [label.text() for label in wizard.demo_page.findChildren(QLabel)]
    for expected in ("admin@tobeout.demo", "admin-demo", "manager@tobeout.demo", "host-demo"):
        assert expected in texts
    shot(qtbot, wizard, "setup-demo.png")
    click(qtbot, wizard.button(Button.FinishButton))
    assert wizard.finishing and not wizard.button(Button.CancelButton).isEnabled()
    assert "Loading the demo restaurant" in wizard.demo_page.status.text()
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=60_000)

    ready = ready_from(wizard)
    assert ready is not None and ready.user is not None
    assert (ready.user.email, ready.user.role) == ("admin@tobeout.demo", UserRole.ADMIN)
    window = show_host_stand(ready.db, ready.user, live=False)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.day_list.loaded, timeout=20_000)
    assert window.restaurant_box.currentText() == wizard.outcome.restaurant.name  # type: ignore[union-attr]
    assert wizard.outcome is not None and wizard.outcome.restaurant is not None
    assert wizard.outcome.restaurant.is_demo and wizard.outcome.restaurant.table_count > 10
    close_window(qtbot, window)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a server that hangs)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        yield listener.getsockname()[1]


def fill_server(qtbot: QtBot, wizard: SetupWizard, *, host: str, port: int, database: str,
                user: str, password: str = "") -> None:  # fmt: skip
    page = wizard.database_page
    click(qtbot, page.server)
    type_into(qtbot, page.host, host)
    type_into(qtbot, page.port, str(port))
    type_into(qtbot, page.database, database)
    type_into(qtbot, page.user, user)
    type_into(qtbot, page.password, password)
    assert page.port.value() == port


def test_a_failing_server_says_why_without_freezing_the_window(
    qtbot: QtBot, wizard: SetupWizard, silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = wizard.database_page
    fill_server(qtbot, wizard, host="127.0.0.1", port=free_port(), database="tobeout",
                user="host", password="secret")  # fmt: skip
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: page.status.property("state") == "error", timeout=10_000)
    assert page.status.text().startswith("Nothing answers at 127.0.0.1:")
    assert page.host.hasFocus()

    # A server that hangs: the check runs on a worker while the window keeps drawing.
    monkeypatch.setattr(server_check, "CONNECT_TIMEOUT", 2)
    type_into(qtbot, page.port, str(silent_port))
    ticks: list[float] = []
    timer = QTimer(wizard)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    click(qtbot, wizard.button(Button.NextButton))
    assert page.status.text() == f"Checking 127.0.0.1:{silent_port}…"
    assert not page.test_button.isEnabled()
    qtbot.waitUntil(lambda: page.status.property("state") == "error", timeout=15_000)
    timer.stop()
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) >= 10 and max(gaps) < 1.5  # the 2 s wait never blocked the UI thread
    assert "did not answer within 2 seconds" in page.status.text()
    assert wizard.currentId() != RESTAURANT and page.test_button.isEnabled()
    shot(qtbot, wizard, "setup-database-error.png")
    assert not config_file().exists()


def test_a_damaged_settings_file_asks_again_and_joins_the_local_restaurants(
    qtbot: QtBot, styled: None
) -> None:
    db = connect(None)  # the local file, with a restaurant another start made
    import_restaurant(db, {"restaurant": {"name": "Café Sud"}, "tables": []})
    db.close()
    config_file().parent.mkdir(parents=True)
    config_file().write_text('{"version": 1, "database": {"kind": "postgr', encoding="utf-8")

    step = prepare(None)
    assert isinstance(step, SetupWizard)
    qtbot.addWidget(step)
    step.resize(860, 660)
    step.show()
    page = step.database_page
    assert page.problem.isVisible() and "settings file" in page.problem.text()
    assert "is damaged" in page.problem.text()
    next_page(qtbot, step, JOIN)
    assert "Café Sud" in step.join_page.summary.text()
    shot(qtbot, step, "setup-join.png")
    click(qtbot, step.button(Button.FinishButton))
    qtbot.waitUntil(lambda: step.result() == QWizard.DialogCode.Accepted, timeout=20_000)
    ready = ready_from(step)
    assert ready is not None and ready.user is None  # the sign-in dialog comes next
    ready.db.close()
    assert json.loads(config_file().read_text()) == {"version": 1, "database": {"kind": "local"}}


def test_a_configured_server_that_is_down_can_be_chosen_again(
    qtbot: QtBot, styled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.local_config import save_database_choice

    port = free_port()
    save_database_choice(DatabaseChoice.postgresql(host="127.0.0.1", port=port,
                                                   database="tobeout", user="host",
                                                   password="pw"))  # fmt: skip
    asked: list[str] = []

    def choose_again(parent: object, message: str) -> object:
        asked.append(message)
        return startup.QMessageBox.StandardButton.Reset

    monkeypatch.setattr(startup, "_ask_after_failure", choose_again)
    step = prepare(None)
    assert isinstance(step, SetupWizard)
    qtbot.addWidget(step)
    assert len(asked) == 1 and "Cannot open the database" in asked[0]
    page = step.database_page
    assert page.server.isChecked() and page.port.value() == port and page.password.text() == "pw"
    assert page.problem.text() == asked[0]


def test_an_empty_database_from_the_command_line_skips_the_database_page(
    qtbot: QtBot, styled: None, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/given.sqlite3"
    step = prepare(url)
    assert isinstance(step, SetupWizard) and step.fixed_database is not None
    qtbot.addWidget(step)
    step.show()
    assert step.currentId() == RESTAURANT and step.pageIds() == [1, 2, 3, 4, 5]
    step.reject()
    assert ready_from(step) is None
    assert not config_file().exists()
    db = connect(url)
    try:
        create_demo(db)
    finally:
        db.close()
    ready = prepare(url)
    assert isinstance(ready, Ready)
    ready.db.close()


def test_setting_up_on_a_postgresql_server(
    qtbot: QtBot, wizard: SetupWizard, pg_server: PostgresServer
) -> None:
    name = f"tobeout_wizard_{os.getpid()}_{time.monotonic_ns()}"
    pg_server.create_database(name)
    try:
        fill_server(qtbot, wizard, host="127.0.0.1", port=pg_server.port, database=name,
                    user=pg_server.user)  # fmt: skip
        page = wizard.database_page
        click(qtbot, page.test_button)
        qtbot.waitUntil(lambda: page.status.property("state") == "ok", timeout=15_000)
        assert "an empty database, ready for ToBeOut" in page.status.text()
        next_page(qtbot, wizard, RESTAURANT)  # already checked: no second check
        type_into(qtbot, wizard.restaurant_page.name, "Server Bistro")
        next_page(qtbot, wizard, HOURS)
        next_page(qtbot, wizard, ADMIN)
        admin = wizard.admin_page
        type_into(qtbot, admin.name, "Oleg")
        type_into(qtbot, admin.email, "oleg@server-bistro.ru")
        type_into(qtbot, admin.password, "long enough")
        type_into(qtbot, admin.again, "long enough")
        click(qtbot, wizard.button(Button.FinishButton))
        qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=60_000)
        ready = ready_from(wizard)
        assert ready is not None and ready.user is not None and not ready.db.is_sqlite
        assert ready.user.email == "oleg@server-bistro.ru"
        choice = load_database_choice()
        assert choice is not None and (choice.kind, choice.database) == ("postgresql", name)
        assert not default_sqlite_path().exists()
    finally:
        if wizard.outcome is not None:
            wizard.outcome.db.close()
            wizard.outcome = None
        pg_server.drop_database(name)


def test_run_desktop_opens_a_database_with_restaurants_at_the_sign_in(
    qtbot: QtBot, styled: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    from ui import application
    from ui.shell.login_dialog import LoginDialog

    url = f"sqlite:///{tmp_path}/demo.sqlite3"
    db = connect(url)
    create_demo(db)
    db.close()
    shown: list[MainWindow] = []

    def sign_in(dialog: LoginDialog) -> int:  # the host types, instead of a modal loop
        qtbot.addWidget(dialog)
        dialog.show()
        type_into(qtbot, dialog.email, "host@tobeout.demo")
        type_into(qtbot, dialog.password, "host-demo")
        click(qtbot, dialog.buttons.buttons()[0])
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=10_000)
        return int(LoginDialog.DialogCode.Accepted)

    def event_loop(app: QApplication) -> int:  # the window is up: close it, as at day's end
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        shown.extend(w for w in windows if w.isVisible())
        for window in shown:
            qtbot.addWidget(window)
            window.close()
        return 0

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert application.run_desktop(url) == 0
    [window] = shown
    assert window.user_label.text().startswith("Daria Kuznetsova")
    assert not config_file().exists()  # a database from the command line is not remembered
