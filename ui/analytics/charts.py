"""The dashboard's charts as QtCharts: bookings by source, the daily trend, Sofia's frustration
and handoffs. Each builder returns a fresh ``QChart`` (or None when there is nothing to draw), so
the panel shows it in a view and the PDF report renders its own copy at print size.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QFrame, QGraphicsScene, QLabel, QStackedWidget, QWidget

from app.analytics.results import Dashboard
from ui.analytics.format import source_name

ACCENT = "#3056d3"
SERIES_COLOURS = ("#3056d3", "#2e9e6b", "#b3261e", "#d08a00")
EMPTY_SOURCES = "No bookings in this period."
EMPTY_DAILY = "No bookings in this period."
EMPTY_SOFIA = "Sofia had no conversations in this period."


def _chart() -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # instant, and testable
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundVisible(False)  # the white section behind it shows through
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    font = QFont(chart.legend().font())
    font.setPointSizeF(8)
    chart.legend().setFont(font)
    return chart


def _axis_font(axis: QValueAxis | QBarCategoryAxis) -> None:
    font = QFont(axis.labelsFont())
    font.setPointSizeF(7.5)
    axis.setLabelsFont(font)
    axis.setGridLineColor(QColor("#eef0f5"))


def _line(name: str, colour: str) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    series.setPen(QPen(QColor(colour), 2))
    series.setPointsVisible(True)  # a one-day period is a single point, not an empty chart
    return series


def _day_axis(days: Sequence[dt.date], most: int = 8) -> QCategoryAxis:
    """x = the day's index; a date label on every day, or every few days in a long period
    (a date-time axis spaces its ticks evenly, off the days)."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    step = max(1, math.ceil(len(days) / most))
    for index in range(0, len(days), step):
        axis.append(f"{days[index]:%d %b}", float(index))
    axis.setRange(-0.5, len(days) - 0.5)
    axis.setStartValue(-0.5)
    _axis_font(axis)
    return axis


def _value_axis(top: float, *, colour: str | None = None, nice: bool = True) -> QValueAxis:
    """0 to a round number just above ``top`` with round ticks (or to ``top`` exactly)."""
    axis = QValueAxis()
    axis.setRange(0, max(top, 1.0) * (1.05 if nice else 1.0))
    axis.setTickCount(6 if not nice else 5)
    if nice:
        axis.applyNiceNumbers()
    axis.setLabelFormat("%.0f")
    _axis_font(axis)
    if colour is not None:  # the axis reads in its series' colour: no title needed
        axis.setLabelsColor(QColor(colour))
    return axis


def source_chart(dashboard: Dashboard) -> QChart | None:
    rows = [row for row in dashboard.bookings_by_source if row.count]
    if not rows:
        return None
    chart = _chart()
    rows.reverse()  # horizontal bars draw bottom-up: the biggest source ends on top
    bookings = QBarSet("Bookings")
    bookings.setColor(QColor(ACCENT))
    bookings.setBorderColor(QColor(ACCENT))
    bookings.setLabelColor(QColor("#1f2633"))  # the theme's default is white, unreadable outside
    bookings.append([float(row.count) for row in rows])
    series = QHorizontalBarSeries()
    series.append(bookings)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([source_name(row.label) for row in rows])
    _axis_font(categories)
    values = _value_axis(max(row.count for row in rows) * 1.1)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(values)
    chart.legend().hide()
    return chart


def daily_chart(dashboard: Dashboard) -> QChart | None:
    points = dashboard.daily
    if not points or not any(p.bookings or p.covers or p.no_shows for p in points):
        return None
    chart = _chart()
    lines = (
        ("Bookings", SERIES_COLOURS[0], [p.bookings for p in points]),
        ("Covers", SERIES_COLOURS[1], [p.covers for p in points]),
        ("No-shows", SERIES_COLOURS[2], [p.no_shows for p in points]),
    )
    x_axis = _day_axis([p.day for p in points])
    y_axis = _value_axis(max(max(values) for _n, _c, values in lines))
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for name, colour, values in lines:
        series = _line(name, colour)
        for index, value in enumerate(values):
            series.append(float(index), float(value))
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    return chart


def sofia_chart(dashboard: Dashboard) -> QChart | None:
    """Average frustration (0–5, left axis) and the share of turns handed to a person (right)."""
    days = dashboard.ai_daily
    if not any(p.turns for p in days):
        return None
    chart = _chart()
    frustration = _line("Frustration (0–5)", SERIES_COLOURS[3])
    handoffs = _line("Handoffs (%)", SERIES_COLOURS[2])
    for index, point in enumerate(days):
        if not point.turns:
            continue  # no conversation that day: a gap, not a zero
        if point.average_frustration is not None:
            frustration.append(float(index), point.average_frustration)
        handoffs.append(float(index), (point.handoff_rate or 0.0) * 100)
    x_axis = _day_axis([p.day for p in days], most=4)  # a narrow chart
    left = _value_axis(5, colour=SERIES_COLOURS[3], nice=False)
    top = max((p.handoff_rate or 0.0) * 100 for p in days)
    right = _value_axis(max(10.0, top), colour=SERIES_COLOURS[2])
    right.setGridLineVisible(False)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
    for series, axis in ((frustration, left), (handoffs, right)):
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(axis)
    return chart


def render_chart(chart: QChart, painter: QPainter, target: QRectF, dpi: float = 96.0) -> None:
    """Draw a chart that is on no screen into ``target`` of a ``dpi`` device (the PDF report)."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    # Lay the chart out at the target's size in screen pixels, so its fonts keep their size.
    scale = dpi / 96.0
    source = QRectF(0, 0, target.width() / scale, target.height() / scale)
    chart.resize(QSizeF(source.width(), source.height()))
    scene.setSceneRect(source)
    scene.render(painter, target, source)
    scene.removeItem(chart)


class ChartBox(QStackedWidget):
    """A chart, or a line saying why there is none."""

    def __init__(self, parent: QWidget | None = None, *, height: int = 240) -> None:
        super().__init__(parent)
        # The chart view (a graphics scene) is made with the first chart: a tab that is never
        # opened costs nothing at startup.
        self.view: QChartView | None = None
        # A fixed height: in the scrolling page an expanding chart would swallow the screen.
        self.setFixedHeight(height)
        self.empty = QLabel()
        self.empty.setObjectName("chartEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.addWidget(self.empty)

    @property
    def chart(self) -> QChart | None:
        if self.view is None or self.currentWidget() is not self.view:
            return None
        return self.view.chart()

    @property
    def showing_empty(self) -> bool:
        return self.currentWidget() is self.empty

    def set_chart(self, chart: QChart | None, empty_text: str) -> None:
        if chart is None:
            self.set_message(empty_text)
            return
        if self.view is None:
            self.view = QChartView()
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.view.setFrameShape(QFrame.Shape.NoFrame)
            self.view.setStyleSheet("background: transparent;")
            self.addWidget(self.view)
        old = self.view.chart()
        self.view.setChart(chart)  # the view owns the new chart from here on
        if old is not None and old is not chart:
            old.deleteLater()
        self.setCurrentWidget(self.view)

    def set_message(self, text: str) -> None:
        self.empty.setText(text)
        self.setCurrentWidget(self.empty)
