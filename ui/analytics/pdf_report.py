"""The dashboard as an A4 PDF: the restaurant and period, the KPI cards with their changes, the
charts and heat map (drawn by the same code as on screen), then the tables.

Threading contract: runs on the UI thread (QPainter, QtCharts); it reads only the ``Dashboard``
value, never the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from app.analytics.results import Dashboard
from ui.analytics.charts import (
    EMPTY_DAILY,
    EMPTY_SOFIA,
    EMPTY_SOURCES,
    daily_chart,
    render_chart,
    sofia_chart,
    source_chart,
)
from ui.analytics.covers_heatmap_view import paint_heatmap
from ui.analytics.format import change_colour, change_text, metric_value
from ui.analytics.tables import (
    Table,
    ai_cost_table,
    cancellation_table,
    churn_table,
    rate_table,
    top_guest_table,
)

DPI = 150
INK = QColor("#1f2633")
MUTED = QColor("#5b6478")
LINE = QColor("#dde2ec")
HEAD = QColor("#2f3b52")


def _font(size: float, *, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


class _Pages:
    """A cursor down the page that starts a new page when a block does not fit."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.painter = painter
        self.area = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
        self.area.moveTo(0, 0)
        self.y = 0.0

    @property
    def width(self) -> float:
        return self.area.width()

    def need(self, height: float) -> None:
        if self.y + height > self.area.height() and self.y > 0:
            self.writer.newPage()
            self.y = 0.0

    def text(self, text: str, font: QFont, colour: QColor = INK, gap: float = 4) -> None:
        metrics = QFontMetricsF(font, self.writer)
        self.need(metrics.height())
        self.painter.setFont(font)
        self.painter.setPen(colour)
        rect = QRectF(0, self.y, self.width, metrics.height())
        self.painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                              text)  # fmt: skip
        self.y += metrics.height() + gap


def _header(pages: _Pages, dashboard: Dashboard) -> None:
    pages.text(dashboard.restaurant_name, _font(17, bold=True), HEAD)
    pages.text(
        f"Dashboard for {dashboard.period.label()} ({dashboard.period.days} days), "
        f"compared with {dashboard.previous_period.label()}",
        _font(10),
    )
    pages.text(f"Generated {dashboard.generated_at:%d %b %Y %H:%M} UTC", _font(8), MUTED, gap=14)


def _cards(pages: _Pages, dashboard: Dashboard) -> None:
    painter, columns, gap = pages.painter, 4, 12.0
    width = (pages.width - gap * (columns - 1)) / columns
    height = 120.0
    rows = (len(dashboard.kpis) + columns - 1) // columns
    pages.need(rows * (height + gap))
    for i, change in enumerate(dashboard.kpis):
        x = (i % columns) * (width + gap)
        y = pages.y + (i // columns) * (height + gap)
        box = QRectF(x, y, width, height)
        painter.setPen(QPen(LINE, 2))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(box, 10, 10)
        inner = box.adjusted(14, 8, -14, -8)
        left = Qt.AlignmentFlag.AlignLeft
        painter.setFont(_font(8))
        painter.setPen(MUTED)
        painter.drawText(QRectF(inner.x(), inner.y(), inner.width(), 32), left,
                         change.current.label)  # fmt: skip
        painter.setFont(_font(14, bold=True))
        painter.setPen(INK)
        painter.drawText(QRectF(inner.x(), inner.y() + 30, inner.width(), 44),
                         left | Qt.AlignmentFlag.AlignVCenter,
                         metric_value(change.current, dashboard.currency))  # fmt: skip
        painter.setFont(_font(8, bold=True))
        painter.setPen(QColor(change_colour(change)))
        painter.drawText(QRectF(inner.x(), inner.y() + 76, inner.width(), 28), left,
                         change_text(change))  # fmt: skip
    pages.y += rows * (height + gap) + 6


def _figure(
    pages: _Pages, title: str, height: float, draw: Callable[[QRectF], None], x: float = 0,
    width: float | None = None, advance: bool = True,
) -> None:  # fmt: skip
    """A titled block ``height`` tall; ``advance=False`` leaves the cursor for a neighbour."""
    title_font = _font(10, bold=True)
    title_h = QFontMetricsF(title_font, pages.writer).height() + 6
    pages.need(title_h + height)
    width = pages.width if width is None else width
    painter = pages.painter
    painter.setFont(title_font)
    painter.setPen(HEAD)
    painter.drawText(QRectF(x, pages.y, width, title_h), Qt.AlignmentFlag.AlignLeft, title)
    draw(QRectF(x, pages.y + title_h, width, height))
    if advance:
        pages.y += title_h + height + 18


def _chart_or_note(pages: _Pages, chart: object, empty: str) -> Callable[[QRectF], None]:
    def draw(rect: QRectF) -> None:
        if chart is None:
            pages.painter.setFont(_font(9))
            pages.painter.setPen(MUTED)
            pages.painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, empty)
        else:
            render_chart(chart, pages.painter, rect, DPI)  # type: ignore[arg-type]

    return draw


def _heatmap(pages: _Pages, dashboard: Dashboard) -> Callable[[QRectF], None]:
    def draw(rect: QRectF) -> None:
        paint_heatmap(pages.painter, rect, dashboard.covers_heatmap, unit=DPI / 96)

    return draw


def _table(pages: _Pages, title: str, table: Table, max_rows: int = 20) -> None:
    font, bold = _font(8), _font(8, bold=True)
    metrics = QFontMetricsF(font, pages.writer)
    row_h, pad = metrics.height() * 1.6, 10.0
    rows = table.rows[:max_rows]
    widths = [
        max([QFontMetricsF(bold, pages.writer).horizontalAdvance(h)]
            + [metrics.horizontalAdvance(r[c]) for r in rows]) + 2 * pad
        for c, h in enumerate(table.headers)
    ]  # fmt: skip
    # Too wide: shrink every column alike (text is elided); narrow: the first one takes the rest.
    total = sum(widths)
    if total > pages.width:
        widths = [w * pages.width / total for w in widths]
    else:
        widths[0] += pages.width - total
    height = row_h * (1 + max(1, len(rows)))
    _figure(pages, title, height, lambda rect: None, advance=False)
    title_h = QFontMetricsF(_font(10, bold=True), pages.writer).height() + 6
    painter, top = pages.painter, pages.y + title_h
    painter.fillRect(QRectF(0, top, pages.width, row_h), QColor("#f4f6fa"))
    lines = [table.headers, *rows] if rows else [table.headers, (table.empty_text,)]
    for n, cells in enumerate(lines):
        y, x = top + n * row_h, 0.0
        painter.setFont(bold if n == 0 else font)
        painter.setPen(MUTED if n == 0 or not rows else INK)
        for c, text in enumerate(cells):
            width = widths[c] if rows or n == 0 else pages.width
            align = Qt.AlignmentFlag.AlignVCenter | (
                Qt.AlignmentFlag.AlignRight if c in table.numeric else Qt.AlignmentFlag.AlignLeft
            )
            cell = QRectF(x + pad, y, width - 2 * pad, row_h)
            painter.drawText(cell, align, metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                             cell.width()))  # fmt: skip
            x += width
        painter.setPen(QPen(LINE, 1))
        painter.drawLine(0, int(y + row_h), int(pages.width), int(y + row_h))
    if len(table.rows) > max_rows:
        painter.setPen(MUTED)
        painter.drawText(QRectF(0, top + height, pages.width, row_h), Qt.AlignmentFlag.AlignLeft,
                         f"… and {len(table.rows) - max_rows} more")  # fmt: skip
        height += row_h
    pages.y = top + height + 18


def write_dashboard_pdf(path: Path | str, dashboard: Dashboard) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                    QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    )  # fmt: skip
    writer.setResolution(DPI)
    writer.setTitle(f"{dashboard.restaurant_name}: dashboard {dashboard.period.label()}")
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        pages = _Pages(writer, painter)
        _header(pages, dashboard)
        _cards(pages, dashboard)
        _figure(pages, "Bookings, covers and no-shows per day", 360,
                _chart_or_note(pages, daily_chart(dashboard), EMPTY_DAILY))  # fmt: skip
        half = (pages.width - 20) / 2
        _figure(pages, "Bookings by source", 300,
                _chart_or_note(pages, source_chart(dashboard), EMPTY_SOURCES),
                width=half, advance=False)  # fmt: skip
        _figure(pages, "Sofia: guest frustration and handoffs", 300,
                _chart_or_note(pages, sofia_chart(dashboard), EMPTY_SOFIA),
                x=half + 20, width=half)  # fmt: skip
        _figure(pages, "Covers by weekday and hour", 300, _heatmap(pages, dashboard))
        writer.newPage()
        pages.y = 0
        patterns = dashboard.no_shows
        _table(pages, "No-shows by weekday", rate_table("Weekday", patterns.by_weekday))
        _table(pages, "No-shows by lead time", rate_table("Booked ahead", patterns.by_lead_time))
        _table(pages, "No-shows by source", rate_table("Source", patterns.by_source, sources=True))
        _table(pages, "Cancellation reasons", cancellation_table(dashboard.cancellations))
        _table(pages, "Sofia's cost by model", ai_cost_table(dashboard.ai_costs))
        _table(pages, "Regular guests at risk of churning",
               churn_table(dashboard.churn_risk, dashboard.currency))  # fmt: skip
        _table(pages, "Top guests", top_guest_table(dashboard.top_guests, dashboard.currency))
    finally:
        painter.end()
