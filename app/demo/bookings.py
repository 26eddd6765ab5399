"""Plan four weeks of bookings: who, how many, when, at which table, booked how long before.

A host would seat the same way: the smallest table that fits, never one under repair, and never
two parties on one table within its turn plus the cleaning buffer. Statuses come later
(``lifecycle``); this module only decides what was booked.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.db.enums import OccasionType, ReservationSource
from app.db.models import DiningTable
from app.demo import texts
from app.demo.floor import is_bookable
from app.demo.guests import GuestSeed
from app.demo.profile import BUFFER_MINUTES, MAX_COVERS_PER_SLOT, turn_time
from app.demo.schedule import ServicePeriod, local_start, to_utc

WINDOW_DAYS = 14
BUFFER = dt.timedelta(minutes=BUFFER_MINUTES)
MIN_NOTICE = dt.timedelta(minutes=30)
_SHIFTS = (0, 15, -15, 30, -30, 45, -45)  # alternatives a host offers, nearest first
_PARTY = {
    "lunch": ([1, 2, 3, 4, 5, 6, 7, 8], [8, 46, 18, 20, 3, 3, 1, 1]),
    "dinner": ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [3, 44, 14, 24, 5, 5, 2, 2, 0.5, 0.5]),
}
_SOURCE = (
    [ReservationSource.PHONE, ReservationSource.WEB, ReservationSource.TELEGRAM,
     ReservationSource.WHATSAPP, ReservationSource.AI_ASSISTANT, ReservationSource.WALK_IN],
    [28, 20, 16, 12, 10, 14],
)  # fmt: skip
_OCCASION = {
    "lunch": ([None, OccasionType.BUSINESS, OccasionType.CASUAL, OccasionType.BIRTHDAY],
              [75, 18, 5, 2]),
    "dinner": ([None, OccasionType.DATE, OccasionType.BIRTHDAY, OccasionType.ANNIVERSARY,
                OccasionType.BUSINESS, OccasionType.CASUAL], [75, 8, 6, 3, 3, 5]),
}  # fmt: skip


@dataclass
class Plan:
    """One booking as decided, before its status is worked out."""

    guest: GuestSeed
    table: DiningTable
    period: ServicePeriod
    minutes: int  # after the service day's midnight (past 1440 after midnight)
    time: dt.time
    starts_at: dt.datetime
    ends_at: dt.datetime
    party: int
    source: ReservationSource
    created_at: dt.datetime
    cancelled: bool
    no_show: bool
    alternatives: int
    occasion: OccasionType | None
    requests: str | None

    @property
    def duration(self) -> int:
        return turn_time(self.party)


def _attempts(period: ServicePeriod, days_ahead: int, rng: random.Random) -> int:
    """How many parties ask for this service: busier at the weekend, fewer far ahead."""
    if period.name == "lunch":
        base = 20 if period.weekday == "sat" else 16
    else:
        base = {"thu": 38, "fri": 58, "sat": 58, "sun": 48}.get(period.weekday, 32)
    # The booking curve: what is already on the books days before the date.
    fill = 1.0 if days_ahead <= 0 else max(0.2, 0.95 - 0.055 * days_ahead)
    return round(base * fill * rng.uniform(0.9, 1.1))


def _slot_weights(period: ServicePeriod, minutes: list[int]) -> list[float]:
    if period.name == "lunch":
        peaks = [(13 * 60 + 15, 45)]
    elif period.weekday == "sun":
        peaks = [(14 * 60, 70), (19 * 60, 70)]
    elif period.is_weekend_dinner:
        peaks = [(20 * 60 + 15, 100)]
    else:
        peaks = [(19 * 60 + 30, 80)]
    return [0.08 + sum(math.exp(-(((m - p) / w) ** 2)) for p, w in peaks) for m in minutes]


class Planner:
    def __init__(
        self,
        rng: random.Random,
        tables: list[DiningTable],
        guests: list[GuestSeed],
        now: dt.datetime,
        zone: ZoneInfo,
    ) -> None:
        self.rng = rng
        self.now = now
        self.zone = zone
        self.tables = [t for t in tables if is_bookable(t)]
        self.guests = [g for g in guests if g.weight > 0]
        self._cum = _cumulative([g.weight for g in self.guests])
        self._busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
        self._covers: dict[tuple[dt.date, int], int] = {}
        self._guest_days: set[tuple[int, dt.date]] = set()
        self.plans: list[Plan] = []

    def plan_period(self, period: ServicePeriod, today: dt.date) -> None:
        slots = period.slots()
        minutes = [m for _, _, m in slots]
        weights = _slot_weights(period, minutes)
        days_ahead = (period.day - today).days
        for _ in range(_attempts(period, days_ahead, self.rng)):
            wanted = self.rng.choices(minutes, weights)[0]
            party = self.rng.choices(*_PARTY[period.name])[0]
            source = self._source(period, wanted)
            self._try_book(period, minutes, wanted, party, source)

    def _source(self, period: ServicePeriod, minutes: int) -> ReservationSource:
        source = self.rng.choices(*_SOURCE)[0]
        started = to_utc(local_start(period.day, minutes, self.zone)) <= self.now
        while source == ReservationSource.WALK_IN and not started:
            source = self.rng.choices(*_SOURCE)[0]  # nobody walks in from the future
        return source

    def _try_book(
        self,
        period: ServicePeriod,
        minutes: list[int],
        wanted: int,
        party: int,
        source: ReservationSource,
    ) -> None:
        guest = self._guest(period.day)
        walk_in = source == ReservationSource.WALK_IN
        shifts = (0,) if walk_in else _SHIFTS
        for alternatives, shift in enumerate(shifts):
            start_min = wanted + shift
            if start_min not in minutes:
                continue
            starts = to_utc(local_start(period.day, start_min, self.zone))
            if walk_in and starts > self.now:
                continue
            ends = starts + dt.timedelta(minutes=turn_time(party))
            if self._covers.get((period.day, start_min), 0) + party > MAX_COVERS_PER_SLOT:
                continue
            table = self._table(party, starts, ends, walk_in)
            if table is None:
                continue
            self._add(period, guest, table, start_min, starts, ends, party, source, alternatives)
            return

    def _guest(self, day: dt.date) -> GuestSeed:
        """A weighted pick (regulars book more), never the same guest twice on one day."""
        for _ in range(20):
            seed = self.rng.choices(self.guests, cum_weights=self._cum)[0]
            if (id(seed), day) not in self._guest_days:
                break
        self._guest_days.add((id(seed), day))
        return seed

    def _table(
        self, party: int, starts: dt.datetime, ends: dt.datetime, walk_in: bool
    ) -> DiningTable | None:
        best: tuple[float, DiningTable] | None = None
        for table in self.tables:
            if not table.min_guests <= party <= table.max_guests:
                continue
            # Both bookings hold the table for their turn plus the cleaning buffer.
            held = self._busy.get(table.name, [])
            if any(s < ends + BUFFER and starts < until for s, until in held):
                continue
            area = table.position["area"]
            # Smallest fit first; the bar suits walk-in pairs, the private room is held back.
            score = (table.max_guests - party) * 10 - table.priority + self.rng.random() * 3
            if area == "Bar":
                score += -8 if walk_in else 6
            if area == "Private room" and party < 7:
                score += 12
            if best is None or score < best[0]:
                best = (score, table)
        return best[1] if best else None

    def _add(
        self,
        period: ServicePeriod,
        guest: GuestSeed,
        table: DiningTable,
        start_min: int,
        starts: dt.datetime,
        ends: dt.datetime,
        party: int,
        source: ReservationSource,
        alternatives: int,
    ) -> None:
        created = self._created_at(starts, source)
        cancelled = (
            source != ReservationSource.WALK_IN
            and created + dt.timedelta(minutes=5) < min(starts, self.now)
            and self.rng.random() < 0.08
        )
        no_show = not cancelled and source != ReservationSource.WALK_IN and self.rng.random() < 0.05
        occasion = self.rng.choices(*_OCCASION[period.name])[0]
        plan = Plan(
            guest=guest,
            table=table,
            period=period,
            minutes=start_min,
            time=dt.time((start_min // 60) % 24, start_min % 60),
            starts_at=starts,
            ends_at=ends,
            party=party,
            source=source,
            created_at=created,
            cancelled=cancelled,
            no_show=no_show,
            alternatives=alternatives,
            occasion=occasion,
            requests=self._requests(guest, occasion),
        )
        self.plans.append(plan)
        if not cancelled:
            # A cancelled booking gave its table back, so it holds nothing.
            self._busy.setdefault(table.name, []).append((starts, ends + BUFFER))
            key = (period.day, start_min)
            self._covers[key] = self._covers.get(key, 0) + party

    def _created_at(self, starts: dt.datetime, source: ReservationSource) -> dt.datetime:
        if source == ReservationSource.WALK_IN:
            return starts - dt.timedelta(minutes=self.rng.randint(0, 4))
        lead_hours = self.rng.choices(
            [self.rng.uniform(1, 8), self.rng.uniform(8, 72), self.rng.uniform(72, 240),
             self.rng.uniform(240, 720)],
            [20, 40, 30, 10],
        )[0]  # fmt: skip
        created = starts - dt.timedelta(hours=lead_hours)
        if created > self.now:
            created = self.now - dt.timedelta(minutes=self.rng.randint(3, 36 * 60))
        created = min(created, starts - MIN_NOTICE)
        return created.replace(microsecond=0)

    def _requests(self, guest: GuestSeed, occasion: OccasionType | None) -> str | None:
        lang = guest.language
        parts: list[str] = []
        if occasion in texts.OCCASION_REQUESTS and self.rng.random() < 0.5:
            parts.append(texts.OCCASION_REQUESTS[occasion][lang])
        elif self.rng.random() < 0.14:
            parts.append(self.rng.choice(texts.REQUESTS[lang]))
        if guest.guest.allergies and self.rng.random() < 0.6:
            parts.append(texts.ALLERGY_NOTE[lang].format(items=", ".join(guest.guest.allergies)))
        return "; ".join(parts) or None


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
