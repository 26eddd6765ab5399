"""A guest's chats with Sofia and the staff, newest conversation first, read-only."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.db.enums import SenderType
from app.services.guest_views import ConversationView

SENDER_NAMES = {SenderType.USER: "Guest", SenderType.AI: "Sofia", SenderType.AGENT: "Staff"}
SENDER_COLOURS = {SenderType.USER: "#1f2633", SenderType.AI: "#6a3fb5", SenderType.AGENT: "#1b6fb3"}


def conversations_html(conversations: tuple[ConversationView, ...], timezone: str) -> str:
    zone = ZoneInfo(timezone)

    def local(moment: dt.datetime) -> str:
        return moment.astimezone(zone).strftime("%d %b %Y %H:%M")

    parts = []
    for chat in conversations:
        heading = f"{chat.platform.value.title()} · {chat.status.value} · {local(chat.started_at)}"
        if chat.agent_handoff:
            heading += " · handed to staff"
        parts.append(f"<p style='margin-top:8px'><b>{escape(heading)}</b></p>")
        for message in chat.messages:
            who = SENDER_NAMES.get(message.sender, message.sender.value.title())
            colour = SENDER_COLOURS.get(message.sender, "#5b6478")
            parts.append(
                f"<p style='margin:2px 0 2px 8px'><span style='color:#8a93a6'>"
                f"{local(message.sent_at)[-5:]}</span> <b style='color:{colour}'>{who}:</b> "
                f"{escape(message.text)}</p>"
            )
        if not chat.messages:
            parts.append("<p style='margin-left:8px;color:#8a93a6'>No messages.</p>")
    return "".join(parts)


class ConversationHistory(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setMinimumHeight(140)

    def set_conversations(self, conversations: tuple[ConversationView, ...], timezone: str) -> None:
        self.setHtml(conversations_html(conversations, timezone))
