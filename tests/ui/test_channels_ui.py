"""Channels in the desktop app: the window runs the sync worker on its own thread against a real
(fake) Telegram Bot API server and stops it when it closes; new conversations and handoffs reach
the Sofia inbox and the status bar; the integrations dialog adds a bot and masks its token,
refuses a bad token field by field, tests the connection; staff cannot open it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.channels import integrations
from app.channels.worker import SyncWorker
from app.db.enums import Platform
from app.db.models import IntegrationSetting
from app.errors import PermissionDenied
from app.services.accounts import UserSummary, add_user
from app.services.database import Database
from app.services.restaurants import list_restaurants
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from tests.support.fake_telegram import TOKEN, FakeTelegram, fake_telegram
from tests.support.local_http import reply_json, serving
from tests.ui.screens import distinct_colours, save_screenshot
from ui.application import open_main_window
from ui.channels.integrations_dialog import IntegrationsDialog
from ui.channels.sync_thread import ChannelState
from ui.host_context import HostContext
from ui.shell.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with fake_telegram() as fake:
        yield fake


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


def user(db: Database, role: str) -> UserSummary:
    return add_user(db, email=f"{role}@bistro.ru", name=f"Maria {role.title()}", role=role,
                    password="long enough")  # fmt: skip


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def stored_credentials(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return [row.credentials for row in uow.session.scalars(select(IntegrationSetting))]


# -- the worker thread in the window ------------------------------------------------------------


def test_the_window_runs_the_channel_worker_and_stops_it_cleanly(
    qtbot: QtBot,
    db: Database,
    place: Place,
    telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    qtlog: object,
) -> None:
    caplog.set_level(logging.WARNING)
    integrations.add_telegram(db, place.restaurant_id, telegram.token, api_base_url=telegram.url)
    window = open_main_window(db, user(db, "manager"), list_restaurants(db))
    assert isinstance(window, MainWindow) and window.sync is not None
    qtbot.addWidget(window)
    window.show()
    sync = window.sync
    assert sync.is_running() and window.integrations_action.isVisible()
    qtbot.waitUntil(lambda: window.sofia.loaded and "Telegram ✓" in window.channel_label.text(),
                    timeout=20_000)  # fmt: skip
    assert window.channel_label.property("state") == "ok"

    # A guest writes: Sofia answers over Telegram, the chat appears in the inbox and the bar.
    with qtbot.waitSignal(window.sofia.conversation_arrived, timeout=20_000) as arrived:
        telegram.message("Hello! A table for 2 tomorrow at 19:00 please")
    qtbot.waitUntil(lambda: len(telegram.sent) == 1, timeout=10_000)
    assert "19:00" in telegram.sent[0]["text"] or "Sofia" in telegram.sent[0]["text"]
    entries = window.sofia.entries()
    assert [(e.id, e.platform) for e in entries] == [(arrived.args[0], Platform.TELEGRAM)]
    assert "New conversation with" in window.statusBar().currentMessage()

    # The guest asks for a person: the handoff reaches the status bar.
    with qtbot.waitSignal(window.sofia.handoff_requested, timeout=20_000):
        telegram.message("I want to talk to a manager")
    qtbot.waitUntil(lambda: len(telegram.sent) == 2, timeout=10_000)
    assert "waiting for a person" in window.statusBar().currentMessage()
    assert window.sofia_label.text() == "Sofia: 1 need a human"

    window.close()
    assert sync.qthread.isFinished() and not sync.is_running()
    sent = len(telegram.sent)
    qtbot.wait(1500)  # a stopped worker polls and sends nothing more
    assert len(telegram.sent) == sent
    polls = telegram.count("getUpdates")
    qtbot.wait(1200)
    assert telegram.count("getUpdates") == polls
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    qt_warnings = [r.message for r in qtlog.records]  # type: ignore[attr-defined]
    assert not [m for m in qt_warnings if "QThread" in m or "Destroyed" in m], qt_warnings


def test_the_status_bar_shows_channel_trouble(qtbot: QtBot, db: Database, place: Place) -> None:
    context = HostContext(db, user(db, "staff"), place.restaurant_id, FRIDAY, clock=lambda: NOW)
    window = MainWindow(context, list_restaurants(db))
    qtbot.addWidget(window)
    assert window.channel_label.text() == "" and not window.integrations_action.isVisible()
    base = ChannelState(1, place.restaurant_id, "telegram", True, NOW, 0, None, False, False)
    elsewhere = ChannelState(2, place.restaurant_id + 1, "whatsapp", True, None, 9, "x", True,
                             False)  # fmt: skip
    window._channel_states((base, elsewhere))
    local = NOW.astimezone(ZoneInfo(context.timezone)).strftime("%H:%M")
    assert window.channel_label.text() == f"Telegram ✓ {local}"
    troubled = ChannelState(1, place.restaurant_id, "telegram", True, NOW, 3,
                            "TransientError: scripted 500", False, False)  # fmt: skip
    window._channel_states((troubled,))
    assert window.channel_label.text() == "Telegram ⚠ 3 errors"
    assert window.channel_label.property("state") == "warn"
    assert "scripted 500" in window.channel_label.toolTip()
    paused = ChannelState(1, place.restaurant_id, "telegram", True, NOW, 5, "boom", True, False)
    window._channel_states((paused,))
    assert window.channel_label.text() == "Telegram ⚠ paused (5 errors)"
    context.close()


# -- the integrations dialog -------------------------------------------------------------------


@pytest.fixture
def manager_context(db: Database, place: Place) -> Iterator[HostContext]:
    context = HostContext(db, user(db, "manager"), place.restaurant_id, FRIDAY,
                          clock=lambda: NOW)  # fmt: skip
    yield context
    context.close()


def open_dialog(qtbot: QtBot, context: HostContext) -> IntegrationsDialog:
    dialog = IntegrationsDialog(context, restaurant_name="Bistro")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy)
    return dialog


def visible_texts(widget: QWidget) -> str:
    parts = [w.text() for w in widget.findChildren(QLabel)]
    for edit in widget.findChildren(QLineEdit):
        parts += [edit.text(), edit.placeholderText(), edit.displayText()]
    return "\n".join(parts)


def test_the_dialog_adds_a_bot_masks_its_token_and_refuses_a_bad_one(
    qtbot: QtBot, db: Database, manager_context: HostContext, telegram: FakeTelegram
) -> None:
    dialog = open_dialog(qtbot, manager_context)
    card = dialog.cards["telegram"]
    assert "Not set up" in card.state_label.text()
    assert not card.test_button.isEnabled() and not card.toggle_button.isEnabled()
    url = card.editors["api_base_url"]
    url.selectAll()
    qtbot.keyClicks(url, telegram.url)
    qtbot.keyClicks(card.editors["token"], TOKEN)
    assert card.editors["token"].echoMode() == QLineEdit.EchoMode.Password
    click(qtbot, card.save_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.view is not None)
    assert card.note.text() == "Saved."
    (view,) = integrations.list_integrations(db)
    assert view.is_active and view.api_base_url == telegram.url
    assert view.credential_hint == "••••" + TOKEN[-4:]
    assert card.editors["token"].text() == "", "the token is never filled back in"
    assert view.credential_hint in card.editors["token"].placeholderText()
    assert TOKEN not in visible_texts(dialog) and TOKEN[:20] not in visible_texts(dialog)
    assert "Active" in card.state_label.text()

    # A bad token: a message under the token field, and nothing stored changes.
    before = stored_credentials(db)
    qtbot.keyClicks(card.editors["token"], "not-a-token")
    click(qtbot, card.save_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.errors["token"].isVisible())
    assert "does not look like a Telegram token" in card.errors["token"].text()
    assert not card.errors["api_base_url"].isVisible() and not card.general_error.isVisible()
    assert stored_credentials(db) == before
    assert integrations.list_integrations(db) == [view]

    # Test connection runs getMe against the server, off the UI thread.
    card.editors["token"].clear()
    click(qtbot, card.test_button)
    qtbot.waitUntil(lambda: not dialog.busy and "Connected" in card.note.text())
    assert "@test_sofia_bot" in card.note.text() and telegram.count("getMe") == 1
    assert not card.errors["token"].isVisible()

    # Disable and enable again.
    click(qtbot, card.toggle_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.toggle_button.text() == "Enable")
    assert not integrations.list_integrations(db)[0].is_active
    assert "Disabled" in card.state_label.text()
    click(qtbot, card.toggle_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.toggle_button.text() == "Disable")
    assert integrations.list_integrations(db)[0].is_active


def test_a_whatsapp_number_is_checked_field_by_field(
    qtbot: QtBot, db: Database, manager_context: HostContext
) -> None:
    dialog = open_dialog(qtbot, manager_context)
    card = dialog.cards["whatsapp"]
    qtbot.keyClicks(card.editors["phone_number_id"], "10987654321")
    qtbot.keyClicks(card.editors["access_token"], "EAAG-access-token-1234")
    qtbot.keyClicks(card.editors["app_secret"], "app-secret-5678")
    click(qtbot, card.save_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.errors["verify_token"].isVisible())
    assert "verify token" in card.errors["verify_token"].text()
    assert integrations.list_integrations(db) == []
    qtbot.keyClicks(card.editors["verify_token"], "verify-me-please")
    click(qtbot, card.save_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.view is not None)
    (view,) = integrations.list_integrations(db)
    assert view.settings["phone_number_id"] == "10987654321"
    assert all(card.editors[k].text() == "" for k in ("access_token", "app_secret",
                                                       "verify_token"))  # fmt: skip
    shown = visible_texts(dialog)
    assert "access-token" not in shown and "app-secret" not in shown and "verify-me" not in shown


def test_the_integrations_screen(
    qtbot: QtBot,
    db: Database,
    styled: None,
    manager_context: HostContext,
    telegram: FakeTelegram,
    backend: str,
) -> None:
    rid = manager_context.restaurant_id
    integrations.add_telegram(db, rid, telegram.token, api_base_url=telegram.url)
    worker = SyncWorker(db, now=lambda: NOW)
    try:
        worker.run_once()  # a first sync: last_sync is set
    finally:
        worker.close()
    integrations.add_whatsapp(
        db, rid, phone_number_id="10987654321", access_token="EAAG-access-token-1234",
        app_secret="app-secret-5678", verify_token="verify-me-please",
    )  # fmt: skip
    wa = next(v for v in integrations.list_integrations(db) if v.type.value == "whatsapp")
    with db.unit_of_work() as uow:
        row = uow.session.get(IntegrationSetting, wa.id)
        assert row is not None
        row.error_count, row.last_error = 2, "TransientError: HTTP 503 from the Graph API"
        uow.commit()
    dialog = open_dialog(qtbot, manager_context)
    assert "last sync" in dialog.cards["telegram"].state_label.text()
    assert "2 errors in a row" in dialog.cards["whatsapp"].state_label.text()
    dialog.buttons.buttons()[0].setFocus()
    qtbot.wait(50)
    image = dialog.grab().toImage()
    assert distinct_colours(image) > 20, "the screen is blank"
    save_screenshot(image, "integrations.png", backend)


# -- staff ---------------------------------------------------------------------------------------


def test_staff_cannot_open_the_integrations(
    qtbot: QtBot, db: Database, place: Place, telegram: FakeTelegram
) -> None:
    staff = user(db, "staff")
    context = HostContext(db, staff, place.restaurant_id, FRIDAY, clock=lambda: NOW)
    window = MainWindow(context, list_restaurants(db))
    qtbot.addWidget(window)
    window.show()
    assert not window.integrations_action.isVisible()
    window.open_integrations()
    assert window.integrations_dialog is None
    assert "for managers" in window.statusBar().currentMessage()
    # Built anyway, the dialog is refused by the services and offers nothing to press.
    dialog = IntegrationsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.error.isVisible() and "may not manage channel integrations" in dialog.error.text()
    card = dialog.cards["telegram"]
    assert not card.save_button.isEnabled() and not card.editors["token"].isEnabled()
    with pytest.raises(PermissionDenied):
        integrations.add_telegram(db, place.restaurant_id, TOKEN, user=staff)
    assert integrations.list_integrations(db) == []
    context.close()


@pytest.fixture
def graph() -> Iterator[str]:
    """A Graph API stand-in answering ``GET /{version}/{phone-number-id}`` for one token."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            good = self.headers.get("Authorization") == "Bearer EAAG-access-token-1234"
            if good and self.path == "/v26.0/10987654321":
                status, body = 200, {"verified_name": "Bistro on WhatsApp", "id": "10987654321"}
            else:
                status, body = 401, {"error": {"message": "Invalid OAuth access token.",
                                               "code": 190}}  # fmt: skip
            reply_json(self, status, json.dumps(body).encode())

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as url:
        yield url


def test_a_whatsapp_number_answers_the_connection_test(
    qtbot: QtBot, db: Database, manager_context: HostContext, graph: str
) -> None:
    rid = manager_context.restaurant_id
    integrations.add_whatsapp(
        db, rid, phone_number_id="10987654321", access_token="EAAG-access-token-1234",
        app_secret="app-secret-5678", verify_token="verify-me-please", api_base_url=graph,
    )  # fmt: skip
    dialog = open_dialog(qtbot, manager_context)
    card = dialog.cards["whatsapp"]
    click(qtbot, card.test_button)
    qtbot.waitUntil(lambda: not dialog.busy and "Connected" in card.note.text())
    assert "Bistro on WhatsApp" in card.note.text()
    # A new (wrong) access token: saved, then refused by the server, in words.
    typed = {"access_token": "EAAG-revoked-token-9999", "app_secret": "app-secret-5678",
             "verify_token": "verify-me-please"}  # fmt: skip
    for key, value in typed.items():
        qtbot.keyClicks(card.editors[key], value)
    click(qtbot, card.save_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.note.text() == "Saved.")
    click(qtbot, card.test_button)
    qtbot.waitUntil(lambda: not dialog.busy and card.errors["access_token"].isVisible())
    shown = visible_texts(dialog)
    assert "HTTP 401" in shown and "Invalid OAuth access token" in shown
    assert "revoked-token" not in shown
