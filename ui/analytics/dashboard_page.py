"""The dashboard's scrolling page: KPI cards, charts, the heat map and the tables, filled from one
``Dashboard`` value. It only shows what it is given; loading is the panel's business."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.analytics.results import KPI_KEYS, Dashboard
from ui.analytics.charts import (
    EMPTY_DAILY,
    EMPTY_SOFIA,
    EMPTY_SOURCES,
    ChartBox,
    daily_chart,
    sofia_chart,
    source_chart,
)
from ui.analytics.covers_heatmap_view import CoversHeatmapView
from ui.analytics.format import money, percent
from ui.analytics.kpi_card import KpiCard
from ui.analytics.tables import (
    AI_CURRENCY,
    FigureTable,
    ai_cost_table,
    cancellation_table,
    churn_table,
    rate_table,
    top_guest_table,
)

PAGE_STYLE = """
QWidget#dashboardPage { background: #f4f6fa; }
QFrame#dashSection { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px; }
QFrame#dashSection > QLabel#sectionTitle { font-weight: bold; color: #2f3b52; }
QLabel#sectionNote { color: #5b6478; font-size: 9pt; }
QLabel#chartEmpty { color: #8a93a6; background: #ffffff; }
"""
COLUMNS = 4  # KPI cards per row


class Section(QFrame):
    """A white box with a title, an optional one-line note, and its content."""

    def __init__(self, title: str, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashSection")
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        self.note = QLabel()
        self.note.setObjectName("sectionNote")
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(content)
        layout.addStretch(1)  # a short table sits under its title, not in the middle

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


def _row(*pairs: tuple[QWidget, int]) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for widget, stretch in pairs:
        row.addWidget(widget, stretch)
    return row


class DashboardPage(QScrollArea):
    guest_opened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget()
        page.setObjectName("dashboardPage")
        page.setStyleSheet(PAGE_STYLE)
        self.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 4, 8)
        layout.setSpacing(8)

        self.cards = {key: KpiCard(key.replace("_", " ")) for key in KPI_KEYS}
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, i // COLUMNS, i % COLUMNS)
        layout.addLayout(grid)

        self.daily = ChartBox(height=250)
        self.sources = ChartBox(height=250)
        self.heatmap = CoversHeatmapView()
        self.heatmap.setFixedHeight(230)
        self.sofia = ChartBox(height=230)
        self.daily_section = Section("Bookings, covers and no-shows per day", self.daily)
        self.sources_section = Section("Bookings by source", self.sources)
        self.heatmap_section = Section("Covers by weekday and hour", self.heatmap)
        self.sofia_section = Section("Sofia: guest frustration and handoffs", self.sofia)
        layout.addLayout(_row((self.daily_section, 3), (self.sources_section, 2)))
        layout.addLayout(_row((self.heatmap_section, 3), (self.sofia_section, 2)))

        self.by_weekday = FigureTable()
        self.by_lead_time = FigureTable()
        self.by_source = FigureTable()
        layout.addLayout(_row(
            (Section("No-shows by weekday", self.by_weekday), 1),
            (Section("No-shows by booking lead time", self.by_lead_time), 1),
            (Section("No-shows by source", self.by_source), 1),
        ))  # fmt: skip

        self.cancellations = FigureTable()
        self.ai_costs = FigureTable()
        self.cancellations_section = Section("Cancellation reasons", self.cancellations)
        self.ai_section = Section("Sofia's cost by model", self.ai_costs)
        layout.addLayout(_row((self.cancellations_section, 2), (self.ai_section, 3)))

        self.churn = FigureTable(max_rows=15)
        self.top_guests = FigureTable(max_rows=15)
        self.churn_section = Section("Regular guests at risk of churning", self.churn)
        self.churn_section.set_note("Guests overdue against their usual interval between "
                                    "visits: worth a call. Double-click to open one.")  # fmt: skip
        self.top_section = Section("Top guests", self.top_guests)
        layout.addWidget(self.churn_section)
        layout.addWidget(self.top_section)
        layout.addStretch(1)
        self.churn.guest_opened.connect(self.guest_opened)
        self.top_guests.guest_opened.connect(self.guest_opened)

    def show_loading(self) -> None:
        for card in self.cards.values():
            card.show_loading()

    def show_dashboard(self, dashboard: Dashboard) -> None:
        for change in dashboard.kpis:
            card = self.cards.get(change.current.key)
            if card is not None:
                card.show_change(change, dashboard.previous_period, dashboard.currency)
        self.daily.set_chart(daily_chart(dashboard), EMPTY_DAILY)
        self.sources.set_chart(source_chart(dashboard), EMPTY_SOURCES)
        self.sofia.set_chart(sofia_chart(dashboard), EMPTY_SOFIA)
        self.heatmap.set_heatmap(dashboard.covers_heatmap)
        total = dashboard.covers_heatmap.total
        self.heatmap_section.set_note(f"{total} covers; darker is busier." if total else "")
        patterns = dashboard.no_shows
        self.by_weekday.set_table(rate_table("Weekday", patterns.by_weekday))
        self.by_lead_time.set_table(rate_table("Booked ahead", patterns.by_lead_time))
        self.by_source.set_table(rate_table("Source", patterns.by_source, sources=True))
        cancelled = dashboard.cancellations
        self.cancellations.set_table(cancellation_table(cancelled))
        self.cancellations_section.set_note(
            f"{cancelled.total} cancelled, {percent(cancelled.rate)} of the period's bookings"
        )
        costs = dashboard.ai_costs
        per_booking = costs.cost_per_booking
        self.ai_costs.set_table(ai_cost_table(costs))
        self.ai_section.set_note(
            f"Total {money(costs.total_cost, AI_CURRENCY, 2)}; {costs.sofia_bookings} bookings "
            "by Sofia"
            + (f", {money(per_booking, AI_CURRENCY, 3)} per booking" if per_booking else "")
        )
        self.churn.set_table(churn_table(dashboard.churn_risk, dashboard.currency))
        self.top_guests.set_table(top_guest_table(dashboard.top_guests, dashboard.currency))
