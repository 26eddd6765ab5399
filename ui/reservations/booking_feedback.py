"""What the engine says back: the suggested table with its reasons, a refusal with clickable
alternatives, and the booked confirmation. Layout only; the dialog decides what to show."""

from __future__ import annotations

import re
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.availability import Alternative, SlotOption

FEEDBACK_STYLE = """
QFrame#assignment { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px; }
QLabel#assignmentTable { font-size: 15pt; font-weight: bold; color: #2747b3; }
QLabel#assignmentCaption { color: #5b6478; }
QLabel#chosenMark { color: #1b7f3b; font-weight: bold; }
QLabel#candidateChosen { font-weight: bold; color: #1f2633; }
QLabel#candidate { color: #5b6478; }
QLabel#candidateWhy { color: #8a93a6; font-size: 8.5pt; }
QProgressBar { background: #eef0f5; border: none; border-radius: 4px; }
QProgressBar::chunk { background: #9fb2ea; border-radius: 4px; }
QProgressBar[chosen="true"]::chunk { background: #3056d3; }
QFrame#refusal { background: #fdecea; border: 1px solid #f2b8b2; border-radius: 8px; }
QLabel#refusalTitle { color: #b3261e; font-weight: bold; }
QLabel#refusalMessage { color: #7a1a14; }
QPushButton[chip="true"] { background: #ffffff; color: #2747b3; border: 1px solid #b9c9f5;
    border-radius: 13px; padding: 4px 12px; font-weight: bold; }
QPushButton[chip="true"]:hover { background: #e1e9ff; }
QFrame#booked { background: #e7f6ec; border: 1px solid #a9dcbc; border-radius: 8px; }
QLabel#bookedTitle { color: #1b7f3b; font-weight: bold; font-size: 12pt; }
QLabel#depositNote { color: #8a5a00; background: #fff3cf; border: 1px solid #f0d68a;
    border-radius: 6px; padding: 6px 8px; }
"""
CHIP_COLUMNS = 3
CRITERIA = {
    "fit": "size fit",
    "requests": "requests",
    "history": "history",
    "revenue": "revenue",
    "efficiency": "turns",
    "priority": "priority",
}
_LINE = re.compile(r"^(?P<mark>→|\s)\s*(?P<names>[^:]+):\s*(?P<total>[\d.]+)\s*\((?P<parts>.*)\)$")


def explanation_rows(lines: tuple[str, ...]) -> list[tuple[bool, str, float, list[str]]]:
    """(chosen, tables, score, reasons) per line of ``Assignment.explain()``; odd lines kept."""
    rows = []
    for line in lines:
        match = _LINE.match(line)
        if match is None:
            rows.append((False, line.strip(), -1.0, []))
            continue
        parts = [p.strip() for p in match["parts"].split(",") if p.strip()]
        rows.append((match["mark"] == "→", match["names"].strip(), float(match["total"]), parts))
    return rows


def reason_text(part: str) -> str:
    """``fit 1.00`` → ``size fit 100%``: one criterion of the table score, as a host reads it."""
    name, _, value = part.rpartition(" ")
    try:
        shown = f"{float(value) * 100:.0f}%"
    except ValueError:
        return part
    return f"{CRITERIA.get(name, name)} {shown}"


def deposit_text(amount: Decimal | None) -> str:
    if amount is None:
        return "A deposit is required for this booking."
    return f"A deposit of {amount:,.0f} is required for this booking.".replace(",", " ")


class AssignmentSummary(QFrame):
    """The table the engine suggests for the picked slot, and why: each candidate's score as a
    bar with the criteria behind it (the engine's own explanation lines)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignment")
        self.caption = QLabel()
        self.caption.setObjectName("assignmentCaption")
        self.table = QLabel()
        self.table.setObjectName("assignmentTable")
        self.waiting = QLabel("Weighing the tables…")
        self.waiting.setObjectName("assignmentCaption")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(4, 1)
        self._cells: list[QWidget] = []
        head = QHBoxLayout()
        head.addWidget(self.table)
        head.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.waiting)
        layout.addLayout(self.grid)
        self.lines: tuple[str, ...] = ()
        self.hide()

    def show_slot(self, slot: SlotOption, party: int) -> None:
        tables = "+".join(slot.tables) or "—"
        self.table.setText(f"Table {tables}")
        self.caption.setText(f"suggested for {party} at {slot.time}, {slot.service}")
        self._set_rows(())
        self.waiting.show()
        self.show()

    def show_explanation(self, requested: SlotOption | None, lines: tuple[str, ...]) -> None:
        if requested is not None and requested.tables:
            self.table.setText(f"Table {'+'.join(requested.tables)}")
        self.waiting.hide()
        self._set_rows(lines)

    def text_lines(self) -> list[str]:
        return [names for _, names, _, _ in explanation_rows(self.lines)]

    def _set_rows(self, lines: tuple[str, ...]) -> None:
        self.lines = lines
        for cell in self._cells:
            self.grid.removeWidget(cell)
            cell.deleteLater()
        self._cells = []
        for row, (chosen, names, score, parts) in enumerate(explanation_rows(lines)):
            mark = QLabel("✓" if chosen else "")
            mark.setObjectName("chosenMark")
            name = QLabel(names)
            name.setObjectName("candidateChosen" if chosen else "candidate")
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(max(0, min(100, round(score * 100))))
            bar.setTextVisible(False)
            bar.setFixedSize(110, 8)
            bar.setProperty("chosen", chosen)
            value = QLabel(f"{score * 100:.0f}" if score >= 0 else "")
            value.setObjectName("candidateChosen" if chosen else "candidate")
            why = QLabel(" · ".join(reason_text(p) for p in parts))
            why.setObjectName("candidateWhy")
            why.setWordWrap(True)
            cells = (mark, name, bar, value, why)
            for column, cell in enumerate(cells):
                self.grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignVCenter)
            self._cells.extend(cells)


class RefusalBox(QFrame):
    """Why the booking was refused, and the bookable times to offer instead as chips."""

    alternative_picked = Signal(object)  # Alternative

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refusal")
        self.title = QLabel("Not booked")
        self.title.setObjectName("refusalTitle")
        self.message = QLabel()
        self.message.setObjectName("refusalMessage")
        self.message.setWordWrap(True)
        self.offer = QLabel("Free instead:")
        self.offer.setObjectName("refusalMessage")
        self.chips_grid = QGridLayout()
        self.chips_grid.setSpacing(6)
        self.chips: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.offer)
        layout.addLayout(self.chips_grid)
        self.hide()

    def show_refusal(self, message: str, alternatives: tuple[object, ...]) -> None:
        self.message.setText(message)
        for chip in self.chips:
            self.chips_grid.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for alternative in alternatives:
            if not isinstance(alternative, Alternative):
                continue
            tables = "+".join(alternative.tables)
            chip = QPushButton(f"{alternative}" + (f" · {tables}" if tables else ""))
            chip.setProperty("chip", True)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setToolTip("Pick this time instead")
            chip.clicked.connect(lambda _=False, a=alternative: self.alternative_picked.emit(a))
            position = len(self.chips)
            self.chips_grid.addWidget(chip, position // CHIP_COLUMNS, position % CHIP_COLUMNS)
            self.chips.append(chip)
        self.offer.setVisible(bool(self.chips))
        self.show()
