"""The red banner a host cannot miss when the database goes away, and its return."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class ConnectionBanner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label)
        self.hide()

    def show_lost(self, reason: str) -> None:
        self.label.setText(
            "The database cannot be reached — reconnecting… Changes you make now are not saved "
            f"until it is back. ({reason})"
        )
        self.show()

    def show_restored(self) -> None:
        self.hide()
