"""Smart table assignment: the seed's six criteria as a score a host can read.

Hard constraints first: the table (or joined group) is bookable, seats the party within its
min/max, is free for the whole stay plus the buffer, and is accessible when the guest needs it.
Every table that passes is scored from 0 to 1 on each part below; the total is their weighted
sum. A single table always beats a joined group (fewest tables first); among groups, fewer
tables win, then the score.

    fit         party / seats: a couple on a 2-top is 1.0, on a 6-top 0.33
    requests    share of the asked-for features and occasion the table offers (1.0 if none)
    history     the guest sat here before (0.5) and rated it 4 or 5 (1.0)
    revenue     VIPs and peak slots get the best tables; other parties leave them free
    efficiency  no unsellable idle gap left before/after, big tables are kept for the big
                parties the day's demand says are coming, and tables that belong to the few
                joinable groups able to seat the largest parties (those no single table
                seats) are kept free when such parties are expected during the stay:
                (0.5 packing + 0.5 keep_big) × (1 − keep_groups penalty)
    priority    the manager's priority (70 %) blended with the table's learned ai_score (30 %)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.db.enums import VipTier
from app.domain.floor import TableGroup, TableInfo
from app.domain.occupancy import Occupancy
from app.domain.requests import TableWishes

WEIGHTS: dict[str, float] = {
    "fit": 0.35,
    "requests": 0.15,
    "history": 0.10,
    "revenue": 0.10,
    "efficiency": 0.20,
    "priority": 0.10,
}
VIP_VALUE: dict[VipTier, float] = {
    VipTier.PLATINUM: 1.0,
    VipTier.GOLD: 0.75,
    VipTier.SILVER: 0.5,
    VipTier.BRONZE: 0.25,
}
# A big table is one that seats more than this; keeping it for big parties matters.
BIG_TABLE_SEATS = 5
# keep_groups: an expected large party this likely counts as certain (demand × gain, capped).
GROUP_DEMAND_GAIN = 1.0


@dataclass(frozen=True)
class TableVisit:
    visits: int
    liked: bool


@dataclass(frozen=True)
class AssignmentRequest:
    party_size: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    buffer: dt.timedelta
    wishes: TableWishes
    vip_tier: VipTier | None = None
    peak: bool = False
    history: Mapping[int, TableVisit] = field(default_factory=dict)
    # The reservation being moved: its own holds do not count against it.
    ignore_reservation: int | None = None
    # A host's explicit choice: only these tables, together.
    only_tables: tuple[int, ...] | None = None
    # Expected big parties still to come around this time (from the day's demand).
    big_party_demand: float = 0.0
    # Shortest stay any party has: a gap shorter than this cannot be sold.
    shortest_turn: dt.timedelta = dt.timedelta(minutes=60)
    # Expected parties only a joined group can seat whose stay would overlap this one.
    group_demand: float = 0.0
    # Per table: the share of the joinable groups able to seat those parties, and free for this
    # whole stay, that taking the table would break (absent: none).
    group_share: Mapping[int, float] = field(default_factory=dict)

    @property
    def blocked_until(self) -> dt.datetime:
        return self.ends_at + self.buffer


@dataclass(frozen=True)
class Candidate:
    table_ids: tuple[int, ...]
    names: tuple[str, ...]
    total: float
    parts: dict[str, float]

    def to_json(self) -> dict[str, object]:
        return {
            "tables": list(self.names),
            "score": round(self.total, 3),
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
        }


@dataclass(frozen=True)
class Rejection:
    names: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Assignment:
    chosen: Candidate | None
    considered: tuple[Candidate, ...]
    rejected: tuple[Rejection, ...]

    def explain(self) -> list[str]:
        """Lines a host reads: why the chosen table, and what the runners-up scored."""
        lines = []
        for candidate in self.considered[:5]:
            mark = "→" if candidate is self.chosen else " "
            parts = ", ".join(f"{k} {v:.2f}" for k, v in candidate.parts.items())
            lines.append(f"{mark} {'+'.join(candidate.names)}: {candidate.total:.2f} ({parts})")
        return lines


def assign(
    request: AssignmentRequest,
    tables: Sequence[TableInfo],
    groups: Sequence[TableGroup],
    occupancy: Occupancy,
    *,
    explain: bool = True,
) -> Assignment:
    """The best table (or joined group) for the request, with every candidate's score."""
    rejected: list[Rejection] = []
    if request.only_tables is not None:
        chosen_tables = _explicit(request, tables)
        options: list[tuple[TableInfo, ...]] = [chosen_tables] if chosen_tables else []
        if not chosen_tables:
            rejected.append(Rejection((), "the chosen table does not exist"))
    elif explain:
        options = [(t,) for t in tables]
    else:
        # Nobody reads the rejections: skip the tables that can never seat this party.
        options = [(t,) for t in tables if fits(request, t)]
    singles = _score_all(request, options, occupancy, rejected, explain)
    if singles or request.only_tables is not None:
        return _result(singles, rejected)
    return assign_joined(request, groups, occupancy, explain=explain, rejected=rejected)


def assign_joined(
    request: AssignmentRequest,
    groups: Sequence[TableGroup],
    occupancy: Occupancy,
    *,
    explain: bool = True,
    rejected: Sequence[Rejection] = (),
) -> Assignment:
    """The best joined group for a party no single table can take (``assign``'s second step)."""
    refusals = list(rejected)
    multi = [g.tables for g in groups if g.min_guests <= request.party_size <= g.max_guests]
    joined = _score_all(request, multi, occupancy, refusals, explain)
    # Fewest tables first, then the best score.
    joined.sort(key=lambda c: (len(c.table_ids), -round(c.total, 6), -c.parts["priority"], c.names))
    return Assignment(joined[0] if joined else None, tuple(joined), tuple(refusals))


def _explicit(request: AssignmentRequest, tables: Sequence[TableInfo]) -> tuple[TableInfo, ...]:
    by_id = {t.id: t for t in tables}
    wanted = request.only_tables or ()
    if any(i not in by_id for i in wanted):
        return ()
    return tuple(by_id[i] for i in wanted)


def _result(candidates: list[Candidate], rejected: list[Rejection]) -> Assignment:
    # Equal scores (to rounding) fall to the manager's priority, then the name: stable choices.
    candidates.sort(key=lambda c: (-round(c.total, 6), -c.parts["priority"], c.names))
    return Assignment(candidates[0] if candidates else None, tuple(candidates), tuple(rejected))


def _score_all(
    request: AssignmentRequest,
    options: Sequence[tuple[TableInfo, ...]],
    occupancy: Occupancy,
    rejected: list[Rejection],
    explain: bool,
) -> list[Candidate]:
    scored = []
    for members in options:
        reason = _refusal(request, members, occupancy)
        if reason is None:
            scored.append(_score(request, members, occupancy))
        elif explain:
            rejected.append(Rejection(tuple(t.name for t in members), reason))
    return scored


def _refusal(
    request: AssignmentRequest, members: tuple[TableInfo, ...], occupancy: Occupancy
) -> str | None:
    party = request.party_size
    if not all(t.bookable for t in members):
        return "out of service (maintenance or inactive)"
    seats = sum(t.max_guests for t in members)
    if party > seats:
        return f"seats {seats}, too small for {party}"
    if len(members) == 1 and party < members[0].min_guests:
        return f"needs at least {members[0].min_guests} guests"
    if request.wishes.needs_accessible and not all(t.accessible for t in members):
        return "not wheelchair accessible"
    for table in members:
        if not occupancy.is_free(
            table.id, request.starts_at, request.blocked_until, request.ignore_reservation
        ):
            return f"{table.name} is taken then"
    return None


def _score(
    request: AssignmentRequest, members: tuple[TableInfo, ...], occupancy: Occupancy
) -> Candidate:
    return with_efficiency(request, members, static_parts(request, members), occupancy)


def static_parts(request: AssignmentRequest, members: tuple[TableInfo, ...]) -> dict[str, float]:
    """The score parts that do not depend on the other bookings (all but efficiency)."""
    seats = sum(t.max_guests for t in members)
    return {
        "fit": request.party_size / seats,
        "requests": _requests(request.wishes, members),
        "history": _history(request.history, members),
        "revenue": _revenue(request, members),
        "priority": _quality(members),
    }


def with_efficiency(
    request: AssignmentRequest,
    members: tuple[TableInfo, ...],
    static: dict[str, float],
    occupancy: Occupancy,
) -> Candidate:
    seats = sum(t.max_guests for t in members)
    parts = {**static, "efficiency": _efficiency(request, members, seats, occupancy)}
    parts = {name: parts[name] for name in WEIGHTS}  # the documented order
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    return Candidate(tuple(t.id for t in members), tuple(t.name for t in members), total, parts)


def fits(request: AssignmentRequest, table: TableInfo) -> bool:
    """The slot-independent hard constraints for one table."""
    return (
        table.bookable
        and table.min_guests <= request.party_size <= table.max_guests
        and (not request.wishes.needs_accessible or table.accessible)
    )


def _quality(members: tuple[TableInfo, ...]) -> float:
    return sum(0.7 * t.priority / 10 + 0.3 * t.ai_score for t in members) / len(members)


def _requests(wishes: TableWishes, members: tuple[TableInfo, ...]) -> float:
    if wishes.empty:
        return 1.0
    features = frozenset().union(*(t.features for t in members))
    preferred = frozenset().union(*(t.preferred_for for t in members))
    asked = len(wishes.features) + (1 if wishes.occasion_fits else 0)
    met = len(wishes.features & features) + (1 if wishes.occasion_fits & preferred else 0)
    return met / asked


def _history(history: Mapping[int, TableVisit], members: tuple[TableInfo, ...]) -> float:
    best = 0.0
    for table in members:
        visit = history.get(table.id)
        if visit is not None and visit.visits > 0:
            best = max(best, 1.0 if visit.liked else 0.5)
    return best


def _revenue(request: AssignmentRequest, members: tuple[TableInfo, ...]) -> float:
    value = VIP_VALUE.get(request.vip_tier, 0.0) if request.vip_tier else 0.0
    if request.peak:
        value = max(value, 0.5)
    quality = _quality(members)
    # A high-value party gains from a good table; an ordinary one leaves the best tables free.
    return value * quality + (1 - value) * (1 - quality)


def _efficiency(
    request: AssignmentRequest, members: tuple[TableInfo, ...], seats: int, occupancy: Occupancy
) -> float:
    turn = request.shortest_turn
    wasted = dt.timedelta(0)
    for table in members:
        before, after = occupancy.gaps_around(
            table.id, request.starts_at, request.blocked_until, request.ignore_reservation
        )
        for gap in (before, after):
            if gap is not None and gap < turn:
                wasted += gap  # idle time nobody can book
    packing = max(0.0, 1.0 - wasted / (2 * turn * len(members)))
    return (0.5 * packing + 0.5 * keep_big(request, seats)) * (1.0 - keep_groups(request, members))


def keep_groups(request: AssignmentRequest, members: tuple[TableInfo, ...]) -> float:
    """Penalty (0-1) for breaking one of the few joinable groups a large party will need.

    Look-ahead: ``group_demand`` is the number of parties no single table seats that the
    day's demand expects during this stay; ``group_share`` says which share of the groups able
    to seat them (and still free then) the table belongs to. Losing one of two such groups when
    one large party is expected costs half the efficiency; the last one, all of it.
    """
    if request.group_demand <= 0 or not request.group_share:
        return 0.0
    share = min(1.0, sum(request.group_share.get(t.id, 0.0) for t in members))
    return min(1.0, GROUP_DEMAND_GAIN * request.group_demand) * share


def keep_big(request: AssignmentRequest, seats: int) -> float:
    """Burning a big table on a small party costs in proportion to the big parties expected."""
    spare = seats - request.party_size
    if seats > BIG_TABLE_SEATS and spare >= 2:
        return 1.0 - min(1.0, request.big_party_demand) * spare / seats
    return 1.0
