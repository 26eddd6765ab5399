"""Which tables can be pushed together: adjacency on the floor plan and configured groups."""

from __future__ import annotations

import pytest

from app.domain.floor import (
    JOIN_GAP_CM,
    MAX_ADJACENT_GROUP,
    TableGroup,
    TableInfo,
    adjacent,
    joinable_groups,
)


def t(
    id_: int,
    x: float,
    y: float = 0,
    *,
    seats: int = 4,
    w: float = 80,
    h: float = 80,
    area: str = "Main room",
    bookable: bool = True,
    name: str | None = None,
) -> TableInfo:
    return TableInfo(
        id=id_, name=name or f"T{id_}", min_guests=1, max_guests=seats, area=area, x=x, y=y,
        width=w, height=h, features=frozenset(), preferred_for=frozenset(), priority=5,
        ai_score=0.5, bookable=bookable,
    )  # fmt: skip


def names(groups: list[TableGroup]) -> set[tuple[str, ...]]:
    return {g.names for g in groups}


def test_join_gap_is_40_cm() -> None:
    assert JOIN_GAP_CM == 40.0
    assert MAX_ADJACENT_GROUP == 3


@pytest.mark.parametrize(
    ("b", "joinable"),
    [
        (t(2, 80), True),  # touching side by side
        (t(2, 120), True),  # exactly 40 cm apart
        (t(2, 120.5), False),  # just over
        (t(2, 0, 120), True),  # end to end, 40 cm
        (t(2, 0, 121), False),
        (t(2, 100, 100), False),  # diagonal: close corners but no facing side
        (t(2, 100, 30), True),  # offset but more than half the side faces
        (t(2, 100, 50), False),  # offset: only 30 of 80 cm face each other
        (t(2, 80, area="Terrace"), False),  # touching, but another room
        (t(2, 40), False),  # overlapping tables are not "side by side"
    ],
)
def test_adjacency(b: TableInfo, joinable: bool) -> None:
    a = t(1, 0)
    assert adjacent(a, b) is joinable
    assert adjacent(b, a) is joinable  # symmetric


def test_a_row_of_tables_gives_pairs_and_triples_but_never_four() -> None:
    row = [t(i, (i - 1) * 100) for i in range(1, 5)]  # 20 cm gaps: T1-T2-T3-T4
    groups = joinable_groups(row)
    assert names(groups) == {
        ("T1", "T2"), ("T2", "T3"), ("T3", "T4"), ("T1", "T2", "T3"), ("T2", "T3", "T4"),
    }  # fmt: skip
    assert all(not g.configured for g in groups)
    assert [len(g.tables) for g in groups] == sorted(len(g.tables) for g in groups)
    # No table twice in a group, no group twice.
    assert all(len(set(g.ids)) == len(g.ids) for g in groups)
    assert len({frozenset(g.ids) for g in groups}) == len(groups)


def test_an_l_shape_is_a_connected_triple() -> None:
    corner, right, below = t(1, 0), t(2, 100), t(3, 0, 100)
    assert names(joinable_groups([corner, right, below])) == {
        ("T1", "T2"), ("T1", "T3"), ("T1", "T2", "T3"),
    }  # fmt: skip


def test_tables_far_apart_are_not_joined() -> None:
    assert joinable_groups([t(1, 0), t(2, 500), t(3, 0, 500)]) == []


def test_no_adjacency_group_across_areas() -> None:
    tables = [t(1, 0), t(2, 100), t(3, 200, area="Terrace"), t(4, 300, area="Terrace")]
    groups = joinable_groups(tables)
    assert names(groups) == {("T1", "T2"), ("T3", "T4")}
    for group in groups:
        assert len({m.area for m in group.tables}) == 1
        assert group.area == group.tables[0].area


def test_tables_out_of_service_are_never_joined() -> None:
    tables = [t(1, 0), t(2, 100, bookable=False), t(3, 200)]
    assert joinable_groups(tables) == []
    assert joinable_groups(tables, [["T1", "T2"]]) == []


def test_configured_combinations_come_first_and_are_marked() -> None:
    tables = [t(1, 0), t(2, 100), t(3, 900), t(4, 2000)]
    groups = joinable_groups(tables, [["T3", "T4"], ["T2", "T1"]])
    assert [g.names for g in groups[:2]] == [("T3", "T4"), ("T2", "T1")]
    assert all(g.configured for g in groups[:2])
    # The adjacent pair T1+T2 is already configured: not listed twice.
    assert len(groups) == 2


def test_configured_combination_with_an_unknown_table_is_skipped() -> None:
    groups = joinable_groups([t(1, 0), t(2, 900)], [["T1", "T9"], ["T1", "T2"]])
    assert names(groups) == {("T1", "T2")}


def test_a_configured_group_may_be_larger_than_adjacency_allows() -> None:
    tables = [t(i, i * 1000) for i in range(1, 6)]
    groups = joinable_groups(tables, [["T1", "T2", "T3", "T4", "T5"]])
    assert len(groups) == 1 and groups[0].max_guests == 20


def test_group_seats_and_minimum_party() -> None:
    group = TableGroup((t(1, 0, seats=4), t(2, 100, seats=6)), configured=False)
    assert group.max_guests == 10
    # Only a party no single member can seat is worth joining tables for.
    assert group.min_guests == 7
    assert group.ids == (1, 2) and group.names == ("T1", "T2")


def test_from_row_fills_position_defaults() -> None:
    info = TableInfo.from_row(
        id=7, name="7", min_guests=1, max_guests=2, position=None,
        features=["window", "accessible"], preferred_for=None, priority=3, ai_score=0.4,
        bookable=True,
    )  # fmt: skip
    assert (info.area, info.x, info.y, info.width, info.height) == ("Main room", 0, 0, 80, 80)
    assert info.features == {"window", "accessible"} and info.accessible
    assert info.preferred_for == frozenset()
    placed = TableInfo.from_row(
        id=8, name="8", min_guests=1, max_guests=2,
        position={"x": 10, "y": 20, "width": 120, "height": 60, "area": "Terrace"},
        features=None, preferred_for=["date"], priority=3, ai_score=0.4, bookable=True,
    )  # fmt: skip
    assert (placed.area, placed.x, placed.y, placed.width, placed.height) == (
        "Terrace", 10, 20, 120, 60,
    )  # fmt: skip
    assert not placed.accessible
