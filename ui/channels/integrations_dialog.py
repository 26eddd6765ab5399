"""Channel integrations of the current restaurant (managers and admins): a Telegram bot and a
WhatsApp Cloud API number, each with its live state, its settings, enable/disable and "Test
connection". Staff never get here (the window hides the action) and the services refuse them.

Threading contract: lives on the UI thread. Every service call (``app.channels.integrations``,
``check_connection``'s network call) runs through ``context.tasks``; answers come back on the
UI thread. ``show_states`` takes the sync thread's queued reports. The list reloads on
``data_changed("integration")``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.channels import integrations
from app.channels.connection_check import check_connection
from app.channels.integrations import IntegrationView
from app.errors import PermissionDenied
from app.services.permissions import Permission
from ui.channels.channel_card import ChannelCard
from ui.channels.state_text import long_text
from ui.channels.sync_thread import ChannelState, states_of
from ui.errors import error_text
from ui.host_context import HostContext
from ui.reservations.callbacks import run_for

DIALOG_STYLE = """
QLabel#dialogTitle { font-size: 14pt; font-weight: bold; color: #1f2633; }
QLabel#dialogHint { color: #5b6478; }
QGroupBox { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px;
            margin-top: 14px; padding: 14px 12px 10px 12px; font-weight: bold; }
QGroupBox::title { subcontrol-origin: margin; left: 12px; padding: 0 4px; color: #1f2633; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QPushButton { font-weight: normal; }
QLabel#channelDetail { padding: 6px 8px; border-radius: 6px; background: #f1f3f7; color: #5b6478; }
QLabel#channelDetail[level="ok"] { background: #e7f5ec; color: #1b5e33; }
QLabel#channelDetail[level="warn"] { background: #fdf3e1; color: #8a5300; }
QLabel#channelNote { color: #1b5e33; }
QLabel#cardHint { color: #7a8396; font-size: 9pt; }
QLabel#fieldError { color: #b3261e; font-size: 9pt; }
"""
RELOAD_DELAY_MS = 150


class IntegrationsDialog(QDialog):
    def __init__(
        self, context: HostContext, parent: QWidget | None = None, *, restaurant_name: str = ""
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Channel integrations")
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumWidth(720)
        self.loaded = False
        self._gen = self._done = 0
        self.views: dict[str, IntegrationView] = {}
        self.states: dict[str, ChannelState] = {}
        self.live: dict[int, ChannelState] = {}

        title = QLabel(f"Channel integrations · {restaurant_name}" if restaurant_name
                       else "Channel integrations")  # fmt: skip
        title.setObjectName("dialogTitle")
        hint = QLabel(
            "Guests write to Sofia through these channels. Tokens and secrets are stored "
            "encrypted and never shown again; type a new one to replace it."
        )
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.cards = {kind: ChannelCard(kind) for kind in ("telegram", "whatsapp")}
        row = QHBoxLayout()
        row.setSpacing(12)
        for card in self.cards.values():
            row.addWidget(card, 1)
            card.save_requested.connect(lambda c=card: self.save(c))
            card.toggle_requested.connect(lambda active, c=card: self.toggle(c, active))
            card.test_requested.connect(lambda c=card: self.test(c))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addLayout(row, 1)
        layout.addWidget(self.buttons)
        self.resize(980, self.sizeHint().height())

        self._timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        context.data_changed.connect(self._data_changed)
        allowed = context.can(Permission.INTEGRATIONS)
        for card in self.cards.values():
            card.set_allowed(allowed)
        self.reload()

    @property
    def busy(self) -> bool:
        return (
            self._timer.isActive()
            or self._done != self._gen
            or any(card.busy for card in self.cards.values())
        )

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self._timer.stop()
        self._gen += 1
        gen = self._gen
        ctx = self.context
        run_for(self, ctx.tasks, integrations.list_integrations, ctx.db, ctx.restaurant_id,
                user=ctx.user, on_done=lambda views: self._arrived(gen, views),
                on_error=lambda exc: self._load_failed(gen, exc))  # fmt: skip

    def _arrived(self, gen: int, views: list[IntegrationView]) -> None:
        if gen != self._gen:
            return
        self._done, self.loaded = gen, True
        self.error.hide()
        self.views = {view.type.value: view for view in views}
        for kind, card in self.cards.items():
            card.show_view(self.views.get(kind))
        for state in states_of(views):
            live = self.live.get(state.integration_id)
            if live is not None:  # the worker knows about circuits and other terminals
                state = replace(state, circuit_open=live.circuit_open, standby=live.standby)
            self.states[state.type] = state
        self._show_states()

    def _load_failed(self, gen: int, exc: Exception) -> None:
        if gen != self._gen:
            return
        self._done, self.loaded = gen, True
        self.error.setText(error_text(exc))
        self.error.show()
        if isinstance(exc, PermissionDenied):
            for card in self.cards.values():
                card.set_allowed(False)

    def show_states(self, states: tuple[ChannelState, ...]) -> None:
        """The sync thread's latest reading (every restaurant's; this one's are shown)."""
        self.live = {state.integration_id: state for state in states}
        for state in states:
            view = self.views.get(state.type)
            if view is not None and view.id == state.integration_id:
                self.states[state.type] = state
        self._show_states()

    def _show_states(self) -> None:
        now = self.context.now()
        for kind, card in self.cards.items():
            view = self.views.get(kind)
            state = self.states.get(kind) if view is not None else None
            card.show_state(*long_text(state, self.context.timezone, now))

    # -- actions -------------------------------------------------------------------------------

    def save(self, card: ChannelCard) -> None:
        ctx, view, values = self.context, card.view, card.values()
        url = values.get("api_base_url") or None
        call: tuple[Callable[..., Any], ...]
        extra: dict[str, Any] = {"user": ctx.user}
        if card.kind == "telegram":
            if view is None or card.typed_secrets():
                call = (integrations.add_telegram, ctx.db, ctx.restaurant_id, values["token"])
                extra |= {"api_base_url": url, "replace": view is not None}
            else:
                call = (integrations.update_settings, ctx.db, view.id)
                extra["settings"] = {"api_base_url": url}
        else:
            number_changed = view is not None and values["phone_number_id"] != str(
                view.settings.get("phone_number_id") or ""
            )
            if view is None or card.typed_secrets() or number_changed:
                call = (integrations.add_whatsapp, ctx.db, ctx.restaurant_id)
                extra |= {key: values[key] for key in ("phone_number_id", "access_token",
                                                       "app_secret", "verify_token")}  # fmt: skip
                extra |= {"api_base_url": url, "replace": view is not None}
            else:
                call = (integrations.update_settings, ctx.db, view.id)
                extra["settings"] = {"api_base_url": url}
        self._run(card, call, extra, done="Saved.", clear_secrets=True)

    def toggle(self, card: ChannelCard, active: bool) -> None:
        if card.view is None:
            return
        call = (integrations.set_active, self.context.db, card.view.id, active)
        self._run(card, call, {"user": self.context.user},
                  done="Enabled." if active else "Disabled.")  # fmt: skip

    def test(self, card: ChannelCard) -> None:
        if card.view is None:
            return
        card.clear_errors()
        card.show_note("Testing…")
        call = (check_connection, self.context.db, card.view.id)
        self._run(card, call, {"user": self.context.user}, tested=True)

    def _run(
        self,
        card: ChannelCard,
        call: tuple[Callable[..., Any], ...],
        extra: dict[str, Any],
        *,
        done: str = "",
        tested: bool = False,
        clear_secrets: bool = False,
    ) -> None:
        if card.busy:
            return
        card.set_busy(True)
        if not tested:
            card.clear_errors()

        def finished(result: object) -> None:
            card.set_busy(False)
            if clear_secrets:
                card.clear_secrets()
            if isinstance(result, IntegrationView):
                self.views[card.kind] = result
                card.show_view(result)
                self.states[card.kind] = states_of([result])[0]
                self._show_states()
            card.show_note(f"Connected: {result} answered." if tested else done)

        def failed(exc: Exception) -> None:
            card.set_busy(False)
            card.show_error(error_text(exc))

        fn, *args = call
        run_for(self, self.context.tasks, fn, *args, **extra, on_done=finished,
                on_error=failed)  # fmt: skip

    def _data_changed(self, kind: str, _ids: object) -> None:
        if kind in ("integration", "restaurant") and not self._timer.isActive():
            self._timer.start(RELOAD_DELAY_MS)
