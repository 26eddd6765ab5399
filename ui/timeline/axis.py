"""The timeline's horizontal axis: real instants (UTC) to pixels and back.

The day is drawn as *spans*: the service windows (lunch, dinner…) widened to whole local
hours and to every booking that reaches outside them. A closed stretch between two spans is
compressed to a fixed ``GAP_WIDTH`` and shaded. Instants are UTC; labels are local wall-clock
times, so a DST change simply shows a repeated or a missing hour. Pure arithmetic, no widgets.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.domain.service_hours import ServiceWindow
from ui.timeline.style import DEFAULT_PX_PER_MINUTE, GAP_WIDTH, MERGE_GAP_MINUTES

UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Span:
    start: dt.datetime
    end: dt.datetime
    # The service windows inside it: (opens, closes, label); empty for a span of bookings only.
    windows: tuple[tuple[dt.datetime, dt.datetime, str], ...] = ()

    @property
    def minutes(self) -> float:
        return (self.end - self.start) / MINUTE


@dataclass(frozen=True)
class Tick:
    x: float
    instant: dt.datetime
    local: dt.datetime
    major: bool  # a whole hour


def build_spans(
    windows: Iterable[ServiceWindow],
    busy: Iterable[tuple[dt.datetime, dt.datetime]],
    zone: ZoneInfo,
    day: dt.date,
) -> list[Span]:
    """Spans covering every window and every ``busy`` interval, on whole local hours."""
    opened = [(w.opens_at, w.closes_at, w.label) for w in windows]
    pieces = [(start, end) for start, end, _ in opened]
    pieces += [(start, end) for start, end in busy if end > start]
    if not pieces:  # closed and empty: a plain working day, so the grid still reads
        start = dt.datetime.combine(day, dt.time(12), tzinfo=zone).astimezone(UTC)
        return [Span(start, start + 11 * HOUR)]
    pieces.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in pieces:
        if merged and merged[-1][0] <= start and end <= merged[-1][1]:
            continue  # inside the span so far (its ends are whole hours): nothing to add
        start, end = _floor_hour(start, zone), _ceil_hour(end, zone)
        if merged and start <= merged[-1][1] + MERGE_GAP_MINUTES * MINUTE:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [
        Span(start, end, tuple(w for w in opened if start <= w[0] < end)) for start, end in merged
    ]


def _floor_hour(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    local = instant.astimezone(zone)
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def _ceil_hour(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    floor = _floor_hour(instant, zone)
    return floor if floor == instant else floor + HOUR


def snap(instant: dt.datetime, minutes: int) -> dt.datetime:
    """The nearest instant on a ``minutes`` grid (UTC-based; every real zone offset is a
    multiple of 15 minutes, so a 15-minute grid is also the local one)."""
    step = minutes * 60
    seconds = (instant - _EPOCH).total_seconds()
    return _EPOCH + dt.timedelta(seconds=round(seconds / step) * step)


class TimeAxis:
    """Maps instants to content x (0 = the first span's start) at ``px_per_minute``."""

    def __init__(
        self, spans: list[Span], zone: ZoneInfo, px_per_minute: float = DEFAULT_PX_PER_MINUTE
    ) -> None:
        assert spans, "an axis needs at least one span"
        self.spans = spans
        self.zone = zone
        self.px_per_minute = px_per_minute
        self._layout()

    def _layout(self) -> None:
        self._starts: list[float] = []
        x = 0.0
        for index, span in enumerate(self.spans):
            if index:
                x += GAP_WIDTH
            self._starts.append(x)
            x += span.minutes * self.px_per_minute
        self.width = x

    def set_scale(self, px_per_minute: float) -> None:
        self.px_per_minute = px_per_minute
        self._layout()

    @property
    def start(self) -> dt.datetime:
        return self.spans[0].start

    @property
    def end(self) -> dt.datetime:
        return self.spans[-1].end

    @property
    def total_minutes(self) -> float:
        return sum(span.minutes for span in self.spans)

    def span_x(self, index: int) -> tuple[float, float]:
        start = self._starts[index]
        return start, start + self.spans[index].minutes * self.px_per_minute

    def gaps(self) -> list[tuple[float, float]]:
        """The compressed closed stretches, as content x ranges."""
        return [(self.span_x(i)[1], self._starts[i + 1]) for i in range(len(self.spans) - 1)]

    def x_of(self, instant: dt.datetime) -> float:
        """Content x of an instant; one inside a gap lands on the gap's nearer edge."""
        for index, span in enumerate(self.spans):
            if instant < span.end or index == len(self.spans) - 1:
                if instant < span.start and index:
                    previous_end = self.span_x(index - 1)[1]
                    before = span.start - instant < instant - self.spans[index - 1].end
                    return self._starts[index] if before else previous_end
                return self._starts[index] + (instant - span.start) / MINUTE * self.px_per_minute
        raise AssertionError("unreachable")

    def instant_at(self, x: float) -> dt.datetime:
        """The instant at content x; an x inside a gap gives the nearer span edge."""
        index = max(0, bisect_right(self._starts, x) - 1)
        left, right = self.span_x(index)
        span = self.spans[index]
        if x > right and index + 1 < len(self.spans):
            next_left = self._starts[index + 1]
            return span.end if x - right < next_left - x else self.spans[index + 1].start
        return span.start + (x - left) / self.px_per_minute * MINUTE

    def ticks(self, x0: float, x1: float, minutes: int = 15) -> Iterator[Tick]:
        """Grid lines every ``minutes`` (whole hours are major) between content x0 and x1."""
        step = minutes * MINUTE
        for index, span in enumerate(self.spans):
            left, right = self.span_x(index)
            if right < x0 or left > x1:
                continue
            first = max(span.start, span.start + (x0 - left) / self.px_per_minute * MINUTE)
            moment = _floor_to(first, span.start, step)
            while moment <= span.end:
                x = self.x_of(moment) if moment < span.end else right
                if x > x1:
                    break
                local = moment.astimezone(self.zone)
                yield Tick(x, moment, local, local.minute == 0)
                moment += step

    def window_ranges(self) -> list[tuple[float, float, str]]:
        """Content x ranges of the open service windows, labelled ("Dinner 18:00–01:00")."""
        return [
            (
                self.x_of(opens),
                self.x_of(closes),
                f"{label.capitalize()} {opens.astimezone(self.zone):%H:%M}"
                f"–{closes.astimezone(self.zone):%H:%M}",
            )
            for span in self.spans
            for opens, closes, label in span.windows
        ]

    def outside_hours(self) -> list[tuple[float, float]]:
        """Content x ranges inside spans but outside every service window (shaded lightly)."""
        result = []
        for index, span in enumerate(self.spans):
            left, right = self.span_x(index)
            cursor = left
            for opens, closes, _ in sorted(span.windows):
                a, b = self.x_of(opens), self.x_of(closes)
                if a > cursor:
                    result.append((cursor, a))
                cursor = max(cursor, b)
            if cursor < right:
                result.append((cursor, right))
        return result


def _floor_to(moment: dt.datetime, origin: dt.datetime, step: dt.timedelta) -> dt.datetime:
    steps = (moment - origin) // step
    return origin + steps * step
