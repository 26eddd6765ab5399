"""The floor plan's visual vocabulary: live-state colours, sizes, grid. No behaviour."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from app.domain.table_states import LiveState

GRID = 10.0  # edit-mode snapping, in floor units (cm)
ROTATE_STEP = 15.0
ZOOM_STEP = 1.25
MIN_SCALE = 0.05
MAX_SCALE = 4.0
AREA_MARGIN = 60.0  # around the tables of an area, in floor units
AREA_TITLE = 46.0  # room above an area's tables for its name
DRAG_THRESHOLD = 4  # pixels before a press becomes a drag

BACKGROUND = QColor("#f3f5f9")
AREA_FILL = QColor("#ffffff")
AREA_BORDER = QColor("#d3d9e4")
AREA_TEXT = QColor("#5b6478")
GRID_LINE = QColor("#e6eaf2")
TEXT = QColor("#1f2633")
TEXT_MUTED = QColor("#4a5263")
SELECTED = QColor("#1f5fd1")
DROP_TARGET = QColor("#1f5fd1")
OVERDUE = QColor("#c62828")
VIP_GOLD = QColor("#d49b00")
ALLERGY_RED = QColor("#d93025")


@dataclass(frozen=True)
class StateStyle:
    label: str
    fill: QColor
    border: QColor
    text: QColor


def _style(label: str, fill: str, border: str, text: str = "#1f2633") -> StateStyle:
    return StateStyle(label, QColor(fill), QColor(border), QColor(text))


L = LiveState
STATE_STYLES: dict[LiveState, StateStyle] = {
    L.FREE: _style("Free", "#dff3e6", "#2e9d5b", "#14502c"),
    L.RESERVED_SOON: _style("Reserved soon", "#fff0c2", "#d99a00", "#5c4000"),
    L.SEATED: _style("Seated", "#dce6ff", "#3b63d9", "#1b2b66"),
    L.DINING: _style("Dining", "#e9e0fa", "#7c4dcc", "#3d2466"),
    L.NEEDS_CLEANING: _style("Needs cleaning", "#fde0d2", "#d9622b", "#6e2e0a"),
    L.MAINTENANCE: _style("Maintenance", "#e6e8ee", "#6b7385", "#3c4352"),
    L.INACTIVE: _style("Inactive", "#f7f8fa", "#b8bfcc", "#8a93a6"),
}
LEGEND_STATES = tuple(STATE_STYLES)
# In edit mode every table looks the same: layout, not service.
EDIT_STYLE = _style("Table", "#eef2fb", "#5a6b8c")


def state_style(state: LiveState) -> StateStyle:
    return STATE_STYLES.get(state, STATE_STYLES[L.FREE])
