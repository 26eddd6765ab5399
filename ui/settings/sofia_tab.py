"""Sofia: the built-in engine or an OpenAI-compatible server (base URL, model, API key), and a
"Test" that asks the server once with what the form holds.

The API key field is write-only, like the channel tokens: it starts empty, says "•••• stored"
when a key is stored, and replaces the key only when something is typed ("Forget stored key"
removes it on save). The test itself runs in the dialog's worker; ``show_test`` shows its answer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.restaurant_settings import RestaurantSettingsView
from app.services.settings_form import UNCHANGED
from ui.settings.form_bits import SettingsTab, error_label, group, hint, with_error

ENGINE_HINT = (
    "The built-in engine understands bookings in English and Russian without any "
    "network. An OpenAI-compatible server (OpenAI, or Ollama / vLLM on your own "
    "computer) holds freer conversations; if it fails, the built-in engine answers."
)
STORED = "•••• stored · type to replace"
NO_KEY = "sk-… (local servers need none)"
FORGOTTEN = "The stored key is removed when you save"


class SofiaTab(SettingsTab):
    test_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key_stored = False
        self.forget = False
        box, inner = group("Sofia's engine")
        self.offline = QRadioButton("Built-in (offline)")
        self.openai = QRadioButton("OpenAI-compatible server")
        self.offline.setObjectName("engine_offline")
        self.openai.setObjectName("engine_openai")
        self.engines = QButtonGroup(self)
        self.engines.addButton(self.offline)
        self.engines.addButton(self.openai)
        self.offline.setChecked(True)
        radios = QHBoxLayout()
        radios.addWidget(self.offline)
        radios.addWidget(self.openai)
        radios.addStretch(1)
        self.base_url = QLineEdit()
        self.base_url.setObjectName("sofia_base_url")
        self.base_url.setPlaceholderText("https://api.openai.com/v1 (empty: OpenAI itself)")
        self.model = QLineEdit()
        self.model.setObjectName("sofia_model")
        self.api_key = QLineEdit()
        self.api_key.setObjectName("sofia_api_key")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.forget_button = QPushButton("Forget stored key")
        self.forget_button.clicked.connect(self.forget_key)
        for name in ("sofia_engine", "sofia_base_url", "sofia_model", "sofia_api_key"):
            self.errors[name] = error_label()
        key_row = QHBoxLayout()
        key_row.setSpacing(8)
        key_row.addLayout(with_error(self.api_key, self.errors["sofia_api_key"]), 1)
        key_row.addWidget(self.forget_button)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.addRow("Engine", with_error_row(radios, self.errors["sofia_engine"]))
        form.addRow("Base URL", with_error(self.base_url, self.errors["sofia_base_url"]))
        form.addRow("Model", with_error(self.model, self.errors["sofia_model"]))
        form.addRow("API key", key_row)
        self.test_button = QPushButton("Test")
        self.test_button.setMinimumWidth(110)
        self.test_button.clicked.connect(self.test_requested)
        self.test_result = QLabel("Asks the server once with the values above (nothing is "
                                  "saved).")  # fmt: skip
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.setSpacing(10)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        self.environment = hint("")
        self.environment.hide()
        inner.setSpacing(12)
        inner.addWidget(hint(ENGINE_HINT))
        inner.addLayout(form)
        inner.addLayout(test_row)
        inner.addWidget(self.environment)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.addWidget(box)
        layout.addStretch(1)
        for edit in (self.base_url, self.model, self.api_key):
            edit.textEdited.connect(self.changed)
        self.openai.toggled.connect(lambda _on: self.changed.emit())

    def fill(self, view: RestaurantSettingsView) -> None:
        sofia = view.sofia
        (self.openai if sofia.engine == "openai" else self.offline).setChecked(True)
        self.base_url.setText(sofia.base_url or "")
        self.model.setText(sofia.model)
        self.api_key.clear()
        self.key_stored, self.forget = sofia.api_key_stored, False
        self.api_key.setPlaceholderText(STORED if self.key_stored else NO_KEY)
        self.forget_button.setEnabled(self.key_stored)
        if sofia.environment:
            self.environment.setText(
                f"Set on this computer, {', '.join(sofia.environment)} take"
                f"{'s' if len(sofia.environment) == 1 else ''} precedence over these values."
            )
        self.environment.setVisible(bool(sofia.environment))

    def forget_key(self) -> None:
        self.forget = True
        self.api_key.clear()
        self.api_key.setPlaceholderText(FORGOTTEN)
        self.forget_button.setEnabled(False)
        self.changed.emit()

    def typed_key(self) -> Any:
        """What to do with the key: the typed one, None (forget it) or UNCHANGED."""
        typed = self.api_key.text().strip()
        if typed:
            return typed
        return None if self.forget else UNCHANGED

    def values(self) -> dict[str, Any]:
        return {
            "sofia_engine": "openai" if self.openai.isChecked() else "offline",
            "sofia_base_url": self.base_url.text(),
            "sofia_model": self.model.text(),
            "sofia_api_key": self.typed_key(),
        }

    def show_test(self, text: str, ok: bool | None) -> None:
        self.test_result.setText(text)
        self.test_result.setProperty("level", "" if ok is None else "ok" if ok else "error")
        self.test_result.style().unpolish(self.test_result)
        self.test_result.style().polish(self.test_result)

    def set_testing(self, testing: bool) -> None:
        self.test_button.setEnabled(not testing)
        if testing:
            self.show_test("Testing…", None)


def with_error_row(row: QHBoxLayout, error: QLabel) -> QVBoxLayout:
    cell = QVBoxLayout()
    cell.setSpacing(2)
    cell.setContentsMargins(0, 0, 0, 0)
    cell.addLayout(row)
    cell.addWidget(error)
    return cell
