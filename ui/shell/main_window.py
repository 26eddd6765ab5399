"""The host-stand window: toolbar (restaurant, day, actions), day list beside the floor plan,
timeline and guests, a status bar with the database and its connection state.

The window only wires panels to the shared HostContext; panels never call each other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.errors import ToBeOutError
from app.services.day_sheet import day_reservations
from app.services.permissions import Permission
from app.services.restaurants import RestaurantSummary
from ui.analytics import DashboardPanel
from ui.channels.integrations_dialog import IntegrationsDialog
from ui.channels.state_text import short_text
from ui.channels.sync_thread import ChannelState, SyncThread
from ui.floor_plan import FloorPlanPanel
from ui.guests import GuestsPanel
from ui.host_context import HostContext
from ui.live_updates import LiveUpdates
from ui.reservations import DayListPanel, ReservationDialog
from ui.shell.connection_banner import ConnectionBanner
from ui.shell.date_navigator import DateNavigator
from ui.shell.day_sheet_export import day_sheet_html, write_day_sheet_pdf
from ui.shell.manage_menu import ManageMenu
from ui.sofia import AssistantPanel
from ui.timeline import TimelinePanel


class MainWindow(QMainWindow):
    def __init__(
        self,
        context: HostContext,
        restaurants: list[RestaurantSummary],
        *,
        live: LiveUpdates | None = None,
        sync: SyncThread | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.restaurants = {r.id: r for r in restaurants}
        self.live = live
        self.sync = sync
        self.channel_states: tuple[ChannelState, ...] = ()
        self.integrations_dialog: IntegrationsDialog | None = None
        self.setWindowTitle("ToBeOut Host Stand")
        self.resize(1366, 768)

        self.banner = ConnectionBanner()
        self.day_list = DayListPanel(context)
        self.floor = FloorPlanPanel(context)
        self.timeline = TimelinePanel(context)
        self.guests = GuestsPanel(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.floor, "Floor plan")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.addTab(self.guests, "Guests")
        # Reports are for managers and admins; the tab loads only when first shown.
        self.dashboard: DashboardPanel | None = None
        if context.can(Permission.REPORTS):
            self.dashboard = DashboardPanel(context)
            self.tabs.addTab(self.dashboard, "Dashboard")
            self.dashboard.guest_opened.connect(self._open_guest)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.day_list)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([420, 946])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(splitter)
        self.setCentralWidget(central)

        self._build_toolbar()
        self._build_status_bar()
        self._build_sofia_dock()
        self._build_shortcuts()
        self.day_list.reservation_opened.connect(self.open_reservation)
        self.timeline.reservation_opened.connect(self.open_reservation)
        context.message_posted.connect(lambda text: self.statusBar().showMessage(text, 8000))
        context.day_changed.connect(self.navigator.set_day)
        if live is not None:
            live.changes_arrived.connect(context.announce)
            live.connection_lost.connect(self._connection_lost)
            live.connection_restored.connect(self._connection_restored)
        if sync is not None:
            sync.state_changed.connect(self._channel_states)
        context.restaurant_changed.connect(lambda _id: self._show_channels())
        # "Today" moves at midnight in the restaurant's zone.
        self._clock = QTimer(self)
        self._clock.timeout.connect(lambda: self.navigator.set_today(self.local_today()))
        self._clock.start(60_000)

    # -- building ---------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Host stand")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.restaurant_box = QComboBox()
        for summary in self.restaurants.values():
            self.restaurant_box.addItem(summary.name, summary.id)
        self.restaurant_box.setCurrentIndex(
            max(0, self.restaurant_box.findData(self.context.restaurant_id))
        )
        self.restaurant_box.currentIndexChanged.connect(self._restaurant_chosen)
        bar.addWidget(self.restaurant_box)
        bar.addSeparator()
        self.navigator = DateNavigator(self.context.day, self.local_today())
        self.navigator.day_chosen.connect(self.context.set_day)
        bar.addWidget(self.navigator)
        bar.addSeparator()
        self.new_booking = self._action(bar, "New booking", "Ctrl+N", self.open_new_booking)
        self.print_sheet = self._action(bar, "Day sheet PDF…", "Ctrl+P", self.export_day_sheet)
        self.refresh = self._action(bar, "Refresh", "F5", self.refresh_all)
        bar.addSeparator()
        self.sofia_action = self._action(bar, "Sofia", "F6", self.toggle_sofia)
        self.sofia_action.setCheckable(True)
        self.integrations_action = self._action(bar, "Integrations…", "Ctrl+I",
                                                self.open_integrations)  # fmt: skip
        self.integrations_action.setVisible(self.context.can(Permission.INTEGRATIONS))
        bar.addSeparator()
        self.manage = ManageMenu(self.context, self, bar)

    def _action(self, bar: QToolBar, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(f"{text} ({keys})")
        action.triggered.connect(slot)  # type: ignore[arg-type]
        bar.addAction(action)
        return action

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        kind = "local file" if self.context.db.is_sqlite else "server"
        self.database_label = QLabel(f"Database ({kind}): {self.context.db.describe()}")
        self.connection_label = QLabel("● connected")
        self.connection_label.setObjectName("connectionState")
        self.connection_label.setProperty("state", "ok")
        user = self.context.user
        self.user_label = QLabel(f"{user.name} · {user.role.value}")
        self.channel_label = QLabel("")
        self.channel_label.setObjectName("channelState")
        status.addPermanentWidget(self.channel_label)
        status.addPermanentWidget(self.database_label)
        status.addPermanentWidget(self.connection_label)
        status.addPermanentWidget(self.user_label)

    def _build_sofia_dock(self) -> None:
        """Sofia's inbox and test chat: a dock the host opens (F6), floats or closes."""
        self.sofia = AssistantPanel(self.context)
        self.sofia_dock = QDockWidget("Sofia", self)
        self.sofia_dock.setObjectName("sofiaDock")
        self.sofia_dock.setWidget(self.sofia)
        self.sofia_dock.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sofia_dock)
        self.sofia_dock.hide()
        self.sofia_dock.visibilityChanged.connect(self.sofia_action.setChecked)
        self.sofia_label = QLabel("")
        self.sofia_label.setObjectName("sofiaAttention")
        self.statusBar().addPermanentWidget(self.sofia_label)
        self.sofia.attention_changed.connect(self._sofia_attention)
        self.sofia.handoff_requested.connect(self._handoff_requested)
        self.sofia.conversation_arrived.connect(self._conversation_arrived)

    def toggle_sofia(self) -> None:
        self.sofia_dock.setVisible(not self.sofia_dock.isVisible())
        if self.sofia_dock.isVisible():
            self.sofia_dock.raise_()

    def _sofia_attention(self, count: int) -> None:
        self.sofia_label.setText(f"Sofia: {count} need a human" if count else "")
        self.sofia_action.setText(f"Sofia ({count})" if count else "Sofia")

    def _handoff_requested(self, conversation_id: int) -> None:
        self.context.message_posted.emit(
            f"A guest is waiting for a person in Sofia's inbox (F6, chat {conversation_id})."
        )

    def _conversation_arrived(self, conversation_id: int, title: str) -> None:
        self.context.message_posted.emit(
            f"New conversation with {title} in Sofia's inbox (F6, chat {conversation_id})."
        )

    # -- channels ---------------------------------------------------------------------------

    def open_integrations(self) -> None:
        """The integrations dialog (managers and admins; the services refuse anyone else)."""
        if not self.context.can(Permission.INTEGRATIONS):
            self.context.message_posted.emit("Channel integrations are for managers.")
            return
        if self.integrations_dialog is not None:
            self.integrations_dialog.raise_()
            return
        name = self.restaurants[self.context.restaurant_id].name
        dialog = IntegrationsDialog(self.context, self, restaurant_name=name)
        dialog.show_states(self.channel_states)
        if self.sync is not None:
            self.sync.state_changed.connect(dialog.show_states)
        dialog.finished.connect(self._integrations_closed)
        self.integrations_dialog = dialog
        dialog.open()

    def _integrations_closed(self) -> None:
        dialog, self.integrations_dialog = self.integrations_dialog, None
        if dialog is not None:
            if self.sync is not None:
                self.sync.state_changed.disconnect(dialog.show_states)
            dialog.deleteLater()

    def _channel_states(self, states: tuple[ChannelState, ...]) -> None:
        self.channel_states = states
        self._show_channels()

    def _show_channels(self) -> None:
        mine = [s for s in self.channel_states if s.restaurant_id == self.context.restaurant_id]
        now = self.context.now()
        parts = [short_text(state, self.context.timezone, now) for state in mine]
        self.channel_label.setText("  ".join(text for text, _level in parts))
        level = "warn" if any(lv == "warn" for _t, lv in parts) else "ok"
        self.channel_label.setToolTip(
            "\n".join(f"{s.label}: {s.last_error}" for s in mine if s.last_error)
        )
        self.channel_label.setProperty("state", level)
        self.channel_label.style().unpolish(self.channel_label)
        self.channel_label.style().polish(self.channel_label)

    def _build_shortcuts(self) -> None:
        pairs = [
            ("Alt+Left", lambda: self.navigator.step(-1)),
            ("Alt+Right", lambda: self.navigator.step(1)),
            ("Alt+Home", self.navigator.go_today),
            ("F2", lambda: self.tabs.setCurrentWidget(self.floor)),
            ("F3", lambda: self.tabs.setCurrentWidget(self.timeline)),
            ("F4", lambda: self.tabs.setCurrentWidget(self.guests)),
        ]
        for keys, slot in pairs:
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)

    # -- behaviour --------------------------------------------------------------------------

    def local_today(self) -> dt.date:
        return self.context.now().astimezone(ZoneInfo(self.context.timezone)).date()

    def restaurant_edited(self, restaurant_id: int, name: str, timezone: str) -> None:
        """The settings screen saved the restaurant's details: the picker shows its new name and
        the context reads days in its zone (it can change only before the first booking)."""
        summary = self.restaurants.get(restaurant_id)
        if summary is None:
            return
        self.restaurants[restaurant_id] = dataclasses.replace(summary, name=name, timezone=timezone)
        self.restaurant_box.setItemText(self.restaurant_box.findData(restaurant_id), name)
        if restaurant_id == self.context.restaurant_id:
            self.context.timezone = timezone

    def _restaurant_chosen(self, index: int) -> None:
        restaurant_id = int(self.restaurant_box.itemData(index))
        self.context.set_restaurant(restaurant_id, self.restaurants[restaurant_id].timezone)

    def _open_guest(self, guest_id: int) -> None:
        self.tabs.setCurrentWidget(self.guests)
        self.guests.show_guest(guest_id)

    def open_new_booking(self) -> None:
        dialog = ReservationDialog(self.context, parent=self)
        dialog.open()

    def open_reservation(self, code: str) -> None:
        dialog = ReservationDialog(self.context, reschedule_code=code, parent=self)
        dialog.open()

    def refresh_all(self) -> None:
        self.context.announce([])

    def export_day_sheet(self) -> None:
        name = self.restaurants[self.context.restaurant_id].name
        day = self.context.day
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the day sheet", f"day-sheet-{day.isoformat()}.pdf", "PDF (*.pdf)"
        )
        if path:
            self.save_day_sheet(Path(path), name)

    def save_day_sheet(self, path: Path, restaurant_name: str) -> None:
        context = self.context

        def done(reservations: list) -> None:  # type: ignore[type-arg]
            write_day_sheet_pdf(path, day_sheet_html(restaurant_name, context.day, reservations,
                                                     context.timezone))  # fmt: skip
            context.message_posted.emit(f"Day sheet saved to {path}")

        context.tasks.run(
            day_reservations, context.db, context.restaurant_id, context.day,
            on_done=done, on_error=self._report,
        )  # fmt: skip

    def _report(self, exc: Exception) -> None:
        text = exc.message if isinstance(exc, ToBeOutError) else f"Something went wrong: {exc}"
        self.context.message_posted.emit(text)

    def _connection_lost(self, reason: str) -> None:
        self.banner.show_lost(reason)
        self.connection_label.setText("● disconnected")
        self._restyle("lost")

    def _connection_restored(self) -> None:
        self.banner.show_restored()
        self.connection_label.setText("● connected")
        self._restyle("ok")
        self.context.message_posted.emit("Connection to the database restored.")

    def _restyle(self, state: str) -> None:
        self.connection_label.setProperty("state", state)
        self.connection_label.style().unpolish(self.connection_label)
        self.connection_label.style().polish(self.connection_label)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.sync is not None:
            self.sync.stop()
        if self.live is not None:
            self.live.stop()
        self.context.close()
        super().closeEvent(event)
