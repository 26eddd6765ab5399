"""Smart table assignment: hard constraints, the six criteria, joined tables, explanations."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from typing import Any

import pytest

from app.db.enums import VipTier
from app.domain.assignment import (
    BIG_TABLE_SEATS,
    VIP_VALUE,
    WEIGHTS,
    Assignment,
    AssignmentRequest,
    TableVisit,
    assign,
)
from app.domain.availability import DaySnapshot, GuestContext, evaluate, grid
from app.domain.booking_rules import rules_from
from app.domain.floor import TableGroup, TableInfo, joinable_groups
from app.domain.occupancy import Hold, Occupancy
from app.domain.requests import TableWishes, read_wishes

UTC = dt.UTC
SIX_PM = dt.datetime(2024, 6, 3, 18, 0, tzinfo=UTC)
NO_WISHES = read_wishes(None, None)
EMPTY = Occupancy([])


def table(
    id_: int,
    seats: int,
    *,
    min_guests: int = 1,
    features: Sequence[str] = (),
    preferred_for: Sequence[str] = (),
    priority: int = 5,
    ai_score: float = 0.5,
    area: str = "Main room",
    x: float | None = None,
    y: float = 0,
    bookable: bool = True,
    name: str | None = None,
) -> TableInfo:
    return TableInfo(
        id=id_, name=name or f"T{id_}", min_guests=min_guests, max_guests=seats, area=area,
        x=id_ * 1000.0 if x is None else x, y=y, width=80, height=80,
        features=frozenset(features), preferred_for=frozenset(preferred_for), priority=priority,
        ai_score=ai_score, bookable=bookable,
    )  # fmt: skip


def request(
    party: int,
    *,
    start: dt.datetime = SIX_PM,
    minutes: int = 90,
    buffer: int = 15,
    wishes: TableWishes = NO_WISHES,
    **extra: Any,
) -> AssignmentRequest:
    return AssignmentRequest(
        party_size=party,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        buffer=dt.timedelta(minutes=buffer),
        wishes=wishes,
        **extra,
    )


def pick(
    req: AssignmentRequest,
    tables: Sequence[TableInfo],
    groups: Sequence[TableGroup] = (),
    occupancy: Occupancy = EMPTY,
) -> Assignment:
    return assign(req, tables, groups, occupancy)


def chosen(result: Assignment) -> tuple[str, ...] | None:
    return result.chosen.names if result.chosen else None


def hold(table_id: int, start: dt.datetime, minutes: int, rid: int = 99, party: int = 2) -> Hold:
    return Hold(table_id, rid, start, start + dt.timedelta(minutes=minutes), party)


# -- party size fit -------------------------------------------------------------------------


@pytest.mark.parametrize(("party", "best"), [(1, "T1"), (2, "T1"), (3, "T2"), (4, "T2"),
                                             (5, "T3"), (6, "T3")])  # fmt: skip
def test_smallest_table_that_seats_the_party_wins(party: int, best: str) -> None:
    tables = [table(3, 6), table(1, 2), table(2, 4)]
    assert chosen(pick(request(party), tables)) == (best,)


def test_min_guests_is_respected() -> None:
    result = pick(request(2), [table(1, 6, min_guests=4)])
    assert result.chosen is None
    assert [r.reason for r in result.rejected] == ["needs at least 4 guests"]
    # With another table the couple goes there even though it is bigger.
    result = pick(request(2), [table(1, 4, min_guests=3), table(2, 8)])
    assert chosen(result) == ("T2",)


def test_too_small_tables_are_rejected_with_the_reason() -> None:
    result = pick(request(5), [table(1, 4)])
    assert result.chosen is None
    assert result.rejected[0].names == ("T1",)
    assert result.rejected[0].reason == "seats 4, too small for 5"


def test_tables_out_of_service_are_never_offered() -> None:
    result = pick(request(2), [table(1, 2, bookable=False), table(2, 6)])
    assert chosen(result) == ("T2",)
    assert ("T1",) in [r.names for r in result.rejected]
    assert "out of service" in result.rejected[0].reason


def test_a_taken_table_is_refused_and_a_moved_booking_ignores_its_own_hold() -> None:
    occupancy = Occupancy([hold(1, SIX_PM - dt.timedelta(minutes=30), 60, rid=7)])
    result = pick(request(2), [table(1, 2)], occupancy=occupancy)
    assert result.chosen is None and result.rejected[0].reason == "T1 is taken then"
    moved = pick(request(2, ignore_reservation=7), [table(1, 2)], occupancy=occupancy)
    assert chosen(moved) == ("T1",)


# -- accessibility (hard constraint) ----------------------------------------------------------


def test_no_accessible_table_means_no_table_even_if_others_fit() -> None:
    wishes = read_wishes("guest uses a wheelchair", None)
    assert wishes.needs_accessible
    result = pick(request(2, wishes=wishes), [table(1, 2), table(2, 4)])
    assert result.chosen is None and result.considered == ()
    assert {r.reason for r in result.rejected} == {"not wheelchair accessible"}


def test_accessible_table_wins_over_a_better_fitting_one() -> None:
    wishes = read_wishes(None, None, needs_accessible=True)
    tables = [table(1, 2), table(2, 6, features=["accessible"])]
    assert chosen(pick(request(2, wishes=wishes), tables)) == ("T2",)
    # The same party without the need gets the 2-top.
    assert chosen(pick(request(2), tables)) == ("T1",)


def test_accessible_feature_in_the_wish_list_is_a_hard_constraint() -> None:
    wishes = read_wishes(None, None, features=("accessible", "window"))
    assert wishes.needs_accessible and wishes.features == {"window"}
    assert pick(request(2, wishes=wishes), [table(1, 2, features=["window"])]).chosen is None


def test_a_joined_group_is_accessible_only_if_every_table_is() -> None:
    a = table(1, 4, x=0, features=["accessible"])
    b = table(2, 4, x=100)
    c = table(3, 4, x=200, features=["accessible"])
    d = table(4, 4, x=300, features=["accessible"])
    groups = joinable_groups([a, b, c, d])
    wishes = read_wishes("wheelchair", None)
    assert chosen(pick(request(8, wishes=wishes), [a, b, c, d], groups)) == ("T3", "T4")


# -- requests and occasion ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "feature"),
    [("window seat please", "window"), ("у окна", "window"), ("тихий столик", "quiet"),
     ("somewhere quiet", "quiet"), ("на террасе", "outdoor")],
)  # fmt: skip
def test_the_table_with_the_asked_for_feature_wins(text: str, feature: str) -> None:
    tables = [table(1, 4), table(2, 4, features=[feature]), table(3, 4, features=["sofa"])]
    result = pick(request(4, wishes=read_wishes(text, None)), tables)
    assert chosen(result) == ("T2",)
    assert result.chosen is not None and result.chosen.parts["requests"] == 1.0
    others = [c for c in result.considered if c is not result.chosen]
    assert all(c.parts["requests"] == 0.0 for c in others)


def test_partly_met_requests_score_in_between() -> None:
    wishes = read_wishes("window, quiet", None)
    tables = [table(1, 4, features=["window"]), table(2, 4, features=["window", "quiet"])]
    result = pick(request(4, wishes=wishes), tables)
    assert chosen(result) == ("T2",)
    parts = {c.names: c.parts["requests"] for c in result.considered}
    assert parts[("T2",)] == 1.0 and 0 < parts[("T1",)] < 1.0


@pytest.mark.parametrize(
    ("occasion", "text", "preferred"),
    [("birthday", None, "celebration"), (None, "день рождения у мамы", "family"),
     (None, "Birthday dinner", "celebration"), ("anniversary", None, "romantic"),
     ("business", None, "business"), ("date", None, "date")],
)  # fmt: skip
def test_occasion_goes_to_a_table_preferred_for_it(
    occasion: str | None, text: str | None, preferred: str
) -> None:
    tables = [table(1, 4, preferred_for=["casual"]), table(2, 4, preferred_for=[preferred])]
    assert chosen(pick(request(4, wishes=read_wishes(text, occasion)), tables)) == ("T2",)


def test_no_wishes_means_every_table_meets_them() -> None:
    result = pick(request(2), [table(1, 2), table(2, 2, features=["window"])])
    assert all(c.parts["requests"] == 1.0 for c in result.considered)


# -- guest history, revenue, priority ---------------------------------------------------------


def test_a_liked_table_wins_a_tie() -> None:
    tables = [table(1, 4), table(2, 4), table(3, 4)]
    assert chosen(pick(request(4), tables)) == ("T1",)  # name order on a full tie
    history = {2: TableVisit(visits=1, liked=False), 3: TableVisit(visits=3, liked=True)}
    result = pick(request(4, history=history), tables)
    assert chosen(result) == ("T3",)
    parts = {c.names: c.parts["history"] for c in result.considered}
    assert parts == {("T1",): 0.0, ("T2",): 0.5, ("T3",): 1.0}


def test_history_with_no_visits_counts_for_nothing() -> None:
    result = pick(request(4, history={2: TableVisit(0, True)}), [table(1, 4), table(2, 4)])
    assert chosen(result) == ("T1",)


def test_vip_gets_the_better_table() -> None:
    good = table(1, 4, priority=9, ai_score=0.9, name="Good")
    plain = table(2, 4, priority=2, ai_score=0.2, name="Plain")
    vip = pick(request(4, vip_tier=VipTier.PLATINUM), [plain, good])
    assert chosen(vip) == ("Good",)
    totals = {c.names: c.total for c in vip.considered}
    assert totals[("Good",)] > totals[("Plain",)] + 0.05
    # For an ordinary party the revenue part leaves the best table free…
    ordinary = pick(request(4), [plain, good])
    revenue = {c.names: c.parts["revenue"] for c in ordinary.considered}
    assert revenue[("Plain",)] > revenue[("Good",)]
    # …and a VIP's revenue part is the other way round.
    revenue_vip = {c.names: c.parts["revenue"] for c in vip.considered}
    assert revenue_vip[("Good",)] > revenue_vip[("Plain",)]


def test_higher_vip_tiers_value_the_good_table_more() -> None:
    assert (VIP_VALUE[VipTier.PLATINUM] > VIP_VALUE[VipTier.GOLD] > VIP_VALUE[VipTier.SILVER]
            > VIP_VALUE[VipTier.BRONZE] > 0)  # fmt: skip
    good, plain = table(1, 4, priority=10, ai_score=1.0), table(2, 4, priority=0, ai_score=0.0)

    def margin(tier: VipTier | None) -> float:
        totals = {
            c.names: c.total for c in pick(request(4, vip_tier=tier), [good, plain]).considered
        }
        return totals[("T1",)] - totals[("T2",)]

    margins = [margin(t) for t in (None, VipTier.BRONZE, VipTier.SILVER, VipTier.GOLD,
                                   VipTier.PLATINUM)]  # fmt: skip
    assert margins == sorted(margins)
    assert margins[-1] > margins[0]


def test_priority_breaks_ties() -> None:
    tables = [table(1, 4, priority=3), table(2, 4, priority=8), table(3, 4, priority=5)]
    result = pick(request(4), tables)
    assert chosen(result) == ("T2",)
    assert [c.names for c in result.considered] == [("T2",), ("T3",), ("T1",)]


def test_priority_does_not_beat_a_better_fit() -> None:
    tables = [table(1, 8, priority=10, ai_score=1.0), table(2, 4, priority=0, ai_score=0.0)]
    assert chosen(pick(request(4), tables)) == ("T2",)


# -- operational efficiency --------------------------------------------------------------------


def test_look_ahead_keeps_the_big_table_for_the_big_parties_to_come() -> None:
    # A couple asks for a window; only the 10-top has one.
    big = table(1, 10, features=["window"], name="Big")
    four = table(2, 4, name="Four")
    wishes = read_wishes("window", None)
    quiet_evening = pick(request(2, wishes=wishes, big_party_demand=0.0), [big, four])
    assert chosen(quiet_evening) == ("Big",)
    busy_evening = pick(request(2, wishes=wishes, big_party_demand=1.0), [big, four])
    assert chosen(busy_evening) == ("Four",)
    eff = {c.names: c.parts["efficiency"] for c in busy_evening.considered}
    assert eff[("Big",)] < eff[("Four",)] == 1.0


def test_small_tables_are_not_penalised_by_big_party_demand() -> None:
    assert BIG_TABLE_SEATS == 5
    result = pick(request(2, big_party_demand=3.0), [table(1, 4), table(2, 5)])
    assert all(c.parts["efficiency"] == 1.0 for c in result.considered)


def test_look_ahead_from_the_day_demand_in_availability() -> None:
    """A couple at 18:00 is not put on the only big table when big parties come at 20:00."""
    rules = rules_from(timezone="UTC", opening_hours={"mon": [["12:00", "23:00"]]}, settings={})
    big = table(1, 10, features=["window"], name="Big")
    four = table(2, 4, name="Four")

    def snapshot(demand: dict[int, float]) -> DaySnapshot:
        return DaySnapshot(rules, SIX_PM.date(), SIX_PM - dt.timedelta(days=1), [big, four], [],
                           Occupancy([]), {}, {}, big_party_demand=demand)  # fmt: skip

    wishes = read_wishes("window", None)
    slot = next(s for s in snapshot({}).slots if s.starts_at == SIX_PM)
    assert evaluate(snapshot({}), slot, 2, wishes=wishes).tables == ("Big",)
    assert evaluate(snapshot({20: 1.0}), slot, 2, wishes=wishes).tables == ("Four",)
    # Demand long after the couple leaves does not matter.
    assert evaluate(snapshot({22: 1.0}), slot, 2, wishes=wishes).tables == ("Big",)


def test_a_table_that_leaves_an_unsellable_gap_loses() -> None:
    # T1's previous party leaves exactly when this one arrives; T2 would idle 30 minutes first.
    occupancy = Occupancy([
        hold(1, SIX_PM - dt.timedelta(minutes=105), 105, rid=1),
        hold(2, SIX_PM - dt.timedelta(minutes=135), 105, rid=2),
    ])  # fmt: skip
    result = pick(request(2), [table(2, 2), table(1, 2)], occupancy=occupancy)
    assert chosen(result) == ("T1",)
    eff = {c.names: c.parts["efficiency"] for c in result.considered}
    assert eff[("T1",)] > eff[("T2",)]


def test_a_gap_long_enough_to_sell_is_not_waste() -> None:
    occupancy = Occupancy([hold(1, SIX_PM - dt.timedelta(hours=4), 60, rid=1)])
    result = pick(request(2), [table(1, 2)], occupancy=occupancy)
    assert result.chosen is not None and result.chosen.parts["efficiency"] == 1.0


# -- joined tables --------------------------------------------------------------------------------


def test_singles_before_joined_groups() -> None:
    # Party of 5: a 10-top alone beats two pushed-together 3-tops that fit better.
    a, b, big = table(1, 3, x=0), table(2, 3, x=100), table(3, 10)
    groups = joinable_groups([a, b, big])
    result = pick(request(5), [a, b, big], groups)
    assert chosen(result) == ("T3",)
    assert all(len(c.table_ids) == 1 for c in result.considered)


def test_large_party_gets_joined_tables_fewest_first() -> None:
    # Two 6-tops side by side, and three window tables in another row that seat exactly 10.
    p1, p2 = table(1, 6, x=0, y=0), table(2, 6, x=100, y=0)
    q1, q2, q3 = (table(3, 4, x=0, y=1000, features=["window"]),
                  table(4, 3, x=100, y=1000, features=["window"]),
                  table(5, 3, x=200, y=1000, features=["window"]))  # fmt: skip
    tables = [p1, p2, q1, q2, q3]
    groups = joinable_groups(tables)
    result = pick(request(10, wishes=read_wishes("window", None)), tables, groups)
    assert chosen(result) == ("T1", "T2")
    triple = next(c for c in result.considered if len(c.table_ids) == 3)
    assert result.chosen is not None and triple.total > result.chosen.total  # fewest wins anyway
    assert [len(c.table_ids) for c in result.considered] == sorted(
        len(c.table_ids) for c in result.considered
    )


def test_a_joined_group_needs_every_member_free() -> None:
    a, b, c = table(1, 4, x=0), table(2, 4, x=100), table(3, 4, x=200)
    groups = joinable_groups([a, b, c])
    occupancy = Occupancy([hold(1, SIX_PM, 60)])
    result = pick(request(8), [a, b, c], groups, occupancy)
    assert chosen(result) == ("T2", "T3")
    assert any(r.names == ("T1", "T2") and r.reason == "T1 is taken then" for r in result.rejected)


def test_no_joined_group_across_areas() -> None:
    inside = table(1, 4, x=0, area="Main room")
    outside = table(2, 4, x=80, area="Terrace")  # touching, but through a wall
    groups = joinable_groups([inside, outside])
    assert groups == []
    assert pick(request(8), [inside, outside], groups).chosen is None


def test_configured_combination_joins_tables_that_are_not_adjacent() -> None:
    a, b = table(1, 4, x=0), table(2, 4, x=5000)
    groups = joinable_groups([a, b], [["T1", "T2"]])
    result = pick(request(7), [a, b], groups)
    assert chosen(result) == ("T1", "T2")


def test_a_group_is_not_used_for_a_party_one_member_could_seat() -> None:
    a, b = table(1, 6, x=0), table(2, 4, x=100)
    groups = joinable_groups([a, b])
    # Six fit on T1 alone; while T1 is taken a six is not seated on T1+T2 either.
    occupancy = Occupancy([hold(1, SIX_PM, 60)])
    assert pick(request(6), [a, b], groups, occupancy).chosen is None
    assert chosen(pick(request(7), [a, b], groups)) == ("T1", "T2")


# -- explicit choice -----------------------------------------------------------------------------


def test_a_hosts_explicit_choice_is_honoured_or_refused() -> None:
    tables = [table(1, 2), table(2, 6), table(3, 4, x=1080)]
    assert chosen(pick(request(2, only_tables=(2,)), tables)) == ("T2",)
    assert chosen(pick(request(6, only_tables=(2, 3)), tables)) == ("T2", "T3")
    unknown = pick(request(2, only_tables=(42,)), tables)
    assert (
        unknown.chosen is None and unknown.rejected[0].reason == "the chosen table does not exist"
    )
    too_small = pick(request(4, only_tables=(1,)), tables)
    assert too_small.chosen is None and "too small" in too_small.rejected[0].reason


# -- explanation -----------------------------------------------------------------------------------


def test_weights_sum_to_one() -> None:
    assert math.isclose(sum(WEIGHTS.values()), 1.0)
    assert list(WEIGHTS) == ["fit", "requests", "history", "revenue", "efficiency", "priority"]


def test_explanation_lists_candidates_with_parts_that_make_the_total() -> None:
    tables = [table(1, 2), table(2, 4, features=["window"], priority=9), table(3, 6),
              table(4, 8, bookable=False), table(5, 1)]  # fmt: skip
    result = pick(
        request(2, wishes=read_wishes("window", "date"), vip_tier=VipTier.GOLD,
                history={3: TableVisit(2, True)}),
        tables,
    )  # fmt: skip
    assert result.chosen is result.considered[0]
    assert len(result.considered) == 3
    totals = [c.total for c in result.considered]
    assert totals == sorted(totals, reverse=True)
    for candidate in result.considered:
        assert list(candidate.parts) == list(WEIGHTS)
        assert all(0.0 <= v <= 1.0 for v in candidate.parts.values())
        expected = sum(WEIGHTS[k] * v for k, v in candidate.parts.items())
        assert math.isclose(candidate.total, expected)
        assert 0.0 <= candidate.total <= 1.0
    assert {r.names for r in result.rejected} == {("T4",), ("T5",)}
    lines = result.explain()
    assert len(lines) == 3
    assert lines[0].startswith("→ ") and result.considered[0].names[0] in lines[0]
    assert all(not line.startswith("→") for line in lines[1:])
    for part in WEIGHTS:
        assert part in lines[0]
    as_json = result.chosen.to_json() if result.chosen else {}
    assert as_json["tables"] == list(result.considered[0].names)
    assert set(as_json["parts"]) == set(WEIGHTS)  # type: ignore[arg-type]


def test_explanation_shows_at_most_five_candidates() -> None:
    result = pick(request(2), [table(i, 2) for i in range(1, 9)])
    assert len(result.considered) == 8 and len(result.explain()) == 5


def test_without_explain_rejections_are_not_collected() -> None:
    result = assign(request(5), [table(1, 4), table(2, 6)], [], EMPTY, explain=False)
    assert chosen(result) == ("T2",) and result.rejected == ()


# -- the day grid picks what a single evaluation picks ------------------------------------------


def _random_day(seed: int) -> DaySnapshot:
    rng = random.Random(seed)
    rules = rules_from(
        timezone="Europe/Berlin",
        opening_hours={"mon": [["12:00", "15:00"], ["18:00", "23:00"]]},
        settings={"turn_times": {"1-2": 75, "7+": 150}, "peak_hours": [["19:00", "21:00"]]},
    )
    day = dt.date(2024, 6, 3)
    tables = []
    for i in range(1, 15):
        seats = rng.choice([2, 2, 4, 4, 4, 6, 8])
        tables.append(table(
            i, seats, min_guests=rng.choice([1, 1, 1, 3]) if seats >= 4 else 1,
            features=rng.sample(["window", "quiet", "accessible", "sofa"], rng.randint(0, 2)),
            preferred_for=rng.sample(["celebration", "date", "business"], rng.randint(0, 1)),
            priority=rng.randint(0, 10), ai_score=round(rng.random(), 2),
            x=(i % 5) * 100.0, y=(i // 5) * 100.0, bookable=rng.random() > 0.1,
            area="Main room" if i < 10 else "Terrace",
        ))  # fmt: skip
    holds = []
    for rid in range(1, 25):
        start = dt.datetime(2024, 6, 3, rng.randint(10, 20), rng.choice([0, 15, 30, 45]),
                            tzinfo=UTC)  # fmt: skip
        holds.append(Hold(rng.randint(1, 14), rid, start,
                          start + dt.timedelta(minutes=rng.choice([90, 105, 165])), 2))  # fmt: skip
    return DaySnapshot(
        rules=rules, service_day=day, now=dt.datetime(2024, 6, 1, tzinfo=UTC), tables=tables,
        groups=joinable_groups(tables), occupancy=Occupancy(holds), covers_by_slot={},
        timeslots={}, big_party_demand={19: rng.random(), 20: rng.random()},
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(6))
def test_day_grid_picks_the_same_table_as_a_single_evaluation(seed: int) -> None:
    snapshot = _random_day(seed)
    rng = random.Random(seed)
    for party in range(1, 13):
        wishes = read_wishes(rng.choice([None, "window", "тихий", "wheelchair"]),
                             rng.choice([None, "birthday", "date"]))  # fmt: skip
        guest = GuestContext(vip_tier=rng.choice([None, VipTier.GOLD]),
                             history={rng.randint(1, 14): TableVisit(2, True)})  # fmt: skip
        for verdict in grid(snapshot, party, wishes=wishes, guest=guest):
            single = evaluate(snapshot, verdict.slot, party, wishes=wishes, guest=guest)
            assert (verdict.available, verdict.reason, verdict.tables) == (
                single.available, single.reason, single.tables,
            ), (party, verdict.slot.label)  # fmt: skip
            if verdict.assignment and verdict.assignment.chosen and single.assignment:
                assert single.assignment.chosen is not None
                assert math.isclose(verdict.assignment.chosen.total,
                                    single.assignment.chosen.total)  # fmt: skip
