"""A drag in progress on the timeline, and where it would put the block (snapped).

Pure arithmetic over the axis and the rows; the view feeds it mouse positions in content
coordinates and draws the proposal, the panel turns a finished drag into a service call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from app.services.floor_plan import FloorTable
from ui.timeline.axis import TimeAxis, snap
from ui.timeline.model import Placement
from ui.timeline.rows import Row

DURATION_STEP = 15  # minutes: a resize snaps to quarters of an hour
MIN_DURATION = dt.timedelta(minutes=15)
MAX_DURATION = dt.timedelta(minutes=720)


class DragMode(Enum):
    MOVE = "move"
    RESIZE = "resize"


@dataclass
class Drag:
    code: str
    mode: DragMode
    press_x: float  # content coordinates of the press
    press_y: float
    grabbed_table: int | None  # the row the block was picked up from (None: unassigned)
    party_size: int
    original: Placement
    proposal: Placement
    target: Row | None = None
    active: bool = False  # past the start-drag distance

    @property
    def changed(self) -> bool:
        return self.proposal != self.original


@dataclass(frozen=True)
class MoveRequest:
    """A finished drag: what the host asked for. ``duration`` is set only by a resize."""

    code: str
    original: Placement
    placement: Placement
    tables: tuple[str, ...]
    duration: int | None
    mode: DragMode


def propose(
    drag: Drag,
    x: float,
    row: Row | None,
    axis: TimeAxis,
    tables: dict[int, FloorTable],
    slot_minutes: int,
) -> Placement:
    """Where the block goes with the pointer at content x over ``row``."""
    original = drag.original
    dx = x - drag.press_x
    if drag.mode is DragMode.RESIZE:
        end = snap(axis.instant_at(axis.x_of(original.end) + dx), DURATION_STEP)
        end = min(max(end, original.start + MIN_DURATION), original.start + MAX_DURATION)
        return Placement(original.start, end, original.table_ids)
    start = snap(axis.instant_at(axis.x_of(original.start) + dx), max(slot_minutes, 1))
    length = original.end - original.start
    table_ids = original.table_ids
    if row is not None and row.table is not None:
        table_ids = retarget(
            original.table_ids, drag.grabbed_table, row.table.id, drag.party_size, tables
        )
    return Placement(start, start + length, table_ids)


def retarget(
    table_ids: tuple[int, ...],
    grabbed: int | None,
    target: int,
    party_size: int,
    tables: dict[int, FloorTable],
) -> tuple[int, ...]:
    """The tables after dropping on ``target``: that table alone when it seats the party,
    otherwise the joined group with the grabbed table swapped for the target."""
    if target == grabbed or target in table_ids:
        return table_ids
    table = tables.get(target)
    if grabbed is None or len(table_ids) <= 1 or (table and table.max_guests >= party_size):
        return (target,)
    return tuple(sorted(target if t == grabbed else t for t in table_ids))
