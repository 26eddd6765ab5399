"""Pieces every settings tab shares: a field with its red error line, a spin box that can say
"No limit", a hint, and the tab base class the dialog talks to.

A tab fills itself from the service's view (``fill``), hands back what it holds as input fields
(``values``) and shows the service's refusals under the fields they name (``show_errors``).
Layout and value plumbing only: the dialog runs the services.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.settings_form import LIMITS

SETTINGS_STYLE = """
QLabel#dialogTitle { font-size: 14pt; font-weight: bold; color: #1f2633; }
QLabel#dialogHint, QLabel#fieldHint { color: #5b6478; }
QLabel#fieldHint { font-size: 9pt; }
QGroupBox { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px;
            margin-top: 14px; padding: 14px 12px 10px 12px; font-weight: bold; }
QGroupBox::title { subcontrol-origin: margin; left: 12px; padding: 0 4px; color: #1f2633; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QPushButton, QGroupBox QSpinBox,
QGroupBox QCheckBox, QGroupBox QRadioButton, QGroupBox QTableWidget { font-weight: normal; }
QLabel#fieldError { color: #b3261e; font-size: 9pt; }
QLabel#testResult { padding: 6px 8px; border-radius: 6px; background: #f1f3f7; color: #5b6478; }
QLabel#testResult[level="ok"] { background: #e7f5ec; color: #1b5e33; }
QLabel#testResult[level="error"] { background: #fdecea; color: #b3261e; }
QTabWidget::pane { background: #f4f6fa; }
"""
SPIN_WIDTH = 150
ERROR_COLOUR = "#b3261e"


def error_dot(diameter: int = 9) -> QIcon:
    """The red dot a tab holding a refused field wears (style sheets override tab colours)."""
    pixmap = QPixmap(diameter, diameter)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(ERROR_COLOUR))
    painter.drawEllipse(0, 0, diameter, diameter)
    painter.end()
    return QIcon(pixmap)


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldHint")
    label.setWordWrap(True)
    return label


def with_error(editor: QWidget, error: QLabel) -> QVBoxLayout:
    """The editor with its error line right under it."""
    cell = QVBoxLayout()
    cell.setSpacing(2)
    cell.setContentsMargins(0, 0, 0, 0)
    cell.addWidget(editor)
    cell.addWidget(error)
    return cell


def group(title: str) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setSpacing(8)
    return box, layout


def limit_spin(name: str, suffix: str, *, none_text: str = "No limit") -> QSpinBox:
    """A spin box over the setting's own range; an optional one starts at ``none_text``."""
    limit = LIMITS[name]
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setFixedWidth(SPIN_WIDTH + 20)
    spin.setRange(limit.low - 1 if limit.optional else limit.low, limit.high)
    spin.setSuffix(suffix)
    if limit.optional:
        spin.setSpecialValueText(none_text)
    return spin


def spin_value(spin: QSpinBox) -> int | None:
    """None when an optional spin box shows its "no limit" text."""
    if spin.specialValueText() and spin.value() == spin.minimum():
        return None
    return spin.value()


def set_spin(spin: QSpinBox, value: int | None) -> None:
    spin.setValue(spin.minimum() if value is None else value)


def table_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


class SettingsTab(QWidget):
    """One tab of the settings dialog."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, QLabel] = {}  # input field → its error line

    def fill(self, view: Any) -> None:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()

    def show_errors(self, errors: dict[str, str]) -> bool:
        """Show the refusals this tab has a field for; whether there were any."""
        shown = False
        for key, message in errors.items():
            label = self.errors.get(key)
            if label is not None:
                label.setText(message)
                label.show()
                shown = True
        return shown
