"""The short questions a status change needs: why (cancel, no-show) and the bill (complete).

Both are opened window-modal with ``open()`` so the UI thread never blocks in a nested loop;
the caller connects ``accepted`` and reads the answer.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

CANCEL_REASONS = ("Guest called to cancel", "Change of plans", "Illness", "Booked by mistake")
NO_SHOW_REASONS = ("Did not arrive, no answer by phone", "Arrived too late", "Guest forgot")


class _Prompt(QDialog):
    def __init__(self, title: str, question: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(380)
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-weight: bold;")
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)


class ReasonPrompt(_Prompt):
    """Asks why a reservation is cancelled or a no-show; OK only with a reason."""

    def __init__(
        self, title: str, question: str, action: str, suggestions: tuple[str, ...],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(title, question, parent)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(("", *suggestions))
        self.reason.setCurrentIndex(0)
        line = self.reason.lineEdit()
        assert line is not None
        line.setPlaceholderText("Type or pick a reason")
        self.form.addRow("Reason", self.reason)
        self.ok_button.setText(action)
        self.ok_button.setEnabled(False)
        self.reason.currentTextChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )

    def text(self) -> str:
        return self.reason.currentText().strip()


class CompletionPrompt(_Prompt):
    """Asks for the bill total (optional but asked) and an optional 1–5 rating."""

    def __init__(self, guest: str, parent: QWidget | None = None) -> None:
        super().__init__("Complete the visit", f"{guest} is leaving. What was the bill?", parent)
        self.total = QLineEdit()
        self.total.setPlaceholderText("e.g. 8 400")
        self.total.setValidator(QRegularExpressionValidator(r"^\s*[\d\s]{0,9}([.,]\d{0,2})?\s*$"))
        self.rating = QComboBox()
        self.rating.addItem("No rating", None)
        for stars in range(5, 0, -1):
            self.rating.addItem("★" * stars + "☆" * (5 - stars), stars)
        self.form.addRow("Bill total", self.total)
        self.form.addRow("Guest rating", self.rating)
        self.ok_button.setText("Complete")

    def amount(self) -> Decimal | None:
        cleaned = self.total.text().replace(" ", "").replace(",", ".")
        if not cleaned:
            return None
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            return None

    def stars(self) -> int | None:
        value = self.rating.currentData()
        return int(value) if value is not None else None
