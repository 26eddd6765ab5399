"""Tables as the booking engine sees them, and which of them can be joined for a large party."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from typing import Any

# Two tables closer than this (edge to edge, centimetres) can be pushed together.
JOIN_GAP_CM = 40.0
# Tables joined by adjacency alone; larger groups must be configured by the manager.
MAX_ADJACENT_GROUP = 3


@dataclass(frozen=True)
class TableInfo:
    id: int
    name: str
    min_guests: int
    max_guests: int
    area: str
    x: float
    y: float
    width: float
    height: float
    features: frozenset[str]
    preferred_for: frozenset[str]
    priority: int
    ai_score: float
    # Active and not under maintenance: a table that may be offered at all.
    bookable: bool

    @property
    def accessible(self) -> bool:
        return "accessible" in self.features

    @classmethod
    def from_row(
        cls,
        *,
        id: int,  # noqa: A002 - mirrors the column
        name: str,
        min_guests: int,
        max_guests: int,
        position: dict[str, Any] | None,
        features: Iterable[str] | None,
        preferred_for: Iterable[str] | None,
        priority: int,
        ai_score: float,
        bookable: bool,
    ) -> TableInfo:
        pos = position or {}
        return cls(
            id=id,
            name=name,
            min_guests=min_guests,
            max_guests=max_guests,
            area=str(pos.get("area") or "Main room"),
            x=float(pos.get("x") or 0),
            y=float(pos.get("y") or 0),
            width=float(pos.get("width") or 80),
            height=float(pos.get("height") or 80),
            features=frozenset(features or ()),
            preferred_for=frozenset(preferred_for or ()),
            priority=priority,
            ai_score=ai_score,
            bookable=bookable,
        )


@dataclass(frozen=True)
class TableGroup:
    """Tables pushed together for one party; ``configured`` when the manager listed them."""

    tables: tuple[TableInfo, ...]
    configured: bool

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(t.id for t in self.tables)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)

    @cached_property
    def max_guests(self) -> int:
        return sum(t.max_guests for t in self.tables)

    @cached_property
    def min_guests(self) -> int:
        # Joining tables only makes sense for a party no single member can seat.
        return max(t.max_guests for t in self.tables) + 1

    @property
    def area(self) -> str:
        return self.tables[0].area


def adjacent(a: TableInfo, b: TableInfo) -> bool:
    """Same area, side by side within ``JOIN_GAP_CM``, and facing each other along a side."""
    if a.area != b.area:
        return False
    gap_x = max(b.x - (a.x + a.width), a.x - (b.x + b.width))
    gap_y = max(b.y - (a.y + a.height), a.y - (b.y + b.height))
    overlap_x = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    overlap_y = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    side_by_side = 0 <= gap_x <= JOIN_GAP_CM and overlap_y >= 0.5 * min(a.height, b.height)
    end_to_end = 0 <= gap_y <= JOIN_GAP_CM and overlap_x >= 0.5 * min(a.width, b.width)
    return side_by_side or end_to_end


def joinable_groups(
    tables: Iterable[TableInfo], configured: Iterable[Iterable[str]] = ()
) -> list[TableGroup]:
    """Configured combinations, then adjacent pairs and connected triples in one area."""
    usable = [t for t in tables if t.bookable]
    by_name = {t.name: t for t in usable}
    groups: list[TableGroup] = []
    seen: set[frozenset[int]] = set()
    for names in configured:
        members = [by_name.get(name) for name in names]
        if all(m is not None for m in members):
            group = TableGroup(tuple(m for m in members if m is not None), configured=True)
            seen.add(frozenset(group.ids))
            groups.append(group)
    neighbours: dict[int, set[int]] = {t.id: set() for t in usable}
    for a, b in combinations(usable, 2):
        if adjacent(a, b):
            neighbours[a.id].add(b.id)
            neighbours[b.id].add(a.id)
    by_id = {t.id: t for t in usable}
    # Grow connected groups one neighbour at a time (never all n-choose-k combinations).
    layer: set[frozenset[int]] = {frozenset(ids) for ids in _edges(neighbours)}
    for _ in range(2, MAX_ADJACENT_GROUP + 1):
        for ids in sorted(layer, key=sorted):
            if ids not in seen:
                seen.add(ids)
                groups.append(TableGroup(tuple(by_id[i] for i in sorted(ids)), configured=False))
        layer = {
            ids | {other} for ids in layer for member in ids for other in neighbours[member] - ids
        }
    return groups


def _edges(neighbours: dict[int, set[int]]) -> list[tuple[int, int]]:
    return [(a, b) for a, others in neighbours.items() for b in others if a < b]
