"""The reservation timeline: one row per table, time across the day's services, drag to move."""

from ui.reservations.day_list_model import RESERVATION_MIME
from ui.timeline.panel import TimelinePanel
from ui.timeline.view import TimelineView

__all__ = ["RESERVATION_MIME", "TimelinePanel", "TimelineView"]
