"""Users (administrators): every account with its role, state and last sign-in; beside the
list, what to do with the selected user (change the role, deactivate or reactivate, reset the
password) and a form for a new user. Refusals are the services' own words, shown in place:
"the last active administrator" included.

Threading contract: lives on the UI thread. The list and every change run through
``context.tasks``; answers come back on the UI thread and are dropped once the dialog is gone.
The list reloads after each change and on ``data_changed("user")``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db.enums import UserRole
from app.errors import PermissionDenied
from app.services import user_admin
from app.services.accounts import UserSummary
from app.services.permissions import Permission
from ui.errors import error_text
from ui.host_context import HostContext
from ui.reservations.callbacks import run_for
from ui.settings.form_bits import SETTINGS_STYLE
from ui.users.user_panels import ROLE_LABELS, NewUserPanel, SelectedUserPanel

COLUMNS = ("Name", "E-mail", "Role", "Status", "Last sign-in")
PANEL_WIDTH = 372
USERS_STYLE = SETTINGS_STYLE + """
QLabel#panelMessage[level="ok"] { color: #1b5e33; }
QLabel#panelMessage[level="error"] { color: #b3261e; background: #fdecea; border-radius: 6px;
                                     padding: 6px; }
QScrollArea#usersSide, QWidget#usersSidePanel { background: transparent; }
QLabel#selectedUser { padding: 6px 8px; border-radius: 6px; background: #f1f3f7; }
"""  # fmt: skip


def last_seen(when: dt.datetime | None, zone: str) -> str:
    if when is None:
        return "Never"
    return when.astimezone(ZoneInfo(zone)).strftime("%d %b %Y, %H:%M")


class UsersDialog(QDialog):
    user_changed = Signal(int)  # the id of the account that was added or changed

    def __init__(self, context: HostContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.users: list[UserSummary] = []
        self.loaded = False
        self._gen = self._done = self._running = 0
        self.setWindowTitle("Users")
        self.setStyleSheet(USERS_STYLE)
        self.setMinimumSize(900, 660)

        title = QLabel("Users")
        title.setObjectName("dialogTitle")
        hint = QLabel("Who can sign in at this host stand, and what they may do: staff book and "
                      "seat guests, managers also change settings and see reports, "
                      "administrators also manage users.")  # fmt: skip
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.selected = SelectedUserPanel()
        self.new_user = NewUserPanel()
        side = QVBoxLayout()
        side.setSpacing(10)
        side.addWidget(self.selected)
        side.addWidget(self.new_user)
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setObjectName("usersSidePanel")
        side_widget.setLayout(side)
        side.setContentsMargins(0, 0, 4, 0)
        # Scrolls rather than squeezing its fields when refusals make it taller than the window.
        scroller = QScrollArea()
        scroller.setObjectName("usersSide")
        scroller.setWidget(side_widget)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFixedWidth(PANEL_WIDTH + 24)  # room for a scroll bar without clipping
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.table, 1)
        body.addWidget(scroller)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.resize(1000, 700)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.selected.role_change_requested.connect(self.change_role)
        self.selected.active_toggle_requested.connect(self.set_active)
        self.selected.password_reset_requested.connect(self.reset_password)
        self.new_user.add_requested.connect(self.add_user)
        context.data_changed.connect(self._data_changed)
        allowed = context.can(Permission.USERS)
        self.new_user.setEnabled(allowed)
        self.reload()

    @property
    def busy(self) -> bool:
        return self._done != self._gen or self._running > 0

    def current_user(self) -> UserSummary | None:
        return self.selected.user

    # -- the list ------------------------------------------------------------------------------

    def reload(self) -> None:
        self._gen += 1
        gen = self._gen
        ctx = self.context
        run_for(self, ctx.tasks, user_admin.list_users, ctx.db, user=ctx.user,
                on_done=lambda users: self._arrived(gen, users),
                on_error=lambda exc: self._load_failed(gen, exc))  # fmt: skip

    def _arrived(self, gen: int, users: list[UserSummary]) -> None:
        if gen != self._gen:
            return
        self._done, self.loaded = gen, True
        keep = self.selected.user.id if self.selected.user else None
        self.users = users
        self.table.blockSignals(True)
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            cells = (user.name, user.email, ROLE_LABELS[user.role],
                     "Active" if user.is_active else "Deactivated",
                     last_seen(user.last_login, self.context.timezone))  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, user.id)
                if not user.is_active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
            if user.id == keep:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self.selected.show_user(next((u for u in users if u.id == keep), None), keep_note=True)

    def _load_failed(self, gen: int, exc: Exception) -> None:
        if gen != self._gen:
            return
        self._done, self.loaded = gen, True
        self.error.setText(error_text(exc))
        self.error.show()
        if isinstance(exc, PermissionDenied):
            self.new_user.setEnabled(False)

    def select_user(self, user_id: int) -> None:
        for row, user in enumerate(self.users):
            if user.id == user_id:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        user = self.users[min(rows)] if rows else None
        self.selected.show_user(user)

    def _data_changed(self, kind: str, _ids: object) -> None:
        if kind == "user" and not self.busy:
            self.reload()

    # -- actions -------------------------------------------------------------------------------

    def change_role(self, role: str) -> None:
        user = self.selected.user
        if user is not None:
            self._act(user_admin.change_role, (user.id, role),
                      f"{user.name} is now {ROLE_LABELS[UserRole(role)].lower()}.")  # fmt: skip

    def set_active(self, active: bool) -> None:
        user = self.selected.user
        if user is None:
            return
        call = user_admin.reactivate_user if active else user_admin.deactivate_user
        done = f"{user.name} can {'sign in again' if active else 'no longer sign in'}."
        self._act(call, (user.id,), done)

    def reset_password(self, password: str) -> None:
        user = self.selected.user
        if user is not None:
            self._act(
                user_admin.reset_password,
                (user.id, password),
                f"{user.name}'s password was reset.",
                then=self.selected.password_was_reset,
            )

    def add_user(self, name: str, email: str, role: str, password: str) -> None:
        ctx = self.context
        self._running += 1
        self.new_user.set_busy(True)
        self.new_user.clear_errors()

        def added(user: UserSummary) -> None:
            self._running -= 1
            self.new_user.set_busy(False)
            self.new_user.was_added()
            self.new_user.show_note(f"{user.name} was added as {ROLE_LABELS[user.role].lower()}.")
            self.user_changed.emit(user.id)
            self.reload()

        def failed(exc: Exception) -> None:
            self._running -= 1
            self.new_user.set_busy(False)
            self.new_user.show_error(error_text(exc))

        run_for(self, ctx.tasks, user_admin.add_user, ctx.db, email=email, name=name, role=role,
                password=password, user=ctx.user, on_done=added, on_error=failed)  # fmt: skip

    def _act(
        self,
        call: Callable[..., UserSummary],
        args: tuple[Any, ...],
        done: str,
        *,
        then: Callable[[], None] | None = None,
    ) -> None:
        if self.selected.busy:
            return
        ctx = self.context
        self._running += 1
        self.selected.set_busy(True)
        self.selected.clear_errors()

        def finished(user: UserSummary) -> None:
            self._running -= 1
            self.selected.set_busy(False)
            if then is not None:
                then()
            self.selected.show_user(user, keep_note=True)
            self.selected.show_note(done)
            self.user_changed.emit(user.id)
            self.reload()

        def failed(exc: Exception) -> None:
            self._running -= 1
            self.selected.set_busy(False)
            self.selected.show_error(error_text(exc))
            self.reload()  # the refusal may come from a change made elsewhere

        run_for(self, ctx.tasks, call, ctx.db, *args, user=ctx.user, on_done=finished,
                on_error=failed)  # fmt: skip
