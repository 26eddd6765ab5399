"""A table's live state for the host's floor plan, from the bookings around "now"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.db.enums import ReservationStatus

S = ReservationStatus
# A booking this close ahead makes the table "reserved soon": don't seat a walk-in there.
SOON = dt.timedelta(minutes=60)
# A table left this recently and not marked cleaned since needs resetting.
CLEANING_WINDOW = dt.timedelta(hours=3)


class LiveState(StrEnum):
    FREE = "free"
    RESERVED_SOON = "reserved_soon"
    SEATED = "seated"
    DINING = "dining"
    NEEDS_CLEANING = "needs_cleaning"
    MAINTENANCE = "maintenance"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class BookingOnTable:
    reservation_id: int
    status: ReservationStatus
    starts_at: dt.datetime
    ends_at: dt.datetime
    arrival_time: dt.datetime | None
    departure_time: dt.datetime | None
    guest_name: str
    party_size: int


@dataclass(frozen=True)
class TableLive:
    state: LiveState
    current: BookingOnTable | None
    next: BookingOnTable | None
    # For seated/dining: minutes at the table; negative of nothing otherwise.
    minutes_seated: int | None
    overdue: bool


def live_state(
    *,
    now: dt.datetime,
    is_active: bool,
    in_maintenance: bool,
    last_cleaned: dt.datetime | None,
    bookings: Iterable[BookingOnTable],
) -> TableLive:
    ordered = sorted(bookings, key=lambda b: b.starts_at)
    upcoming = [
        b for b in ordered
        if b.status in (S.PENDING, S.CONFIRMED, S.REMINDED) and b.ends_at > now
    ]  # fmt: skip
    nxt = upcoming[0] if upcoming else None
    if not is_active:
        return TableLive(LiveState.INACTIVE, None, nxt, None, False)
    if in_maintenance:
        return TableLive(LiveState.MAINTENANCE, None, nxt, None, False)
    at_table = [b for b in ordered if b.status in (S.SEATED, S.DINING)]
    if at_table:
        current = at_table[-1]
        since = current.arrival_time or current.starts_at
        minutes = max(0, int((now - since).total_seconds() // 60))
        state = LiveState.SEATED if current.status == S.SEATED else LiveState.DINING
        return TableLive(state, current, nxt, minutes, now > current.ends_at)
    left = [b.departure_time for b in ordered if b.status == S.COMPLETED and b.departure_time]
    last_left = max(left, default=None)
    if (
        last_left is not None
        and now - last_left < CLEANING_WINDOW
        and (last_cleaned is None or last_cleaned < last_left)
    ):
        return TableLive(LiveState.NEEDS_CLEANING, None, nxt, None, False)
    if nxt is not None and nxt.starts_at - now <= SOON:
        return TableLive(LiveState.RESERVED_SOON, None, nxt, None, nxt.starts_at < now)
    return TableLive(LiveState.FREE, None, nxt, None, False)
