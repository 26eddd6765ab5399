"""One guest's profile: who they are, what they are worth, what to watch for (red allergy
badges), their details to edit, the blocked-list switch, their reservations and conversations.

Threading contract: lives on the UI thread; loading, saving and blocking run through
``context.tasks`` and come back here. A profile answer for a guest no longer shown is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.guest_admin import set_blacklisted, update_guest
from app.services.guest_views import GuestProfile, GuestSummary, guest_profile
from app.services.permissions import Permission
from ui.errors import error_text
from ui.guests.conversation_history import ConversationHistory
from ui.guests.guest_form import GuestForm
from ui.guests.history_model import STATUS, HistoryModel, StatusChipDelegate, money_text
from ui.host_context import HostContext
from ui.reservations.badges import BadgeRow, allergy_badges, vip_text
from ui.reservations.callbacks import run_for
from ui.reservations.guest_lookup import pretty_phone

RELOAD_DELAY_MS = 80
PROFILE_STYLE = """
QFrame#card { background: #ffffff; border: 1px solid #dde2ec; border-radius: 8px; }
QLabel#profileName { font-size: 17pt; font-weight: bold; color: #1f2633; }
QLabel#profileContact { color: #5b6478; }
QLabel#tileValue { font-size: 15pt; font-weight: bold; color: #1f2633; }
QLabel#tileCaption { color: #5b6478; font-size: 9pt; }
QLabel#cardTitle { font-size: 11pt; font-weight: bold; color: #2f3b52; }
QLabel#fieldError { color: #b3261e; font-size: 9pt; }
QLabel#formError { color: #b3261e; background: #fdecea; border-radius: 6px; padding: 6px; }
QLabel#notice { border-radius: 6px; padding: 6px; }
QLabel#notice[tone="error"] { color: #b3261e; background: #fdecea; }
QLabel#notice[tone="ok"] { color: #1b7f3b; background: #e7f6ec; }
QLabel#emptyState { color: #8a93a6; font-size: 11pt; }
QLabel#emptyHint { color: #a3abbb; }
QCheckBox#blockToggle { font-weight: bold; color: #b3261e; }
"""
CONVERSATIONS_EMPTY = "No conversations yet"


def card(title: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 8, 14, 10)
    layout.setSpacing(6)
    if title:
        label = QLabel(title)
        label.setObjectName("cardTitle")
        layout.addWidget(label)
    return frame, layout


class StatTile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.value = QLabel("—")
        self.value.setObjectName("tileValue")
        label = QLabel(caption)
        label.setObjectName("tileCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(label)

    def set(self, text: str) -> None:
        self.value.setText(text or "—")


class GuestProfileView(QWidget):
    guest_updated = Signal(int)  # guest id, after a save or a blocked-list change here

    def __init__(self, context: HostContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.guest_id: int | None = None
        self.profile: GuestProfile | None = None
        self._generation = 0
        self._loaded_generation = -1
        self.setStyleSheet(PROFILE_STYLE)

        self.name = QLabel()
        self.name.setObjectName("profileName")
        self.flags = BadgeRow()
        self.contact = QLabel()
        self.contact.setObjectName("profileContact")
        self.allergy_badges = BadgeRow()
        header, header_layout = card()
        title_row = QHBoxLayout()
        title_row.setSpacing(10)
        title_row.addWidget(self.name)
        title_row.addWidget(self.flags, 1)
        header_layout.addLayout(title_row)
        header_layout.addWidget(self.contact)
        header_layout.addWidget(self.allergy_badges)

        self.tiles = {key: StatTile(caption) for key, caption in (
            ("visits", "Visits"), ("spent", "Total spent"), ("party", "Average party"),
            ("points", "Loyalty points"), ("missed", "No-shows · cancellations"),
            ("times", "Preferred times"),
        )}  # fmt: skip
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)

        self.form = GuestForm(can_set_tier=context.can(Permission.BLACKLIST))
        self.block_toggle = QCheckBox("Blocked: this guest cannot book")
        self.block_toggle.setObjectName("blockToggle")
        self.block_reason = QLineEdit()
        self.block_reason.setPlaceholderText("Reason (added to the staff notes)")
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        details, details_layout = card("Details")
        details_layout.addWidget(self.form)
        block, block_layout = card("Blocked list")
        block_layout.addWidget(self.block_toggle)
        block_layout.addWidget(self.block_reason)
        block_layout.addWidget(self.notice)

        self.history_model = HistoryModel(self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setItemDelegateForColumn(STATUS, StatusChipDelegate(self.history))
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setAlternatingRowColors(True)
        self.history.setShowGrid(False)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setDefaultSectionSize(30)
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.history.horizontalHeader().setStretchLastSection(True)
        history, history_layout = card("Reservation history")
        history_layout.addWidget(self.history)
        self.conversations_empty = QLabel(CONVERSATIONS_EMPTY)
        self.conversations_empty.setObjectName("emptyState")
        self.conversations_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.conversations = ConversationHistory()
        conversations, conversations_layout = card("Conversations")
        conversations_layout.addWidget(self.conversations_empty)
        conversations_layout.addWidget(self.conversations)

        left = QVBoxLayout()
        left.addWidget(details)
        left.addWidget(block)
        left.addWidget(conversations)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(history, 1)
        body = QGridLayout()
        body.setHorizontalSpacing(10)
        body.addLayout(left, 0, 0)
        body.addLayout(right, 0, 1)
        body.setColumnStretch(0, 4)
        body.setColumnStretch(1, 6)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(10)
        page_layout.addWidget(header)
        page_layout.addLayout(tiles)
        page_layout.addLayout(body, 1)
        self.empty = QLabel("Pick a guest to see their profile.")
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._reload = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload.timeout.connect(self.reload)
        self.form.save_requested.connect(self.save)
        self.block_toggle.clicked.connect(self._block_clicked)
        context.data_changed.connect(self._data_changed)

    # -- loading ----------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self.profile is not None and self._loaded_generation == self._generation

    def show_guest(self, guest_id: int) -> None:
        if guest_id != self.guest_id:
            self.notice.hide()
            self.block_reason.clear()
        self.guest_id = guest_id
        self.reload()

    def clear(self) -> None:
        self.guest_id = None
        self.profile = None
        self.stack.setCurrentWidget(self.empty)

    def reload(self) -> None:
        if self.guest_id is None:
            return
        self._generation += 1
        generation, guest_id = self._generation, self.guest_id
        run_for(
            self,
            self.context.tasks,
            guest_profile,
            self.context.db,
            guest_id,
            on_done=lambda profile: self._loaded(generation, profile),
            on_error=lambda exc: self._load_failed(generation, exc),
        )

    def _data_changed(self, kind: str, ids: frozenset[int]) -> None:
        if self.guest_id is None:
            return
        if kind == "reservation" or (kind == "guest" and (not ids or self.guest_id in ids)):
            self._reload.start()

    def _loaded(self, generation: int, profile: GuestProfile) -> None:
        if generation != self._generation or profile.guest.id != self.guest_id:
            return
        self._loaded_generation = generation
        self.profile = profile
        self._show_summary(profile.guest)
        self.form.set_guest(profile.guest, keep_edits=True)
        guest = profile.guest
        self.tiles["visits"].set(str(guest.visit_count))
        self.tiles["spent"].set(money_text(guest.total_spent))
        self.tiles["party"].set(f"{guest.average_party_size:.1f}" if guest.average_party_size
                                else "")  # fmt: skip
        self.tiles["points"].set(f"{guest.loyalty_points:,}".replace(",", " "))
        self.tiles["missed"].set(f"{profile.no_shows} · {profile.cancellations}")
        self.tiles["times"].set(", ".join(guest.preferred_times[:3]))
        self.history_model.set_rows(profile.reservations)
        self.conversations.set_conversations(profile.conversations, self.context.timezone)
        self.conversations.setVisible(bool(profile.conversations))
        self.conversations_empty.setVisible(not profile.conversations)
        self.stack.setCurrentIndex(1)

    def _load_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loaded_generation = generation
            self.empty.setText(error_text(exc))
            self.stack.setCurrentWidget(self.empty)

    def _show_summary(self, guest: GuestSummary) -> None:
        self.name.setText(guest.name)
        flags = [(vip_text(guest.vip_status), "vip")] if guest.vip_status else []
        if guest.blacklisted:
            flags.append(("Blocked", "blocked"))
        self.flags.set_badges(flags)
        contact = [pretty_phone(guest.phone)]
        if guest.email:
            contact.append(guest.email)
        if guest.last_visit:
            contact.append(f"last visit {guest.last_visit:%d %b %Y}")
        self.contact.setText(" · ".join(contact))
        self.allergy_badges.set_badges(allergy_badges(guest.allergies))
        self.block_toggle.blockSignals(True)
        self.block_toggle.setChecked(guest.blacklisted)
        self.block_toggle.blockSignals(False)

    # -- changes ----------------------------------------------------------------------------

    def save(self) -> None:
        changes = self.form.changes()
        if self.guest_id is None or not changes:
            return
        self.form.clear_errors()
        self.form.save_button.setEnabled(False)
        run_for(
            self,
            self.context.tasks,
            update_guest,
            self.context.db,
            self.guest_id,
            changes,
            user=self.context.user,
            on_done=self._saved,
            on_error=lambda exc: self._save_failed(exc),
        )

    def _saved(self, guest: GuestSummary) -> None:
        self.form.guest = None  # the saved values are the new baseline
        self.form.set_guest(guest)
        self._show_summary(guest)
        self.context.message_posted.emit(f"Saved {guest.name}'s profile.")
        self.guest_updated.emit(guest.id)

    def _save_failed(self, exc: Exception) -> None:
        self.form.show_error(error_text(exc))
        self.form.save_button.setEnabled(True)

    def _block_clicked(self, checked: bool) -> None:
        if self.guest_id is None:
            return
        self.block_toggle.setEnabled(False)
        self.notice.hide()
        run_for(
            self,
            self.context.tasks,
            set_blacklisted,
            self.context.db,
            self.guest_id,
            checked,
            reason=self.block_reason.text().strip() or None,
            user=self.context.user,
            on_done=self._blocked,
            on_error=lambda exc: self._block_refused(checked, exc),
        )

    def _blocked(self, guest: GuestSummary) -> None:
        self.block_toggle.setEnabled(True)
        self.block_reason.clear()
        self._show_summary(guest)
        text = (f"{guest.name} is on the blocked list and cannot book." if guest.blacklisted
                else f"{guest.name} can book again.")  # fmt: skip
        self._notify(text, "ok")
        self.context.message_posted.emit(text)
        self.guest_updated.emit(guest.id)

    def _block_refused(self, checked: bool, exc: Exception) -> None:
        self.block_toggle.blockSignals(True)
        self.block_toggle.setChecked(not checked)  # nothing changed: the switch says so
        self.block_toggle.blockSignals(False)
        self.block_toggle.setEnabled(True)
        self._notify(error_text(exc), "error")

    def _notify(self, text: str, tone: str) -> None:
        self.notice.setText(text)
        self.notice.setProperty("tone", tone)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.show()
