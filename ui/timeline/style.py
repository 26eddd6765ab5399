"""The timeline's visual vocabulary: sizes, the status palette, badge texts. No behaviour."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from app.db.enums import ReservationStatus

S = ReservationStatus

NAME_WIDTH = 132  # the sticky table-name column
HEADER_HEIGHT = 44  # the sticky time header: service labels above, hours below
ROW_HEIGHT = 42
AREA_HEIGHT = 26
GAP_WIDTH = 26  # a closed stretch between services, compressed to this many pixels
BLOCK_MARGIN = 4  # between a block and its row's edges
RESIZE_GRIP = 7  # pixels at a block's right edge that resize instead of move
MERGE_GAP_MINUTES = 60  # closed stretches shorter than this are drawn at full scale

MIN_PX_PER_MINUTE = 0.5
MAX_PX_PER_MINUTE = 8.0
DEFAULT_PX_PER_MINUTE = 2.0
ZOOM_STEP = 1.25

# Statuses drawn faded (and hidden unless "Show cancelled" is on).
FADED_STATUSES = frozenset({S.CANCELLED, S.NO_SHOW, S.RESCHEDULED})
# Statuses whose block may be dragged (the ones that hold a table).
MOVABLE_STATUSES = frozenset({S.PENDING, S.CONFIRMED, S.REMINDED, S.SEATED, S.DINING})

BACKGROUND = QColor("#ffffff")
SURFACE = QColor("#f6f7fb")
AREA_BAND = QColor("#eef1f7")
GRID_HOUR = QColor("#d5dbe6")
GRID_QUARTER = QColor("#eef1f6")
ROW_LINE = QColor("#e7eaf1")
TEXT = QColor("#1f2633")
TEXT_MUTED = QColor("#6b7385")
CLOSED_FILL = QColor("#f1f2f5")
CLOSED_HATCH = QColor("#cdd2dc")
MAINTENANCE_FILL = QColor("#f4f4f6")
MAINTENANCE_TEXT = QColor("#a3410f")
BUFFER_HATCH = QColor("#c5ccd9")
NOW_COLOUR = QColor("#e5322d")
DROP_TARGET = QColor(59, 99, 217, 28)
REFUSED = QColor("#b3261e")
VIP_GOLD = QColor("#d99a00")
ALLERGY_RED = QColor("#d93025")
OCCASION_VIOLET = QColor("#7c4dcc")


@dataclass(frozen=True)
class StatusStyle:
    label: str
    fill: QColor
    accent: QColor  # the left stripe and the border
    text: QColor


def _style(label: str, fill: str, accent: str, text: str) -> StatusStyle:
    return StatusStyle(label, QColor(fill), QColor(accent), QColor(text))


# Calm colours for waiting, greens in the room, grey when gone, warm reds when lost.
STATUS_STYLES: dict[ReservationStatus, StatusStyle] = {
    S.INQUIRY: _style("Inquiry", "#f1f3f7", "#8a93a6", "#3c4352"),
    S.PENDING: _style("Pending", "#fff3d1", "#e0a100", "#5c4000"),
    S.CONFIRMED: _style("Confirmed", "#e3eaff", "#3b63d9", "#1b2b66"),
    S.REMINDED: _style("Reminded", "#dff2fb", "#0e8fbf", "#0b3f57"),
    S.SEATED: _style("Seated", "#d9f2e2", "#22995a", "#0f4a2a"),
    S.DINING: _style("Dining", "#d3efeb", "#0f8a7e", "#0b3f3a"),
    S.COMPLETED: _style("Completed", "#eceef2", "#9aa2b1", "#4a5263"),
    S.CANCELLED: _style("Cancelled", "#fde6e3", "#d0453b", "#7a1a14"),
    S.NO_SHOW: _style("No-show", "#fce6d8", "#d0672a", "#6e2e0a"),
    S.RESCHEDULED: _style("Rescheduled", "#efe7fa", "#8d63c9", "#4a2d75"),
}
# The order the legend lists them in.
LEGEND_STATUSES = (
    S.PENDING,
    S.CONFIRMED,
    S.REMINDED,
    S.SEATED,
    S.DINING,
    S.COMPLETED,
    S.CANCELLED,
    S.NO_SHOW,
)

# Occasion badges: short words, painted in a small violet pill (no emoji).
OCCASION_TEXT = {
    "birthday": "B'day",
    "anniversary": "Anniv",
    "business": "Biz",
    "date": "Date",
}


def status_style(status: ReservationStatus) -> StatusStyle:
    return STATUS_STYLES.get(status, STATUS_STYLES[S.CONFIRMED])
