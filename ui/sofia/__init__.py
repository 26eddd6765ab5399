"""Sofia in the desktop app: the assistant panel (inbox, transcripts, take-over, test chat)."""

from ui.sofia.assistant_panel import AssistantPanel

__all__ = ["AssistantPanel"]
