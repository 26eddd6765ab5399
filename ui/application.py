"""Starting the desktop app: open (and upgrade) the database, or the set-up wizard on a first
start (``ui.setup.startup``), sign in, then the host-stand window with live updates from other
terminals."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.errors import ToBeOutError
from app.paths import resources_dir
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.restaurants import RestaurantSummary, list_restaurants
from ui.host_context import HostContext
from ui.live_updates import LiveUpdates

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("ToBeOut Host Stand")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("ToBeOut")
    app.setStyleSheet(host_stand_style())
    return app


def host_stand_style() -> str:
    """The style sheet, with its icon URLs pointing at the installed resources folder."""
    style = resources_dir() / "styles" / "host_stand.qss"
    if not style.exists():
        return ""
    icons = (resources_dir() / "icons").as_posix()
    return style.read_text(encoding="utf-8").replace("@ICONS@", icons)


def open_main_window(
    db: Database,
    user: UserSummary,
    restaurants: list[RestaurantSummary],
    *,
    live: bool = True,
    channels: bool | None = None,
) -> object:
    """The window, with live updates and (unless ``channels`` is False; by default with
    ``live``) the channel sync worker, which idles while no integration is active. With
    ``live``, the local SQLite file also gets its automatic daily backup (checked hourly)."""
    from ui.channels.sync_thread import SyncThread
    from ui.shell.main_window import MainWindow

    chosen = next((r for r in restaurants if r.is_active), restaurants[0])
    today = dt.datetime.now(ZoneInfo(chosen.timezone)).date()
    context = HostContext(db, user, chosen.id, today, timezone=chosen.timezone)
    updates = LiveUpdates(db) if live else None
    sync = SyncThread(db) if (live if channels is None else channels) else None
    window = MainWindow(context, restaurants, live=updates, sync=sync)
    if updates is not None:
        updates.start()
    if sync is not None:
        sync.start()
    if live:
        from ui.backup_scheduler import start_daily_backups

        start_daily_backups(db, parent=window, report=context.message_posted.emit)
    return window


def run_desktop(database_url: str | None) -> int:
    from ui.setup.startup import Ready, prepare, ready_from

    app = make_application()
    step = prepare(database_url)
    if isinstance(step, int):
        return step
    if isinstance(step, Ready):
        ready: Ready | None = step
    else:  # a first start: the set-up wizard
        step.exec()
        ready = ready_from(step)
    if ready is None:
        return 0
    window = show_host_stand(ready.db, ready.user)
    if window is None:
        return 0
    code = app.exec()
    ready.db.close()
    return int(code)


def show_host_stand(db: Database, user: UserSummary | None, *, live: bool = True) -> object | None:
    """The host-stand window, shown, after the sign-in dialog unless ``user`` is already signed
    in (by the set-up wizard). None, with the database closed, when the host gives up."""
    try:
        restaurants = list_restaurants(db)
    except ToBeOutError as exc:
        QMessageBox.critical(None, "ToBeOut Host Stand", exc.message)
        db.close()
        return None
    if user is None:
        from ui.shell.login_dialog import LoginDialog

        login = LoginDialog(db, restaurant_name=restaurants[0].name)
        if login.exec() != LoginDialog.DialogCode.Accepted or login.user is None:
            db.close()
            return None
        user = login.user
    window = open_main_window(db, user, restaurants, live=live)
    window.show()  # type: ignore[attr-defined]
    return window
