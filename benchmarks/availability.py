"""How fast the booking engine answers, against the naive "one SQL query per table" way.

Builds a 200-table restaurant with ``--days`` × ``--per-day`` bookings (bench_fixture.py) in a
fresh SQLite file and in a throwaway PostgreSQL cluster, then measures with
``time.perf_counter`` (median and p90 of ``--repeat`` runs, after one warm-up run):

* a full day's availability grid on a busy day, every slot × party sizes 1-12:
  the real service path (12 × ``check_availability``), the pure part alone (``grid()`` × 12
  on a snapshot already in memory), the snapshot load alone, and the one-call heat grid
  (``availability_matrix``);
* one booking with table assignment through ``book()`` (each run a new guest and time).

Beside each, a naive baseline as most peers write it: for every slot and every table one
overlap query (``SELECT 1 FROM reservation_tables WHERE table_id=? AND blocking AND
starts_at < ? AND blocked_until > ? LIMIT 1``), reusing each table's answer across party
sizes; for a booking, one such query per candidate table (smallest first, stopping at the
first free one) and then the inserts.

    .venv/bin/python benchmarks/availability.py [--backend sqlite|postgresql|both]
        [--days 60] [--per-day 400] [--repeat 20] [--bookings 100] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_fixture import NOW, Fixture, populate
from naive_baseline import NaiveTarget, naive_booking, naive_grid
from sqlalchemy import Engine, text

from app.db.engine import create_db_engine
from app.db.schema import upgrade
from app.domain.availability import grid
from app.domain.booking_rules import BookingRules
from app.domain.floor import TableGroup, TableInfo
from app.domain.requests import read_wishes
from app.domain.service_hours import slots_for
from app.errors import NotAvailable
from app.services.availability import (
    availability_grid,
    availability_matrix,
    check_availability,
)
from app.services.booking import BookingRequest, book
from app.services.database import Database
from app.services.day_loader import load_restaurant, load_snapshot, load_tables, table_groups

ROOT = Path(__file__).resolve().parent.parent
PARTY_SIZES = tuple(range(1, 13))
NO_WISHES = read_wishes(None, None)
GRID_TARGET_MS = 20.0
BOOKING_TARGET_MS = 10.0
BOOKING_PARTIES = (2, 2, 4, 3, 2, 6, 4, 5, 2, 8, 1, 4)


@dataclass
class Row:
    operation: str
    backend: str
    ours: list[float]
    baseline: list[float] | None = None
    target_ms: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Place:
    db: Database
    fixture: Fixture
    rules: BookingRules
    tables: list[TableInfo]
    groups: list[TableGroup]

    @property
    def rid(self) -> int:
        return self.fixture.restaurant_id

    def naive(self) -> NaiveTarget:
        return NaiveTarget(self.db.engine, self.rid, self.rules, self.groups)


# -- timing ---------------------------------------------------------------------------------


def time_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def repeat_ms(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm-up: caches, prepared statements, first connection
    return [time_ms(action) for _ in range(repeat)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


# -- the engine -----------------------------------------------------------------------------


def service_grid(place: Place, day: dt.date) -> list[list[bool]]:
    """The real path: one ``check_availability`` call (one unit of work) per party size."""
    return [
        [s.available for s in check_availability(place.db, place.rid, day, party, now=NOW).slots]
        for party in PARTY_SIZES
    ]


def one_call_grid(place: Place, day: dt.date) -> list[list[bool]]:
    """The same grid from ``availability_grid``: one unit of work, one snapshot, 12 sizes."""
    answer = availability_grid(place.db, place.rid, day, PARTY_SIZES, now=NOW)
    return [[s.available for s in answer[party]] for party in PARTY_SIZES]


def pure_grid(place: Place, day: dt.date, repeat: int) -> tuple[list[float], list[float]]:
    """Milliseconds for load_snapshot alone and for ``grid()`` × 12 on that snapshot."""
    loads, computes = [], []
    with place.db.unit_of_work() as uow:
        for _ in range(2):  # warm-up pass
            snapshot = load_snapshot(uow.session, place.rid, place.rules, day, NOW)
        for _ in range(repeat):
            start = time.perf_counter()
            snapshot = load_snapshot(uow.session, place.rid, place.rules, day, NOW)
            loads.append((time.perf_counter() - start) * 1000)
            computes.append(
                time_ms(lambda s=snapshot: [grid(s, p, wishes=NO_WISHES) for p in PARTY_SIZES])
            )
    return loads, computes


def engine_booking(place: Place, request: BookingRequest) -> bool:
    try:
        book(place.db, request, now=NOW)
    except NotAvailable:
        return False
    return True


# -- the measurements -----------------------------------------------------------------------


def booking_requests(
    place: Place, days: list[dt.date], phone_prefix: str, count: int
) -> Iterator[BookingRequest]:
    """Different guests at times spread over the day (lunch, afternoon and dinner)."""
    rng = random.Random(phone_prefix)
    slots = [s.local_time for s in slots_for(place.rules, days[0])]
    for i in range(count + 1):  # +1: the warm-up booking
        yield BookingRequest(
            restaurant_id=place.rid,
            date=days[i % len(days)],
            time=rng.choice(slots),
            party_size=BOOKING_PARTIES[i % len(BOOKING_PARTIES)],
            name=f"Bench Guest {i}",
            phone=f"+7{phone_prefix}{i:07d}",
        )


def measure_bookings(
    place: Place,
    action: Callable[[Place, BookingRequest], bool],
    requests: Iterator[BookingRequest],
) -> tuple[list[float], int]:
    """Milliseconds of each successful booking, and how many were refused (not timed)."""
    times, failures = [], 0
    action(place, next(requests))  # warm-up
    for request in requests:
        start = time.perf_counter()
        ok = action(place, request)
        if ok:
            times.append((time.perf_counter() - start) * 1000)
        failures += not ok
    return times, failures


def grid_rows(place: Place, backend: str, day: dt.date, args: argparse.Namespace) -> list[Row]:
    ours = repeat_ms(lambda: service_grid(place, day), args.repeat)
    one_call = repeat_ms(lambda: one_call_grid(place, day), args.repeat)
    if one_call_grid(place, day) != service_grid(place, day):
        raise AssertionError("availability_grid disagrees with check_availability")
    target = place.naive()
    naive_answer = naive_grid(target, day, PARTY_SIZES)
    naive = [
        time_ms(lambda: naive_grid(place.naive(), day, PARTY_SIZES))
        for _ in range(args.baseline_repeat)
    ]
    agree = sum(
        a == b
        for ours_row, naive_row in zip(service_grid(place, day), naive_answer, strict=True)
        for a, b in zip(ours_row, naive_row, strict=True)
    )
    cells = len(PARTY_SIZES) * len(slots_for(place.rules, day))
    loads, computes = pure_grid(place, day, args.repeat)
    pure = [load + compute for load, compute in zip(loads, computes, strict=True)]
    matrix = repeat_ms(lambda: availability_matrix(place.db, place.rid, day, now=NOW), args.repeat)
    note = (
        f"naive: {target.queries} queries per grid; yes/no answers agree on {agree}/{cells} cells"
    )
    return [
        Row("grid: 12 × check_availability", backend, ours, naive, GRID_TARGET_MS, note),
        Row("grid: 1 × availability_grid (12 sizes)", backend, one_call, naive, GRID_TARGET_MS),
        Row("grid: 1 load_snapshot + 12 × grid()", backend, pure, naive, GRID_TARGET_MS),
        Row("  load_snapshot alone", backend, loads),
        Row("  12 × grid() alone (pure compute)", backend, computes),
        Row("heat grid: availability_matrix (yes/no)", backend, matrix, naive, GRID_TARGET_MS),
    ]


def booking_rows(place: Place, backend: str, count: int) -> list[Row]:
    days = [d for d in place.fixture.days if d != grid_day(place)]
    ours, ours_failed = measure_bookings(
        place, engine_booking, booking_requests(place, days[0::2], "925", count)
    )
    naive, naive_failed = measure_bookings(
        place,
        lambda p, request: naive_booking(p.naive(), request),
        booking_requests(place, days[1::2] or days, "926", count),
    )
    note = (
        f"{count} bookings each, successful ones timed; refused (no table free): "
        f"ours {ours_failed}, naive {naive_failed}"
    )
    return [Row("one booking: book()", backend, ours, naive, BOOKING_TARGET_MS, note)]


def grid_day(place: Place) -> dt.date:
    return place.fixture.days[len(place.fixture.days) // 2]


# -- backends --------------------------------------------------------------------------------


@contextmanager
def sqlite_engine() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory(prefix="tobeout-bench-") as folder:
        engine = create_db_engine(f"sqlite+pysqlite:///{folder}/bench.sqlite3")
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgresql_engine() -> Iterator[Engine]:
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres_server import PostgresServer

    server = PostgresServer.start_new()
    try:
        engine = create_db_engine(server.create_database("tobeout_bench"))
        try:
            yield engine
        finally:
            engine.dispose()
    finally:
        server.stop()


def prepare(engine: Engine, days: int, per_day: int) -> Place:
    upgrade(engine)
    start = time.perf_counter()
    fixture = populate(engine, days, per_day)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    print(
        f"  wrote {fixture.reservations} reservations ({fixture.holds} table holds, "
        f"{fixture.skipped} unplaceable skipped) in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    db = Database.from_engine(engine)
    with db.unit_of_work() as uow:
        _, rules = load_restaurant(uow.session, fixture.restaurant_id)
        tables = load_tables(uow.session, fixture.restaurant_id)
    return Place(db, fixture, rules, tables, table_groups(tables, rules))


def run_backend(name: str, args: argparse.Namespace) -> list[Row]:
    opener = sqlite_engine if name == "sqlite" else postgresql_engine
    print(f"{name}: building the restaurant …", file=sys.stderr)
    with opener() as engine:
        place = prepare(engine, args.days, args.per_day)
        day = grid_day(place)
        print(
            f"  grid day {day} ({len(slots_for(place.rules, day))} slots), "
            f"{len(place.tables)} tables, {len(place.groups)} joinable groups",
            file=sys.stderr,
        )
        rows = grid_rows(place, name, day, args)
        rows += booking_rows(place, name, args.bookings)
        if args.profile:
            profile(place, day)
    return rows


# -- output ----------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    head = (
        f"{'operation':<42} {'backend':<10} {'median ms':>9} {'p90 ms':>8} "
        f"{'naive ms':>9} {'naive/ours':>10}  target"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        ours = median(row.ours)
        naive = f"{median(row.baseline):9.1f}" if row.baseline else f"{'':9}"
        ratio = f"{median(row.baseline) / ours:9.2f}×" if row.baseline else f"{'':10}"
        target = ""
        if row.target_ms is not None:
            verdict = "met" if ours <= row.target_ms else "MISSED"
            target = f"<= {row.target_ms:g} ms: {verdict}"
        print(
            f"{row.operation:<42} {row.backend:<10} {ours:9.2f} {p90(row.ours):8.2f} "
            f"{naive} {ratio}  {target}"
        )
    print()
    for row in rows:
        if row.note:
            print(f"{row.backend}: {row.operation.strip()}: {row.note}")


def profile(place: Place, day: dt.date) -> None:
    """cProfile of the service-path grid and of bookings: the top functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        service_grid(place, day)
    profiler.disable()
    print_profile("12 × check_availability (5 runs)", profiler)
    profiler = cProfile.Profile()
    days = [d for d in place.fixture.days if d != day]
    requests = booking_requests(place, days[0::2], "927", 30)
    profiler.enable()
    for request in requests:
        engine_booking(place, request)
    profiler.disable()
    print_profile("book() (31 bookings)", profiler)


def print_profile(title: str, profiler: cProfile.Profile) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)
    print(f"== profile: {title} ==", file=sys.stderr)
    print(out.getvalue(), file=sys.stderr)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per measurement")
    parser.add_argument("--baseline-repeat", type=int, default=5)
    parser.add_argument("--bookings", type=int, default=100, help="timed bookings per path")
    parser.add_argument("--quick", action="store_true", help="7 days, fewer runs (smoke run)")
    parser.add_argument("--profile", action="store_true", help="print cProfile tops on stderr")
    args = parser.parse_args()
    if args.quick:
        args.days, args.repeat, args.baseline_repeat, args.bookings = 7, 3, 2, 10
    return args


def main() -> None:
    args = parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    rows: list[Row] = []
    for name in backends:
        rows += run_backend(name, args)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\n{args.days} days × {args.per_day} bookings/day, 200 tables; {args.repeat} runs "
        f"per figure (naive grid {args.baseline_repeat}); load average {load}\n"
    )
    print_table(rows)


if __name__ == "__main__":
    main()
