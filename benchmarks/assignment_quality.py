"""How many covers the engine's online table assignment seats, against a hindsight optimum.

For ``--days`` simulated days (seeded) a 40-table dining room receives a day's booking requests
(parties of 1-10, start times bunched around 19:00-20:30, arriving in random order relative to
their start). Three online policies walk the requests in arrival order and accept a request
when they find a table (or joinable group) free at the requested time, with no alternatives:

* engine     the real pure assignment, ``app.domain.availability.evaluate`` on a
             ``DaySnapshot`` whose ``Occupancy`` grows with every accepted booking (no database);
* first-fit  the first table in the floor list that seats the party, then the first group;
* best-fit   the smallest free table that seats the party, then the smallest group.

The offline optimum knows the whole day in advance: an exact MILP (``scipy.optimize.milp``,
hindsight.py) over the same table and group options, maximising seated covers. Each policy's
covers are printed per day and in total as a share of that optimum, for each demand level in
``--requests`` (light: everyone fits in hindsight; busy; oversubscribed).

    .venv/bin/python benchmarks/assignment_quality.py [--days 20] [--requests 60,100,140]
        [--seed 7] [--time-limit 120]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from hindsight import Optimum, Request, optimum, options

from app.domain.assignment import BIG_TABLE_SEATS
from app.domain.availability import DaySnapshot, evaluate
from app.domain.booking_rules import BookingRules, rules_from
from app.domain.floor import TableGroup, TableInfo, joinable_groups
from app.domain.occupancy import Hold, Occupancy
from app.domain.requests import read_wishes
from app.domain.service_hours import slots_for

TARGET = 0.97
FIRST_DAY = dt.date(2027, 3, 1)
HOURS = {d: [["12:00", "23:30"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SETTINGS = {
    "slot_interval_minutes": 15,
    "buffer_minutes": 15,
    "min_notice_minutes": 30,
    "last_seating_minutes_before_close": 60,
    "turn_times": {"1-2": 90, "3-4": 105, "5-8": 120, "9+": 150},
}
PARTY_WEIGHTS = {1: 3, 2: 38, 3: 12, 4: 22, 5: 7, 6: 8, 7: 3, 8: 4, 9: 1.5, 10: 1.5}
NO_WISHES = read_wishes(None, None)
LARGEST_SINGLE = 8  # the eight-tops: larger parties need joined tables
# name, min, max, room, x, y, width, priority, features. Pairs 20 cm apart can be joined.
LAYOUT: list[tuple[str, int, int, str, int, int, int, int, tuple[str, ...]]] = [
    *[(f"A{i + 1}", 1, 2, "Main room", x, 0, 70, 8, ("window",))
      for i, x in enumerate((0, 90, 230, 320, 460, 550, 690, 780))],
    *[(f"B{i + 1}", 2, 4, "Main room", x, 200, 90, 6, ())
      for i, x in enumerate((0, 110, 300, 410, 600, 710, 900, 1010))],
    *[(f"C{i + 1}", 3, 6, "Main room", x, 400, 160, 5, ())
      for i, x in enumerate((0, 180, 500, 680))],
    ("D1", 5, 8, "Main room", 0, 600, 200, 7, ()),
    ("D2", 5, 8, "Main room", 400, 600, 200, 7, ()),
    *[(f"T{i + 1}", 1, 2, "Terrace", x, 0, 70, 4, ("outdoor",))
      for i, x in enumerate((0, 90, 230, 320))],
    *[(f"T{i + 5}", 2, 4, "Terrace", x, 200, 90, 4, ("outdoor",))
      for i, x in enumerate((0, 110, 300, 410, 600, 710))],
    *[(f"R{i + 1}", 1, 2, "Bar", x, 0, 70, 3, ())
      for i, x in enumerate((0, 130, 260, 390, 520, 650))],
    ("R7", 2, 4, "Bar", 0, 200, 90, 3, ()),
    ("R8", 2, 4, "Bar", 110, 200, 90, 3, ()),
]  # fmt: skip


@dataclass
class Outcome:
    covers: int = 0
    accepted: int = 0
    seconds: float = 0.0
    big_by_hour: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    group_by_hour: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    seated_by_party: Counter[int] = field(default_factory=Counter)


@dataclass(frozen=True)
class DayResult:
    day: dt.date
    requests: int
    asked: int
    optimum: Optimum
    policies: dict[str, Outcome]


Room = tuple[BookingRules, list[TableInfo], list[TableGroup]]

# -- the room and the day -------------------------------------------------------------------


def dining_room() -> Room:
    rules = rules_from(timezone="Europe/Moscow", opening_hours=HOURS, settings=SETTINGS)
    tables = [
        TableInfo.from_row(
            id=i + 1,
            name=name,
            min_guests=low,
            max_guests=high,
            position={"x": x, "y": y, "width": width, "height": 80, "area": room},
            features=features,
            preferred_for=(),
            priority=priority,
            ai_score=0.5,
            bookable=True,
        )
        for i, (name, low, high, room, x, y, width, priority, features) in enumerate(LAYOUT)
    ]
    return rules, tables, joinable_groups(tables, rules.combinations)


def start_minutes(rng: random.Random) -> int:
    """A quarter at lunch, a few in the afternoon, the rest bunched around 19:00-20:30."""
    roll = rng.random()
    if roll < 0.25:
        return 12 * 60 + 15 * rng.randint(0, 10)
    if roll < 0.32:
        return 15 * 60 + 15 * rng.randint(0, 11)
    minutes = int(rng.gauss(19.75 * 60, 50))
    return min(max(minutes, 17 * 60), 22 * 60 + 30) // 15 * 15


def day_requests(
    rules: BookingRules, day: dt.date, count: int, rng: random.Random
) -> list[Request]:
    """A day's requests in arrival order (shuffled: arrival order is not start order)."""
    by_label = {slot.local_time: slot for slot in slots_for(rules, day)}
    parties, weights = zip(*PARTY_WEIGHTS.items(), strict=True)
    requests = []
    for index in range(count):
        party = rng.choices(parties, weights)[0]
        minutes = start_minutes(rng)
        slot = by_label[dt.time(minutes // 60, minutes % 60)]
        stay = dt.timedelta(minutes=rules.turn_time(party) + rules.buffer)
        requests.append(Request(index, party, slot, slot.starts_at + stay))
    rng.shuffle(requests)
    return requests


# -- online policies ------------------------------------------------------------------------

Policy = Callable[[Request, Occupancy], tuple[int, ...] | None]


def engine_policy(
    rules: BookingRules,
    day: dt.date,
    tables: list[TableInfo],
    groups: list[TableGroup],
    demand: dict[int, float],
    group_demand: dict[int, float] | None = None,
) -> Policy:
    now = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)

    def choose(request: Request, occupancy: Occupancy) -> tuple[int, ...] | None:
        snapshot = DaySnapshot(
            rules=rules,
            service_day=day,
            now=now,
            tables=tables,
            groups=groups,
            occupancy=occupancy,
            covers_by_slot={},
            timeslots={},
            big_party_demand=demand,
            group_party_demand=group_demand or {},
        )
        verdict = evaluate(snapshot, request.slot, request.party, wishes=NO_WISHES, explain=False)
        if verdict.assignment is None or verdict.assignment.chosen is None:
            return None
        return verdict.assignment.chosen.table_ids

    return choose


def fit_policy(tables: list[TableInfo], groups: list[TableGroup], *, best: bool) -> Policy:
    def choose(request: Request, occupancy: Occupancy) -> tuple[int, ...] | None:
        found = options(request, tables, groups)
        if best:  # smallest seating first (a stable sort keeps singles before groups on ties)
            found.sort(key=lambda members: (len(members), sum(t.max_guests for t in members)))
        for members in found:
            if all(occupancy.is_free(t.id, request.start, request.until) for t in members):
                return tuple(t.id for t in members)
        return None

    return choose


def simulate(requests: list[Request], choose: Policy) -> Outcome:
    outcome = Outcome()
    holds: list[Hold] = []
    occupancy = Occupancy(holds)
    started = time.perf_counter()
    for request in requests:
        chosen = choose(request, occupancy)
        if chosen is None:
            continue
        holds += [
            Hold(t, request.index, request.start, request.until, request.party) for t in chosen
        ]
        occupancy = Occupancy(holds)
        outcome.covers += request.party
        outcome.accepted += 1
        outcome.seated_by_party[request.party] += request.party
        if request.party > BIG_TABLE_SEATS:
            outcome.big_by_hour[request.slot.local.hour] += 1
        if request.party > LARGEST_SINGLE:
            outcome.group_by_hour[request.slot.local.hour] += 1
    outcome.seconds = time.perf_counter() - started
    return outcome


def demand_from(history: list[Outcome], *, grouped: bool = False) -> dict[int, float]:
    """Big parties per hour over the last four simulated days, as the loader reads history.

    ``grouped``: only the parties no single table seats (the loader's group_party_demand).
    """
    recent = history[-4:]
    demand: dict[int, float] = defaultdict(float)
    for outcome in recent:
        by_hour = outcome.group_by_hour if grouped else outcome.big_by_hour
        for hour, count in by_hour.items():
            demand[hour] += count / 4
    return dict(demand)


# -- the run --------------------------------------------------------------------------------


def run_day(
    day: dt.date, requests: list[Request], room: Room, history: list[Outcome], time_limit: float
) -> DayResult:
    rules, tables, groups = room
    policies = {
        "engine": simulate(
            requests,
            engine_policy(
                rules, day, tables, groups, demand_from(history), demand_from(history, grouped=True)
            ),  # fmt: skip
        ),
        "first-fit": simulate(requests, fit_policy(tables, groups, best=False)),
        "best-fit": simulate(requests, fit_policy(tables, groups, best=True)),
    }
    best = optimum(requests, tables, groups, time_limit)
    for name, outcome in policies.items():
        if outcome.covers > best.bound + 1e-6:
            raise AssertionError(f"{name} seated more than the optimum on {day}: a model bug")
    return DayResult(day, len(requests), sum(r.party for r in requests), best, policies)


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:6.1f}%" if whole else "   –  "


def print_day(result: DayResult) -> None:
    best = result.optimum
    cells = [
        f"{result.day}",
        f"{result.requests:4d}",
        f"{result.asked:5d}",
        f"{best.covers:5.0f} ({best.accepted:3d})" + ("" if best.optimal else "*"),
    ]
    for outcome in result.policies.values():
        share = pct(outcome.covers, best.reference)
        cells.append(f"{outcome.covers:5d} ({outcome.accepted:3d}) {share}")
    cells.append(f"{best.seconds * 1000:7.0f}")
    print("  ".join(cells))


def print_header() -> None:
    print(
        f"{'day':<10}  {'reqs':>4}  {'asked':>5}  {'optimum':>11}  "
        f"{'engine (% of opt)':>20}  {'first-fit':>20}  {'best-fit':>20}  {'MILP ms':>7}"
    )
    print("-" * 118)


BANDS = ((1, 2), (3, 4), (5, 6), (7, 8), (9, 10))


def print_totals(results: list[DayResult]) -> float:
    """The totals row and the verdict; returns the engine's share of the optimal covers."""
    best = sum(r.optimum.reference for r in results)
    print("-" * 118)
    print(
        f"{'total':<10}  {sum(r.requests for r in results):4d}  "
        f"{sum(r.asked for r in results):5d}  {best:5.0f} "
        f"({sum(r.optimum.accepted for r in results):4d})",
        end="",
    )
    for name in results[0].policies:
        covers = sum(r.policies[name].covers for r in results)
        accepted = sum(r.policies[name].accepted for r in results)
        print(f"  {covers:5d} ({accepted:4d}) {pct(covers, best)}", end="")
    print("\n")
    for name in results[0].policies:
        shares = [r.policies[name].covers / r.optimum.reference for r in results]
        total = sum(r.policies[name].covers for r in results)
        print(
            f"{name:<10} seats {pct(total, best)} of the optimal covers; "
            f"worst day {100 * min(shares):.1f}%"
        )
    print_bands(results)
    engine = sum(r.policies["engine"].covers for r in results) / best
    requests = sum(r.requests for r in results)
    per_request = 1000 * sum(r.policies["engine"].seconds for r in results) / requests
    verdict = "met" if engine >= TARGET else "MISSED"
    print(
        f"target: engine >= {100 * TARGET:.0f}% of optimal covers: {verdict} "
        f"({100 * engine:.1f}%); engine {per_request:.2f} ms per request; "
        f"MILP optimal on every day: {all(r.optimum.optimal for r in results)}"
    )
    return engine


def print_bands(results: list[DayResult]) -> None:
    """Where the engine loses covers against the optimum, by party size."""
    cells = []
    for low, high in BANDS:
        sizes = range(low, high + 1)
        optimal = sum(r.optimum.seated_by_party[p] for r in results for p in sizes)
        engine = sum(r.policies["engine"].seated_by_party[p] for r in results for p in sizes)
        cells.append(f"{low}-{high}: {engine - optimal:+d}")
    print("engine covers minus optimal covers by party size: " + ", ".join(cells))


def run_load(requests_per_day: int, args: argparse.Namespace, room: Room) -> tuple[int, float]:
    """One demand level: the per-day table and the totals; returns (asked covers/day, share)."""
    rng = random.Random(args.seed * 1000 + requests_per_day)
    rules = room[0]
    print(f"\n== ~{requests_per_day} requests a day ==\n")
    print_header()
    results: list[DayResult] = []
    history: list[Outcome] = []
    for offset in range(args.days):
        day = FIRST_DAY + dt.timedelta(days=offset)
        count = rng.randint(int(requests_per_day * 0.9), int(requests_per_day * 1.1))
        requests = day_requests(rules, day, count, rng)
        result = run_day(day, requests, room, history, args.time_limit)
        history.append(result.policies["engine"])
        results.append(result)
        print_day(result)
    share = print_totals(results)
    return sum(r.asked for r in results) // len(results), share


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument(
        "--requests", default="60,100,140", help="requests per day (±10 %%), comma-separated"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=120.0, help="MILP seconds per day")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    room = dining_room()
    _, tables, groups = room
    seats = sum(t.max_guests for t in tables)
    print(
        f"{len(tables)} tables ({seats} seats), {len(groups)} joinable groups; "
        f"{args.days} days per demand level, seed {args.seed}"
    )
    print("cells: covers (requests) and % of the optimal covers; * = MILP hit its time limit")
    summary = [(n, *run_load(n, args, room)) for n in map(int, args.requests.split(","))]
    print("\n== summary ==")
    for requests, asked, share in summary:
        verdict = "met" if share >= TARGET else "MISSED"
        print(
            f"~{requests:3d} requests/day ({asked} covers asked on {seats} seats): "
            f"engine {100 * share:.1f}% of optimal ({verdict})"
        )


if __name__ == "__main__":
    main()
