"""How fast the manager's dashboard loads over 500,000 reservations, query by query.

Generates ~2½ years of one busy restaurant's history (``analytics_history.py``: 500,000
reservations, ~950,000 status changes, 40,000 guests, ~60,000 conversations, ~200,000 AI
activities) in a SQLite file and in PostgreSQL, then measures with ``time.perf_counter``
(median and p90 of ``--repeat`` runs after one warm-up run), for the last 30 days and the last
365 days up to the history's "today":

* ``load_dashboard`` as the GUI and ``report`` call it (its own read session, KPIs for the
  period and the previous one, every breakdown);
* each query function it calls, separately, in one read session (``load_scope``,
  ``compute_kpis`` for the period and the previous period, ``covers_heatmap``, …);
* ``write_reservations_csv`` for the same period (to memory);
* every SQL statement of one ``load_dashboard`` run, slowest first, named by the analytics
  function that sent it; with ``--explain`` also its plan (``EXPLAIN QUERY PLAN`` on SQLite,
  ``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL).

    .venv/bin/python benchmarks/analytics.py [--backend sqlite|postgresql|both]
        [--reservations 500000] [--repeat 7] [--keep PATH] [--postgres-url URL] [--explain]

Generation takes minutes; ``--keep PATH`` keeps the SQLite file at PATH and reuses it on the
next run (when it holds the same number of reservations). ``--postgres-url URL`` uses that
server's database instead of a throwaway cluster (``tests/support/postgres_server.py``) and
likewise reuses the data it finds there. Target: the whole dashboard <= 500 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analytics_history import NAME, TODAY, finish, populate
from sqlalchemy import Engine, event, func, select, text

from app.analytics.ai_figures import ai_costs, ai_daily
from app.analytics.booking_patterns import (
    bookings_by_source,
    cancellations,
    covers_heatmap,
    daily_points,
    no_show_patterns,
)
from app.analytics.dashboard import load_dashboard, without_jit
from app.analytics.export import write_reservations_csv
from app.analytics.guest_value import churn_risk, top_guests
from app.analytics.kpis import compute_kpis
from app.analytics.period import DateRange
from app.analytics.scope import load_scope
from app.db.engine import create_db_engine
from app.db.models import Reservation, Restaurant
from app.db.schema import SchemaState, upgrade
from app.services.database import Database

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 500.0
PERIODS = {"30 d": 30, "365 d": 365}


@dataclass
class Figures:
    """Milliseconds per measured thing, per period label."""

    backend: str
    runs: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    csv_rows: dict[str, int] = field(default_factory=dict)
    statements: dict[str, list[Statement]] = field(default_factory=dict)


@dataclass
class Statement:
    origin: str
    sql: str
    parameters: Any
    ms: float


# -- timing ---------------------------------------------------------------------------------


def time_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def repeat_ms(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm-up: page cache, statement cache, first connection
    return [time_ms(action) for _ in range(repeat)]


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def measure(db: Database, rid: int, period: DateRange, repeat: int) -> dict[str, list[float]]:
    runs = {"load_dashboard": repeat_ms(lambda: load_dashboard(db, rid, period, today=TODAY),
                                        repeat)}  # fmt: skip
    with db.read_session() as session:
        without_jit(session)  # as in load_dashboard, so the parts add up to the whole
        scope = load_scope(session, rid, period, today=TODAY)
        previous = scope.shifted(period.previous())
        parts: list[tuple[str, Callable[[], object]]] = [
            ("load_scope", lambda: load_scope(session, rid, period, today=TODAY)),
            ("compute_kpis (period)", lambda: compute_kpis(session, scope)),
            ("compute_kpis (previous)", lambda: compute_kpis(session, previous)),
            ("covers_heatmap", lambda: covers_heatmap(session, scope)),
            ("bookings_by_source", lambda: bookings_by_source(session, scope)),
            ("no_show_patterns", lambda: no_show_patterns(session, scope)),
            ("cancellations", lambda: cancellations(session, scope)),
            ("ai_costs", lambda: ai_costs(session, scope)),
            ("daily_points", lambda: daily_points(session, scope)),
            ("ai_daily", lambda: ai_daily(session, scope)),
            ("churn_risk", lambda: churn_risk(session, scope)),
            ("top_guests", lambda: top_guests(session, scope)),
        ]
        for name, action in parts:
            runs[name] = repeat_ms(action, repeat)
        session.rollback()
    return runs


def csv_export(db: Database, rid: int, period: DateRange, repeat: int) -> tuple[list[float], int]:
    counts: list[int] = []

    def export() -> None:
        counts.append(write_reservations_csv(db, rid, period, io.StringIO()))

    return repeat_ms(export, repeat), counts[-1]


@contextmanager
def recorded(engine: Engine) -> Iterator[list[Statement]]:
    """Every statement the engine runs meanwhile, with its time and the analytics function
    (innermost frame in ``app/analytics``) that sent it."""
    found: list[Statement] = []

    # Start times per connection: load_dashboard runs two sessions at once, on two threads.
    def before(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        ms = (time.perf_counter() - conn.info["bench_started"].pop()) * 1000
        found.append(Statement(_origin(), statement, parameters, ms))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _origin() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if f"{os.sep}app{os.sep}analytics{os.sep}" in name:
            return f"{Path(name).stem}.{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


def explain(engine: Engine, statement: Statement) -> str:
    prefix = (
        "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    )
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # As ``load_dashboard`` runs them (see ``app.analytics.dashboard``).
            conn.exec_driver_sql("SET LOCAL jit = off")
        rows = conn.exec_driver_sql(prefix + statement.sql, statement.parameters).all()
        conn.rollback()
    if engine.dialect.name == "sqlite":
        return "\n".join(f"    {row[-1]}" for row in rows)
    return "\n".join(f"    {row[0]}" for row in rows)


# -- databases ------------------------------------------------------------------------------


def benchmark_restaurant(engine: Engine, reservations: int) -> int | None:
    """The id of the generated restaurant when the database already holds it at this size."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Restaurant.id, Restaurant.settings).where(Restaurant.name == NAME)
        ).first()
        if row is None:
            return None
        stored = (row.settings or {}).get("benchmark", {})
        count = conn.execute(
            select(func.count()).where(Reservation.restaurant_id == row.id)
        ).scalar_one()
    if stored.get("reservations") == reservations and stored.get("today") == str(TODAY):
        return int(row.id)
    raise SystemExit(
        f"{engine.url.render_as_string()} holds another benchmark history ({count} reservations):"
        " remove it or pass the same --reservations"
    )


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not conn.execute(select(func.count()).select_from(Restaurant)).scalar_one()


def prepared(engine: Engine, reservations: int) -> int:
    state = upgrade(engine).state
    found = benchmark_restaurant(engine, reservations)
    if found is not None:
        print("  reusing the history already there", file=sys.stderr)
        if state is SchemaState.BEHIND:
            # New indexes since the history was written: give the planner their statistics.
            print("  schema upgraded: analysing again", file=sys.stderr)
            finish(engine)
        return found
    if not is_empty(engine):
        raise SystemExit("the database holds other restaurants: use an empty one")
    start = time.perf_counter()

    def progress(done: int) -> None:
        elapsed = time.perf_counter() - start
        print(f"  {done:,} reservations written ({elapsed:.0f} s)", file=sys.stderr)

    loaded = populate(engine, reservations, progress=progress)
    counts = ", ".join(f"{n:,} {table}" for table, n in loaded.counts.items())
    print(f"  wrote {counts} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return loaded.restaurant_id


@contextmanager
def sqlite_engine(keep: Path | None) -> Iterator[Engine]:
    if keep is not None:
        engine = create_db_engine(f"sqlite+pysqlite:///{keep.resolve()}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tobeout-analytics-") as folder:
        engine = create_db_engine(f"sqlite+pysqlite:///{folder}/bench.sqlite3")
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgresql_engine(url: str | None) -> Iterator[Engine]:
    if url:
        engine = create_db_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres_server import PostgresServer

    server = PostgresServer.start_new()
    try:
        engine = create_db_engine(server.create_database("tobeout_analytics_bench"))
        try:
            yield engine
        finally:
            engine.dispose()
    finally:
        server.stop()


def run_backend(name: str, args: argparse.Namespace) -> Figures:
    print(f"{name}: preparing {args.reservations:,} reservations …", file=sys.stderr)
    opener = sqlite_engine(args.keep) if name == "sqlite" else postgresql_engine(args.postgres_url)
    figures = Figures(name)
    with opener as engine:
        rid = prepared(engine, args.reservations)
        db = Database.from_engine(engine)
        for label, days in PERIODS.items():
            period = DateRange(TODAY - dt.timedelta(days=days - 1), TODAY)
            print(f"  timing the last {days} days …", file=sys.stderr)
            runs = measure(db, rid, period, args.repeat)
            runs["write_reservations_csv"], figures.csv_rows[label] = csv_export(
                db, rid, period, args.csv_repeat
            )
            figures.runs[label] = runs
            with recorded(engine) as statements:
                load_dashboard(db, rid, period, today=TODAY)
            figures.statements[label] = statements
            if args.explain:
                print_plans(engine, name, label, statements, args.explain_top)
        if name == "postgresql":
            with engine.connect() as conn:
                version = conn.execute(text("SHOW server_version")).scalar()
                print(f"  PostgreSQL {version}", file=sys.stderr)
    return figures


# -- output ----------------------------------------------------------------------------------


def print_figures(figures: Figures) -> None:
    labels = list(PERIODS)
    head = f"{'query (' + figures.backend + ')':<32}" + "".join(
        f"{label + ' median':>16}{'p90':>9}" for label in labels
    )
    print(head)
    print("-" * len(head))
    names = list(figures.runs[labels[0]])
    for name in names:
        shown = name if name in ("load_dashboard", "write_reservations_csv") else f"  {name}"
        cells = "".join(
            f"{statistics.median(figures.runs[label][name]):16.1f}"
            f"{p90(figures.runs[label][name]):9.1f}"
            for label in labels
        )
        print(f"{shown:<32}{cells}")
    parts = "".join(
        f"{sum(statistics.median(v) for k, v in figures.runs[label].items() if k not in ('load_dashboard', 'write_reservations_csv')):16.1f}{'':9}"  # noqa: E501
        for label in labels
    )
    print(f"{'  (sum of the parts)':<32}{parts}")
    rows = ", ".join(f"{figures.csv_rows[label]:,} rows ({label})" for label in labels)
    print(f"write_reservations_csv wrote {rows}")
    for label in labels:
        whole = statistics.median(figures.runs[label]["load_dashboard"])
        verdict = "met" if whole <= TARGET_MS else "MISSED"
        print(f"target: dashboard of the last {label} <= {TARGET_MS:g} ms: {verdict} "
              f"({whole:.0f} ms)")  # fmt: skip
    print()
    for label in labels:
        statements = sorted(figures.statements[label], key=lambda s: -s.ms)
        print(f"slowest statements of one load_dashboard ({figures.backend}, {label}):")
        for statement in statements[:8]:
            sql = " ".join(statement.sql.split())[:70]
            print(f"  {statement.ms:8.1f} ms  {statement.origin:<40} {sql}")
        print()


def print_plans(
    engine: Engine, backend: str, label: str, statements: list[Statement], top: int
) -> None:
    print(f"== plans: {backend}, {label} ==", file=sys.stderr)
    for statement in sorted(statements, key=lambda s: -s.ms)[:top]:
        if not statement.sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"-- {statement.origin}: {statement.ms:.1f} ms", file=sys.stderr)
        print("    " + " ".join(statement.sql.split()), file=sys.stderr)
        print(explain(engine, statement), file=sys.stderr)
    print(file=sys.stderr)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--reservations", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure")
    parser.add_argument("--csv-repeat", type=int, default=3, help="timed runs of the CSV export")
    parser.add_argument(
        "--keep", type=Path, metavar="PATH",
        help="SQLite file to keep the history in (reused when it matches)",
    )  # fmt: skip
    parser.add_argument(
        "--postgres-url", metavar="URL",
        help="use this (empty or benchmark) database instead of a throwaway cluster",
    )  # fmt: skip
    parser.add_argument("--explain", action="store_true", help="print query plans on stderr")
    parser.add_argument("--explain-top", type=int, default=6, metavar="N",
                        help="plans of the N slowest statements")  # fmt: skip
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [run_backend(name, args) for name in backends]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\n{args.reservations:,} reservations; today {TODAY}; {args.repeat} runs per figure "
        f"after a warm-up (CSV: {args.csv_repeat}); load average {load}\n"
    )
    for figures in results:
        print_figures(figures)


if __name__ == "__main__":
    main()
