"""The restaurant's settings (managers and admins): its own details (name, contacts, time zone),
opening hours and special dates, booking rules, deposits and VIP tiers, reminders and Sofia's
engine, in tabs; one Save for all of them.

Save sends the whole form to ``save_settings``, which checks every field before writing any: a
refusal comes back as ``FieldErrors`` and each message appears in red under its field (the tabs
holding one wear a red dot, the first is brought forward); nothing was written. A successful save
emits ``settings_saved`` and closes. Cancel closes and writes nothing.

Threading contract: lives on the UI thread. Loading, saving and Sofia's "Test" (a network call)
run through ``context.tasks``; their answers come back on the UI thread and are dropped once
the dialog is gone.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import PermissionDenied
from app.services.permissions import Permission
from app.services.restaurant_settings import (
    FieldErrors,
    RestaurantSettingsInput,
    RestaurantSettingsView,
    load_settings,
    save_settings,
)
from app.services.sofia_check import check_form_engine
from ui.errors import error_text
from ui.host_context import HostContext
from ui.reservations.callbacks import run_for
from ui.settings.deposits_tab import DepositsTab
from ui.settings.form_bits import SETTINGS_STYLE, SettingsTab, error_dot
from ui.settings.hours_tab import HoursTab
from ui.settings.reminders_tab import RemindersTab
from ui.settings.restaurant_tab import RestaurantTab
from ui.settings.rules_tab import RulesTab
from ui.settings.sofia_tab import SofiaTab

HINT = ("Changes apply to new bookings and Sofia's next answers once saved. Existing bookings "
        "keep their times and tables.")  # fmt: skip


class RestaurantSettingsDialog(QDialog):
    settings_saved = Signal(object)  # the RestaurantSettingsView now stored

    def __init__(self, context: HostContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.view: RestaurantSettingsView | None = None
        self.loaded = self.saving = self.testing = False
        self.setWindowTitle("Restaurant settings")
        self.setStyleSheet(SETTINGS_STYLE)
        self.setMinimumSize(900, 600)

        self.title = QLabel("Restaurant settings")
        self.title.setObjectName("dialogTitle")
        hint = QLabel(HINT)
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.restaurant, self.hours, self.rules = RestaurantTab(), HoursTab(), RulesTab()
        self.deposits, self.reminders, self.sofia = DepositsTab(), RemindersTab(), SofiaTab()
        self.tabs = QTabWidget()
        self.tab_pages: list[tuple[SettingsTab, str]] = [
            (self.restaurant, "Restaurant"), (self.hours, "Hours && dates"),
            (self.rules, "Booking rules"), (self.deposits, "Deposits && VIP"),
            (self.reminders, "Reminders"), (self.sofia, "Sofia"),
        ]  # fmt: skip
        for page, label in self.tab_pages:
            self.tabs.addTab(page, label)  # "&&": a literal ampersand, not a mnemonic
        self._dot = error_dot()
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save")
        self.save_button.setProperty("primary", True)
        self.save_button.setMinimumWidth(110)
        self.cancel_button = QPushButton("Cancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.sofia.test_requested.connect(self.test_sofia)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(1000, 700)
        self._sync_buttons()
        self.reload()

    @property
    def busy(self) -> bool:
        return not self.loaded or self.saving or self.testing

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        ctx = self.context
        self.loaded = False
        self._sync_buttons()
        run_for(self, ctx.tasks, load_settings, ctx.db, ctx.restaurant_id, user=ctx.user,
                on_done=self._arrived, on_error=self._load_failed)  # fmt: skip

    def _arrived(self, view: RestaurantSettingsView) -> None:
        self.loaded, self.view = True, view
        self.title.setText(f"Restaurant settings · {view.name}")
        for page, _label in self.tab_pages:
            page.fill(view)
        self._clear_errors()
        self._sync_buttons()

    def _load_failed(self, exc: Exception) -> None:
        self.loaded = True
        self._show_general(error_text(exc))
        self._sync_buttons(allowed=not isinstance(exc, PermissionDenied))
        if isinstance(exc, PermissionDenied):
            self.view = None

    # -- saving --------------------------------------------------------------------------------

    def form_input(self) -> RestaurantSettingsInput:
        values: dict[str, Any] = {}
        for page, _label in self.tab_pages:
            values |= page.values()
        return RestaurantSettingsInput(**values)

    def save(self) -> None:
        if self.busy or self.view is None:
            return
        self._clear_errors()
        self.saving = True
        self._sync_buttons()
        ctx = self.context
        run_for(self, ctx.tasks, save_settings, ctx.db, ctx.restaurant_id, self.form_input(),
                user=ctx.user, on_done=self._saved, on_error=self._save_failed)  # fmt: skip

    def _saved(self, view: RestaurantSettingsView) -> None:
        self.saving = False
        self.view = view
        self.settings_saved.emit(view)
        self.context.message_posted.emit("Restaurant settings saved.")
        self.accept()

    def _save_failed(self, exc: Exception) -> None:
        self.saving = False
        self._sync_buttons()
        if isinstance(exc, FieldErrors):
            self.show_field_errors(exc.errors)
        else:
            self._show_general(error_text(exc))

    def show_field_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field; the tabs holding one get a red dot, the first comes up."""
        first: int | None = None
        unplaced = dict(errors)
        for index, (page, _label) in enumerate(self.tab_pages):
            mine = {k: v for k, v in errors.items() if k in page.errors}
            if page.show_errors(mine):
                self.tabs.setTabIcon(index, self._dot)
                first = index if first is None else first
                for key in mine:
                    unplaced.pop(key, None)
        if unplaced:
            self._show_general(" ".join(unplaced.values()))
        if first is not None:
            self.tabs.setCurrentIndex(first)

    # -- Sofia's test --------------------------------------------------------------------------

    def test_sofia(self) -> None:
        if self.testing:
            return
        for key in ("sofia_base_url", "sofia_model", "sofia_api_key"):
            self.sofia.errors[key].hide()
        self.testing = True
        self.sofia.set_testing(True)
        values = {k: v for k, v in self.sofia.values().items() if k != "sofia_engine"}
        ctx = self.context
        run_for(self, ctx.tasks, check_form_engine, ctx.db, ctx.restaurant_id,
                RestaurantSettingsInput(**values), user=ctx.user, on_done=self._tested,
                on_error=self._test_failed)  # fmt: skip

    def _tested(self, result: str) -> None:
        self.testing = False
        self.sofia.set_testing(False)
        self.sofia.show_test(result, True)

    def _test_failed(self, exc: Exception) -> None:
        self.testing = False
        self.sofia.set_testing(False)
        if isinstance(exc, FieldErrors):
            self.sofia.show_errors(exc.errors)
            self.sofia.show_test("Fix the field marked in red, then test again.", False)
        else:
            self.sofia.show_test(error_text(exc), False)

    # -- helpers -------------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        self.error.hide()
        for index, (page, _label) in enumerate(self.tab_pages):
            page.clear_errors()
            self.tabs.setTabIcon(index, QIcon())

    def _show_general(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _sync_buttons(self, *, allowed: bool | None = None) -> None:
        if allowed is None:
            allowed = self.context.can(Permission.SETTINGS)
        ready = allowed and self.loaded and self.view is not None and not self.saving
        self.save_button.setEnabled(ready)
        self.sofia.test_button.setEnabled(ready and not self.testing)
        self.tabs.setEnabled(allowed)
