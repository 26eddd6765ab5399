"""A conversation as chat bubbles: the guest on the left, Sofia and staff on the right, with
times in the restaurant's zone and a line for each new day. Read-only.

Threading contract: UI thread only.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.db.enums import SenderType
from app.sofia.inbox import InboxMessage

# (background, name colour) per sender
BUBBLES = {
    SenderType.USER: ("#ffffff", "#1f2633"),
    SenderType.AI: ("#efe6fa", "#6b3fa0"),
    SenderType.AGENT: ("#e1e9ff", "#2747b3"),
}
BORDERS = {SenderType.USER: "#dde2ec", SenderType.AI: "#dccbf3", SenderType.AGENT: "#b9c9f5"}


def sender_name(message: InboxMessage) -> str:
    if message.sender is SenderType.AI:
        return "Sofia"
    if message.sender is SenderType.AGENT:
        return f"{message.author} (staff)" if message.author else "Staff"
    return "Guest"


def transcript_html(messages: tuple[InboxMessage, ...], timezone: str, empty: str) -> str:
    zone = ZoneInfo(timezone)
    if not messages:
        return f"<p align='center' style='color:#8a93a6; margin-top:40px'>{escape(empty)}</p>"
    parts: list[str] = []
    day: dt.date | None = None
    for message in messages:
        local = message.sent_at.astimezone(zone)
        if local.date() != day:
            day = local.date()
            parts.append(f"<p align='center' style='color:#8a93a6; margin:10px 0 4px 0'>"
                         f"{local.strftime('%A %d %B %Y')}</p>")  # fmt: skip
        background, colour = BUBBLES.get(message.sender, BUBBLES[SenderType.USER])
        border = BORDERS.get(message.sender, "#dde2ec")
        side = "left" if message.sender is SenderType.USER else "right"
        flag = " <span style='color:#b3261e'>⚑ flagged</span>" if message.flagged else ""
        text = escape(message.text).replace("\n", "<br>")
        parts.append(
            f"<table align='{side}' width='72%' cellspacing='0' cellpadding='8' "
            f"style='margin:3px 6px; background-color:{background}; border:1px solid {border};"
            f" border-style:solid'>"
            f"<tr><td><span style='color:{colour}; font-weight:bold'>{escape(sender_name(message))}"
            f"</span> <span style='color:#8a93a6'>{local.strftime('%H:%M')}</span>{flag}"
            f"<br>{text}</td></tr></table>"
            "<p style='margin:0; font-size:2pt'>&nbsp;</p>"
        )
    return "".join(parts)


class Transcript(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sofiaTranscript")
        self.setOpenLinks(False)
        self.messages: tuple[InboxMessage, ...] = ()

    def show_messages(self, messages: tuple[InboxMessage, ...], timezone: str, empty: str) -> None:
        self.messages = messages
        self.setHtml(transcript_html(messages, timezone, empty))
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def texts(self) -> list[tuple[SenderType, str]]:
        return [(m.sender, m.text) for m in self.messages]
