"""Is a slot bookable for a party, and on which table? Pure rules over a day's snapshot.

The service layer loads one ``DaySnapshot`` per service day (tables, holds, pacing, timeslot
rows) with a handful of queries; everything here is arithmetic on it, so a whole day's grid for
every party size costs no further database round trips.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.assignment import (
    WEIGHTS,
    Assignment,
    AssignmentRequest,
    Candidate,
    TableVisit,
    assign,
    assign_joined,
    fits,
    keep_big,
    static_parts,
    with_efficiency,
)
from app.domain.booking_rules import BookingRules
from app.domain.floor import TableGroup, TableInfo
from app.domain.occupancy import Occupancy
from app.domain.requests import TableWishes
from app.domain.service_hours import Slot, services_for, slots_for

REASONS: dict[str, str] = {
    "closed": "The restaurant is closed that day.",
    "past": "That time has already passed.",
    "too_soon": "That is too soon: bookings need {notice} minutes' notice.",
    "beyond_max_advance": "Bookings open {days} days ahead; that date is further out.",
    "slot_closed": "That time is not taking bookings.",
    "pacing_full": "The kitchen is at capacity for guests arriving then ({cap} covers).",
    "party_too_large": "The largest party taken online is {max_party}; please call us.",
    "no_table": "No table for {party} is free then.",
}


@dataclass(frozen=True)
class TimeslotInfo:
    id: int
    max_capacity: int
    is_active: bool
    is_available: bool
    staff_level: int | None
    special_event: str | None


@dataclass(frozen=True)
class GuestContext:
    vip_tier: object | None = None
    history: Mapping[int, TableVisit] = field(default_factory=dict)


@dataclass
class DaySnapshot:
    rules: BookingRules
    service_day: dt.date
    now: dt.datetime
    tables: Sequence[TableInfo]
    groups: Sequence[TableGroup]
    occupancy: Occupancy
    # Covers of holding reservations by the slot they start in (UTC slot start).
    covers_by_slot: dict[dt.datetime, int]
    timeslots: dict[dt.time, TimeslotInfo]
    # Expected big parties per local hour (same weekday, recent weeks).
    big_party_demand: dict[int, float] = field(default_factory=dict)
    _slots: list[Slot] | None = None
    # Expected parties per local hour that no single table seats (only joined groups can).
    group_party_demand: dict[int, float] = field(default_factory=dict)
    # (start, until, ignored reservation) -> group shares; the snapshot's holds never change.
    _group_shares: dict[object, dict[int, float]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _critical: tuple[int, list[TableGroup]] | None = field(default=None, repr=False, compare=False)

    @property
    def slots(self) -> list[Slot]:
        if self._slots is None:
            self._slots = slots_for(self.rules, self.service_day)
        return self._slots

    def group_outlook_tables(self) -> tuple[int, list[TableGroup]]:
        """The largest single table's seats and the groups that seat more (computed once)."""
        if self._critical is None:
            single = largest_single(self.tables)
            self._critical = (single, [g for g in self.groups if g.max_guests > single])
        return self._critical

    @property
    def is_closed(self) -> bool:
        return not services_for(self.rules, self.service_day)


@dataclass(frozen=True)
class SlotVerdict:
    slot: Slot
    available: bool
    reason: str | None
    message: str | None
    assignment: Assignment | None

    @property
    def tables(self) -> tuple[str, ...]:
        if self.assignment and self.assignment.chosen:
            return self.assignment.chosen.names
        return ()


def pacing_cap(snapshot: DaySnapshot, slot: Slot) -> int | None:
    """Covers that may start in this slot: timeslot row, special date, staffing (lowest wins)."""
    rules = snapshot.rules
    row = snapshot.timeslots.get(slot.local_time)
    caps: list[int] = []
    if row is not None:
        caps.append(row.max_capacity)
        if row.staff_level is not None and rules.covers_per_staff is not None:
            caps.append(row.staff_level * rules.covers_per_staff)
    elif rules.max_covers_per_slot is not None:
        caps.append(rules.max_covers_per_slot)
    special = rules.special_dates.get(snapshot.service_day)
    if special is not None and special.max_covers_per_slot is not None:
        caps.append(special.max_covers_per_slot)
    return min(caps) if caps else None


def precheck(
    snapshot: DaySnapshot,
    slot: Slot,
    party_size: int,
    *,
    ignore_covers: int = 0,
    check_time: bool = True,
) -> SlotVerdict | None:
    """The rules before any table is looked at; a refusal, or None when they all pass."""
    rules = snapshot.rules

    def refuse(code: str, **values: object) -> SlotVerdict:
        return SlotVerdict(slot, False, code, REASONS[code].format(**values), None)

    if check_time:
        if slot.starts_at < snapshot.now:
            return refuse("past")
        if slot.starts_at < snapshot.now + dt.timedelta(minutes=rules.min_notice):
            return refuse("too_soon", notice=rules.min_notice)
        today = snapshot.now.astimezone(rules.timezone).date()
        if snapshot.service_day > today + dt.timedelta(days=rules.max_advance_days):
            return refuse("beyond_max_advance", days=rules.max_advance_days)
    if rules.max_party_size is not None and party_size > rules.max_party_size:
        return refuse("party_too_large", max_party=rules.max_party_size)
    row = snapshot.timeslots.get(slot.local_time)
    if row is not None and not (row.is_active and row.is_available):
        return refuse("slot_closed")
    cap = pacing_cap(snapshot, slot)
    booked = snapshot.covers_by_slot.get(slot.starts_at, 0) - ignore_covers
    if cap is not None and booked + party_size > cap:
        return refuse("pacing_full", cap=cap)
    return None


def assignment_request(
    snapshot: DaySnapshot,
    slot: Slot,
    party_size: int,
    *,
    duration: int | None,
    wishes: TableWishes,
    guest: GuestContext | None,
    ignore_reservation: int | None = None,
    only_tables: tuple[int, ...] | None = None,
) -> AssignmentRequest:
    rules = snapshot.rules
    minutes = duration or rules.turn_time(party_size)
    guest = guest or GuestContext()
    return AssignmentRequest(
        party_size=party_size,
        starts_at=slot.starts_at,
        ends_at=slot.starts_at + dt.timedelta(minutes=minutes),
        buffer=dt.timedelta(minutes=rules.buffer),
        wishes=wishes,
        vip_tier=guest.vip_tier,  # type: ignore[arg-type]
        peak=rules.is_peak(slot.local_time),
        history=guest.history,
        ignore_reservation=ignore_reservation,
        only_tables=only_tables,
        big_party_demand=_demand_after(snapshot, slot),
        shortest_turn=dt.timedelta(minutes=_shortest_turn(rules)),
        **_group_outlook(snapshot, slot, party_size, minutes, ignore_reservation),
    )


def largest_single(tables: Sequence[TableInfo]) -> int:
    """Seats of the largest bookable table: bigger parties need joined tables."""
    return max((t.max_guests for t in tables if t.bookable), default=0)


def _group_outlook(
    snapshot: DaySnapshot, slot: Slot, party_size: int, minutes: int, ignore: int | None
) -> dict[str, object]:
    """``group_demand`` and ``group_share`` for the keep_groups part of efficiency."""
    if not snapshot.group_party_demand:
        return {}
    rules = snapshot.rules
    single, critical = snapshot.group_outlook_tables()
    if party_size > single:
        return {}  # this party is the one the groups are kept for
    buffer = dt.timedelta(minutes=rules.buffer)
    until = slot.starts_at + dt.timedelta(minutes=minutes) + buffer
    # A large party arriving in (start − its stay, until) would need the group during ours.
    big_stay = dt.timedelta(minutes=rules.turn_time(single + 1)) + buffer
    local = (
        (slot.starts_at - big_stay)
        .astimezone(rules.timezone)
        .replace(minute=0, second=0, microsecond=0)
    )
    end = until.astimezone(rules.timezone)
    hours: set[int] = set()
    while local < end and len(hours) < 24:
        hours.add(local.hour)
        local += dt.timedelta(hours=1)
    demand = sum(snapshot.group_party_demand.get(hour, 0.0) for hour in hours)
    if demand <= 0:
        return {}
    key = (slot.starts_at, until, ignore)
    shares = snapshot._group_shares.get(key)
    if shares is None:
        occupancy = snapshot.occupancy
        free = [
            g for g in critical
            if all(occupancy.is_free(t.id, slot.starts_at, until, ignore) for t in g.tables)
        ]  # fmt: skip
        shares = {}
        for group in free:
            for table in group.tables:
                shares[table.id] = shares.get(table.id, 0.0) + 1 / len(free)
        snapshot._group_shares[key] = shares
    return {"group_demand": demand, "group_share": shares}


def evaluate(
    snapshot: DaySnapshot,
    slot: Slot,
    party_size: int,
    *,
    duration: int | None = None,
    wishes: TableWishes,
    guest: GuestContext | None = None,
    ignore_reservation: int | None = None,
    ignore_covers: int = 0,
    only_tables: tuple[int, ...] | None = None,
    explain: bool = True,
    check_time: bool = True,
) -> SlotVerdict:
    """Every rule for one slot, in the order a host would explain them."""
    refused = precheck(snapshot, slot, party_size, ignore_covers=ignore_covers,
                       check_time=check_time)  # fmt: skip
    if refused is not None:
        return refused
    request = assignment_request(
        snapshot, slot, party_size, duration=duration, wishes=wishes, guest=guest,
        ignore_reservation=ignore_reservation, only_tables=only_tables,
    )  # fmt: skip
    assignment = assign(request, snapshot.tables, snapshot.groups, snapshot.occupancy,
                        explain=explain)  # fmt: skip
    if assignment.chosen is None:
        return SlotVerdict(slot, False, "no_table",
                           REASONS["no_table"].format(party=party_size), assignment)  # fmt: skip
    return SlotVerdict(slot, True, None, None, assignment)


def _shortest_turn(rules: BookingRules) -> int:
    return min([rules.default_turn, *(b.minutes for b in rules.turn_bands)])


def _demand_after(snapshot: DaySnapshot, slot: Slot) -> float:
    """Big parties expected from this slot's hour to two hours later."""
    hour = slot.local.hour
    return sum(snapshot.big_party_demand.get((hour + i) % 24, 0.0) for i in range(3))


def grid(
    snapshot: DaySnapshot,
    party_size: int,
    *,
    duration: int | None = None,
    wishes: TableWishes,
    guest: GuestContext | None = None,
) -> list[SlotVerdict]:
    """Every slot of the day for one party size, with the same table ``evaluate`` would pick.

    The slot-independent score parts are computed once per table; per slot the tables are
    tried best-first and the search stops when no remaining table could catch up even with a
    perfect efficiency score (branch and bound), so the choice is exact but cheap.
    """
    planner = GridPlanner(snapshot, party_size, duration=duration, wishes=wishes, guest=guest)
    return [planner.verdict(slot) for slot in snapshot.slots]


# (slot-independent score, its parts, the table), best first
Ranked = tuple[float, dict[str, float], TableInfo]


class GridPlanner:
    def __init__(
        self,
        snapshot: DaySnapshot,
        party_size: int,
        *,
        duration: int | None,
        wishes: TableWishes,
        guest: GuestContext | None,
    ) -> None:
        self.snapshot = snapshot
        self.party = party_size
        self.duration = duration
        self.wishes = wishes
        self.guest = guest or GuestContext()
        self._ranked: dict[bool, list[Ranked]] = {}

    def _ranking(
        self, request: AssignmentRequest
    ) -> list[tuple[float, dict[str, float], TableInfo]]:
        ranked = self._ranked.get(request.peak)
        if ranked is None:
            ranked = []
            for table in self.snapshot.tables:
                if fits(request, table):
                    parts = static_parts(request, (table,))
                    static = sum(WEIGHTS[name] * value for name, value in parts.items())
                    ranked.append((static, parts, table))
            ranked.sort(key=lambda item: (-item[0], -item[1]["priority"], item[2].name))
            self._ranked[request.peak] = ranked
        return ranked

    def verdict(self, slot: Slot) -> SlotVerdict:
        refused = precheck(self.snapshot, slot, self.party)
        if refused is not None:
            return refused
        request = assignment_request(self.snapshot, slot, self.party, duration=self.duration,
                                     wishes=self.wishes, guest=self.guest)  # fmt: skip
        best: Candidate | None = None
        best_key: tuple[float, float, tuple[str, ...]] | None = None
        occupancy = self.snapshot.occupancy
        for static, parts, table in self._ranking(request):
            if best is not None and static + WEIGHTS["efficiency"] < best.total - 1e-9:
                break  # nobody further down can win, even with perfect efficiency
            ceiling = static + WEIGHTS["efficiency"] * (
                0.5 + 0.5 * keep_big(request, table.max_guests)
            )
            if best is not None and ceiling < best.total - 1e-9:
                continue  # this one cannot win even with perfect packing
            if not occupancy.is_free(table.id, request.starts_at, request.blocked_until):
                continue
            candidate = with_efficiency(request, (table,), parts, occupancy)
            key = (-round(candidate.total, 6), -candidate.parts["priority"], candidate.names)
            if best_key is None or key < best_key:
                best, best_key = candidate, key
        if best is not None:
            return SlotVerdict(slot, True, None, None, Assignment(best, (best,), ()))
        # No single table is free (or none seats the party at all): only a joined group can,
        # exactly as ``assign`` falls through to them, without refusing every single again.
        assignment = assign_joined(request, self.snapshot.groups, occupancy, explain=False)
        if assignment.chosen is None:
            message = REASONS["no_table"].format(party=self.party)
            return SlotVerdict(slot, False, "no_table", message, assignment)
        return SlotVerdict(slot, True, None, None, assignment)
