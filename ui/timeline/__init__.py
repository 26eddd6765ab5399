"""The reservation timeline: one row per table, time across the day's services, drag to move."""

from ui.timeline.panel import TimelinePanel
from ui.timeline.view import RESERVATION_MIME, TimelineView

__all__ = ["RESERVATION_MIME", "TimelinePanel", "TimelineView"]
