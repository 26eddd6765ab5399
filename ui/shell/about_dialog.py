"""Help ▸ About: the program and its version, where its data and log live (to find them for a
backup or a support request), and the Python/Qt versions underneath.

The caller passes what to show; the dialog opens nothing itself:

    AboutDialog(window, database_description=db.describe(),
                log_path=app.logging_setup.current_log_file() or log_file_path(),
                data_path=app.paths.data_dir())

``database_description`` is ``Database.describe()`` (never a password); it is also passed through
the log redaction, so even a raw URL with a password shows as ``user:***@host``.

Threading: UI thread only.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QSysInfo, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.logging_setup import redact
from app.paths import resources_dir

APP_NAME = "ToBeOut Host Stand"
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | (
    Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def _value_label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(_SELECTABLE)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setMinimumWidth(440)
    return label


def runtime_versions() -> str:
    """``Python 3.11.7 · Qt 6.11.3 · PySide6 6.11.3 · <OS>``."""
    python = platform.python_version()
    frozen = " (bundled)" if getattr(sys, "frozen", False) else ""
    return (
        f"Python {python}{frozen} · Qt {qVersion()} · PySide6 {PySide6.__version__} · "
        f"{QSysInfo.prettyProductName()}"
    )


class AboutDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        database_description: str,
        log_path: Path | None,
        data_path: Path,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setObjectName("aboutDialog")
        self.log_path = log_path
        self.data_path = data_path

        icon = QLabel()
        icon.setObjectName("aboutIcon")
        icon_file = resources_dir() / "icons" / "tobeout-64.png"
        if not icon_file.is_file():
            icon_file = resources_dir() / "icons" / "tobeout.svg"
        icon.setPixmap(QIcon(str(icon_file)).pixmap(64, 64) if icon_file.is_file() else QPixmap())
        title = QLabel(APP_NAME)
        title.setObjectName("aboutTitle")
        title.setStyleSheet("font-size: 16pt; font-weight: bold; color: #2f3b52;")
        self.version_label = _value_label(f"Version {__version__}", "aboutVersion")
        self.version_label.setStyleSheet("color: #5b6478;")
        blurb = QLabel(
            "Floor plan, reservation timeline, guest profiles and Sofia, the AI hostess."
        )
        blurb.setWordWrap(True)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(title)
        heading.addWidget(self.version_label)
        heading.addWidget(blurb)
        top = QHBoxLayout()
        top.addWidget(icon, alignment=Qt.AlignmentFlag.AlignTop)
        top.addSpacing(8)
        top.addLayout(heading, 1)

        self.database_label = _value_label(redact(database_description), "aboutDatabase")
        self.log_label = _value_label(
            str(log_path) if log_path is not None else "not written (no log folder available)",
            "aboutLog",
        )
        self.data_label = _value_label(str(data_path), "aboutData")
        self.versions_label = _value_label(runtime_versions(), "aboutVersions")
        self.open_log_button = QPushButton("Open folder")
        self.open_log_button.setObjectName("openLogFolder")
        self.open_log_button.setEnabled(log_path is not None)
        self.open_log_button.clicked.connect(self.open_log_folder)
        self.open_data_button = QPushButton("Open folder")
        self.open_data_button.setObjectName("openDataFolder")
        self.open_data_button.clicked.connect(self.open_data_folder)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        rows = (
            ("Database", self.database_label, None),
            ("Log file", self.log_label, self.open_log_button),
            ("Data folder", self.data_label, self.open_data_button),
            ("Running on", self.versions_label, None),
        )
        for row, (caption, value, button) in enumerate(rows):
            name = QLabel(caption)
            name.setStyleSheet("color: #5b6478; font-weight: bold;")
            # Beside a button the row is centred on it; a wrapped value starts at the top.
            align = Qt.AlignmentFlag.AlignVCenter if button else Qt.AlignmentFlag.AlignTop
            grid.addWidget(name, row, 0, align)
            grid.addWidget(value, row, 1, align)
            if button is not None:
                grid.addWidget(button, row, 2, align)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = self.buttons.addButton(
            "Copy details", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.buttons)

    # -- actions ----------------------------------------------------------------------------

    def details(self) -> str:
        """Everything the dialog shows, as plain text for a support request."""
        return "\n".join(
            (
                f"{APP_NAME} {__version__}",
                f"Database: {self.database_label.text()}",
                f"Log file: {self.log_label.text()}",
                f"Data folder: {self.data_label.text()}",
                f"Running on: {self.versions_label.text()}",
            )
        )

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())

    def open_log_folder(self) -> None:
        if self.log_path is not None:
            self._open_folder(self.log_path.parent)

    def open_data_folder(self) -> None:
        self._open_folder(self.data_path)

    @staticmethod
    def _open_folder(folder: Path) -> bool:
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
