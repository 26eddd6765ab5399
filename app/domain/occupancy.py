"""Who holds which table when: the intervals a booking must not overlap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hold:
    """A reservation's claim on one table: from its start until its end plus the buffer."""

    table_id: int
    reservation_id: int
    starts_at: dt.datetime
    blocked_until: dt.datetime
    party_size: int


class Occupancy:
    """The day's holds per table; answers "is this table free from … to …?"."""

    def __init__(self, holds: Iterable[Hold]) -> None:
        self._by_table: dict[int, list[Hold]] = defaultdict(list)
        for hold in holds:
            self._by_table[hold.table_id].append(hold)
        for table_holds in self._by_table.values():
            table_holds.sort(key=lambda h: h.starts_at)

    def holds(self, table_id: int) -> list[Hold]:
        return self._by_table.get(table_id, [])

    def is_free(
        self,
        table_id: int,
        start: dt.datetime,
        until: dt.datetime,
        ignore: int | None = None,
    ) -> bool:
        for hold in self._by_table.get(table_id, ()):
            if hold.starts_at >= until:
                break  # sorted by start: nothing later can overlap
            if hold.reservation_id != ignore and start < hold.blocked_until:
                return False
        return True

    def blocker(
        self, table_id: int, start: dt.datetime, until: dt.datetime, ignore: int | None = None
    ) -> Hold | None:
        for hold in self._by_table.get(table_id, ()):
            if hold.starts_at >= until:
                break
            if hold.reservation_id != ignore and start < hold.blocked_until:
                return hold
        return None

    def gaps_around(
        self, table_id: int, start: dt.datetime, until: dt.datetime, ignore: int | None = None
    ) -> tuple[dt.timedelta | None, dt.timedelta | None]:
        """Idle time left before ``start`` and after ``until`` on this table (None: open-ended)."""
        before: dt.timedelta | None = None
        after: dt.timedelta | None = None
        for hold in self._by_table.get(table_id, ()):
            if hold.reservation_id == ignore:
                continue
            if hold.blocked_until <= start:
                before = start - hold.blocked_until
            elif hold.starts_at >= until:
                after = hold.starts_at - until
                break
        return before, after
