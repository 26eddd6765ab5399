"""Report periods: inclusive ranges of the restaurant's local dates, and their UTC windows.

Reservations are counted by their service date (the ``date`` column, already local). Everything
stamped with an instant (status changes, AI activity, messages) is counted by the local day it
happened on, so a period's UTC window starts at local midnight of its first day and ends at local
midnight after its last: 23 or 25 hours long on the days clocks change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.errors import InvalidInput

UTC = dt.UTC
# Ten years is more than any report needs and keeps a typo like 20266 from scanning forever.
MAX_DAYS = 3660
PRESETS = ("today", "yesterday", "this_week", "last_7_days", "last_30_days", "this_month")


@dataclass(frozen=True, order=True)
class DateRange:
    """``start`` to ``end``, both included, in the restaurant's local calendar."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(f"The period ends ({self.end}) before it starts ({self.start}).")
        if self.days > MAX_DAYS:
            raise InvalidInput(
                f"A report covers at most {MAX_DAYS} days; this one has {self.days}."
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def previous(self) -> DateRange:
        """The period of the same length that ends the day before this one starts."""
        length = dt.timedelta(days=self.days)
        return DateRange(self.start - length, self.end - length)

    def utc_window(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """[local midnight of ``start``, local midnight after ``end``) as UTC instants."""
        return local_midnight(self.start, zone), local_midnight(
            self.end + dt.timedelta(days=1), zone
        )

    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%d %b %Y}"
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The first instant of ``day`` in ``zone`` (where midnight is skipped, the gap's end)."""
    naive = dt.datetime.combine(day, dt.time())
    aware = naive.replace(tzinfo=zone)
    # A wall time in a spring-forward gap does not survive a round trip through UTC.
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        aware = aware.replace(fold=1)
    return aware.astimezone(UTC)


def parse_period(start: str, end: str) -> DateRange:
    """A period from two ``YYYY-MM-DD`` strings (command line, settings), with readable errors."""
    return DateRange(_parse_day(start, "--from"), _parse_day(end, "--to"))


def _parse_day(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise InvalidInput(f"{what} must be a date like 2026-11-24, not {value!r}.") from None


def preset(name: str, today: dt.date) -> DateRange:
    """A named period ending today (weeks start on Monday, as on the timeline)."""
    if name == "today":
        return DateRange(today, today)
    if name == "yesterday":
        day = today - dt.timedelta(days=1)
        return DateRange(day, day)
    if name == "this_week":
        return DateRange(today - dt.timedelta(days=today.weekday()), today)
    if name == "last_7_days":
        return DateRange(today - dt.timedelta(days=6), today)
    if name == "last_30_days":
        return DateRange(today - dt.timedelta(days=29), today)
    if name == "this_month":
        return DateRange(today.replace(day=1), today)
    raise InvalidInput(f"Unknown period {name!r}; choose one of {', '.join(PRESETS)}.")


@dataclass(frozen=True)
class OffsetSegment:
    """A stretch of UTC time over which the zone's offset from UTC does not change."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    offset_seconds: int


def offset_segments(
    starts_at: dt.datetime, ends_at: dt.datetime, zone: ZoneInfo
) -> list[OffsetSegment]:
    """Split [starts_at, ends_at) at the zone's offset changes (at most a few per year).

    Grouping instants by local day is then exact in SQL on both databases: within a segment,
    the local day is the UTC instant shifted by a constant number of seconds.
    """
    segments: list[OffsetSegment] = []
    cursor = probe = starts_at
    offset = _offset(cursor, zone)
    while probe < ends_at:
        step = min(probe + dt.timedelta(hours=6), ends_at)
        last = step if step < ends_at else ends_at - dt.timedelta(microseconds=1)
        if _offset(last, zone) != offset:
            change = _first_change(probe, last, offset, zone)
            segments.append(OffsetSegment(cursor, change, offset))
            cursor = probe = change
            offset = _offset(change, zone)
            continue
        probe = step
    segments.append(OffsetSegment(cursor, ends_at, offset))
    return [s for s in segments if s.ends_at > s.starts_at]


def _offset(instant: dt.datetime, zone: ZoneInfo) -> int:
    delta = instant.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _first_change(low: dt.datetime, high: dt.datetime, offset: int, zone: ZoneInfo) -> dt.datetime:
    """The first instant in (low, high] whose offset differs from ``offset`` (to the second)."""
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _offset(middle, zone) == offset:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)
