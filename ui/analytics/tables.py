"""The dashboard's small tables: no-show patterns, cancellation reasons, Sofia's cost by model,
the guests at risk of churning and the top guests.

Each table is first a plain ``Table`` (headers and text rows), so the panel and the PDF report
print the same cells; ``FigureTable`` shows one on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.analytics.results import AiCosts, Cancellations, GuestValue, RateRow
from ui.analytics.format import money, number, percent, source_name

GUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Columns holding numbers: right-aligned on screen and on paper.
    numeric: frozenset[int] = frozenset()
    # One guest id per row, for the guest lists (double-click opens the guest).
    guest_ids: tuple[int, ...] = field(default=())
    empty_text: str = "Nothing in this period."


def _day(day: dt.date | None) -> str:
    return f"{day:%d %b %Y}" if day is not None else "—"


def rate_table(first: str, rows: Sequence[RateRow], *, sources: bool = False) -> Table:
    def label(text: str) -> str:
        return source_name(text) if sources else text

    # "2 of 90" in one column keeps three of these tables side by side on a laptop screen.
    return Table(
        (first, "No-shows", "Rate"),
        tuple(
            (label(r.label), f"{r.hits} of {r.total}", percent(r.rate) if r.total else "—")
            for r in rows
        ),  # fmt: skip
        frozenset({1, 2}),
        empty_text="No bookings with a known outcome.",
    )


def cancellation_table(cancellations: Cancellations) -> Table:
    reasons = cancellations.reasons
    if not any(r.covers for r in reasons):  # no covers counted: a column of zeros says nothing
        return Table(("Reason", "Cancelled"), tuple((r.label, str(r.count)) for r in reasons),
                     frozenset({1}), empty_text="No cancellations in this period.")  # fmt: skip
    return Table(
        ("Reason", "Cancelled", "Covers"),
        tuple((r.label, str(r.count), str(r.covers)) for r in reasons),
        frozenset({1, 2}),
        empty_text="No cancellations in this period.",
    )


AI_CURRENCY = "USD"  # language models are priced in dollars, whatever the restaurant's currency


def ai_cost_table(costs: AiCosts) -> Table:
    return Table(
        ("Model", "Turns", "Input tokens", "Output tokens", "Cost"),
        tuple(
            (
                m.model,
                number(m.turns),
                number(m.input_tokens),
                number(m.output_tokens),
                money(m.cost, AI_CURRENCY, 4),
            )
            for m in costs.by_model
        ),  # fmt: skip
        frozenset({1, 2, 3, 4}),
        empty_text="Sofia had no turns in this period.",
    )


def churn_table(guests: Sequence[GuestValue], currency: str) -> Table:
    def interval(days: float | None) -> str:
        return f"every {days:.0f} d" if days is not None else "—"

    return Table(
        ("Guest", "Phone", "Visits", "Usually", "Days since", "Spent", "Last visit"),
        tuple(
            (
                g.name,
                g.phone,
                str(g.visits),
                interval(g.usual_interval_days),
                str(g.days_since_last_visit) if g.days_since_last_visit is not None else "—",
                money(g.total_spent, currency, 0),
                _day(g.last_visit),
            )
            for g in guests
        ),  # fmt: skip
        frozenset({2, 4, 5}),
        tuple(g.guest_id for g in guests),
        empty_text="No regular guest is overdue.",
    )


def top_guest_table(guests: Sequence[GuestValue], currency: str) -> Table:
    return Table(
        ("Guest", "Phone", "Visits", "Covers", "Spent", "Average", "Last visit"),
        tuple(
            (
                g.name,
                g.phone,
                str(g.visits),
                str(g.covers),
                money(g.total_spent, currency, 0),
                money(g.average_spend, currency, 0) if g.average_spend is not None else "—",
                _day(g.last_visit),
            )
            for g in guests
        ),  # fmt: skip
        frozenset({2, 3, 4, 5}),
        tuple(g.guest_id for g in guests),
        empty_text="No guest visited in this period.",
    )


class FigureTable(QTableView):
    """A read-only table as tall as its rows (up to ``max_rows``), inside the scrolling page."""

    guest_opened = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, max_rows: int = 10) -> None:
        super().__init__(parent)
        self.max_rows = max_rows
        self.table: Table | None = None
        self.model_ = QStandardItemModel(self)
        self.setModel(self.model_)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.doubleClicked.connect(self._double_clicked)

    def set_table(self, table: Table) -> None:
        self.table = table
        self.model_.clear()
        self.model_.setHorizontalHeaderLabels(list(table.headers))
        align_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for number_, row in enumerate(table.rows):
            items = []
            for column, text in enumerate(row):
                item = QStandardItem(text)
                if column in table.numeric:
                    item.setTextAlignment(align_right)
                if table.guest_ids:
                    item.setData(table.guest_ids[number_], GUEST_ID_ROLE)
                    item.setToolTip("Double-click to open the guest")
                items.append(item)
            self.model_.appendRow(items)
        if not table.rows:
            empty = QStandardItem(table.empty_text)
            empty.setForeground(Qt.GlobalColor.gray)
            self.model_.appendRow([empty])
            self.setSpan(0, 0, 1, len(table.headers))
        else:
            self.clearSpans()
        # The first column (names, labels) takes the spare width.
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._fit_height()

    def _fit_height(self) -> None:
        rows = min(max(1, self.model_.rowCount()), self.max_rows)
        height = self.horizontalHeader().sizeHint().height() + rows * 24 + 2 * self.frameWidth()
        self.setFixedHeight(height + 2)

    def cell_text(self, row: int, column: int) -> str:
        item = self.model_.item(row, column)
        return item.text() if item is not None else ""

    def _double_clicked(self, index: QModelIndex) -> None:
        guest_id = index.data(GUEST_ID_ROLE)
        if isinstance(guest_id, int):
            self.guest_opened.emit(guest_id)
