"""The day at a glance: for every slot and every party size, can it still be sold?

This is the manager's heat grid ("where can I still seat a six tonight?"). It answers yes/no
with the same rules as ``evaluate`` (times, pacing, tables free for the whole stay plus the
buffer, joined tables) but does not score tables, so a whole day for party sizes 1-12 costs a
few milliseconds: each table's free run from each slot is found once by a sweep over its
holds, then every party size only compares numbers per table class.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.availability import DaySnapshot, precheck
from app.domain.floor import TableInfo

FOREVER = 10**9


@dataclass(frozen=True)
class MatrixCell:
    available: bool
    reason: str | None


def _free_runs(snapshot: DaySnapshot, members: Sequence[TableInfo]) -> dict[int, list[int]]:
    """Per table, per slot: seconds the table stays free from the slot's start (0 = held)."""
    starts = [slot.starts_at for slot in snapshot.slots]
    runs: dict[int, list[int]] = {}
    for table in members:
        free = [FOREVER] * len(starts)
        for hold in snapshot.occupancy.holds(table.id):
            # Slots inside the hold are taken; slots before it are free until it starts.
            first_inside = bisect_left(starts, hold.starts_at)
            last_inside = bisect_right(starts, hold.blocked_until - dt.timedelta(microseconds=1))
            for index in range(first_inside, last_inside):
                free[index] = 0
            for index in range(first_inside - 1, -1, -1):
                seconds = int((hold.starts_at - starts[index]).total_seconds())
                if seconds >= free[index]:
                    break  # an earlier hold already limits these slots more
                free[index] = seconds
        runs[table.id] = free
    return runs


def day_matrix(
    snapshot: DaySnapshot, party_sizes: Sequence[int], *, needs_accessible: bool = False
) -> dict[int, list[MatrixCell]]:
    """``{party_size: [cell per slot]}`` in slot order."""
    rules = snapshot.rules
    slots = snapshot.slots
    tables = [t for t in snapshot.tables if t.bookable and (t.accessible or not needs_accessible)]
    runs = _free_runs(snapshot, tables)
    # Tables that seat the same range of parties behave alike: keep the best free run per class.
    classes: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * len(slots))
    for table in tables:
        best = classes[(table.min_guests, table.max_guests)]
        for index, seconds in enumerate(runs[table.id]):
            if seconds > best[index]:
                best[index] = seconds
    groups = [
        g for g in snapshot.groups
        if all(t.bookable and (t.accessible or not needs_accessible) for t in g.tables)
    ]  # fmt: skip
    group_runs = _free_runs(snapshot, [t for g in groups for t in g.tables])
    result: dict[int, list[MatrixCell]] = {}
    for party in party_sizes:
        need = (rules.turn_time(party) + rules.buffer) * 60
        fitting = [best for (low, high), best in classes.items() if low <= party <= high]
        joinable = [g for g in groups if g.min_guests <= party <= g.max_guests]
        cells = []
        for index, slot in enumerate(slots):
            refused = precheck(snapshot, slot, party)
            if refused is not None:
                cells.append(MatrixCell(False, refused.reason))
                continue
            ok = any(best[index] >= need for best in fitting) or any(
                min(group_runs[t.id][index] for t in g.tables) >= need for g in joinable
            )
            cells.append(MatrixCell(ok, None if ok else "no_table"))
        result[party] = cells
    return result
