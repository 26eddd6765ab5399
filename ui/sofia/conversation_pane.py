"""The right side of the assistant panel: who the conversation is with, Take over / Hand back,
the transcript and the composer. Layout only (TagStudio's habit): the panel decides, this shows.

Threading contract: UI thread only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.sofia.inbox import InboxEntry
from ui.reservations.badges import BadgeRow
from ui.sofia.inbox_list import platform_text, status_text
from ui.sofia.transcript import Transcript

NO_CONVERSATION = "Choose a conversation on the left, or press “Talk to Sofia” to try her out."
TEST_EMPTY = "Write as a guest would — “table for 2 tomorrow at 7pm” — and Sofia answers."


class ConversationPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Sofia's conversations")
        self.heading.setObjectName("conversationTitle")
        self.badges = BadgeRow()
        self.take_over_button = QPushButton("Take over")
        self.take_over_button.setToolTip("Answer this guest yourself; Sofia stays silent.")
        self.hand_back_button = QPushButton("Hand back to Sofia")
        self.new_chat_button = QPushButton("New test chat")
        self.transcript = Transcript()
        self.hint = QLabel(NO_CONVERSATION)
        self.hint.setObjectName("composerHint")
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.composer = QLineEdit()
        self.composer.setClearButtonEnabled(True)
        self.send_button = QPushButton("Send")
        self.send_button.setProperty("primary", True)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.badges)
        top.addStretch(1)
        for button in (self.new_chat_button, self.take_over_button, self.hand_back_button):
            top.addWidget(button)
        compose = QHBoxLayout()
        compose.addWidget(self.composer, 1)
        compose.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addLayout(compose)

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))

    def update_for(
        self, entry: InboxEntry | None, *, test_mode: bool, sending: bool, allowed: bool, me: str
    ) -> None:
        """Show ``entry`` (None: nothing open) and enable what the host may do with it now."""
        allowed = allowed and not sending
        if test_mode:
            self.heading.setText("Talk to Sofia")
            self.badges.set_badges([("You are the guest", "info")])
        elif entry is not None:
            self.heading.setText(entry.title)
            kind = "blocked" if entry.needs_human else "info" if entry.taken_over else "neutral"
            self.badges.set_badges([(platform_text(entry), "neutral"), (status_text(entry), kind)])
        else:
            self.heading.setText("Sofia's conversations")
            self.badges.set_badges([])
        shown = entry if not test_mode else None
        self.new_chat_button.setVisible(test_mode)
        self.take_over_button.setVisible(shown is not None and not shown.taken_over)
        self.take_over_button.setProperty("primary", bool(shown and shown.needs_human))
        self.take_over_button.style().polish(self.take_over_button)
        self.hand_back_button.setVisible(bool(shown and shown.agent_handoff))
        for button in (self.take_over_button, self.hand_back_button, self.new_chat_button):
            button.setEnabled(allowed)
        can_write = allowed and (test_mode or bool(shown and shown.taken_over))
        self.composer.setEnabled(can_write)
        self.send_button.setEnabled(can_write)
        self.send_button.setText("Send as guest" if test_mode else "Send")
        placeholder = "Reply to the guest" if can_write else ""
        self.composer.setPlaceholderText("table for 2 tomorrow at 7pm" if test_mode
                                         else placeholder)  # fmt: skip
        self.hint.setText(hint_text(shown, test_mode=test_mode, sending=sending, me=me))


def hint_text(entry: InboxEntry | None, *, test_mode: bool, sending: bool, me: str) -> str:
    """One line under the transcript saying what the composer does now."""
    if sending:
        return "Sofia is answering…" if test_mode else "Sending…"
    if test_mode:
        return "Test chat: you write as a guest on the web; Sofia's bookings are real."
    if entry is None:
        return NO_CONVERSATION
    if entry.taken_over:
        who = "You have" if entry.staff_name == me else f"{entry.staff_name} has"
        return (f"{who} this conversation: replies go to the guest as staff messages and Sofia "
                "stays silent until it is handed back.")  # fmt: skip
    if entry.needs_human:
        return "Sofia handed this guest to staff: take it over to answer."
    return "Sofia is answering this guest. Take over to reply yourself."
