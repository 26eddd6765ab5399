"""One channel's card in the integrations dialog: its state, its settings form and its buttons.

Layout and value plumbing only: the dialog runs the services and hands answers back through
``show_view``, ``show_state``, ``show_error`` and ``show_note``. Credential fields are
write-only: they start empty, show the stored credential's mask as a placeholder, and are
cleared after every save; nothing ever fills them back in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.channels.integrations import MASK, TELEGRAM_API, WHATSAPP_API, IntegrationView


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    secret: bool
    pattern: str  # how a service's error message names this field
    hint: str = ""


TELEGRAM_FIELDS = (
    Field("api_base_url", "API base URL", False, r"\bbase URL\b", TELEGRAM_API),
    Field("token", "Bot token", True, r"\btoken\b", "123456789:AA… from @BotFather"),
)
WHATSAPP_FIELDS = (
    Field("api_base_url", "API base URL", False, r"\bbase URL\b", WHATSAPP_API),
    Field("phone_number_id", "Phone number id", False, r"\bphone number id\b", "digits, from Meta"),
    Field("access_token", "Access token", True, r"\baccess token\b"),
    Field("app_secret", "App secret", True, r"\bapp secret\b"),
    Field("verify_token", "Verify token", True, r"\bverify token\b"),
)
TITLES = {"telegram": "Telegram bot", "whatsapp": "WhatsApp Cloud API number"}
HINTS = {
    "telegram": "Create a bot with @BotFather and paste its token. Sofia answers the guests who "
    "write to it; this app (or “main.py sync” on another computer) fetches the messages.",
    "whatsapp": "The number's id and tokens are in Meta's WhatsApp Manager. Incoming messages "
    "reach the webhook of “main.py sync --webhook-port N” behind your HTTPS proxy; use the "
    "verify token when Meta asks for it.",
}


class ChannelCard(QGroupBox):
    save_requested = Signal()
    toggle_requested = Signal(bool)  # the wanted state
    test_requested = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(TITLES[kind], parent)
        self.kind = kind
        self.setObjectName(f"{kind}Card")
        self.view: IntegrationView | None = None
        self.fields = TELEGRAM_FIELDS if kind == "telegram" else WHATSAPP_FIELDS
        self._main_secret = next(f for f in self.fields if f.secret)
        self.state_label = QLabel()
        self.state_label.setObjectName("channelDetail")
        self.state_label.setWordWrap(True)
        self.editors: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        for field in self.fields:
            editor = QLineEdit()
            editor.setObjectName(f"{kind}_{field.name}")
            if field.secret:
                editor.setEchoMode(QLineEdit.EchoMode.Password)
            editor.setPlaceholderText(field.hint)
            editor.textEdited.connect(self._edited)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(editor)
            cell.addWidget(error)
            form.addRow(field.label, cell)
            self.editors[field.name], self.errors[field.name] = editor, error
        self.general_error = QLabel()
        self.general_error.setObjectName("formError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.hint = QLabel(HINTS[kind])
        self.hint.setObjectName("cardHint")
        self.hint.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("channelNote")
        self.note.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.setProperty("primary", True)
        self.toggle_button = QPushButton()
        self.test_button = QPushButton("Test connection")
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.toggle_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.state_label)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.general_error)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save_requested)
        self.toggle_button.clicked.connect(
            lambda: self.toggle_requested.emit(not (self.view and self.view.is_active))
        )
        self.test_button.clicked.connect(self.test_requested)
        self.busy = False
        self.allowed = True
        self.show_view(None)

    # -- values --------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {name: editor.text().strip() for name, editor in self.editors.items()}

    def typed_secrets(self) -> bool:
        return any(self.editors[f.name].text().strip() for f in self.fields if f.secret)

    def clear_secrets(self) -> None:
        for field in self.fields:
            if field.secret:
                self.editors[field.name].clear()

    # -- showing -------------------------------------------------------------------------------

    def show_view(self, view: IntegrationView | None) -> None:
        """The stored integration (or none): fills the plain settings, masks the secrets."""
        self.view = view
        settings = view.settings if view else {}
        for field in self.fields:
            editor = self.editors[field.name]
            if field.secret:
                editor.clear()
                # The mask names the main credential's last characters; the others stay blank.
                if view is None:
                    editor.setPlaceholderText(field.hint)
                else:
                    mask = view.credential_hint if field is self._main_secret else MASK
                    editor.setPlaceholderText(f"{mask} stored · type to replace")
            elif field.name == "api_base_url":
                editor.setText(view.api_base_url if view else field.hint)
            else:
                editor.setText(str(settings.get(field.name) or ""))
        self.save_button.setText("Save" if view else f"Add {TITLES[self.kind].split()[0]}")
        self.toggle_button.setText("Disable" if view and view.is_active else "Enable")
        self._sync_buttons()

    def show_state(self, text: str, level: str) -> None:
        self.state_label.setText(text)
        self.state_label.setProperty("level", level)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._sync_buttons()

    def set_allowed(self, allowed: bool) -> None:
        self.allowed = allowed
        for editor in self.editors.values():
            editor.setEnabled(allowed)
        self._sync_buttons()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.general_error.hide()

    def show_error(self, message: str) -> None:
        """Put a service's refusal under the field it names (or below the form)."""
        self.clear_errors()
        self.note.clear()
        name = next((f.name for f in self.fields
                     if re.search(f.pattern, message, flags=re.IGNORECASE)), None)  # fmt: skip
        label = self.errors[name] if name else self.general_error
        label.setText(message)
        label.show()
        if name:
            self.editors[name].setFocus()

    def show_note(self, text: str) -> None:
        self.note.setText(text)

    def _edited(self, *_args: object) -> None:
        self.note.clear()

    def _sync_buttons(self) -> None:
        ready = self.allowed and not self.busy
        self.save_button.setEnabled(ready)
        self.toggle_button.setEnabled(ready and self.view is not None)
        self.test_button.setEnabled(ready and self.view is not None)
