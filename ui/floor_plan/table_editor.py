"""The table property form (edit mode): name, guests, shape, area, features, priority,
preferred occasions, notes, in service / maintenance, active. Layout only: ``submitted`` carries
the table document; the panel saves it through ``save_table`` and shows a refusal inline."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.db.enums import TableShape, TableStatus
from app.domain.table_spec import OCCASIONS_PREFERRED, TABLE_FEATURES


def _checklist(options: set[str], chosen: list[str]) -> QListWidget:
    widget = QListWidget()
    widget.setFlow(QListWidget.Flow.LeftToRight)
    widget.setWrapping(True)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setFixedHeight(64)
    for option in sorted(options):
        item = QListWidgetItem(option)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if option in chosen else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).text()
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class TableEditor(QDialog):
    submitted = Signal(object)  # the table document (dict) to save

    def __init__(
        self, spec: dict[str, Any], areas: list[str], *, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._original = copy.deepcopy(spec)
        self.name = QLineEdit(spec.get("name", ""))
        self.min_guests = QSpinBox()
        self.min_guests.setRange(1, 100)
        self.min_guests.setValue(int(spec.get("min_guests", 1)))
        self.max_guests = QSpinBox()
        self.max_guests.setRange(1, 100)
        self.max_guests.setValue(int(spec.get("max_guests", 2)))
        self.shape = QComboBox()
        for shape in TableShape:
            self.shape.addItem(shape.value.capitalize(), shape.value)
        self.shape.setCurrentIndex(max(0, self.shape.findData(spec.get("shape", "square"))))
        self.area = QComboBox()
        self.area.setEditable(True)
        self.area.addItems(areas)
        self.area.setCurrentText(str(spec.get("position", {}).get("area") or "Main room"))
        self.features = _checklist(TABLE_FEATURES, list(spec.get("features", [])))
        self.priority = QSpinBox()
        self.priority.setRange(1, 10)
        self.priority.setValue(int(spec.get("priority", 5)))
        self.preferred_for = _checklist(OCCASIONS_PREFERRED, list(spec.get("preferred_for", [])))
        self.notes = QPlainTextEdit(spec.get("notes") or "")
        self.notes.setFixedHeight(56)
        self.maintenance = QCheckBox("Out of service (maintenance)")
        self.maintenance.setChecked(spec.get("status") == TableStatus.MAINTENANCE.value)
        self.active = QCheckBox("Active (shown on the floor and bookable)")
        self.active.setChecked(bool(spec.get("is_active", True)))
        self.error = QLabel()
        self.error.setObjectName("floorEditorError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Min guests", self.min_guests)
        form.addRow("Max guests", self.max_guests)
        form.addRow("Shape", self.shape)
        form.addRow("Area", self.area)
        form.addRow("Features", self.features)
        form.addRow("Priority", self.priority)
        form.addRow("Preferred for", self.preferred_for)
        form.addRow("Notes", self.notes)
        form.addRow("", self.maintenance)
        form.addRow("", self.active)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(460, 560)

    def spec(self) -> dict[str, Any]:
        spec = copy.deepcopy(self._original)
        status = spec.get("status", TableStatus.FREE.value)
        if self.maintenance.isChecked():
            status = TableStatus.MAINTENANCE.value
        elif status == TableStatus.MAINTENANCE.value:
            status = TableStatus.FREE.value
        position = dict(spec.get("position") or {})
        position["area"] = self.area.currentText().strip() or "Main room"
        spec.update(
            name=self.name.text().strip(),
            min_guests=self.min_guests.value(),
            max_guests=self.max_guests.value(),
            shape=self.shape.currentData(),
            position=position,
            features=_checked(self.features),
            priority=self.priority.value(),
            preferred_for=_checked(self.preferred_for),
            notes=self.notes.toPlainText().strip() or None,
            status=status,
            is_active=self.active.isChecked(),
        )
        return spec

    def submit(self) -> None:
        self.error.hide()
        self.buttons.setEnabled(False)
        self.submitted.emit(self.spec())

    def show_error(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(text)
        self.error.show()
