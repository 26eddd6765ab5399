"""The Dashboard tab over a hand-built ``Dashboard`` (an injected loader): cards, changes,
"no data", the heat map, the period picker, stale answers, the PDF report; then the real
dashboard of the demo restaurant in the main window, for a manager only."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from app.analytics.period import DateRange
from app.analytics.results import (
    KPI_KEYS,
    LEAD_TIME_BUCKETS,
    WEEKDAY_LABELS,
    AiCosts,
    AiDailyPoint,
    Cancellations,
    Change,
    CountRow,
    CoversHeatmap,
    DailyPoint,
    Dashboard,
    GuestValue,
    Metric,
    ModelUsage,
    NoShowPatterns,
    RateRow,
    Unit,
)
from app.db.enums import UserRole
from app.errors import NotFound
from app.services.accounts import UserSummary
from app.services.database import Database
from tests.ui.test_main_window import open_window
from ui.analytics import DashboardPanel
from ui.analytics.format import change_text, metric_value
from ui.analytics.pdf_report import write_dashboard_pdf
from ui.host_context import HostContext

TODAY = dt.date(2026, 11, 27)  # a Friday
NOW = dt.datetime.combine(TODAY, dt.time(19, 35), tzinfo=ZoneInfo("Europe/Moscow"))
MANAGER = UserSummary(1, "m@bistro.ru", "Mira Manager", UserRole.MANAGER, True, None)

only_sqlite = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNITS = {
    "conversion_rate": Unit.PERCENT,
    "no_show_rate": Unit.PERCENT,
    "satisfaction_score": Unit.SCORE,
    "revpash": Unit.MONEY_PER_SEAT_HOUR,
    "ai_automation_rate": Unit.PERCENT,
    "response_time_avg": Unit.MILLISECONDS,
    "response_time_p90": Unit.MILLISECONDS,
    "table_utilisation": Unit.PERCENT,
}
LOWER_IS_BETTER = {"no_show_rate", "response_time_avg", "response_time_p90"}


def metric(key: str, value: float | None, num: float | None = None, den: float | None = None
           ) -> Metric:  # fmt: skip
    return Metric(key, key.replace("_", " ").capitalize(), UNITS[key], value, num, den,
                  sample=int(den or 0), higher_is_better=key not in LOWER_IS_BETTER)  # fmt: skip


def make_dashboard(period: DateRange, *, empty: bool = False, name: str = "Bistro") -> Dashboard:
    """A dashboard with known figures (or none at all) for ``period``."""
    current: dict[str, tuple[float | None, float | None]] = {
        "conversion_rate": (0.85, 0.808),  # ▲ 4.2 pp, better
        "no_show_rate": (0.10, 0.05),  # ▲ 5.0 pp, worse (lower is better)
        "satisfaction_score": (4.5, 4.2),
        "revpash": (240.0, 200.0),  # ▲ 20.0 %
        "ai_automation_rate": (0.4, None),  # no earlier data
        "response_time_avg": (800.0, 1000.0),  # ▼ 20.0 %, better
        "response_time_p90": (None, 2500.0),  # no data now
        "table_utilisation": (0.5, 0.5),  # unchanged
    }
    kpis = tuple(
        Change(metric(k, None if empty else current[k][0], 85, 100),
               metric(k, None if empty else current[k][1], 80, 99))
        for k in KPI_KEYS
    )  # fmt: skip
    covers = [[0] * 24 for _ in range(7)]
    if not empty:
        covers[4][19] = 42  # Friday 19:00, the peak
        covers[5][13] = 10
    days = period.dates()
    return Dashboard(
        restaurant_id=1,
        restaurant_name=name,
        currency="RUB",
        period=period,
        previous_period=period.previous(),
        kpis=kpis,
        covers_heatmap=CoversHeatmap(tuple(tuple(row) for row in covers)),
        bookings_by_source=() if empty else (CountRow("phone", 30, 80), CountRow("sofia", 12, 30)),
        no_shows=NoShowPatterns(
            tuple(
                RateRow(label, 0 if empty else 1, 0 if empty else 10) for label in WEEKDAY_LABELS
            ),
            tuple(RateRow(label, 0, 0) for label, _ in LEAD_TIME_BUCKETS),
            () if empty else (RateRow("phone", 2, 20),),
        ),  # fmt: skip
        cancellations=Cancellations(0, None, ())
        if empty
        else Cancellations(
            3, 0.07, (CountRow("Change of plans", 2, 5), CountRow("No reason given", 1, 2))
        ),  # fmt: skip
        ai_costs=AiCosts(Decimal("0"), 0, ())
        if empty
        else AiCosts(
            Decimal("1.25"), 5, (ModelUsage("gpt-4o-mini", 40, 12000, 3000, Decimal("1.25")),)
        ),  # fmt: skip
        daily=tuple(
            DailyPoint(
                d, 0 if empty else 5 + i, 0 if empty else 12 + i, 0 if empty else 1, 0, Decimal("0")
            )
            for i, d in enumerate(days)
        ),  # fmt: skip
        ai_daily=tuple(
            AiDailyPoint(d, 0 if empty else 6, None if empty else 1.5, 0 if empty else 1)
            for d in days
        ),  # fmt: skip
        churn_risk=()
        if empty
        else (
            GuestValue(
                7,
                "Olga Petrova",
                "+79161234567",
                8,
                Decimal("42000"),
                TODAY - dt.timedelta(days=60),
                14.0,
                60,
                20,
            ),
        ),  # fmt: skip
        top_guests=()
        if empty
        else (
            GuestValue(
                8,
                "Ivan Ivanov",
                "+79031112233",
                12,
                Decimal("96000"),
                TODAY - dt.timedelta(days=3),
                None,
                None,
                40,
            ),
        ),  # fmt: skip
        generated_at=NOW.astimezone(dt.UTC),
    )


class FakeLoader:
    """Stands in for ``load_dashboard``: records each call; may hold answers back or fail."""

    def __init__(self, *, empty: bool = False) -> None:
        self.empty = empty
        self.calls: list[DateRange] = []
        self.gates: list[threading.Event] = []
        self.hold = False
        self.fail: Exception | None = None

    def __call__(self, db: Any, restaurant_id: int, period: DateRange, *, today: dt.date
                 ) -> Dashboard:  # fmt: skip
        assert today == TODAY
        self.calls.append(period)
        if self.hold:
            gate = threading.Event()
            self.gates.append(gate)
            gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return make_dashboard(period, empty=self.empty, name=f"Bistro {period.days}")


@pytest.fixture
def context(db: Database) -> Iterator[HostContext]:
    context = HostContext(db, MANAGER, 1, TODAY, clock=lambda: NOW.astimezone(dt.UTC))
    yield context
    context.close()


@pytest.fixture
def open_panel(qtbot: QtBot, context: HostContext) -> Callable[..., DashboardPanel]:
    def build(loader: FakeLoader) -> DashboardPanel:
        panel = DashboardPanel(context, loader=loader)
        qtbot.addWidget(panel)
        panel.resize(1100, 800)
        return panel

    return build


@only_sqlite
def test_nothing_loads_until_the_tab_is_shown_then_the_cards_read_right(
    qtbot: QtBot, open_panel: Callable[..., DashboardPanel], styled: None
) -> None:
    loader = FakeLoader()
    panel = open_panel(loader)
    qtbot.wait(50)
    assert loader.calls == [], "startup does not pay for the dashboard"
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=5000):
        panel.show()
    assert loader.calls == [DateRange(TODAY - dt.timedelta(days=6), TODAY)]  # the last 7 days
    cards = panel.page.cards
    assert cards["conversion_rate"].value.text() == "85.0 %"
    assert cards["conversion_rate"].change.text() == "▲ 4.2 pp"
    assert "#1b7f3b" in cards["conversion_rate"].change.styleSheet()  # green: better
    assert cards["no_show_rate"].change.text() == "▲ 5.0 pp"
    assert "#b3261e" in cards["no_show_rate"].change.styleSheet()  # red: more no-shows
    assert cards["satisfaction_score"].value.text() == "4.50 / 5"
    assert cards["satisfaction_score"].change.text() == "▲ 0.30"
    assert cards["revpash"].value.text() == "240.00 RUB"
    assert cards["revpash"].change.text() == "▲ 20.0 %"
    assert cards["response_time_avg"].value.text() == "800 ms"
    assert cards["response_time_avg"].change.text() == "▼ 20.0 %"
    assert "#1b7f3b" in cards["response_time_avg"].change.styleSheet()  # faster is better
    assert cards["ai_automation_rate"].change.text() == "no earlier data"
    assert cards["response_time_p90"].value.text() == "no data"
    assert cards["table_utilisation"].change.text() == "= no change"
    tip = cards["conversion_rate"].toolTip()
    assert panel.dashboard is not None
    assert panel.dashboard.previous_period.label() in tip
    assert "85 confirmed / 100 bookings" in tip
    # The heat map, its tooltip, the charts and the tables.
    heatmap = panel.page.heatmap
    assert heatmap.cell_value(4, 19) == 42 and heatmap.cell_value(0, 0) == 0
    assert heatmap.cell_at(QPoint(5, 5)) is None
    point = QPoint(int(38 + (heatmap.width() - 38) / 24 * 19.5),
                   int(16 + (heatmap.height() - 16) / 7 * 4.5))  # fmt: skip
    assert heatmap.tooltip_at(point) == "Fri 19:00–19:59: 42 covers"
    assert panel.page.daily.chart is not None and panel.page.sources.chart is not None
    assert panel.page.sofia.chart is not None
    assert panel.page.churn.cell_text(0, 0) == "Olga Petrova"
    assert panel.page.churn.cell_text(0, 3) == "every 14 d"
    assert panel.page.top_guests.cell_text(0, 4) == "96\u2009000 RUB"
    assert panel.page.ai_costs.cell_text(0, 0) == "gpt-4o-mini"
    assert "14 Nov 2026 – 20 Nov 2026" in panel.status.text()  # the previous period
    assert "Bistro 7" in panel.status.toolTip()
    assert panel.pdf_button.isEnabled() and panel.metrics_button.isEnabled()
    # Double-clicking a churn-risk guest asks for that guest.
    with qtbot.waitSignal(panel.guest_opened) as opened:
        panel.page.churn.doubleClicked.emit(panel.page.churn.model_.index(0, 0))
    assert opened.args == [7]


@only_sqlite
def test_an_empty_period_reads_no_data_and_draws_no_chart(
    qtbot: QtBot, open_panel: Callable[..., DashboardPanel]
) -> None:
    panel = open_panel(FakeLoader(empty=True))
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=5000):
        panel.show()
    assert all(card.value.text() == "no data" for card in panel.page.cards.values())
    assert all(card.change.text() == "" for card in panel.page.cards.values())
    for box in (panel.page.daily, panel.page.sources, panel.page.sofia):
        assert box.showing_empty and box.empty.text()
    assert panel.page.churn.cell_text(0, 0) == "No regular guest is overdue."
    panel.page.heatmap.grab()  # paints the empty state without failing


def test_presets_and_a_refused_custom_range(qtbot: QtBot) -> None:
    from ui.analytics.period_picker import PeriodPicker

    picker = PeriodPicker(lambda: TODAY)
    qtbot.addWidget(picker)
    seen: list[DateRange] = []
    picker.period_changed.connect(seen.append)
    expected = {
        "today": DateRange(TODAY, TODAY),
        "this_week": DateRange(dt.date(2026, 11, 23), TODAY),
        "last_7_days": DateRange(dt.date(2026, 11, 21), TODAY),
        "this_month": DateRange(dt.date(2026, 11, 1), TODAY),
        "last_30_days": DateRange(dt.date(2026, 10, 29), TODAY),
    }
    for key, period in expected.items():
        picker.choose(key)
        assert picker.period() == period, key
        assert not picker.start.isEnabled()
    assert seen == list(expected.values())
    picker.set_custom(dt.date(2026, 11, 1), dt.date(2026, 11, 10))
    assert picker.period() == DateRange(dt.date(2026, 11, 1), dt.date(2026, 11, 10))
    assert picker.start.isEnabled() and not picker.refused
    picker.set_custom(dt.date(2026, 11, 10), dt.date(2026, 11, 9))
    assert picker.refused and "before" in picker.error.text()
    assert picker.period() == DateRange(dt.date(2026, 11, 1), dt.date(2026, 11, 10))
    assert len(seen) == len(expected) + 1, "a refused range is not emitted"
    picker.set_custom(dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    assert not picker.refused and picker.period().days == 1


def test_changes_and_values_by_unit() -> None:
    zero_before = Change(metric("revpash", 120.0), metric("revpash", 0.0))
    assert change_text(zero_before) == "▲ 120.00"
    slower = Change(metric("response_time_p90", 2500.0), metric("response_time_p90", None))
    assert metric_value(slower.current) == "2.5 s" and slower.improved is None


@only_sqlite
def test_a_stale_answer_is_ignored_and_errors_show_inline(
    qtbot: QtBot, open_panel: Callable[..., DashboardPanel]
) -> None:
    loader = FakeLoader()
    panel = open_panel(loader)
    loader.hold = True
    panel.show()
    qtbot.waitUntil(lambda: len(loader.gates) == 1)
    assert panel.loading and "Loading" in panel.status.text()
    assert panel.page.cards["no_show_rate"].value.text() == "…"
    panel.picker.choose("today")  # the manager changes the period meanwhile
    qtbot.waitUntil(lambda: len(loader.gates) == 2)
    loader.gates[1].set()  # the newer answer arrives first …
    qtbot.waitUntil(lambda: panel.dashboard is not None)
    loader.gates[0].set()  # … then the older one, which must not replace it
    panel.context.tasks.wait()
    qtbot.wait(50)
    assert panel.dashboard is not None and panel.dashboard.period.days == 1
    assert "Bistro 1" in panel.status.toolTip() and not panel.loading
    loader.hold, loader.fail = False, NotFound("There is no restaurant 1.")
    with qtbot.waitSignal(panel.load_failed, timeout=5000):
        panel.refresh_button.click()
    assert "There is no restaurant 1." in panel.status.text()
    assert panel.status.property("state") == "error"
    assert not panel.pdf_button.isEnabled()


@only_sqlite
def test_data_changes_reload_only_while_the_tab_is_visible(
    qtbot: QtBot, open_panel: Callable[..., DashboardPanel]
) -> None:
    loader = FakeLoader()
    panel = open_panel(loader)
    panel._changes.setInterval(100)  # the 2 s debounce, shortened for the test
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=5000):
        panel.show()
    for _ in range(5):  # a burst of changes reloads once
        panel.context.data_changed.emit("reservation", frozenset({1}))
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=5000):
        pass
    assert len(loader.calls) == 2
    panel.hide()
    panel.context.data_changed.emit("reservation", frozenset({1}))
    panel.context.restaurant_changed.emit(1)
    qtbot.wait(300)
    assert len(loader.calls) == 2, "a hidden tab does not reload"
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=5000):
        panel.show()  # … but catches up when shown again
    assert len(loader.calls) == 3


@only_sqlite
def test_the_pdf_report_and_the_metrics_csv(
    qtbot: QtBot, open_panel: Callable[..., DashboardPanel], tmp_path: Path
) -> None:
    period = DateRange(dt.date(2026, 11, 1), TODAY)
    for empty in (False, True):
        path = tmp_path / f"report-{empty}.pdf"
        write_dashboard_pdf(path, make_dashboard(period, empty=empty))
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 5000
    panel = open_panel(FakeLoader())
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=5000):
        panel.show()
    panel.save_pdf(tmp_path / "panel.pdf")
    assert (tmp_path / "panel.pdf").read_bytes().startswith(b"%PDF")
    panel.save_metrics_csv(tmp_path / "metrics.csv")
    text = (tmp_path / "metrics.csv").read_text(encoding="utf-8")
    assert "conversion_rate" in text


# -- the real dashboard of the demo restaurant ----------------------------------------------


@only_sqlite
def test_a_manager_has_the_dashboard_tab_and_it_shows_the_demo_figures(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    window = open_window(qtbot, db, "manager")
    panel = window.dashboard
    assert panel is not None
    assert window.tabs.tabText(window.tabs.indexOf(panel)) == "Dashboard"
    assert panel.dashboard is None and not panel.loaded, "loads lazily"
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=30_000):
        window.tabs.setCurrentWidget(panel)
    dashboard = panel.dashboard
    assert dashboard is not None and dashboard.restaurant_id == window.context.restaurant_id
    assert dashboard.covers_heatmap.total > 0
    values = [card.value.text() for card in panel.page.cards.values()]
    assert sum(text[0].isdigit() for text in values) >= 4, values
    assert not panel.page.daily.showing_empty
    # A guest on the lists opens in the Guests tab.
    guest = dashboard.top_guests[0]
    panel.guest_opened.emit(guest.guest_id)
    assert window.tabs.currentWidget() is window.guests
    window.tabs.setCurrentWidget(panel)
    saved: list[int] = []
    panel.save_reservations_csv(tmp_path / "reservations.csv", on_saved=saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=20_000)
    lines = (tmp_path / "reservations.csv").read_text(encoding="utf-8").splitlines()
    assert saved[0] > 0 and len(lines) == saved[0] + 1


@only_sqlite
def test_a_host_has_no_dashboard_tab(qtbot: QtBot, db: Database) -> None:
    window = open_window(qtbot, db, "staff")
    assert window.dashboard is None
    assert "Dashboard" not in [window.tabs.tabText(i) for i in range(window.tabs.count())]
