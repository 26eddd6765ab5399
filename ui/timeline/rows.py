"""The timeline's vertical layout: area headings and one row per active table.

Pure layout over frozen service values; finding the rows on screen is a bisection, so a
300-table floor costs the same to paint as a 10-table one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from app.db.enums import TableStatus
from app.services.floor_plan import FloorTable
from ui.timeline.style import AREA_HEIGHT, ROW_HEIGHT


@dataclass(frozen=True)
class Row:
    y: int
    height: int
    title: str
    table: FloorTable | None = None  # None: an area heading (or the unassigned row)
    unassigned: bool = False

    @property
    def is_table(self) -> bool:
        return self.table is not None

    @property
    def in_maintenance(self) -> bool:
        return self.table is not None and self.table.status is TableStatus.MAINTENANCE

    @property
    def bottom(self) -> int:
        return self.y + self.height


def natural_key(text: str) -> tuple[object, ...]:
    """ "A2" before "A10"; letters compared without case."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", text))


class RowLayout:
    """Rows top to bottom: per area (by name) a heading, then its active tables by name."""

    def __init__(self, tables: Iterable[FloorTable], *, unassigned: bool = False) -> None:
        by_area: dict[str, list[FloorTable]] = defaultdict(list)
        for table in tables:
            if table.is_active:
                by_area[table.area].append(table)
        self.rows: list[Row] = []
        self._by_table: dict[int, int] = {}
        y = 0
        if unassigned:
            self.rows.append(Row(y, ROW_HEIGHT, "Unassigned", unassigned=True))
            y += ROW_HEIGHT
        for area in sorted(by_area, key=natural_key):
            members = sorted(by_area[area], key=lambda t: natural_key(t.name))
            self.rows.append(Row(y, AREA_HEIGHT, f"{area} · {len(members)}"))
            y += AREA_HEIGHT
            for table in members:
                self._by_table[table.id] = len(self.rows)
                self.rows.append(Row(y, ROW_HEIGHT, table.name, table))
                y += ROW_HEIGHT
        self.height = y
        self._tops = [row.y for row in self.rows]
        self.tables = {row.table.id: row.table for row in self.rows if row.table is not None}

    def __len__(self) -> int:
        return len(self.rows)

    def row_of_table(self, table_id: int) -> Row | None:
        index = self._by_table.get(table_id)
        return None if index is None else self.rows[index]

    def unassigned_row(self) -> Row | None:
        return self.rows[0] if self.rows and self.rows[0].unassigned else None

    def row_at(self, y: float) -> Row | None:
        """The row at content y, or None above the first row and below the last."""
        if y < 0 or y >= self.height:
            return None
        return self.rows[bisect_right(self._tops, y) - 1]

    def visible(self, y0: float, y1: float) -> list[Row]:
        """The rows that intersect content y0..y1."""
        if not self.rows:
            return []
        first = max(0, bisect_right(self._tops, y0) - 1)
        last = bisect_right(self._tops, y1)
        return self.rows[first:last]

    def table_id_by_name(self, name: str) -> int | None:
        for table in self.tables.values():
            if table.name.lower() == name.lower():
                return table.id
        return None
