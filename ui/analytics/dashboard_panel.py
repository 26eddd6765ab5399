"""The Dashboard tab (managers and admins): a period, the KPIs against the previous period, the
charts and tables, and exports (metrics CSV, reservations CSV, PDF report).

Threading contract: lives on the UI thread. The dashboard is computed by ``loader`` (by default
``load_dashboard``) on a worker thread through ``context.tasks``; only the newest request's
answer is shown. It loads the first time the tab is shown, then again when the period or the
restaurant changes, and (debounced) when data changes while the tab is on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.analytics.dashboard import load_dashboard
from app.analytics.export import write_metrics_csv, write_reservations_csv
from app.analytics.period import DateRange
from app.analytics.results import Dashboard
from app.services.database import Database
from ui.analytics.dashboard_page import DashboardPage
from ui.analytics.pdf_report import write_dashboard_pdf
from ui.analytics.period_picker import PeriodPicker
from ui.errors import error_text
from ui.host_context import HostContext
from ui.reservations.callbacks import run_for

# (db, restaurant_id, period, *, today) -> Dashboard; tests inject a hand-built one.
Loader = Callable[..., Dashboard]
CHANGE_DELAY_MS = 2000  # a burst of edits (a busy service) reloads once
STATUS_STYLE = """
QLabel#dashStatus { color: #5b6478; }
QLabel#dashStatus[state="error"] { color: #b3261e; font-weight: bold; }
QLabel#dashStatus[state="loading"] { color: #3056d3; }
"""


class DashboardPanel(QWidget):
    dashboard_loaded = Signal(object)  # Dashboard
    load_failed = Signal(str)
    guest_opened = Signal(int)

    def __init__(
        self, context: HostContext, parent: QWidget | None = None, *, loader: Loader | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.loader: Loader = loader or load_dashboard
        self.dashboard: Dashboard | None = None
        self.error: str | None = None
        self._request = 0
        self._answered = 0
        self._stale = True  # nothing loaded yet: the first showing loads
        self.setStyleSheet(STATUS_STYLE)

        self.picker = PeriodPicker(self.local_today)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Compute the dashboard again")
        self.metrics_button = QPushButton("CSV: metrics")
        self.reservations_button = QPushButton("CSV: reservations")
        self.pdf_button = QPushButton("PDF report")
        self.metrics_button.setToolTip("The KPIs and breakdowns shown here, as a CSV file")
        self.reservations_button.setToolTip("Every reservation of the period, as a CSV file")
        self.pdf_button.setToolTip("This dashboard as an A4 PDF")
        self.status = QLabel("")
        self.status.setObjectName("dashStatus")
        self.status.setWordWrap(True)
        # Two short rows rather than one long one: the tab must not widen the window (the
        # tab widget is as wide as its widest page).
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.picker)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        exports = QHBoxLayout()
        exports.setSpacing(6)
        exports.addWidget(self.status, 1)
        for button in (self.metrics_button, self.reservations_button, self.pdf_button):
            exports.addWidget(button)
        self.page = DashboardPage()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addLayout(exports)
        layout.addWidget(self.page, 1)
        self._set_exports_enabled(False)

        self._changes = QTimer(self, singleShot=True, interval=CHANGE_DELAY_MS)
        self._changes.timeout.connect(self.reload)
        self.picker.period_changed.connect(lambda _period: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.metrics_button.clicked.connect(self.export_metrics)
        self.reservations_button.clicked.connect(self.export_reservations)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.page.guest_opened.connect(self.guest_opened)
        context.data_changed.connect(self._data_changed)
        context.restaurant_changed.connect(self._restaurant_changed)

    # -- state ------------------------------------------------------------------------------

    def local_today(self) -> dt.date:
        return self.context.now().astimezone(ZoneInfo(self.context.timezone)).date()

    @property
    def period(self) -> DateRange:
        return self.picker.period()

    @property
    def loading(self) -> bool:
        return self._answered != self._request

    @property
    def loaded(self) -> bool:
        """The newest request has been answered (with a dashboard or an error)."""
        return self._request > 0 and not self.loading

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self._changes.stop()
        self._stale = False
        self._request += 1
        request, period = self._request, self.period
        self.error = None
        self._show_status(f"Loading {period.label()}…", "loading")
        if self.dashboard is None:
            self.page.show_loading()
        self._set_exports_enabled(False)
        run_for(
            self, self.context.tasks, self.loader, self.context.db, self.context.restaurant_id,
            period, today=self.local_today(),
            on_done=lambda dashboard: self._arrived(request, dashboard),
            on_error=lambda exc: self._failed(request, exc),
        )  # fmt: skip

    def _arrived(self, request: int, dashboard: Dashboard) -> None:
        if request != self._request:
            return  # an older period's answer, overtaken by a newer request
        self._answered = request
        self.dashboard = dashboard
        self.page.show_dashboard(dashboard)
        generated = dashboard.generated_at.astimezone(ZoneInfo(self.context.timezone))
        self._show_status(
            f"{dashboard.period.label()} vs {dashboard.previous_period.label()} · "
            f"updated {generated:%H:%M}",
            "ok",
        )
        self.status.setToolTip(f"{dashboard.restaurant_name}: {dashboard.period.days} days "
                               "compared with the same number of days before")  # fmt: skip
        self._set_exports_enabled(True)
        self.dashboard_loaded.emit(dashboard)

    def _failed(self, request: int, exc: Exception) -> None:
        if request != self._request:
            return
        self._answered = request
        self.error = error_text(exc)
        self._show_status(f"The dashboard could not be loaded: {self.error}", "error")
        self._set_exports_enabled(False)  # the figures on screen are not this period's
        self.load_failed.emit(self.error)

    def _show_status(self, text: str, state: str) -> None:
        self.status.setText(text)
        self.status.setProperty("state", state)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def _set_exports_enabled(self, enabled: bool) -> None:
        # The reservations CSV queries the period itself and needs no loaded dashboard.
        for button in (self.metrics_button, self.pdf_button):
            button.setEnabled(enabled)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # Lazy: startup does not pay for the dashboard, and a hidden tab does not refresh.
        if self._stale:
            self.picker.refresh_today()
            self.reload()

    def _data_changed(self, _kind: str, _ids: object) -> None:
        if self.isVisible():
            if not self._changes.isActive():
                self._changes.start()
        elif self._request:
            self._stale = True

    def _restaurant_changed(self, _restaurant_id: int) -> None:
        self.dashboard = None
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    # -- exports ----------------------------------------------------------------------------

    def _ask_path(self, title: str, name: str, kind: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, kind)
        return Path(path) if path else None

    def _file_stem(self) -> str:
        period = self.period
        return f"dashboard-{period.start.isoformat()}-{period.end.isoformat()}"

    def export_metrics(self) -> None:
        path = self._ask_path("Save the metrics", f"{self._file_stem()}.csv", "CSV (*.csv)")
        if path is not None:
            self.save_metrics_csv(path)

    def export_reservations(self) -> None:
        stem = self._file_stem().replace("dashboard", "reservations")
        path = self._ask_path("Save the reservations", f"{stem}.csv", "CSV (*.csv)")
        if path is not None:
            self.save_reservations_csv(path)

    def export_pdf(self) -> None:
        path = self._ask_path("Save the report", f"{self._file_stem()}.pdf", "PDF (*.pdf)")
        if path is not None:
            self.save_pdf(path)

    def save_metrics_csv(self, path: Path) -> None:
        if self.dashboard is None:
            return
        try:
            with path.open("w", encoding="utf-8", newline="") as stream:
                write_metrics_csv(self.dashboard, stream)
        except OSError as exc:
            self._post(f"The metrics could not be saved: {_failure_text(exc)}")
            return
        self._post(f"Metrics saved to {path}")

    def save_reservations_csv(self, path: Path, on_saved: Callable[[int], None] | None = None
                              ) -> None:  # fmt: skip
        """Queries the database, so it runs on a worker thread like the dashboard."""
        context, period = self.context, self.period
        self._post(f"Saving the reservations of {period.label()}…")
        run_for(self, context.tasks, _write_reservations, context.db, context.restaurant_id,
                period, path,
                on_done=lambda count: self._reservations_saved(path, count, on_saved),
                on_error=lambda exc: self._post(
                    f"The reservations could not be saved: {_failure_text(exc)}"))  # fmt: skip

    def _reservations_saved(
        self, path: Path, count: int, on_saved: Callable[[int], None] | None
    ) -> None:
        self._post(f"{count} reservations saved to {path}")
        if on_saved is not None:
            on_saved(count)

    def save_pdf(self, path: Path) -> None:
        if self.dashboard is None:
            return
        write_dashboard_pdf(path, self.dashboard)
        # QPdfWriter does not raise: an unwritable folder only shows as a missing file.
        if not path.exists() or path.stat().st_size == 0:
            self._post(f"The report could not be saved to {path}.")
            return
        self._post(f"Report saved to {path}")

    def _post(self, text: str) -> None:
        self.context.message_posted.emit(text)


def _write_reservations(db: Database, restaurant_id: int, period: DateRange, path: Path) -> int:
    """Worker thread: the period's reservations into ``path`` (a partial file is removed)."""
    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            return write_reservations_csv(db, restaurant_id, period, stream)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _failure_text(exc: BaseException) -> str:
    """A file the system refused reads as the system's reason; the rest as the services say."""
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc)
    return error_text(exc)
