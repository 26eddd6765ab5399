"""Sofia's assistant panel: the inbox of guest conversations, the open transcript, taking a
thread over and replying as staff, and "Talk to Sofia" — the host writes as a guest would and
Sofia answers (and books) exactly as on a chat channel.

Threading contract: lives on the UI thread. Every service call (``app.sofia.inbox``, Sofia's
turns through ``talk_as_guest``) runs through ``context.tasks`` and only the newest answer is
shown. The inbox and the open conversation reload on ``data_changed("conversation")``; a guest's
new conversation is announced by ``conversation_arrived``, a new handoff by ``handoff_requested``.
"""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.permissions import Permission
from app.sofia import inbox
from app.sofia.engine import SofiaEngine
from app.sofia.inbox import ConversationDetail, InboxEntry
from ui.errors import error_text
from ui.host_context import HostContext
from ui.reservations.callbacks import run_for
from ui.sofia.conversation_pane import NO_CONVERSATION, TEST_EMPTY, ConversationPane
from ui.sofia.inbox_list import ENTRY_ROLE, InboxDelegate, InboxModel

REFRESH_DELAY_MS = 150
PANEL_STYLE = """
QLabel#panelTitle { font-size: 13pt; font-weight: bold; color: #1f2633; }
QLabel#conversationTitle { font-size: 13pt; font-weight: bold; color: #1f2633; }
QLabel#inboxSummary, QLabel#composerHint { color: #5b6478; }
QListView#sofiaInbox { background: #ffffff; border: 1px solid #dde2ec; border-radius: 6px; }
QListView#sofiaInbox::item { border-bottom: 1px solid #eef0f5; }
QListView#sofiaInbox::item:selected { background: #dfe7fb; }
QTextBrowser#sofiaTranscript { background: #f8f9fc; border: 1px solid #dde2ec; border-radius: 6px; }
QPushButton[primary="true"]:disabled { background: #f1f3f7; color: #9aa3b5;
                                      border: 1px solid #c9d1e0; }
QLineEdit:disabled { background: #f1f3f7; }
QPushButton#talkToSofia:checked { background: #6b3fa0; color: white; border: 1px solid #5a3390; }
"""


class AssistantPanel(QWidget):
    handoff_requested = Signal(int)  # conversation id that newly needs a human
    attention_changed = Signal(int)  # how many conversations need a human now
    conversation_arrived = Signal(int, str)  # a guest's new conversation: id, title
    conversation_opened = Signal(int)

    def __init__(
        self, context: HostContext, parent: QWidget | None = None, *,
        engine: SofiaEngine | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.context, self.engine = context, engine
        self.setStyleSheet(PANEL_STYLE)
        self.conversation_id: int | None = None
        self.detail: ConversationDetail | None = None
        self.test_mode = False
        self.test_thread: str | None = None
        self.sending = False
        self._needs_human: set[int] | None = None  # None until the first inbox load
        self._known: set[int] | None = None  # conversations seen (None until the first load)
        self._inbox_gen = self._inbox_done = self._detail_gen = self._detail_done = 0

        title = QLabel("Sofia")
        title.setObjectName("panelTitle")
        self.summary = QLabel()
        self.summary.setObjectName("inboxSummary")
        self.test_button = QPushButton("Talk to Sofia")
        self.test_button.setObjectName("talkToSofia")
        self.test_button.setCheckable(True)
        self.test_button.setToolTip("Write to Sofia as a guest would; her bookings are real.")
        self.model = InboxModel(self)
        self.list = QListView()
        self.list.setObjectName("sofiaInbox")
        self.list.setModel(self.model)
        self.list.setItemDelegate(InboxDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.test_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(head)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.list, 1)

        self.pane = ConversationPane()
        self.transcript, self.composer = self.pane.transcript, self.pane.composer
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([380, 900])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.test_button.clicked.connect(self._test_clicked)
        self.pane.new_chat_button.clicked.connect(self.start_test_chat)
        self.pane.take_over_button.clicked.connect(self.take_over)
        self.pane.hand_back_button.clicked.connect(self.hand_back)
        self.pane.send_button.clicked.connect(self.send)
        self.composer.returnPressed.connect(self.send)
        context.data_changed.connect(self._data_changed)
        context.restaurant_changed.connect(self._restaurant_changed)
        self._update_controls()
        self.refresh()

    # -- the inbox ----------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return (not self._timer.isActive() and not self.sending
                and self._inbox_done == self._inbox_gen
                and self._detail_done == self._detail_gen)  # fmt: skip

    def entries(self) -> list[InboxEntry]:
        return self.model.entries()

    def refresh(self) -> None:
        self._timer.stop()
        self._inbox_gen += 1
        gen = self._inbox_gen
        run_for(self, self.context.tasks, inbox.list_conversations, self.context.db,
                self.context.restaurant_id,
                on_done=lambda entries: self._inbox_arrived(gen, entries),
                on_error=lambda exc: self._failed(exc, inbox_gen=gen))  # fmt: skip

    def _inbox_arrived(self, gen: int, entries: list[InboxEntry]) -> None:
        if gen != self._inbox_gen:
            return
        self._inbox_done = gen
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        self.model.set_entries(entries, ZoneInfo(self.context.timezone), self.context.now())
        row = self.model.row_of(self.conversation_id) if self.conversation_id else -1
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))
        selection.blockSignals(False)
        waiting = {e.id for e in entries if e.needs_human}
        human = len(waiting)
        self.summary.setText(f"{len(entries)} conversations" + (
            f" · {human} need{'s' if human == 1 else ''} a human" if human else ""))  # fmt: skip
        known, self._known = self._known, {e.id for e in entries}
        if known is not None:
            for entry in entries:
                if entry.id not in known and not entry.is_test:
                    self.conversation_arrived.emit(entry.id, entry.title)
        previous, self._needs_human = self._needs_human, waiting
        if previous is not None:
            for conversation_id in sorted(waiting - previous):
                self.handoff_requested.emit(conversation_id)
            if len(previous) != human:
                self.attention_changed.emit(human)
        elif human:
            self.attention_changed.emit(human)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(ENTRY_ROLE) if current.isValid() else None
        if isinstance(entry, InboxEntry):
            self.show_conversation(entry.id)

    def show_conversation(self, conversation_id: int) -> None:
        """Open a conversation (the main window calls this from a status-bar notice)."""
        self.test_mode = False
        self.test_button.setChecked(False)
        self.conversation_id = conversation_id
        row = self.model.row_of(conversation_id)
        if row >= 0 and self.list.currentIndex().row() != row:
            self.list.selectionModel().blockSignals(True)
            self.list.setCurrentIndex(self.model.index(row, 0))
            self.list.selectionModel().blockSignals(False)
        self.pane.show_error(None)
        self._load_detail()
        self.conversation_opened.emit(conversation_id)

    # -- the open conversation ------------------------------------------------------------------

    def _load_detail(self) -> None:
        self._detail_gen += 1
        gen, wanted = self._detail_gen, self.conversation_id
        if wanted is None:
            self._detail_arrived(gen, None)
            return
        run_for(self, self.context.tasks, inbox.open_conversation, self.context.db, wanted,
                on_done=lambda detail: self._detail_arrived(gen, detail),
                on_error=lambda exc: self._failed(exc, detail_gen=gen))  # fmt: skip

    def _detail_arrived(self, gen: int, detail: ConversationDetail | None) -> None:
        if gen != self._detail_gen:
            return
        self._detail_done = gen
        self.detail = detail
        empty = TEST_EMPTY if self.test_mode else NO_CONVERSATION
        self.transcript.show_messages(detail.messages if detail else (), self.context.timezone,
                                      empty)  # fmt: skip
        self._update_controls()

    def _update_controls(self) -> None:
        self.pane.update_for(
            self.detail.entry if self.detail else None, test_mode=self.test_mode,
            sending=self.sending, allowed=self.context.can(Permission.BOOK),
            me=self.context.user.name,
        )  # fmt: skip

    # -- actions --------------------------------------------------------------------------------

    def _test_clicked(self, checked: bool) -> None:
        if checked:
            self.start_test_chat()
        elif self.test_mode:
            self.test_mode = False
            self.conversation_id = None
            self._load_detail()

    def start_test_chat(self) -> None:
        """A fresh test conversation: the host writes as a guest (platform "web")."""
        self.test_mode = True
        self.test_button.setChecked(True)
        self.test_thread = f"desk-{uuid.uuid4().hex[:12]}"
        self.conversation_id = None
        self.list.clearSelection()
        self.pane.show_error(None)
        self._load_detail()
        self.composer.setFocus()

    def send(self) -> None:
        text = self.composer.text().strip()
        if not text or self.sending or not self.composer.isEnabled():
            return
        ctx = self.context
        if self.test_mode:
            call = (inbox.talk_as_guest, ctx.db, ctx.restaurant_id, ctx.user, text)
            extra = {"thread_id": self.test_thread, "now": ctx.now(), "engine": self.engine}
        elif self.conversation_id is not None:
            call = (inbox.post_staff_message, ctx.db, self.conversation_id, text, ctx.user)
            extra = {"now": ctx.now()}
        else:
            return
        self._busy(True)
        run_for(self, ctx.tasks, *call, **extra, on_done=self._sent,
                on_error=self._action_failed)  # fmt: skip

    def _sent(self, result: object) -> None:
        self.composer.clear()
        conversation_id = getattr(result, "conversation_id", None)
        if self.test_mode and isinstance(conversation_id, int):
            self.conversation_id = conversation_id
        self._busy(False)
        self._load_detail()
        self.composer.setFocus()

    def take_over(self) -> None:
        self._act(inbox.take_over)

    def hand_back(self) -> None:
        self._act(inbox.hand_back)

    def _act(self, action: object) -> None:
        if self.conversation_id is None or self.sending:
            return
        self._busy(True)
        run_for(self, self.context.tasks, action, self.context.db, self.conversation_id,
                self.context.user, now=self.context.now(),
                on_done=lambda _entry: (self._busy(False), self._load_detail()),
                on_error=self._action_failed)  # fmt: skip

    def _busy(self, busy: bool) -> None:
        self.sending = busy
        if busy:
            self.pane.show_error(None)
        self._update_controls()

    def _action_failed(self, exc: Exception) -> None:
        self._busy(False)
        self.pane.show_error(error_text(exc))

    def _failed(self, exc: Exception, *, inbox_gen: int = 0, detail_gen: int = 0) -> None:
        if inbox_gen and inbox_gen == self._inbox_gen:
            self._inbox_done = inbox_gen
        elif detail_gen and detail_gen == self._detail_gen:
            self._detail_done = detail_gen
        else:
            return
        self.pane.show_error(error_text(exc))

    # -- changes from anywhere ------------------------------------------------------------------

    def _data_changed(self, kind: str, ids: object) -> None:
        if kind not in ("conversation", "guest"):
            return
        self._timer.start(REFRESH_DELAY_MS)
        mine = self.conversation_id is not None and (not ids or self.conversation_id in ids)
        if kind == "conversation" and mine and not self.sending:
            self._load_detail()

    def _restaurant_changed(self, *_args: object) -> None:
        self.test_mode, self.conversation_id, self._needs_human = False, None, None
        self._known = None
        self.test_button.setChecked(False)
        self._load_detail()
        self.refresh()
