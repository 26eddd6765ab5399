"""The toolbar's "Manage" menu: restaurant settings (managers, admins), users (admins) and
About (everyone). Each dialog opens once; asking again raises the open one.

Kept out of main_window.py so the window stays a wiring of panels; this object owns the
back-office dialogs and tells the rest of the window what changed through the HostContext.

Threading: UI thread only; the dialogs load and save through the context's task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QToolBar, QToolButton

from app.logging_setup import current_log_file, log_file_path
from app.paths import data_dir
from app.services.permissions import Permission
from app.services.restaurant_settings import RestaurantSettingsView
from ui.host_context import HostContext
from ui.settings.restaurant_settings_dialog import RestaurantSettingsDialog
from ui.shell.about_dialog import AboutDialog
from ui.users.users_dialog import UsersDialog

if TYPE_CHECKING:  # the window builds this menu: a run-time import would be circular
    from ui.shell.main_window import MainWindow


class ManageMenu(QObject):
    """Builds the menu on a toolbar and opens its dialogs over ``window``."""

    settings_saved = Signal()  # the restaurant's rules changed: availability must be re-read
    users_changed = Signal(int)  # an account was added or changed (its id)

    def __init__(self, context: HostContext, window: MainWindow, bar: QToolBar) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.dialogs: dict[str, QDialog] = {}
        self.menu = QMenu("Manage", window)
        self.menu.setObjectName("manageMenu")
        self.settings_action = self._add("Restaurant settings…", "Ctrl+,", self.open_settings)
        self.settings_action.setVisible(context.can(Permission.SETTINGS))
        self.users_action = self._add("Users…", "Ctrl+U", self.open_users)
        self.users_action.setVisible(context.can(Permission.USERS))
        self.menu.addSeparator()
        self.about_action = self._add("About ToBeOut Host Stand", "F1", self.open_about)
        self.button = QToolButton()
        self.button.setObjectName("manageButton")
        self.button.setText("Manage")
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar.addWidget(self.button)

    def _add(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.menu.addAction(action)
        self.window.addAction(action)  # the shortcut works without opening the menu
        return action

    def open_settings(self) -> QDialog | None:
        if not self.context.can(Permission.SETTINGS):
            self.context.message_posted.emit("Restaurant settings are for managers and admins.")
            return None
        return self._open("settings", self._settings_dialog)

    def open_users(self) -> QDialog | None:
        if not self.context.can(Permission.USERS):
            self.context.message_posted.emit("User accounts are for admins.")
            return None
        return self._open("users", self._users_dialog)

    def open_about(self) -> QDialog:
        return self._open("about", self._about_dialog)

    def _about_dialog(self) -> QDialog:
        return AboutDialog(
            self.window,
            database_description=self.context.db.describe(),
            log_path=current_log_file() or log_file_path(),
            data_path=data_dir(),
        )

    def _settings_dialog(self) -> QDialog:
        dialog = RestaurantSettingsDialog(self.context, parent=self.window)
        dialog.settings_saved.connect(self._settings_were_saved)
        return dialog

    def _users_dialog(self) -> QDialog:
        dialog = UsersDialog(self.context, parent=self.window)
        dialog.user_changed.connect(self.users_changed)
        return dialog

    def _settings_were_saved(self, view: RestaurantSettingsView) -> None:
        self.window.restaurant_edited(view.restaurant_id, view.name, view.timezone)
        self.context.message_posted.emit("Restaurant settings saved.")
        self.context.announce([])  # slots, turn times and pacing feed every panel
        self.settings_saved.emit()

    def _open(self, key: str, make: Callable[[], QDialog]) -> QDialog:
        dialog = self.dialogs.get(key)
        if dialog is not None:
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = make()
        dialog.finished.connect(lambda _result, key=key: self._closed(key))
        self.dialogs[key] = dialog
        dialog.open()
        return dialog

    def _closed(self, key: str) -> None:
        dialog = self.dialogs.pop(key, None)
        if dialog is not None:
            dialog.deleteLater()
